//! Asking the listener a Flight question. `ss` only shows that *something*
//! listens; a `list_flights` call shows that it is an Arrow Flight server.

use std::time::Duration;

use anyhow::anyhow;
use arrow_flight::error::FlightError;
use arrow_flight::{FlightDescriptor, FlightInfo};
use flight_client::{connect, explain};
use futures::TryStreamExt;
use tonic::Code;

// ANCHOR: probe
/// Calls `list_flights` on `url` and describes the answer: `1 flight, "dataset" (1000 rows)`.
pub async fn probe(url: &str, timeout: Duration) -> anyhow::Result<String> {
    let ask = async {
        let mut client = connect(url).await?;
        let flights: Result<Vec<FlightInfo>, FlightError> =
            async { client.list_flights(Vec::new()).await?.try_collect().await }.await;
        match flights {
            Ok(flights) => Ok(describe(&flights)),
            // A Flight server may choose not to list its flights (the page's
            // Python server does not): it still answered in Flight's protocol.
            Err(FlightError::Tonic(status)) if status.code() == Code::Unimplemented => {
                Ok("it does not list its flights".to_string())
            }
            Err(error) => Err(explain(error)),
        }
    };
    tokio::time::timeout(timeout, ask)
        .await
        .map_err(|_| anyhow!("no answer within {timeout:?}"))?
}
// ANCHOR_END: probe

/// `1 flight, "dataset" (1000 rows)`
fn describe(flights: &[FlightInfo]) -> String {
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
