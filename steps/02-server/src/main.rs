//! `cargo run -p solution-02-server`: the page's `flight_server.py`.
//! The command line is in `cli.rs`, the service in `service.rs`.

use std::process::ExitCode;

use flight_server::{TableService, cli};

fn main() -> ExitCode {
    cli::main(TableService::new)
}
