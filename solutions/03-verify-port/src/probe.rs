//! Asking the listener a Flight question. `ss` only shows that *something*
//! listens on the port; an answer in Flight's own protocol shows that it is
//! an Arrow Flight server.

use std::time::Duration;

use anyhow::anyhow;
use arrow_flight::error::FlightError;
use arrow_flight::{FlightClient, FlightDescriptor, FlightInfo};
use futures::TryStreamExt;
use kit::{explain, explain_connect};
use tonic::Code;

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
        let flights: Result<Vec<FlightInfo>, FlightError> =
            async { client.list_flights(Vec::new()).await?.try_collect().await }.await;
        match flights {
            Ok(flights) => Ok(describe(&flights)),
            // A Flight server may choose not to list its flights (the page's
            // Python server does not): its "not implemented" is still an
            // answer in Flight's protocol.
            Err(FlightError::Tonic(status)) if status.code() == Code::Unimplemented => {
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

/// `1 flight, "dataset" (1000 rows)`: how many flights, each by name and rows.
pub fn describe(flights: &[FlightInfo]) -> String {
    let names: Vec<String> = flights
        .iter()
        .map(|info| {
            let name = info
                .flight_descriptor
                .as_ref()
                .map_or_else(|| "?".to_string(), name);
            format!("\"{name}\" ({} rows)", info.total_records)
        })
        .collect();
    let count = match flights.len() {
        1 => "1 flight".to_string(),
        n => format!("{n} flights"),
    };
    if names.is_empty() {
        count
    } else {
        format!("{count}, {}", names.join(", "))
    }
}

/// A flight's name: its path (`["dataset"]`), or else its command's bytes.
fn name(descriptor: &FlightDescriptor) -> String {
    if descriptor.path.is_empty() {
        String::from_utf8_lossy(&descriptor.cmd).into_owned()
    } else {
        descriptor.path.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flights_are_described_by_name_and_rows() {
        let info = FlightInfo::new()
            .with_descriptor(FlightDescriptor::new_path(vec!["dataset".into()]))
            .with_total_records(1000);
        assert_eq!(describe(&[info]), "1 flight, \"dataset\" (1000 rows)");
        assert_eq!(describe(&[]), "0 flights");
    }
}
