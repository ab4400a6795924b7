//! The server's own account of what it serves, asked in Flight. `ss` shows
//! that *something* listens on the port; only a Flight server answers these
//! calls, the ones any Flight client makes before it reads.

use std::sync::Arc;

use anyhow::{Context, Result};
use arrow_flight::error::FlightError;
use arrow_flight::{FlightClient, FlightInfo};
use futures::{TryFutureExt, TryStreamExt};
use kit::discovery::Flight;
use tonic::Code;

// ANCHOR: flights
/// Which flights the server has (`list_flights`), and for each what
/// `get_flight_info` (rows, bytes, endpoints) and `get_schema` (columns)
/// say. `None` when it does not describe them.
pub async fn flights(client: &mut FlightClient) -> Result<Option<Vec<Flight>>> {
    // ANCHOR: hint_list
    // The answer is a stream of FlightInfo; empty criteria ask for them all.
    let listed: Result<Vec<FlightInfo>, FlightError> = client
        .list_flights(Vec::new())
        .and_then(|answer| answer.try_collect())
        .await;
    // ANCHOR_END: hint_list
    let listed = match listed {
        Ok(listed) => listed,
        // The page's own pyarrow server inherits "not implemented" for the
        // calls that describe flights: still an answer, in Flight's protocol.
        Err(FlightError::Tonic(status)) if status.code() == Code::Unimplemented => {
            return Ok(None);
        }
        // Anything else proves nothing: say what happened (kit::explain also
        // tells the caller when the peer did not answer in gRPC at all).
        Err(error) => return Err(kit::explain(error)),
    };
    let mut flights = Vec::new();
    for listed in listed {
        // A listing may be brief: its descriptor is how to ask for the rest.
        let descriptor = listed
            .flight_descriptor
            .clone()
            .context("the server listed a flight without a descriptor")?;
        // ANCHOR: hint_info
        let info = client
            .get_flight_info(descriptor.clone())
            .await
            .map_err(kit::explain)?;
        // ANCHOR_END: hint_info
        let schema = client.get_schema(descriptor).await.map_err(kit::explain)?;
        flights.push(Flight {
            info,
            schema: Arc::new(schema),
        });
    }
    Ok(Some(flights))
}
// ANCHOR_END: flights
