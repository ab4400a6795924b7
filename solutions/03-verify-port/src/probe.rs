//! Asking the listener a Flight question. `ss` only shows that *something*
//! listens on the port; an answer in Flight's own protocol shows that it is
//! an Arrow Flight server.

use std::time::Duration;

use anyhow::anyhow;
use arrow_flight::error::FlightError;
use arrow_flight::{FlightClient, FlightInfo};
use futures::{TryFutureExt, TryStreamExt};
use kit::discovery::describe;
use kit::{explain, explain_connect};
use tonic::Code::Unimplemented;

// ANCHOR: probe
/// Asks the server at `url` which flights it has (`list_flights`) and
/// describes its answer: `1 flight, "dataset" (1000 rows)`. An error when
/// it gives no Flight answer within `timeout`.
pub async fn probe(url: &str, timeout: Duration) -> anyhow::Result<String> {
    let ask = async {
        let channel = kit::endpoint(url)?
            .connect()
            .await
            .map_err(|error| explain_connect(url, &error))?;
        let mut client = FlightClient::new(channel);
        // The answer is a stream of FlightInfo; an empty criteria asks for all.
        // ANCHOR: hint_list_flights
        let flights: Result<Vec<FlightInfo>, FlightError> = client
            .list_flights(Vec::new())
            .and_then(|answer| answer.try_collect())
            .await;
        // ANCHOR_END: hint_list_flights
        match flights {
            Ok(flights) => Ok(describe(&flights)),
            // A Flight server may choose not to list its flights (the page's
            // Python server does not): its "not implemented" is still an
            // answer in Flight's protocol.
            Err(FlightError::Tonic(status)) if status.code() == Unimplemented => {
                Ok("it does not list its flights".to_string())
            }
            // Anything else (a closed connection, an answer that is not
            // gRPC) proves nothing: say what happened.
            Err(error) => Err(explain(error)),
        }
    };
    // Something that accepts connections and never answers would keep us
    // waiting forever: give up after `timeout`.
    tokio::time::timeout(timeout, ask)
        .await
        .map_err(|_| anyhow!("no answer within {timeout:?}"))?
}
// ANCHOR_END: probe
