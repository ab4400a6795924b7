//! Step 5's reference: TLS and a bearer token, against our client, plain
//! clients, and pyarrow's client with the root certificate and the token.

use std::path::{Path, PathBuf};

use checks::step5::{SecureServer, TOKEN};
use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, run_python};
use harness::run_with_env;
use insta::assert_snapshot;

fn start(test: &str) -> SecureServer {
    let dir: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("secure")
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    SecureServer::start(bin("solution-05-secure-server"), &dir)
}

fn client(server: &SecureServer, token: Option<&str>) -> harness::Output {
    server.run_client(bin("solution-05-secure-client"), token)
}

#[test]
fn the_secure_client_with_the_token_prints_the_page_output() {
    let server = start("right");
    let output = client(&server, Some(TOKEN));
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
}

#[test]
fn a_wrong_token_is_one_clear_line() {
    let server = start("wrong");
    let output = client(&server, Some("not-the-token"));
    assert_snapshot!("secure_wrong_token", output.transcript());
}

#[test]
fn no_token_in_the_environment_is_one_clear_line() {
    let server = start("unset");
    let output = client(&server, None);
    assert_snapshot!("secure_token_unset", output.transcript());
}

#[test]
fn the_server_refuses_to_start_without_a_token() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("secure/no-token");
    let args = [
        "--port",
        "0",
        "--tls-dir",
        dir.to_str().expect("a UTF-8 path"),
    ];
    let output = run_with_env(
        bin("solution-05-secure-server"),
        &args,
        &[("FLIGHT_TOKEN", None)],
    )
    .expect("run the server");
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    assert!(
        output.stderr.starts_with("error: FLIGHT_TOKEN is not set"),
        "{}",
        output.transcript()
    );
}

#[test]
fn a_plaintext_client_gets_a_connection_error_not_the_table() {
    let server = start("plain");
    let url = format!("grpc://127.0.0.1:{}", server.server.port);
    let output = flight_path_tests::run("solution-04-client", &["--url", &url]);
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    // What fails first (TLS handshake bytes read as HTTP/2) varies: one line, exit 1.
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.transcript());
    assert!(
        output.stderr.starts_with("error: "),
        "{}",
        output.transcript()
    );
}

#[test]
fn pyarrow_with_the_root_certificate_and_token_reads_the_table() {
    let server = start("pyarrow");
    let port = server.server.port.to_string();
    let ca = server.ca_cert.to_str().expect("a UTF-8 path");
    let output = run_python("interop_probe.py", &[&port, "secure", ca, TOKEN]);
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
    let refused = run_python("interop_probe.py", &[&port, "secure", ca, "not-the-token"]);
    let expected = "FlightUnauthenticatedError: Flight returned unauthenticated error, with message: wrong bearer token.";
    assert!(
        refused.stdout.starts_with(expected),
        "{}",
        refused.transcript()
    );
}
