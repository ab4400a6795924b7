//! One clear line for each way reading the table can fail.

use std::error::Error;
use std::fmt;
use std::io;

use anyhow::anyhow;
use arrow_flight::error::FlightError;
use tonic::{Code, TimeoutExpired};

use crate::url::{CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT};

/// Why we could not connect, and what to do about it.
pub fn explain_connect(url: &str, error: &tonic::transport::Error) -> anyhow::Error {
    let kind_is = |kind| {
        sources(error).any(|source| {
            source
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == kind)
        })
    };
    if kind_is(io::ErrorKind::ConnectionRefused) {
        return anyhow!(
            "cannot connect to {url} (is the server running? start it in another terminal, for example with cargo run -p solution-02-server)"
        );
    }
    if kind_is(io::ErrorKind::TimedOut) {
        return anyhow!(
            "cannot connect to {url}: no answer within {CONNECT_TIMEOUT:?} (the connect timeout; is the address right, and the port open in the server's firewall?)"
        );
    }
    // The innermost error says what happened: a DNS failure, a TLS error, ...
    anyhow::Error::new(NoGrpcAnswer(format!(
        "cannot connect to {url}: {}",
        innermost(error)
    )))
}

/// A failed Flight call as one line: the server's status and its message.
pub fn explain(error: FlightError) -> anyhow::Error {
    let FlightError::Tonic(status) = error else {
        return anyhow!("cannot read the table: {error}");
    };
    if sources(&*status).any(|source| source.is::<TimeoutExpired>()) {
        return anyhow!(
            "the server accepted the connection but did not answer within {HANDSHAKE_TIMEOUT:?} (the handshake timeout): it is not an Arrow Flight server, or it is stuck"
        );
    }
    // A status with a source was made here, from a failure of the connection
    // itself (the server's statuses come without one); tonic's message is
    // vague ("transport error"), the innermost cause says what happened.
    if status.source().is_some() {
        return anyhow::Error::new(NoGrpcAnswer(format!(
            "the connection failed: {}",
            innermost(&*status)
        )));
    }
    match status.code() {
        // The connection broke before any gRPC answer: a peer that speaks
        // something else breaks HTTP/2 at its first frame ("frame with invalid
        // size"), so this too is worth kit::within's second look.
        Code::Unavailable | Code::Cancelled => anyhow::Error::new(NoGrpcAnswer(format!(
            "the connection failed: {}",
            status.message()
        ))),
        // tonic's decoder refuses a message over the client's limit with
        // OutOfRange: the client said no, not the server.
        Code::OutOfRange
            if status
                .message()
                .contains("decoded message length too large") =>
        {
            too_large(status.message())
        }
        code => anyhow!("the server answered {code:?}: {}", status.message()),
    }
}

/// The connection failed before the server said anything in gRPC: maybe
/// it speaks something else. `kit::within` takes a second look.
#[derive(Debug)]
pub(crate) struct NoGrpcAnswer(String);

impl fmt::Display for NoGrpcAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for NoGrpcAnswer {}

/// tonic says "found 16000193 bytes, the limit is: 4194304 bytes".
fn too_large(message: &str) -> anyhow::Error {
    let numbers: Vec<&str> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    let sizes = match numbers[..] {
        [found, limit] => format!(" ({found} bytes, over its limit of {limit})"),
        _ => String::new(),
    };
    anyhow!(
        "this client refused a message from the server as too large{sizes}: a Flight client must take large messages (raise its decoding limit, max_decoding_message_size)"
    )
}

/// The last error of the chain: the one that says what really happened.
fn innermost(error: &(dyn Error + 'static)) -> String {
    sources(error)
        .last()
        .map_or_else(|| error.to_string(), ToString::to_string)
}

fn sources<'a>(
    error: &'a (dyn Error + 'static),
) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(error), |e| (*e).source())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_over_the_client_limit_is_the_client_refusing() {
        let status = tonic::Status::out_of_range(
            "Error, decoded message length too large: found 16000193 bytes, the limit is: 4194304 bytes",
        );
        assert_eq!(
            explain(FlightError::Tonic(Box::new(status))).to_string(),
            "this client refused a message from the server as too large (16000193 bytes, over its limit of 4194304): a Flight client must take large messages (raise its decoding limit, max_decoding_message_size)"
        );
    }

    #[test]
    fn statuses_are_reported_with_code_and_message() {
        let error = FlightError::Tonic(Box::new(tonic::Status::not_found("unknown ticket \"x\"")));
        assert_eq!(
            explain(error).to_string(),
            "the server answered NotFound: unknown ticket \"x\""
        );
    }

    #[test]
    fn failures_of_the_connection_name_their_cause_and_ask_for_a_second_look() {
        let broken = io::Error::new(io::ErrorKind::BrokenPipe, "stream closed");
        let status = tonic::Status::from_error(Box::new(broken));
        let error = explain(FlightError::Tonic(Box::new(status)));
        assert_eq!(error.to_string(), "the connection failed: stream closed");
        assert!(error.is::<NoGrpcAnswer>());
    }

    /// A listener that accepts connections and never says a word.
    fn silent_listener() -> std::net::SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("an address");
        std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().collect();
            drop(held);
        });
        address
    }

    /// The client's side of `tests/hardening.rs`'s silent listener, with the
    /// handshake timeout shortened from its 10 s: tonic's real error for it
    /// is recognised, and named.
    #[tokio::test]
    async fn a_listener_that_never_answers_is_the_handshake_timeout() {
        let url = format!("grpc://{}", silent_listener());
        let channel = crate::endpoint(&url)
            .expect("a good URL")
            .timeout(std::time::Duration::from_millis(100))
            .connect()
            .await
            .expect("the listener accepts the connection");
        let mut client = arrow_flight::FlightClient::new(channel);
        let Err(error) = client.do_get(arrow_flight::Ticket::new("dataset")).await else {
            panic!("an answer from a silent listener");
        };
        let error = explain(error).to_string();
        assert!(error.contains("(the handshake timeout)"), "{error}");
    }
}
