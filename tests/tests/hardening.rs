//! Safe on an open port: the server against idle sockets and readers that
//! stop, the client against peers that are not what it expects. Real
//! processes on loopback; each test is bounded by a timeout of the program
//! under test (the client's --timeout, the server's grace period), never by
//! a sleep of ours.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use arrow_flight::Ticket;
use bytes::Bytes;
use checks::step5::SecureServer;
use flight_client::connect;
use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, redactions, run, start_server, url};
use futures::TryStreamExt;
use harness::{Output, Server};
use insta::assert_snapshot;

mod grpc_by_hand;

/// The server's soft and hard limit of open files in the flood test: a
/// quarter of the common 1024, to keep the test small.
const OPEN_FILES: usize = 256;

/// Idle sockets held against that server: twice what it can open.
const IDLE_SOCKETS: usize = 2 * OPEN_FILES;

/// The client's --timeout where a test waits for it to run out: short, so
/// that the test is quick.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(1);

/// The client's --timeout where the test expects another failure first: only
/// a bound.
const CLIENT_BOUND: Duration = Duration::from_secs(5);

/// Slack for starting processes on a busy machine.
const SLACK: Duration = Duration::from_secs(5);

/// The reference server with at most `OPEN_FILES` open files, soft and hard
/// (it raises its soft limit to the hard one at start).
fn start_server_with_few_files(extra: &[&str]) -> Server {
    let script = format!("ulimit -n {OPEN_FILES} && exec \"$0\" \"$@\"");
    let server_bin = bin("solution-02-server").to_str().expect("a UTF-8 path");
    let mut args = vec![
        "-c",
        &script,
        server_bin,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
    ];
    args.extend_from_slice(extra);
    let server = Server::start(Path::new("/bin/sh"), &args).expect("the server starts");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.pid()))
        .expect("the server's limits");
    let open_files = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .expect("a line for open files");
    let numbers: Vec<&str> = open_files.split_whitespace().skip(3).take(2).collect();
    let expected = OPEN_FILES.to_string();
    assert_eq!(numbers, [&expected, &expected], "{open_files}");
    server
}

/// `count` connections that never say a word, held until dropped.
fn idle_sockets(port: u16, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            TcpStream::connect(("127.0.0.1", port)).expect("connect (the listen queue holds 4096)")
        })
        .collect()
}

/// Lines of `stderr` that contain `text`.
fn lines_with<'a>(stderr: &'a str, text: &str) -> Vec<&'a str> {
    stderr.lines().filter(|line| line.contains(text)).collect()
}

/// Runs the page's client against `port` with --timeout `timeout`; returns
/// its output and how long it took.
fn client(port: u16, timeout: Option<Duration>) -> (Output, Duration) {
    let url = url(port);
    let seconds = timeout.map(|t| t.as_secs_f64().to_string());
    let mut args = vec!["--url", url.as_str()];
    if let Some(seconds) = &seconds {
        args.extend(["--timeout", seconds]);
    }
    // Built (once) before the clock starts.
    let program = bin("solution-04-client");
    let started = Instant::now();
    let output = harness::run(program, &args).expect("run the client");
    (output, started.elapsed())
}

/// One line on stderr, `error: ...`, exit code 1: then the line, for a
/// snapshot with `port` redacted.
fn assert_one_line_failure(name: &str, output: &Output, port: u16) {
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.transcript());
    assert!(
        output.stderr.starts_with("error: "),
        "{}",
        output.transcript()
    );
    redactions(Some(port)).bind(|| assert_snapshot!(name, output.stderr));
}

#[test]
fn idle_sockets_beyond_the_open_file_limit_do_not_keep_a_real_client_out() {
    let server = start_server_with_few_files(&[]);
    let started = Instant::now();
    let idle = idle_sockets(server.port, IDLE_SOCKETS);
    let (output, took) = client(server.port, Some(Duration::from_secs(20)));
    eprintln!(
        "{} idle sockets against {OPEN_FILES} open files: the client read the table in {took:?}, {:?} after the flood began",
        idle.len(),
        started.elapsed()
    );
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
    drop(idle);

    let stopped = server.stop().expect("stop");
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    // Out of descriptors, told once for the whole flood, with what to do.
    let out_of_files = lines_with(&stopped.stderr, "cannot accept connections");
    assert_eq!(out_of_files.len(), 1, "{}", stopped.stderr);
    assert!(out_of_files[0].contains("ulimit -n"), "{}", out_of_files[0]);
    // And warned at start: the limit leaves less room than --max-connections.
    assert_eq!(
        lines_with(&stopped.stderr, "fewer than --max-connections").len(),
        1,
        "{}",
        stopped.stderr
    );
}

