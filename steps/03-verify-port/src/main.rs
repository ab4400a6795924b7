//! `cargo run -p step-03-verify-port`: the page's `ss -lntp | grep 8815`,
//! and a Flight call to be sure the listener is an Arrow Flight server.

use std::process::ExitCode;

use clap::Parser;
use kit::args::VerifyPortArgs;

#[tokio::main]
async fn main() -> ExitCode {
    kit::exit_code(step_03_verify_port::run(VerifyPortArgs::parse()).await)
}
