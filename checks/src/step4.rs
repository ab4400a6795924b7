//! Step 4: the client, run as a real process against the reference server.

use std::path::Path;

use crate::{PAGE_CLIENT_OUTPUT, ReferenceServer, fail};

/// The client prints exactly what the page shows.
pub fn client_prints_the_page_output(binary: &Path) {
    let server = ReferenceServer::start();
    let output = harness::run(binary, &["--url", &server.url()]).expect("the step's binary runs");
    if output.code != Some(0) || output.stdout != PAGE_CLIENT_OUTPUT {
        fail(
            4,
            &format!(
                "against a server on {}, the client should print exactly\n{PAGE_CLIENT_OUTPUT}but it printed:\n{}",
                server.url(),
                output.transcript()
            ),
        );
    }
}

/// With no server, the client says so in one line and exits with 1.
pub fn client_reports_no_server(binary: &Path) {
    let port = flight_path_tests::closed_port();
    let url = format!("grpc://127.0.0.1:{port}");
    let output = harness::run(binary, &["--url", &url]).expect("the step's binary runs");
    let one_line =
        output.stderr.lines().count() == 1 && output.stderr.starts_with("error: cannot connect");
    if output.code != Some(1) || !one_line {
        fail(
            4,
            &format!(
                "with no server on {url}, the client should print one line starting \"error: cannot connect\" and exit 1; it printed:\n{}",
                output.transcript()
            ),
        );
    }
}
