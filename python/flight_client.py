import sys

import pyarrow.flight as flight

# Added to the page's program for the tests: an optional port.
port = sys.argv[1] if len(sys.argv) > 1 else "8815"

client = flight.FlightClient(f"grpc://127.0.0.1:{port}")

reader = client.do_get(flight.Ticket(b"dataset"))
table = reader.read_all()

print(table.schema)
print("Rows:", table.num_rows)
