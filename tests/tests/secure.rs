//! Step 5's model answer: the exact words of its refusals (the book shows
//! them), the server's own refusal to start without a token, pyarrow's
//! client with the root certificate and the token, and the certificate's
//! names: another machine reaches the server through this machine's address,
//! and `--san` names exactly what it is given.
//!
//! The right token, a wrong or missing one, look-alike tokens and plaintext
//! clients are the step's self-check (`checks/src/step5.rs`), which the
//! model answer runs as its own `cargo test`: they are not repeated here.

use std::path::{Path, PathBuf};

use checks::step5::{SecureServer, TOKEN};
use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, run_python};
use harness::{Server, run_with_env};
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

/// The server started with `args` and a fresh --tls-dir of its own, the
/// token in `FLIGHT_TOKEN`; and its certificate's path.
fn start_with(test: &str, args: &[&str]) -> (Server, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("secure")
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let mut all = vec!["--port", "0", "--tls-dir", dir_arg];
    all.extend_from_slice(args);
    let server = Server::start_with_env(
        bin("solution-05-secure-server"),
        &all,
        &[("FLIGHT_TOKEN", Some(TOKEN))],
    )
    .unwrap_or_else(|error| panic!("the secure server did not start: {error:#}"));
    (server, dir.join("server.crt"))
}

/// The client of step 5 reading `url`, trusting `ca`.
fn read(url: &str, ca: &Path) -> harness::Output {
    let args = [
        "--url",
        url,
        "--ca-cert",
        ca.to_str().expect("a UTF-8 path"),
    ];
    run_with_env(
        bin("solution-05-secure-client"),
        &args,
        &[("FLIGHT_TOKEN", Some(TOKEN))],
    )
    .expect("run the client")
}

/// This machine's first global IPv4 address, as `ip -4 addr` lists them (or,
/// without iproute2, from the server's own list); None if it has none.
fn global_ipv4() -> Option<String> {
    let listed = std::process::Command::new("ip")
        .args(["-4", "-o", "addr", "show", "scope", "global"])
        .output();
    let from_ip = listed
        .ok()
        .filter(|output| output.status.success())
        .map(|output| {
            // "4: eth0    inet 10.128.0.5/32 brd ... scope global eth0"
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.split_whitespace()
                .skip_while(|word| *word != "inet")
                .nth(1)
                .and_then(|address| address.split('/').next())
                .map(str::to_string)
        });
    match from_ip {
        Some(address) => address,
        None => kit::certificate::default_names().into_iter().find(|name| {
            name.parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| !ip.is_loopback())
        }),
    }
}

#[test]
fn another_machine_reads_the_table_through_this_machines_address() {
    let Some(address) = global_ipv4() else {
        eprintln!("skipped: this machine has no global IPv4 address to dial");
        return;
    };
    // As the book has the VM serve other machines: every interface, and the
    // certificate made by default, for this machine's names and addresses.
    let (server, ca) = start_with("another-machine", &["--host", "0.0.0.0"]);
    let names = kit::certificate::names_in(&std::fs::read_to_string(&ca).expect("server.crt"))
        .expect("the certificate's names");
    assert!(names.contains(&address), "{address} is not in {names:?}");
    for name in ["localhost", "127.0.0.1", "::1"] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is not in {names:?}"
        );
    }
    let output = read(&format!("grpc+tls://{address}:{}", server.port), &ca);
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
}

#[test]
fn san_names_exactly_the_names_given_and_a_change_makes_a_new_certificate() {
    let (server, ca) = start_with(
        "san",
        &[
            "--host",
            "127.0.0.1",
            "--san",
            "some.name",
            "--san",
            "127.0.0.1",
        ],
    );
    let pem = std::fs::read_to_string(&ca).expect("server.crt");
    let names = kit::certificate::names_in(&pem).expect("the certificate's names");
    assert_eq!(names, ["some.name", "127.0.0.1"]);
    // The address it names reads the table; localhost, not named, is refused
    // in one line that says which names the certificate has.
    let port = server.port;
    let output = read(&format!("grpc+tls://127.0.0.1:{port}"), &ca);
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
    let refused = read(&format!("grpc+tls://localhost:{port}"), &ca);
    assert_eq!(refused.code, Some(1), "{}", refused.transcript());
    assert_eq!(
        refused.stderr.lines().count(),
        1,
        "{}",
        refused.transcript()
    );
    assert!(
        refused.stderr.contains("not valid for name \"localhost\"")
            && refused.stderr.contains("some.name"),
        "{}",
        refused.transcript()
    );
    server.stop().expect("stop the server");

    // Another --san on the same folder: a new certificate, and one line that says so.
    let dir = ca
        .parent()
        .expect("the tls folder")
        .to_str()
        .expect("UTF-8");
    let args = ["--port", "0", "--tls-dir", dir, "--san", "other.name"];
    let server = Server::start_with_env(
        bin("solution-05-secure-server"),
        &args,
        &[("FLIGHT_TOKEN", Some(TOKEN))],
    )
    .expect("the server starts again");
    let names = kit::certificate::names_in(&std::fs::read_to_string(&ca).expect("server.crt"))
        .expect("the new certificate's names");
    assert_eq!(names, ["other.name"]);
    let output = server.stop().expect("stop the server");
    let said: Vec<&str> = output
        .stderr
        .lines()
        .filter(|l| l.contains("in place of"))
        .collect();
    assert_eq!(said.len(), 1, "{}", output.transcript());
    assert!(
        said[0].contains("other.name") && said[0].contains("some.name, 127.0.0.1"),
        "{}",
        said[0]
    );
}

/// The case: a certificate the server made, then damaged by hand.
/// The server refuses to start, in one line naming the file, and the key is
/// byte for byte what it was.
#[test]
fn a_damaged_certificate_is_refused_and_the_key_left_as_it_was() {
    let (server, ca) = start_with("damaged", &["--host", "127.0.0.1"]);
    server.stop().expect("stop the server");
    let key = ca.with_file_name("server.key");
    let key_before = std::fs::read(&key).expect("server.key");
    let certificate = std::fs::read(&ca).expect("server.crt");
    std::fs::write(&ca, &certificate[..certificate.len() / 2]).expect("cut server.crt");

    let dir = ca
        .parent()
        .expect("the tls folder")
        .to_str()
        .expect("UTF-8");
    let args = ["--port", "0", "--tls-dir", dir];
    let output = harness::run_with_env(
        bin("solution-05-secure-server"),
        &args,
        &[("FLIGHT_TOKEN", Some(TOKEN))],
    )
    .expect("the server runs");
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    let errors: Vec<&str> = output
        .stderr
        .lines()
        .filter(|l| l.contains("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", output.transcript());
    assert!(
        errors[0].contains(&format!("{} cannot be read as a certificate", ca.display()))
            && errors[0].contains("--new-certificate"),
        "{}",
        errors[0]
    );
    assert_eq!(std::fs::read(&key).expect("server.key"), key_before);
}
