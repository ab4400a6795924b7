//! The self-check of step 4, run by `cargo test -p step-04-client` and by
//! `cargo test -p solution-04-client`: the same file for both.

use std::path::Path;

fn binary() -> &'static Path {
    Path::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
}

#[test]
fn cargo_run_prints_what_the_page_shows() {
    checks::step4::client_prints_the_page_output(binary());
}

#[test]
fn cargo_run_without_a_server_says_so() {
    checks::step4::client_reports_no_server(binary());
}
