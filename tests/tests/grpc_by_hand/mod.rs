//! gRPC calls made by hand over HTTP/2 (the `h2` crate), for the tests that
//! must do what a gRPC client never does: cancel calls in a loop, or drop a
//! connection with no word of HTTP/2.

use bytes::Bytes;
use h2::client::SendRequest;
use tokio::task::JoinHandle;

/// The message of `DoGet(Ticket(b"dataset"))`: gRPC's 5-byte prefix (not
/// compressed, 9 bytes long), then the Ticket: field 1, 7 bytes.
pub const DO_GET_DATASET: &[u8] = b"\0\0\0\0\x09\x0a\x07dataset";

/// An HTTP/2 connection to the server on `port`, and its task, which ends
/// when the connection does.
pub async fn connect(port: u16) -> (SendRequest<Bytes>, JoinHandle<Result<(), h2::Error>>) {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let (client, connection) = h2::client::handshake(tcp).await.expect("HTTP/2");
    (client, tokio::spawn(connection))
}

/// The headers of a call of `method` (`DoGet`, `ListFlights`...) of the
/// Flight service on `port`.
pub fn request(port: u16, method: &str) -> http::Request<()> {
    http::Request::post(format!(
        "http://127.0.0.1:{port}/arrow.flight.protocol.FlightService/{method}"
    ))
    .header("content-type", "application/grpc")
    .header("te", "trailers")
    .body(())
    .expect("a request")
}
