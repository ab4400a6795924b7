//! Asking the listener a Flight question. `ss` only shows that *something*
//! listens on the port; an answer in Flight's own protocol shows that it is
//! an Arrow Flight server. Yours to write: `probe` (TODO(step 3)). Given:
//! `kit::discovery::describe`, which words the answer.

use std::time::Duration;

// ANCHOR: probe
/// Asks the server at `url` which flights it has (`list_flights`) and
/// describes its answer: `1 flight, "dataset" (1000 rows)`. An error when
/// it gives no Flight answer within `timeout`.
pub async fn probe(url: &str, timeout: Duration) -> anyhow::Result<String> {
    // TODO(step 3): something listens on the port; prove it is an Arrow
    // Flight server by asking it a Flight question, as the page's client
    // will, over gRPC.
    // - The question: which flights do you have (`list_flights`)? Describe
    //   the answer with `kit::discovery::describe`: `1 flight, "dataset"
    //   (1000 rows)`.
    // - A Flight server may choose not to list its flights (the page's
    //   Python server does not): its UNIMPLEMENTED status is still an answer
    //   in Flight's protocol, described as `it does not list its flights`.
    //   Any other failure proves nothing: return it as the error
    //   (kit::explain words a failed Flight call in one line).
    // - Something may accept connections and never answer: give up with an
    //   error once `timeout` has passed, instead of waiting forever.
    // Given, if you want them: kit::endpoint (from grpc://host:port to a
    // gRPC endpoint) and kit::explain_connect (why a connection failed).
    // Docs (FlightClient's list_flights, Endpoint, Status, timeout):
    // https://docs.rs/arrow-flight/60/arrow_flight/client/struct.FlightClient.html
    //       https://docs.rs/tonic/0.14/tonic/transport/struct.Endpoint.html
    //       https://docs.rs/tonic/0.14/tonic/struct.Status.html
    //       https://docs.rs/tokio/1/tokio/time/fn.timeout.html
    let _ = (url, timeout);
    anyhow::bail!("TODO(step 3): write probe (steps/03-verify-port/src/probe.rs)")
}
// ANCHOR_END: probe