#[test]
fn at_the_connection_limit_a_real_client_takes_the_place_of_an_idle_socket() {
    let server = start_server(&["--max-connections", "16"]);
    let idle = idle_sockets(server.port, 64);
    let (output, _) = client(server.port, Some(Duration::from_secs(20)));
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
    drop(idle);

    let stopped = server.stop().expect("stop");
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    let full = lines_with(
        &stopped.stderr,
        "connections open, the limit (--max-connections)",
    );
    assert_eq!(
        full.len(),
        1,
        "once for the whole flood: {}",
        stopped.stderr
    );
}

/// The 24 bytes every HTTP/2 client sends first, before its SETTINGS frame.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// `count` connections that send the HTTP/2 preface, and nothing more.
fn preface_only_sockets(port: u16, count: usize) -> Vec<TcpStream> {
    let mut sockets = idle_sockets(port, count);
    for socket in &mut sockets {
        socket.write_all(PREFACE).expect("send the preface");
    }
    sockets
}

#[test]
fn sockets_that_send_only_the_preface_give_way_to_a_real_client() {
    // A handshake timeout longer than the client's: the client is served
    // because such sockets give way, not because they time out.
    let server = start_server(&["--handshake-timeout", "60"]);
    let held = preface_only_sockets(server.port, 300);
    let (output, took) = client(server.port, Some(Duration::from_secs(10)));
    eprintln!("300 preface-only sockets: the client read the table in {took:?}");
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
    drop(held);
}

#[test]
fn silent_and_preface_only_sockets_are_closed_after_the_handshake_timeout() {
    let server = start_server(&["--handshake-timeout", "0.5"]);
    let silent = idle_sockets(server.port, 1);
    let preface_only = preface_only_sockets(server.port, 1);
    for mut socket in silent.into_iter().chain(preface_only) {
        // The server closes the socket: we read its end, and wait no longer than SLACK.
        socket
            .set_read_timeout(Some(SLACK))
            .expect("a read timeout");
        let started = Instant::now();
        let mut rest = Vec::new();
        let closed = socket.read_to_end(&mut rest);
        assert!(
            closed.is_ok()
                || closed
                    .as_ref()
                    .is_err_and(|e| e.kind() == io::ErrorKind::ConnectionReset),
            "{closed:?}"
        );
        assert!(
            started.elapsed() < SLACK,
            "closed after {:?}",
            started.elapsed()
        );
    }
}

/// A listener that accepts connections and never answers.
fn silent_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    thread::spawn(move || {
        let mut held = Vec::new();
        for connection in listener.incoming() {
            held.push(connection);
        }
    });
    port
}

// The client's own handshake timeout (10 s) against the same listener is
// kit's to test, quickly: kit/src/errors.rs.

#[test]
fn a_listener_that_never_answers_fails_the_client_at_its_timeout_if_shorter() {
    let port = silent_listener();
    let (output, took) = client(port, Some(CLIENT_TIMEOUT));
    assert!(took < CLIENT_TIMEOUT + SLACK, "took {took:?}");
    assert_one_line_failure("client_silent_listener_timeout", &output, port);
}

#[test]
fn a_web_server_is_named_as_such() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    thread::spawn(move || {
        for connection in listener.incoming() {
            let Ok(mut connection) = connection else {
                continue;
            };
            // As a web server does: read the request's head, answer, close.
            connection.set_read_timeout(Some(SLACK)).ok();
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match connection.read(&mut buf) {
                    Ok(n) if n > 0 => head.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            let answer =
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            connection.write_all(answer).ok();
            connection.shutdown(Shutdown::Write).ok();
        }
    });
    let (output, _) = client(port, Some(CLIENT_BOUND));
    assert_one_line_failure("client_web_server", &output, port);
}

