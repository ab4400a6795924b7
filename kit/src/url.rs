//! From the page's `grpc://host:port` to a gRPC endpoint.

use std::time::Duration;

use anyhow::{anyhow, bail};
use tonic::transport::Endpoint;

/// The page's server address: `flight.FlightClient("grpc://127.0.0.1:8815")`.
pub const DEFAULT_URL: &str = "grpc://127.0.0.1:8815";

/// How long to wait for the server to accept the connection (and, with
/// TLS, to complete the TLS handshake).
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the server has, once connected, to start answering a call. A
/// listener that accepts connections but never speaks HTTP/2 would
/// otherwise keep the client waiting forever.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: tuning
/// How much the server may send before we acknowledge it. HTTP/2 starts at
/// 64 KiB: at loopback speed the server would spend its time waiting for our
/// window updates. 16 MiB keeps it busy.
const WINDOW: u32 = 16 << 20;

/// The largest HTTP/2 frame we accept. The default, 16 KiB, cuts every 1 MiB
/// record batch into 64 frames; 1 MiB frames carry it in one.
const MAX_FRAME: u32 = 1 << 20;
// ANCHOR_END: tuning

/// Checks a Flight URL (`grpc://127.0.0.1:8815` or `grpc+tcp://...`) and
/// returns the endpoint to connect to. gRPC runs over HTTP/2, so tonic wants
/// the same address spelled `http://127.0.0.1:8815`.
pub fn endpoint(url: &str) -> anyhow::Result<Endpoint> {
    let address = match url.split_once("://") {
        Some(("grpc" | "grpc+tcp", address)) => address,
        Some(("grpc+tls", _)) => bail!(
            "{url} needs TLS, which this client does not set up: use grpc://HOST:PORT, or the secure client of step 5"
        ),
        _ => bail!(
            "unsupported URL '{url}': use grpc://HOST:PORT, for example {}",
            DEFAULT_URL
        ),
    };
    tuned_endpoint(
        url,
        &format!("http://{address}"),
        "grpc://HOST:PORT",
        DEFAULT_URL,
    )
}

/// The same for `grpc+tls://host:port` (`https://` for tonic), which the
/// caller gives a TLS configuration.
pub fn tls_endpoint(url: &str) -> anyhow::Result<Endpoint> {
    let example = "grpc+tls://localhost:8815";
    let Some(address) = url.strip_prefix("grpc+tls://") else {
        bail!("unsupported URL '{url}': use grpc+tls://HOST:PORT, for example {example}");
    };
    tuned_endpoint(
        url,
        &format!("https://{address}"),
        "grpc+tls://HOST:PORT",
        example,
    )
}

/// The endpoint for `uri`, with our connection settings; `form` and
/// `example` say what a good URL looks like.
fn tuned_endpoint(url: &str, uri: &str, form: &str, example: &str) -> anyhow::Result<Endpoint> {
    let endpoint = Endpoint::from_shared(uri.to_string())
        .map_err(|_| anyhow!("invalid URL '{url}': use {form}, for example {example}"))?;
    if endpoint.uri().port().is_none() {
        bail!("URL '{url}' has no port: add one, for example {example}");
    }
    Ok(endpoint
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(HANDSHAKE_TIMEOUT)
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .max_frame_size(MAX_FRAME))
}

/// The `host:port` a Flight URL names, and whether it asks for TLS.
pub(crate) fn address(url: &str) -> Option<(String, bool)> {
    let tls = url.starts_with("grpc+tls://");
    let endpoint = if tls {
        tls_endpoint(url)
    } else {
        endpoint(url)
    };
    let authority = endpoint.ok()?.uri().authority()?.to_string();
    Some((authority, tls))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(url: &str) -> String {
        endpoint(url).unwrap_err().to_string()
    }

    #[test]
    fn grpc_urls_become_http2_endpoints() {
        let endpoint = endpoint("grpc://127.0.0.1:8815").unwrap();
        assert_eq!(endpoint.uri().to_string(), "http://127.0.0.1:8815/");
        assert!(super::endpoint("grpc+tcp://localhost:1").is_ok());
    }

    #[test]
    fn other_schemes_are_refused_with_the_right_form() {
        assert_eq!(
            error("http://127.0.0.1:8815"),
            "unsupported URL 'http://127.0.0.1:8815': use grpc://HOST:PORT, for example grpc://127.0.0.1:8815"
        );
        assert!(error("127.0.0.1:8815").starts_with("unsupported URL"));
        assert!(error("grpc+tls://127.0.0.1:8815").contains("needs TLS"));
        assert!(tls_endpoint("grpc+tls://localhost:8815").is_ok());
        assert!(tls_endpoint("grpc://localhost:8815").is_err());
    }

    #[test]
    fn addresses_are_host_and_port() {
        assert_eq!(
            address("grpc://127.0.0.1:8815"),
            Some(("127.0.0.1:8815".to_string(), false))
        );
        assert_eq!(
            address("grpc+tls://[::1]:1"),
            Some(("[::1]:1".to_string(), true))
        );
        assert_eq!(address("http://127.0.0.1:8815"), None);
    }

    #[test]
    fn malformed_urls_and_missing_ports_are_refused() {
        assert!(
            error("grpc://exa mple:1").starts_with("invalid URL"),
            "{}",
            error("grpc://exa mple:1")
        );
        assert_eq!(
            error("grpc://127.0.0.1"),
            "URL 'grpc://127.0.0.1' has no port: add one, for example grpc://127.0.0.1:8815"
        );
    }
}
