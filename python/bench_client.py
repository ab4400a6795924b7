"""The pyarrow side of the benchmark: read the table RUNS times, after a warm-up.

    python bench_client.py PORT RUNS

Prints one JSON line, with the same fields as flight-bench's own client
(tools/flight-bench/src/bin/bench-client.rs):

- seconds: the time of each timed read;
- rows: the rows of the last read;
- peak_rss: this process's peak resident memory, in bytes;
- cpu_seconds: this process's user + system CPU time during the timed reads;
- minor_faults: its minor page faults during the timed reads;
- started_ns, ended_ns: Unix time, in nanoseconds, when the timed reads
  started and ended (to add up clients that read at the same time).
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
    before = resource.getrusage(resource.RUSAGE_SELF)
    started_ns = time.time_ns()
    for _ in range(runs):
        start = time.perf_counter()
        table = client.do_get(flight.Ticket(b"dataset")).read_all()
        seconds.append(time.perf_counter() - start)
        rows = table.num_rows
        del table
    ended_ns = time.time_ns()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(json.dumps({
        "seconds": seconds,
        "rows": rows,
        "peak_rss": after.ru_maxrss * 1024,  # KiB on Linux
        "cpu_seconds": cpu_seconds,
        "minor_faults": after.ru_minflt - before.ru_minflt,
        "started_ns": started_ns,
        "ended_ns": ended_ns,
    }))


if __name__ == "__main__":
    main()
