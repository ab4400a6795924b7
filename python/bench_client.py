"""The pyarrow side of the benchmark: read the table RUNS times, after a warm-up.

    python bench_client.py PORT RUNS

Prints one JSON line: the seconds of each run, the rows read and this
process's peak RSS in bytes.
"""
import json
import resource
import sys
import time

import pyarrow.flight as flight


def main():
    port, runs = sys.argv[1], int(sys.argv[2])
    client = flight.FlightClient(f"grpc://127.0.0.1:{port}")
    rows = client.do_get(flight.Ticket(b"dataset")).read_all().num_rows  # warm-up
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        table = client.do_get(flight.Ticket(b"dataset")).read_all()
        seconds.append(time.perf_counter() - start)
        rows = table.num_rows
        del table
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_rss": peak}))


if __name__ == "__main__":
    main()
