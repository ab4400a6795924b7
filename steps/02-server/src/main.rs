//! `cargo run -p step-02-server`: the page's `flight_server.py`.

use std::process::ExitCode;

use clap::Parser;
use kit::args::ServerArgs;

#[tokio::main]
async fn main() -> ExitCode {
    kit::exit_code(step_02_server::run(ServerArgs::parse()).await)
}
