//! The server listens as the page's gRPC server does: by default on every
//! interface through one dual-stack socket (`*:8815` in `ss`), with a listen
//! backlog of 4096.

use std::process::Command;

use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, run};
use harness::Server;

/// The server as a learner starts it, with the page's address (only the
/// port differs: a free one).
fn server_on_every_interface() -> Server {
    Server::start(bin("solution-02-server"), &["--port", "0"]).expect("the server starts")
}

#[test]
fn ipv4_and_ipv6_clients_both_read_the_table() {
    let server = server_on_every_interface();
    for url in [
        format!("grpc://127.0.0.1:{}", server.port),
        format!("grpc://[::1]:{}", server.port),
    ] {
        let output = run("solution-04-client", &["--url", &url]);
        assert_eq!(
            output.stdout,
            PAGE_CLIENT_OUTPUT,
            "{url}: {}",
            output.transcript()
        );
    }
}

#[test]
fn ss_shows_the_pages_address_and_backlog() {
    let server = server_on_every_interface();
    let filter = format!("sport = :{}", server.port);
    let ss = Command::new("ss")
        .args(["-lnt", &filter])
        .output()
        .expect("ss (from iproute2) runs: install iproute2");
    let text = String::from_utf8_lossy(&ss.stdout);
    let line = text
        .lines()
        .find(|line| line.starts_with("LISTEN"))
        .unwrap_or_else(|| panic!("ss shows no listener:\n{text}"));
    // The page: LISTEN 0      4096               *:8815             *:*
    // The kernel caps the backlog at net.core.somaxconn (4096 since Linux 5.4).
    let somaxconn: u32 = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .expect("somaxconn")
        .trim()
        .parse()
        .expect("a number");
    let backlog = somaxconn.min(4096).to_string();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        fields[..5],
        [
            "LISTEN",
            "0",
            &backlog,
            &format!("*:{}", server.port),
            "*:*"
        ],
        "{line}"
    );
}
