//! Step 5's model answer: the exact words of its refusals (the book shows
//! them), the server's own refusal to start without a token, and pyarrow's
//! client with the root certificate and the token.
//!
//! The right token, a wrong or missing one, look-alike tokens and plaintext
//! clients are the step's self-check (`checks/src/step5.rs`), which the
//! model answer runs as its own `cargo test`: they are not repeated here.

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
