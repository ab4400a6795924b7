//! One clear line for each way reading the table can fail.

use std::error::Error;
use std::io;

use anyhow::anyhow;
use arrow_flight::error::FlightError;
use tonic::Code;

/// Why we could not connect, and what to do about it.
pub fn explain_connect(url: &str, error: &tonic::transport::Error) -> anyhow::Error {
    let refused = sources(error).any(|source| {
        source
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::ConnectionRefused)
    });
    if refused {
        return anyhow!(
            "cannot connect to {url} (is the server running? start it in another terminal, for example with cargo run -p solution-02-server)"
        );
    }
    // The innermost error says what happened: a DNS failure, a timeout, ...
    let cause = sources(error)
        .last()
        .map_or_else(|| error.to_string(), ToString::to_string);
    anyhow!("cannot connect to {url}: {cause}")
}

/// A failed Flight call as one line: the server's status and its message.
pub fn explain(error: FlightError) -> anyhow::Error {
    match error {
        FlightError::Tonic(status) => match status.code() {
            // Failures of the connection itself come as Unknown or Unavailable with a
            // vague message ("transport error"); the innermost cause says what happened.
            Code::Unknown | Code::Unavailable if status.source().is_some() => {
                let cause = sources(&*status)
                    .last()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                anyhow!("the connection failed: {cause}")
            }
            Code::Unavailable | Code::Cancelled => {
                anyhow!("the connection failed: {}", status.message())
            }
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
        },
        other => anyhow!("cannot read the table: {other}"),
    }
}

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
}
