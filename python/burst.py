"""A burst of pyarrow clients at once, as the hardening tests send it.

    python burst.py PORT CLIENTS HOLD_SECONDS

Each client, in a thread of its own, reads the table with do_get, keeps its
connection open for HOLD_SECONDS, then closes it. Prints how many clients
read the whole table, and the first error of those that failed; exits 1 if
any failed.
"""
import resource
import sys
import threading
import time

import pyarrow.flight as flight


def main():
    port, clients, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    # One socket a client, and the interpreter's own: more than the usual 1024.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    errors = []
    lock = threading.Lock()

    def one_client():
        try:
            client = flight.FlightClient(f"grpc://127.0.0.1:{port}")
            table = client.do_get(flight.Ticket(b"dataset")).read_all()
            if table.num_rows != 1000:
                raise RuntimeError(f"read {table.num_rows} rows, not 1000")
            time.sleep(hold)
            client.close()
        except Exception as error:  # noqa: BLE001: every failure counts
            with lock:
                errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"clients={clients} served={clients - len(errors)} failed={len(errors)}")
    if errors:
        print(f"first error: {errors[0]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
