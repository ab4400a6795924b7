"""The pyarrow side of the benchmark: read the table RUNS times, after a warm-up.

    python bench_client.py PORT RUNS
    python bench_client.py PORT RUNS --upload ROWS

With --upload, it uploads a table of ROWS rows of the page's shape instead,
to a dataset server (python/datasets_server.py), as the cookbook's client
does: do_put, write_table, close; as the dataset "uploaded", each upload
replacing the last.

Prints one JSON line, with the same fields as flight-bench's own client
(tools/flight-bench/src/bin/bench-client.rs):

- seconds: the time of each timed read (or upload);
- rows: the rows of the last one;
- peak_rss: this process's peak resident memory, in bytes;
- cpu_seconds: this process's user + system CPU time during the timed ones;
- minor_faults: its minor page faults during the timed ones;
- started_ns, ended_ns: Unix time, in nanoseconds, when the timed ones
  started and ended (to add up clients that read at the same time).
"""
import json
import resource
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight as flight

# The dataset the uploads replace (flight_bench::UPLOADED).
UPLOADED = "uploaded"
# The batches sent: the same as the Rust client's (kit::BATCH_ROWS), so that
# both servers are sent the same messages.
BATCH_ROWS = 65536


def upload(client, table):
    """Step 6's upload, as the cookbook's client: the descriptor's path names
    the dataset; close() returns once the server has stored it."""
    descriptor = flight.FlightDescriptor.for_path(UPLOADED)
    writer, _ = client.do_put(descriptor, table.schema)
    writer.write_table(table, max_chunksize=BATCH_ROWS)
    writer.close()
    return table


def main():
    port, runs = sys.argv[1], int(sys.argv[2])
    client = flight.FlightClient(f"grpc://127.0.0.1:{port}")
    if sys.argv[3:4] == ["--upload"]:
        ids = pa.array(range(int(sys.argv[4])), pa.int64())
        table = pa.table({"id": ids, "value": pc.multiply(ids, 10)})
        transfer = lambda: upload(client, table)
    else:
        transfer = lambda: client.do_get(flight.Ticket(b"dataset")).read_all()
    rows = transfer().num_rows  # warm-up
    seconds = []
    before = resource.getrusage(resource.RUSAGE_SELF)
    started_ns = time.time_ns()
    for _ in range(runs):
        start = time.perf_counter()
        moved = transfer()
        seconds.append(time.perf_counter() - start)
        rows = moved.num_rows
        del moved  # freed outside the time
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
