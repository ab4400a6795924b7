//! Ctrl-C or SIGTERM stops the server gracefully: it stops accepting new
//! connections, lets the streams in flight finish, and exits with code 0.

use std::io;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use arrow_flight::Ticket;
use flight_client::connect;
use flight_path_tests::{start_server, url};
use futures::TryStreamExt;

/// 2M rows is 32 MB: far more than HTTP/2 lets the server send before the
/// client reads, so the stream is still in flight while we hold it.
const ROWS: usize = 2_000_000;

#[tokio::test]
async fn sigterm_lets_the_stream_in_flight_finish_then_exits_0() {
    let server = start_server(&["--rows", &ROWS.to_string()]);
    let port = server.port;
    let mut client = connect(&url(port)).await.expect("connect");
    let mut stream = client.do_get(Ticket::new("dataset")).await.expect("do_get");
    let first = stream
        .try_next()
        .await
        .expect("first batch")
        .expect("a batch");

    let stopped = tokio::task::spawn_blocking(move || server.stop());
    wait_until_refused(port);

    // The server no longer accepts connections, yet our stream goes on to the end.
    let rest: Vec<_> = stream.try_collect().await.expect("the rest of the stream");
    let rows = first.num_rows() + rest.iter().map(|b| b.num_rows()).sum::<usize>();
    assert_eq!(rows, ROWS);

    let output = stopped.await.expect("join").expect("stop");
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("Stopping: letting the streams in flight finish"),
        "{}",
        output.transcript()
    );
}

const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Polls until connecting to `port` is refused: the server has closed its
/// listening socket. A condition we wait for, not a guess at a delay.
fn wait_until_refused(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return,
            _ if Instant::now() > deadline => panic!("port {port} still accepts connections"),
            _ => std::thread::sleep(POLL_INTERVAL),
        }
    }
}
