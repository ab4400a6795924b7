//! `cargo run -p step-04-client`: the page's `flight_client.py`.

use std::process::ExitCode;

use clap::Parser;
use kit::args::ClientArgs;

// One stream at a time: a single-threaded runtime is all a client needs, and
// it saves handing every message from thread to thread.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(step_04_client::run(ClientArgs::parse()).await)
}
