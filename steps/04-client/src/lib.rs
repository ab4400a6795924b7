//! Step 4: an Arrow Flight client that reads the table back. Yours to write.
//!
//! ```python
//! client = flight.FlightClient("grpc://127.0.0.1:8815")
//! reader = client.do_get(flight.Ticket(b"dataset"))
//! table = reader.read_all()
//!
//! print(table.schema)
//! print("Rows:", table.num_rows)
//! ```
//!
//! Write the three functions marked TODO(step 4), then, with a server running
//! (`cargo run -p solution-02-server`, or your own step 2):
//!
//! ```text
//! cargo run -p step-04-client     # id: int64 / value: int64 / Rows: 1000
//! cargo test -p step-04-client    # the self-check (it brings its own servers)
//! cargo tutor hint 4              # hints, one at a time, if you are stuck
//! ```

use anyhow::{Result, bail};
use arrow_flight::FlightClient;
use kit::Table;
use kit::args::ClientArgs;

// ANCHOR: connect
/// `flight.FlightClient("grpc://127.0.0.1:8815")`
pub async fn connect(url: &str) -> Result<FlightClient> {
    // TODO(step 4): the page's `flight.FlightClient(url)`: a Flight client
    // connected to `url` (kit::endpoint(url) turns the page's
    // `grpc://HOST:PORT` into the endpoint tonic connects to).
    // Docs: https://docs.rs/tonic/0.14/tonic/transport/struct.Endpoint.html
    // https://docs.rs/arrow-flight/60/arrow_flight/client/struct.FlightClient.html
    // https://docs.rs/arrow-flight/60/arrow_flight/flight_service_client/
    bail!("TODO(step 4): connect to {url} (steps/04-client/src/lib.rs)")
}
// ANCHOR_END: connect

// ANCHOR: read_table
/// `client.do_get(flight.Ticket(ticket)).read_all()`
pub async fn read_table(client: &mut FlightClient, ticket: &str) -> Result<Table> {
    // TODO(step 4): the page's `client.do_get(flight.Ticket(ticket))` and
    // `reader.read_all()`: the table the server sends, as a kit::Table.
    // Docs (FlightClient's do_get, and FlightRecordBatchStream):
    // https://docs.rs/arrow-flight/60/arrow_flight/client/struct.FlightClient.html
    // https://docs.rs/arrow-flight/60/arrow_flight/decode/
    let _ = client;
    bail!("TODO(step 4): read ticket {ticket:?} (steps/04-client/src/lib.rs)")
}
// ANCHOR_END: read_table

// ANCHOR: run
/// The page's `flight_client.py`: read the table, print its schema and row count.
pub async fn run(args: ClientArgs) -> Result<()> {
    // TODO(step 4): the page's whole client: read args.ticket from args.url
    // and print what the page prints, `print(table.schema)` (kit::PyArrowSchema
    // prints a schema as pyarrow does) and `print("Rows:", table.num_rows)`.
    let mut client = connect(&args.url).await?;
    let _table = read_table(&mut client, &args.ticket).await?;
    Ok(())
}
// ANCHOR_END: run
