//! The page's promises, kept by the reference solutions running as real
//! processes over real sockets. What the page prints word for word is
//! compared with `tests/expected/`; the rest is an insta snapshot in
//! `tests/snapshots/`, reviewed by hand (`cargo insta review`).

use flight_path_tests::{PAGE_CLIENT_OUTPUT, PAGE_SERVER_LINE, redactions, run, start_server, url};
use insta::assert_snapshot;

#[test]
fn step_1_build_table_prints_schema_rows_and_first_rows() {
    let output = run("solution-01-build-table", &[]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_snapshot!("build_table", output.stdout);
}

#[test]
fn step_2_server_announces_the_port_it_listens_on() {
    let server = start_server(&[]);
    // The page's line, with the free port we asked for in place of 8815.
    let expected = PAGE_SERVER_LINE.replace("8815", &server.port.to_string());
    assert_eq!(server.ready_line, expected);
}

#[test]
fn step_3_verify_port_shows_the_listener_and_its_flight_answer() {
    let server = start_server(&[]);
    let output = run(
        "solution-03-verify-port",
        &["--port", &server.port.to_string()],
    );
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    // The snapshot hides the pid; this checks it is the server's.
    assert!(
        output.stdout.contains(&format!("pid={}", server.pid())),
        "{}",
        output.stdout
    );
    redactions(Some(server.port)).bind(|| assert_snapshot!("verify_port", output.stdout));
}

#[test]
fn step_4_client_prints_exactly_what_the_page_shows() {
    let server = start_server(&[]);
    let output = run("solution-04-client", &["--url", &url(server.port)]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT);
}

#[test]
fn the_walkthrough_runs_the_whole_page() {
    let output = run("walkthrough", &["--port", "0", "--host", "127.0.0.1"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    // The server's port is in the "running on port" line: redact it everywhere.
    let port = output
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Arrow Flight server running on port "))
        .and_then(|port| port.parse().ok())
        .expect("the walkthrough shows the server's line");
    redactions(Some(port)).bind(|| assert_snapshot!("walkthrough", output.stdout));
}
