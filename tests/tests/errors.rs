//! Bad situations a learner meets: each gives one clear line on stderr and
//! exit code 1, never a panic or a backtrace. Snapshots hold the exact words.

use std::net::TcpListener;
use std::thread;

use flight_path_tests::{closed_port, redact, run, start_server, url};
use harness::Output;
use insta::assert_snapshot;

/// The transcript, with `port` redacted, after checking the one-line rule.
fn failure(output: &Output, port: Option<u16>) -> String {
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.transcript());
    assert!(
        output.stderr.starts_with("error: "),
        "{}",
        output.transcript()
    );
    assert!(
        !output.stderr.contains("panicked"),
        "{}",
        output.transcript()
    );
    match port {
        Some(port) => redact(&output.transcript(), &[(port.into(), "[PORT]")]),
        None => output.transcript(),
    }
}

#[test]
fn client_when_the_server_is_not_running() {
    let port = closed_port();
    let output = run("solution-04-client", &["--url", &url(port)]);
    assert_snapshot!("client_server_down", failure(&output, Some(port)));
}

#[test]
fn client_with_an_unknown_ticket() {
    let server = start_server(&[]);
    let output = run(
        "solution-04-client",
        &["--url", &url(server.port), "--ticket", "nope"],
    );
    assert_snapshot!("client_unknown_ticket", failure(&output, Some(server.port)));
}

#[test]
fn client_with_a_url_that_is_not_grpc() {
    let output = run("solution-04-client", &["--url", "http://127.0.0.1:1"]);
    assert_snapshot!("client_bad_url", failure(&output, None));
}

#[test]
fn server_on_a_port_already_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port();
    let output = run(
        "solution-02-server",
        &["--host", "127.0.0.1", "--port", &port.to_string()],
    );
    assert_snapshot!("server_port_in_use", failure(&output, Some(port)));
}

#[test]
fn verify_port_when_nothing_listens() {
    let port = closed_port();
    let output = run("solution-03-verify-port", &["--port", &port.to_string()]);
    assert_snapshot!(
        "verify_port_nothing_listening",
        failure(&output, Some(port))
    );
}

#[test]
fn verify_port_when_something_else_listens() {
    // A TCP server that is not a Flight server: it hangs up on every connection.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    thread::spawn(move || {
        for connection in listener.incoming() {
            drop(connection);
        }
    });
    let output = run("solution-03-verify-port", &["--port", &port.to_string()]);
    // The LISTEN line comes first, on stdout: it is a listener, just not ours.
    assert!(
        output.stdout.starts_with("LISTEN"),
        "{}",
        output.transcript()
    );
    let text = redact(&output.stderr, &[(port.into(), "[PORT]")]);
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    // The cause in parentheses (broken pipe, reset, cancelled...) varies with timing.
    let (message, _cause) = text.split_once(" (").expect(&text);
    assert_snapshot!("verify_port_not_flight", message);
}
