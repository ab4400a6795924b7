//! Step 4: an Arrow Flight client that reads the table back. Yours to write.
//!
//! ```python
//! client = flight.FlightClient("grpc://127.0.0.1:8815")
//! reader = client.do_get(flight.Ticket(b"dataset"))
//! table = reader.read_all()
//! ```
//!
//! Fill in `connect` and `read_table` (marked TODO(step 4)), then, with a
//! server running (yours from step 2, or `cargo run -p solution-02-server`):
//!
//! ```text
//! cargo run -p step-04-client     # id: int64 / value: int64 / Rows: 1000
//! cargo test -p step-04-client    # the self-check (it starts its own server)
//! cargo tutor hint 4              # if you are stuck
//! ```

use anyhow::anyhow;
use arrow_flight::FlightClient;
use page_table::Table;

// Given: turning `grpc://host:port` into a tonic Endpoint, and one-line
// explanations of connection and Flight errors.
pub use reference_client::{DEFAULT_URL, endpoint, explain, explain_connect, tls_endpoint};

// ANCHOR: connect
/// `flight.FlightClient("grpc://127.0.0.1:8815")`
pub async fn connect(url: &str) -> anyhow::Result<FlightClient> {
    // TODO(step 4): endpoint(url)? gives a tonic Endpoint; `.connect().await`
    // opens the channel (map its error with explain_connect(url, &error)).
    // Wrap the channel in a FlightServiceClient whose max_decoding_message_size
    // is raised (tonic refuses messages over 4 MiB), then in a FlightClient
    // with FlightClient::new_from_inner.
    Err(anyhow!(
        "TODO(step 4): connect to {url} (steps/04-client/src/lib.rs; book chapter \"Step 4: Connect with a Flight client\")"
    ))
}
// ANCHOR_END: connect

// ANCHOR: read_table
/// `client.do_get(flight.Ticket(ticket)).read_all()`
pub async fn read_table(client: &mut FlightClient, ticket: &str) -> anyhow::Result<Table> {
    // TODO(step 4): client.do_get(Ticket::new(...)) gives a stream of record
    // batches (map Flight errors with explain); collect them, then take the
    // schema from the stream (it arrives first, even for an empty table).
    let _ = (client, ticket);
    Err(anyhow!("TODO(step 4): read the table with do_get"))
}
// ANCHOR_END: read_table