#[test]
fn a_plaintext_client_is_told_the_server_wants_tls() {
    let dir: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hardening/tls");
    std::fs::remove_dir_all(&dir).ok();
    let server = SecureServer::start(bin("solution-05-secure-server"), &dir);
    let port = server.server.port;
    let (output, _) = client(port, Some(CLIENT_BOUND));
    assert_one_line_failure("client_plaintext_to_tls", &output, port);
}

/// A proxy to `port` that passes the client's bytes on, and the first
/// `bytes` of the server's answer, then stops passing anything back.
fn stalling_proxy(port: u16, bytes: u64) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let proxy_port = listener.local_addr().expect("address").port();
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let Ok(mut server) = TcpStream::connect(("127.0.0.1", port)) else {
                continue;
            };
            let (Ok(mut to_server), Ok(mut from_server)) = (client.try_clone(), server.try_clone())
            else {
                continue;
            };
            thread::spawn(move || io::copy(&mut client, &mut server));
            thread::spawn(move || {
                io::copy(&mut (&mut from_server).take(bytes), &mut to_server).ok();
                // Stalled: hold both sockets open, pass nothing more.
                let _held = (from_server, to_server);
                loop {
                    thread::park();
                }
            });
        }
    });
    proxy_port
}

#[test]
fn a_server_that_stalls_mid_stream_fails_the_client_at_its_timeout() {
    let server = start_server(&["--rows", "2000000"]);
    let port = stalling_proxy(server.port, 1 << 20);
    let (output, took) = client(port, Some(CLIENT_TIMEOUT));
    assert!(took < CLIENT_TIMEOUT + SLACK, "took {took:?}");
    assert_eq!(output.stdout, "", "{}", output.transcript());
    assert_one_line_failure("client_stalled_mid_stream", &output, port);
}

/// 2M rows is 32 MB: far more than HTTP/2 lets the server send before the
/// client reads, so a reader that stops keeps its stream open.
const STALLED_ROWS: usize = 2_000_000;

#[tokio::test]
async fn sigterm_with_stalled_readers_exits_0_within_the_grace_period() {
    let grace_period = Duration::from_secs(1);
    let server = start_server(&[
        "--rows",
        &STALLED_ROWS.to_string(),
        "--grace-period",
        &grace_period.as_secs().to_string(),
    ]);
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut client = connect(&url(server.port)).await.expect("connect");
        let mut stream = client.do_get(Ticket::new("dataset")).await.expect("do_get");
        stream
            .try_next()
            .await
            .expect("a first batch")
            .expect("a batch");
        // Read no further, and keep the connection open.
        stalled.push((client, stream));
    }
    // Stalled readers cost the others nothing.
    let url = url(server.port);
    let output = run("solution-04-client", &["--url", &url]);
    assert!(
        output.stdout.ends_with("Rows: 2000000\n"),
        "{}",
        output.transcript()
    );

    let started = Instant::now();
    let stopped = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("join")
        .expect("the server stops");
    let took = started.elapsed();
    eprintln!(
        "SIGTERM with {} stalled readers: exited in {took:?}",
        stalled.len()
    );
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    assert!(took < grace_period + SLACK, "took {took:?}");
    // The log says the grace period ran out (the exit code is 0: see the
    // README), and each cut stream is logged as the server's doing, not the
    // client's.
    assert_eq!(
        lines_with(&stopped.stderr, "The grace period (1s) is over").len(),
        1,
        "{}",
        stopped.stderr
    );
    let cut = lines_with(
        &stopped.stderr,
        "the server stopped before the end of the stream",
    );
    assert_eq!(cut.len(), stalled.len(), "{}", stopped.stderr);
    assert!(
        lines_with(&stopped.stderr, "left before the end").is_empty(),
        "{}",
        stopped.stderr
    );
}

/// The --idle-timeout of the idle tests: short, so that they are quick (the
/// slow reader pauses for twice as long).
const IDLE_TIMEOUT: &str = "0.5";

