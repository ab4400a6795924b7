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
            code => anyhow!("the server answered {code:?}: {}", status.message()),
        },
        other => anyhow!("cannot read the table: {other}"),
    }
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
    fn statuses_are_reported_with_code_and_message() {
        let error = FlightError::Tonic(Box::new(tonic::Status::not_found("unknown ticket \"x\"")));
        assert_eq!(
            explain(error).to_string(),
            "the server answered NotFound: unknown ticket \"x\""
        );
    }
}
