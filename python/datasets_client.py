"""The Arrow cookbook's client of a Parquet storage service, in its style,
against step 6's server (or any that does the same): upload a table, list
what is stored, read it back, drop it. Used by the tests.

    python datasets_client.py PORT NAME ROWS

The table is the page's shape, id and value = id * 10, in ONE record batch:
pyarrow sends it as one message (1M rows are 16 MB), which a server must
accept.
"""
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight as flight


def main():
    port, name, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = flight.FlightClient(f"grpc://127.0.0.1:{port}")

    ids = pa.array(range(rows), pa.int64())
    table = pa.table({"id": ids, "value": pc.multiply(ids, 10)})

    # Upload it: the descriptor's path names the dataset.
    upload_descriptor = flight.FlightDescriptor.for_path(name)
    writer, _ = client.do_put(upload_descriptor, table.schema)
    writer.write_table(table)
    writer.close()

    # What is stored now.
    for flight_info in client.list_flights():
        path = "/".join(p.decode() for p in flight_info.descriptor.path)
        print(f"listed: {path} records={flight_info.total_records}")

    # Read it back, then drop it.
    read = client.do_get(flight.Ticket(name.encode())).read_all()
    total = pc.sum(read["value"]).as_py()
    print(f"read back: rows={read.num_rows} sum(value)={total}")
    for _ in client.do_action(flight.Action("drop_dataset", name.encode())):
        pass
    left = [f.descriptor.path[0].decode() for f in client.list_flights()]
    print(f"after drop_dataset: {left}")


if __name__ == "__main__":
    main()
