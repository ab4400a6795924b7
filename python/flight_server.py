import sys

import pyarrow as pa
import pyarrow.flight as flight

class ArrowFlightServer(flight.FlightServerBase):
    def __init__(self, location, rows=1000):
        super().__init__(location)
        self.table = pa.table({
            "id": list(range(rows)),
            "value": [i * 10 for i in range(rows)]
        })

    def do_get(self, context, ticket):
        return flight.RecordBatchStream(self.table)

if __name__ == "__main__":
    # Added to the page's program for the tests: an optional port (0 picks a
    # free one) and row count. Without arguments it is the page's server.
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8815
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    server = ArrowFlightServer(f"grpc://0.0.0.0:{port}", rows)
    print(f"Arrow Flight server running on port {server.port}", flush=True)
    server.serve()
