//! The self-check of step 2, run by `cargo test -p step-02-server` and by
//! `cargo test -p solution-02-server`: the same file for both.

use std::path::Path;

/// This package's server binary, started by the checks as a real process.
fn server() -> &'static Path {
    Path::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
}

#[test]
fn do_get_streams_the_table() {
    checks::step2::server_streams_the_table(server());
}

#[test]
fn unknown_tickets_are_not_found() {
    checks::step2::unknown_tickets_are_not_found(server());
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    checks::step2::server_stops_cleanly(server());
}
