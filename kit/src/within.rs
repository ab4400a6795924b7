//! A client that never hangs, and says what it met: the whole read has a
//! deadline, and when the connection fails before any gRPC answer, a second
//! look at the port tells a web server or a TLS server from a Flight server.

use std::future::Future;
use std::time::Duration;

use anyhow::anyhow;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::errors::NoGrpcAnswer;

/// How long the second look may take.
const LOOK_TIMEOUT: Duration = Duration::from_secs(2);

/// What an HTTP/2 client sends first.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The most of an answer we read, and show.
const LOOK_BYTES: usize = 64;

/// Runs `read` (connecting and reading, say) for at most `timeout`, the
/// client's `--timeout`. When it fails because the connection failed before
/// the server said anything in gRPC, looks at what answers at `url`: a web
/// server, a TLS server for a plaintext client, or the reverse; and says so.
pub async fn within<T>(
    timeout: Duration,
    url: &str,
    read: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    let Ok(result) = tokio::time::timeout(timeout, read).await else {
        return Err(anyhow!(
            "no complete answer from {url} within {timeout:?} (the call timeout): the server or the network stalled (a large table may need a longer --timeout)"
        ));
    };
    match result {
        Err(error) if error.is::<NoGrpcAnswer>() => match second_look(url).await {
            Some(better) => Err(better),
            None => Err(error),
        },
        other => other,
    }
}

/// What the server at `url` turns out to be, when it is not what `url`
/// says; None when it is, or we cannot tell.
async fn second_look(url: &str) -> Option<anyhow::Error> {
    let (address, tls) = crate::url::address(url)?;
    match (greet(&address).await?, tls) {
        (Peer::Http1(line), _) => Some(anyhow!(
            "{url} is not a gRPC server: it answered in HTTP/1 (\"{line}\"), and Arrow Flight speaks gRPC, over HTTP/2"
        )),
        (Peer::Text(line), _) => Some(anyhow!(
            "{url} is not a gRPC server: it answered in text (\"{line}\"), and Arrow Flight speaks gRPC, over HTTP/2"
        )),
        (Peer::Tls, false) => Some(anyhow!(
            "the server at {url} wants TLS: connect with grpc+tls://HOST:PORT and its certificate (the client of step 5)"
        )),
        (Peer::Http2, true) => Some(anyhow!(
            "the server at {url} does not speak TLS: connect with grpc://HOST:PORT (the client of step 4)"
        )),
        _ => None,
    }
}

/// What answered.
#[derive(Debug, PartialEq)]
enum Peer {
    /// A web server, with the first line of its answer.
    Http1(String),
    /// Another server that answers in text (an SSH server, a web server that
    /// answers HTTP/2 with a page and no status line), with its first line.
    Text(String),
    /// A TLS server: it answers a plaintext greeting with an alert.
    Tls,
    /// An HTTP/2 server, gRPC's transport: its first frame is its settings.
    Http2,
}

/// Greets `address` as an HTTP/2 client does, and reads the first bytes of
/// the answer: enough to tell who answered, within [`LOOK_TIMEOUT`].
async fn greet(address: &str) -> Option<Peer> {
    let deadline = Instant::now() + LOOK_TIMEOUT;
    let mut stream = tokio::time::timeout_at(deadline, TcpStream::connect(address))
        .await
        .ok()?
        .ok()?;
    // One write: a TLS server reads it whole, then answers with an alert.
    tokio::time::timeout_at(deadline, stream.write_all(PREFACE))
        .await
        .ok()?
        .ok()?;
    let mut answer = Vec::new();
    let mut buf = [0u8; LOOK_BYTES];
    while answer.len() < LOOK_BYTES {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => answer.extend_from_slice(&buf[..n]),
            _ => break, // the end, an error, or the deadline: judge what we have
        }
        if let Some(peer) = recognise(&answer, false) {
            return Some(peer);
        }
    }
    recognise(&answer, true)
}

/// Who sent `answer`; None if it is too short to tell yet (`whole`: there
/// is no more), or if it is no one we know.
fn recognise(answer: &[u8], whole: bool) -> Option<Peer> {
    if answer.starts_with(b"HTTP/1.") {
        let line = answer.split(|&b| b == b'\r' || b == b'\n').next()?;
        let line_ended = line.len() < answer.len();
        return (line_ended || whole).then(|| Peer::Http1(line.escape_ascii().to_string()));
    }
    match answer {
        // A TLS record: alert (21) or handshake (22), version 3.x.
        [21 | 22, 3, ..] => Some(Peer::Tls),
        // An HTTP/2 frame: 3 bytes of length, type 4 (SETTINGS), flags, stream 0.
        [_, _, _, 4, _, 0, 0, 0, 0, ..] => Some(Peer::Http2),
        _ => text_line(answer, whole).map(Peer::Text),
    }
}

/// The first line of `answer` if it is printable text, once it has ended
/// (or there is no more).
fn text_line(answer: &[u8], whole: bool) -> Option<String> {
    let line = answer.split(|&b| b == b'\r' || b == b'\n').next()?;
    let ended = line.len() < answer.len() || whole;
    let text = !line.is_empty() && line.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
    (ended && text).then(|| String::from_utf8_lossy(line).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_tls_and_http2_servers_are_told_apart_by_their_first_bytes() {
        assert_eq!(
            recognise(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n", false),
            Some(Peer::Http1("HTTP/1.1 400 Bad Request".to_string()))
        );
        assert_eq!(recognise(b"HTTP/1.1 400 Bad", false), None);
        assert_eq!(
            recognise(b"HTTP/1.1 400 Bad", true),
            Some(Peer::Http1("HTTP/1.1 400 Bad".to_string()))
        );
        // rustls's alert for a greeting that is not TLS: decode error.
        assert_eq!(recognise(&[21, 3, 3, 0, 2, 2, 50], true), Some(Peer::Tls));
        // tonic's first frame: SETTINGS, 6 bytes long.
        let settings = [0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100];
        assert_eq!(recognise(&settings, false), Some(Peer::Http2));
        assert_eq!(recognise(&settings[..5], false), None);
        assert_eq!(
            recognise(b"SSH-2.0-OpenSSH_9.6\r\n", false),
            Some(Peer::Text("SSH-2.0-OpenSSH_9.6".to_string()))
        );
        // Python's http.server answers HTTP/2's greeting with a page alone.
        assert_eq!(
            recognise(b"<!DOCTYPE HTML>\n<html lang=", false),
            Some(Peer::Text("<!DOCTYPE HTML>".to_string()))
        );
        assert_eq!(recognise(b"<!DOCTYPE", false), None);
        assert_eq!(recognise(&[0, 1, 2, b'\n'], true), None);
    }

    #[tokio::test]
    async fn the_deadline_covers_the_whole_read() {
        let never = std::future::pending::<anyhow::Result<()>>();
        let error = within(Duration::from_millis(10), "grpc://127.0.0.1:1", never)
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("within 10ms (the call timeout)"), "{error}");
    }
}
