"""The page's flight_server.py, on the port given (0: any free one) and with
as many rows as given, for the tests and the benchmark:

    python serve_on_port.py PORT [ROWS]

The server class is the page's own, imported from flight_server.py; only the
port, the row count and the flush of the printed line (so that a test reading
the pipe sees it at once) differ from the page's `__main__`.
"""
import sys

import pyarrow as pa

from flight_server import ArrowFlightServer

if __name__ == "__main__":
    port = int(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    server = ArrowFlightServer(f"grpc://0.0.0.0:{port}")
    server.table = pa.table({
        "id": list(range(rows)),
        "value": [i * 10 for i in range(rows)]
    })
    print(f"Arrow Flight server running on port {server.port}", flush=True)
    server.serve()
