"""The Arrow cookbook's Parquet storage service, in its streaming variant:
what step 6's Rust server does, in pyarrow, for the tests (our clients
against it) and for comparison.

    python datasets_server.py PORT DATA_DIR

`do_put` writes each batch as it arrives (ParquetWriter) into a temporary
file of DATA_DIR/.uploads, renamed to NAME.parquet once the upload is whole;
`do_get` reads a file batch by batch; `drop_dataset` deletes one. Names are
checked as the Rust server checks them. The page's table is not served.
"""
import os
import pathlib
import re
import sys
import uuid

import pyarrow as pa
import pyarrow.flight as flight
import pyarrow.parquet as pq

NAME = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,127}")
ROW_GROUP_ROWS = 256 * 1024


class DatasetServer(flight.FlightServerBase):
    def __init__(self, location, repo):
        super().__init__(location)
        self._repo = pathlib.Path(repo)
        self._uploads = self._repo / ".uploads"
        self._uploads.mkdir(parents=True, exist_ok=True)
        for orphan in self._uploads.iterdir():
            orphan.unlink()

    def _path(self, name):
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        if not NAME.fullmatch(name) or name == "dataset":
            raise flight.FlightServerError(f"the dataset name {name!r} is refused")
        return self._repo / f"{name}.parquet"

    def _make_flight_info(self, path):
        metadata = pq.read_metadata(path)
        name = path.name[: -len(".parquet")]
        descriptor = flight.FlightDescriptor.for_path(name.encode("utf-8"))
        endpoints = [flight.FlightEndpoint(name, [])]
        return flight.FlightInfo(
            metadata.schema.to_arrow_schema(), descriptor, endpoints,
            metadata.num_rows, path.stat().st_size)

    def list_flights(self, context, criteria):
        for path in sorted(self._repo.glob("*.parquet")):
            yield self._make_flight_info(path)

    def get_flight_info(self, context, descriptor):
        return self._make_flight_info(self._path(descriptor.path[0]))

    def do_put(self, context, descriptor, reader, writer):
        path = self._path(descriptor.path[0])
        temporary = self._uploads / f"{uuid.uuid4()}.parquet"
        try:
            with pq.ParquetWriter(temporary, reader.schema) as sink:
                for chunk in reader:
                    sink.write_batch(chunk.data, row_group_size=ROW_GROUP_ROWS)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    def do_get(self, context, ticket):
        parquet = pq.ParquetFile(self._path(ticket.ticket))
        batches = parquet.iter_batches(batch_size=65536)
        return flight.GeneratorStream(parquet.schema_arrow, batches)

    def list_actions(self, context):
        return [("drop_dataset", "Delete a stored dataset; the body is its name")]

    def do_action(self, context, action):
        if action.type == "drop_dataset":
            self._path(action.body.to_pybytes()).unlink()
        else:
            raise NotImplementedError(action.type)


if __name__ == "__main__":
    port, repo = int(sys.argv[1]), sys.argv[2]
    server = DatasetServer(f"grpc://127.0.0.1:{port}", repo)
    print(f"Arrow Flight server running on port {server.port}", flush=True)
    server.serve()