/// One gRPC call on a raw HTTP/2 connection: the page's ListFlights, read
/// to its end. Returns the connection's own task, which ends when the
/// connection does, and the handle that keeps the connection ours (an h2
/// client whose handles are all dropped closes the connection itself).
async fn one_call_then_wait(
    port: u16,
) -> (
    tokio::task::JoinHandle<Result<(), h2::Error>>,
    h2::client::SendRequest<bytes::Bytes>,
) {
    let (client, connection) = grpc_by_hand::connect(port).await;
    let mut client = client.ready().await.expect("ready for a call");
    let request = grpc_by_hand::request(port, "ListFlights");
    let (response, mut send) = client.send_request(request, false).expect("send");
    // An empty Criteria message: no compression flag, length 0.
    send.send_data(bytes::Bytes::from_static(&[0; 5]), true)
        .expect("send the message");
    let mut body = response.await.expect("a response").into_body();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.expect("the response's data");
        let _ = body.flow_control().release_capacity(chunk.len());
    }
    let trailers = body.trailers().await.expect("trailers").expect("trailers");
    assert_eq!(trailers["grpc-status"], "0", "{trailers:?}");
    (connection, client)
}

#[tokio::test]
async fn a_connection_with_no_call_in_flight_is_closed_after_the_idle_timeout() {
    let server = start_server(&["--idle-timeout", IDLE_TIMEOUT]);
    let (connection, _keep_it_open) = one_call_then_wait(server.port).await;
    // The call is over: the server closes the connection once it has been
    // idle for its timeout. (The client keeps it open for as long as it
    // can: 30 s is only a bound, not an expected duration.)
    let ended = tokio::time::timeout(Duration::from_secs(30), connection).await;
    assert!(ended.is_ok(), "the server kept an idle connection open");
}

#[tokio::test]
async fn a_call_in_flight_is_never_idle_even_when_its_client_reads_slowly() {
    // More than the client's window: the server cannot send it all at once.
    let rows = STALLED_ROWS;
    let server = start_server(&["--idle-timeout", IDLE_TIMEOUT, "--rows", &rows.to_string()]);
    let mut client = connect(&url(server.port)).await.expect("connect");
    let mut stream = client.do_get(Ticket::new("dataset")).await.expect("do_get");
    let first = stream
        .try_next()
        .await
        .expect("a first batch")
        .expect("a batch");
    // Read nothing for longer than the idle timeout: this is what the
    // test is about, not a wait for something to happen.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut received = first.num_rows();
    while let Some(batch) = stream.try_next().await.expect("the rest of the table") {
        received += batch.num_rows();
    }
    assert_eq!(received, rows);
}

/// The log line of the one stream cut short in `stderr`.
fn the_line_of_the_stream_cut_short(stderr: &str) -> &str {
    let cut = lines_with(stderr, "before the end of");
    assert_eq!(cut.len(), 1, "{stderr}");
    cut[0]
}

#[tokio::test]
async fn a_client_that_cancels_a_call_is_logged_as_cancelling_it() {
    let server = start_server(&["--rows", &STALLED_ROWS.to_string()]);
    let mut client = connect(&url(server.port)).await.expect("connect");
    let mut stream = client.do_get(Ticket::new("dataset")).await.expect("do_get");
    stream.try_next().await.expect("a first batch");
    drop(stream);
    // The connection is still the client's: it reads the table on it.
    let table = flight_client::read_table(&mut client, "dataset")
        .await
        .expect("the table");
    assert_eq!(table.num_rows(), STALLED_ROWS);
    drop(client);

    let stopped = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("join")
        .expect("stop");
    let line = the_line_of_the_stream_cut_short(&stopped.stderr);
    assert!(line.contains("it cancelled the call"), "{line}");
}

#[tokio::test]
async fn a_client_that_closes_its_connection_mid_stream_is_logged_as_closing_it() {
    let server = start_server(&["--rows", &STALLED_ROWS.to_string()]);
    let port = server.port;
    let (client, connection) = grpc_by_hand::connect(port).await;
    let mut client = client.ready().await.expect("ready for a call");
    let (response, mut send) = client
        .send_request(grpc_by_hand::request(port, "DoGet"), false)
        .expect("send");
    send.send_data(Bytes::from_static(grpc_by_hand::DO_GET_DATASET), true)
        .expect("send the message");
    let mut body = response.await.expect("a response").into_body();
    body.data().await.expect("a first chunk").expect("data");
    // The connection goes, with no word of HTTP/2 for the stream: as when
    // a client's process ends.
    connection.abort();
    assert!(connection.await.is_err_and(|e| e.is_cancelled()));

    let stopped = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("join")
        .expect("stop");
    let line = the_line_of_the_stream_cut_short(&stopped.stderr);
    assert!(line.contains("it closed its connection"), "{line}");
}
