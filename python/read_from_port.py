"""The page's flight_client.py, reading from the port given, for the tests:

    python read_from_port.py PORT

The lines are the page's; only the port in the address differs. (The page's
client runs at import, so it cannot be imported and called.)
"""
import sys

import pyarrow.flight as flight

client = flight.FlightClient(f"grpc://127.0.0.1:{sys.argv[1]}")

reader = client.do_get(flight.Ticket(b"dataset"))
table = reader.read_all()

print(table.schema)
print("Rows:", table.num_rows)
