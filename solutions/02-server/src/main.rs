//! `cargo run -p solution-02-server`: the page's `flight_server.py`.

use std::process::ExitCode;

use clap::Parser;
use kit::args::ServerArgs;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ServerArgs::parse();
    // Its log (a client leaving mid-stream, the stop) goes to stderr.
    kit::init_logging();
    kit::exit_code(solution_02_server::run(args).await)
}
