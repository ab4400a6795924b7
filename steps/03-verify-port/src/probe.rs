//! The server's own account of what it serves, asked in Flight. `ss` shows
//! that *something* listens on the port; only a Flight server answers these
//! calls, the ones any Flight client makes before it reads. Yours to write:
//! `flights` (TODO(step 3)).

use anyhow::{Result, bail};
use arrow_flight::FlightClient;
use kit::discovery::Flight;

// ANCHOR: flights
/// Which flights the server has (`list_flights`), and for each what
/// `get_flight_info` (rows, bytes, endpoints) and `get_schema` (columns)
/// say. `None` when it does not describe them.
pub async fn flights(client: &mut FlightClient) -> Result<Option<Vec<Flight>>> {
    // TODO(step 3): ask the server, as any Flight client does before it
    // reads, what it serves: its flights, and for each, what get_flight_info
    // and get_schema answer. The caller prints it (kit::discovery::report).
    // Docs (FlightClient's calls, and the protocol's):
    // https://docs.rs/arrow-flight/60/arrow_flight/client/struct.FlightClient.html
    // https://arrow.apache.org/docs/format/Flight.html#downloading-data
    let _ = client;
    bail!("TODO(step 3): ask the server (steps/03-verify-port/src/probe.rs)")
}
// ANCHOR_END: flights
