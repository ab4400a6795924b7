//! Bad situations a learner meets: each gives one clear line on stderr and
//! exit code 1, never a panic or a backtrace. Snapshots hold the exact words,
//! and the book shows them. (That any client, or server, of a step meets the
//! rule is for the steps' self-checks: `checks/src/step4.rs` runs the client
//! against a closed port and with an unknown ticket; here we pin the words.)

use std::net::TcpListener;
use std::thread;

use flight_path_tests::{closed_port, redactions, run, start_server, url};
use harness::Output;
use insta::assert_snapshot;

/// Checks the rule (exit code 1, one line `error: ...`, so no panic), then
/// snapshots the transcript with `port` redacted. The rule is checked apart
/// from the snapshot so that no new snapshot can be accepted that breaks it.
fn assert_failure(name: &str, output: &Output, port: Option<u16>) {
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.transcript());
    assert!(
        output.stderr.starts_with("error: "),
        "{}",
        output.transcript()
    );
    redactions(port).bind(|| assert_snapshot!(name, output.transcript()));
}

#[test]
fn client_when_the_server_is_not_running() {
    let port = closed_port();
    let output = run("solution-04-client", &["--url", &url(port)]);
    assert_failure("client_server_down", &output, Some(port));
}

#[test]
fn client_with_an_unknown_ticket() {
    let server = start_server(&[]);
    let output = run(
        "solution-04-client",
        &["--url", &url(server.port), "--ticket", "nope"],
    );
    assert_failure("client_unknown_ticket", &output, Some(server.port));
}

#[test]
fn server_on_a_port_already_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port();
    let output = run(
        "solution-02-server",
        &["--host", "127.0.0.1", "--port", &port.to_string()],
    );
    assert_failure("server_port_in_use", &output, Some(port));
}

#[test]
fn verify_port_when_nothing_listens() {
    let port = closed_port();
    let output = run("solution-03-verify-port", &["--port", &port.to_string()]);
    assert_failure("verify_port_nothing_listening", &output, Some(port));
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
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    // The cause in parentheses (broken pipe, reset, cancelled...) varies with timing.
    let (message, _cause) = output.stderr.split_once(" (").expect(&output.stderr);
    redactions(Some(port)).bind(|| assert_snapshot!("verify_port_not_flight", message));
}
