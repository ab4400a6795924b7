"""What a generic pyarrow Flight client sees of a server: used by the tests.

    python interop_probe.py PORT discover    list_flights and get_flight_info
    python interop_probe.py PORT ticket T    do_get with ticket T: the error, if any
    python interop_probe.py PORT checksum    do_get "dataset": rows and sum of value
    python interop_probe.py PORT secure CA TOKEN
                                             do_get "dataset" over TLS (trusting the
                                             certificate file CA) with a bearer token
"""
import sys

import pyarrow.compute as pc
import pyarrow.flight as flight


def describe(info):
    tickets = ", ".join(e.ticket.ticket.decode() for e in info.endpoints)
    path = "/".join(p.decode() for p in info.descriptor.path)
    schema = str(info.schema).replace("\n", ", ")
    return f"path={path} records={info.total_records} tickets=[{tickets}] schema=({schema})"


def main():
    port, command = sys.argv[1], sys.argv[2]
    if command == "secure":
        with open(sys.argv[3], "rb") as ca:
            client = flight.FlightClient(f"grpc+tls://localhost:{port}", tls_root_certs=ca.read())
        token = sys.argv[4].encode()
        options = flight.FlightCallOptions(headers=[(b"authorization", b"Bearer " + token)])
        try:
            table = client.do_get(flight.Ticket(b"dataset"), options).read_all()
            print(table.schema)
            print("Rows:", table.num_rows)
        except flight.FlightUnauthenticatedError as error:
            print(f"FlightUnauthenticatedError: {str(error).splitlines()[0]}")
        return
    client = flight.FlightClient(f"grpc://127.0.0.1:{port}")
    if command == "discover":
        for info in client.list_flights():
            print("list_flights:", describe(info))
        info = client.get_flight_info(flight.FlightDescriptor.for_path("dataset"))
        print("get_flight_info:", describe(info))
    elif command == "ticket":
        try:
            client.do_get(flight.Ticket(sys.argv[3].encode())).read_all()
            print("no error")
        except Exception as error:
            kinds = [c.__name__ for c in type(error).__mro__ if c.__name__ in ("KeyError",)]
            print(f"{type(error).__module__}.{type(error).__name__} {kinds}: {error}")
    elif command == "checksum":
        table = client.do_get(flight.Ticket(b"dataset")).read_all()
        print(f"rows={table.num_rows} sum(value)={pc.sum(table['value']).as_py()}")


if __name__ == "__main__":
    main()
