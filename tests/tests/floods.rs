//! The heavy tests: bursts and floods against the reference server, too
//! long for a plain `cargo test` and for an emulated Arm64 run. CI runs them
//! on x86-64, in a step of their own:
//! `cargo test -p flight-path-tests --test floods -- --ignored`.
//!
//! Real processes on loopback, as in `hardening.rs`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use bytes::Bytes;
use flight_path_tests::{run_python, start_server};

mod grpc_by_hand;

/// The burst: this many pyarrow clients at once, each holding its
/// connection this long after reading the table: four times the server's
/// 256 places, held long enough that most clients must wait for one.
const BURST_CLIENTS: &str = "1000";
const HOLD_SECONDS: &str = "5";

#[test]
#[ignore = "heavy: 1000 pyarrow clients, twice (about a minute); CI runs it on x86-64"]
fn a_burst_of_a_thousand_clients_holding_their_connections_is_served_in_full_twice() {
    let server = start_server(&[]);
    let port = server.port.to_string();
    for burst in ["first", "second"] {
        let output = run_python("burst.py", &[&port, BURST_CLIENTS, HOLD_SECONDS]);
        eprintln!("{burst} burst: {}", output.stdout.trim());
        assert_eq!(
            output.code,
            Some(0),
            "{burst} burst: {}",
            output.transcript()
        );
    }
    let stopped = server.stop().expect("stop");
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    // Real clients are never closed to make room: they wait.
    assert!(
        !stopped.stderr.contains("to make room"),
        "{}",
        stopped.stderr
    );
}

/// HTTP/2's rapid reset: connections that open calls and cancel them at
/// once, in a loop.
const RESET_CONNECTIONS: usize = 50;
const RESETS_PER_CONNECTION: usize = 40;

/// A table far larger than what a client may receive before it reads: no
/// stream can end before the client cancels it.
const RESET_TABLE_ROWS: &str = "2000000";

/// At most this many lines on stderr for the whole flood: "a few".
const FEW_LINES: usize = 10;

#[tokio::test]
#[ignore = "heavy: 50 connections of rapid resets; CI runs it on x86-64"]
async fn a_flood_of_rapid_resets_writes_a_few_lines_of_log() {
    let server = start_server(&["--rows", RESET_TABLE_ROWS]);
    let port = server.port;
    let floods: Vec<_> = (0..RESET_CONNECTIONS)
        .map(|_| tokio::spawn(rapid_resets(port)))
        .collect();
    for flood in floods {
        flood.await.expect("join");
    }
    let stopped = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("join")
        .expect("stop");
    eprintln!("{}", stopped.stderr);
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    let lines = stopped.stderr.lines().count();
    assert!(lines <= FEW_LINES, "{lines} lines:\n{}", stopped.stderr);
}

/// One connection: do_get after do_get, each cancelled as soon as sent or
/// has begun, until the server has had enough and closes the connection.
async fn rapid_resets(port: u16) {
    let (mut client, connection) = grpc_by_hand::connect(port).await;
    for call in 0..RESETS_PER_CONNECTION {
        client = match client.ready().await {
            Ok(ready) => ready,
            Err(_) => return, // the server closed the connection
        };
        let request = grpc_by_hand::request(port, "DoGet");
        let Ok((response, mut send)) = client.send_request(request, false) else {
            break;
        };
        if send
            .send_data(Bytes::from_static(grpc_by_hand::DO_GET_DATASET), true)
            .is_err()
        {
            break;
        }
        // Dropping both handles cancels the call: RST_STREAM. Half of the
        // calls at once, half once their stream has begun.
        if call % 2 == 1
            && let Ok(response) = response.await
        {
            let _ = response.into_body().data().await;
        }
        drop(send);
    }
    drop(client);
    // The connection ends: the server's GOAWAY, or ours once all is sent.
    let _ = connection.await;
}

/// Longer than the server's pings take to give up on a client (a minute of
/// silence, then 20 seconds for the answer): only a bound.
const PINGS_GIVE_UP_WITHIN: Duration = Duration::from_secs(150);

#[test]
#[ignore = "heavy: waits for the server's pings to give up (80 s); CI runs it on x86-64"]
fn a_client_gone_silent_mid_stream_is_logged_as_closed_by_the_server() {
    let server = start_server(&["--rows", RESET_TABLE_ROWS]);
    let mut socket = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    // One do_get, by hand, then not a byte more: no window update, no
    // answer to pings. As a client whose program hangs.
    socket
        .write_all(&do_get_by_hand(server.port))
        .expect("send the call");
    // The server closes the connection: we read its end (what it sent
    // before is thrown away), and wait no longer than the bound.
    socket
        .set_read_timeout(Some(PINGS_GIVE_UP_WITHIN))
        .expect("a read timeout");
    let mut sent = Vec::new();
    socket
        .read_to_end(&mut sent)
        .expect("the server closes the connection in time");

    let stopped = server.stop().expect("stop");
    let cut: Vec<_> = stopped
        .stderr
        .lines()
        .filter(|line| line.contains("before the end of"))
        .collect();
    assert_eq!(cut.len(), 1, "{}", stopped.stderr);
    assert!(
        cut[0].contains("the server closed the connection")
            && cut[0].contains("not even an answer to its pings"),
        "{}",
        cut[0]
    );
}

/// An HTTP/2 connection's first bytes with one call, `DoGet(b"dataset")`:
/// the preface, an empty SETTINGS frame, the request's headers (HPACK
/// literals, no compression) and its message.
fn do_get_by_hand(port: u16) -> Vec<u8> {
    fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
        let length = u32::try_from(payload.len())
            .expect("a small frame")
            .to_be_bytes();
        let mut frame = vec![length[1], length[2], length[3], kind, flags];
        frame.extend_from_slice(&stream.to_be_bytes());
        frame.extend_from_slice(payload);
        frame
    }
    const DATA: u8 = 0x0;
    const HEADERS: u8 = 0x1;
    const SETTINGS: u8 = 0x4;
    const END_STREAM: u8 = 0x1;
    const END_HEADERS: u8 = 0x4;
    let authority = format!("127.0.0.1:{port}");
    let mut headers = Vec::new();
    for (name, value) in [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", "/arrow.flight.protocol.FlightService/DoGet"),
        (":authority", authority.as_str()),
        ("content-type", "application/grpc"),
        ("te", "trailers"),
    ] {
        // A literal header field without indexing, with a new name.
        headers.push(0);
        for text in [name, value] {
            headers.push(u8::try_from(text.len()).expect("a short header"));
            headers.extend_from_slice(text.as_bytes());
        }
    }
    let mut bytes = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    bytes.extend(frame(SETTINGS, 0, 0, &[]));
    bytes.extend(frame(HEADERS, END_HEADERS, 1, &headers));
    bytes.extend(frame(DATA, END_STREAM, 1, grpc_by_hand::DO_GET_DATASET));
    bytes
}
