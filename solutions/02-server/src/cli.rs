//! The command line: `if __name__ == "__main__":` in the page's server.
//!
//! ```python
//! server = ArrowFlightServer("grpc://0.0.0.0:8815")
//! print("Arrow Flight server running on port 8815")
//! server.serve()
//! ```

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use arrow_flight::flight_service_server::FlightService;
use clap::Parser;
use page_table::{PAGE_ROWS, Table, build_table};

use crate::{DEFAULT_PORT, listen, serve, shutdown_signal};

/// Serve the page's in-memory Arrow table over Arrow Flight (gRPC) until Ctrl-C.
#[derive(Parser)]
#[command(version)]
pub struct Args {
    /// Address to listen on: 0.0.0.0 for every interface, 127.0.0.1 for this machine only.
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
    /// Port to listen on; 0 picks a free port (the line printed at start names it).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Rows in the served table (the page's table has 1000).
    #[arg(long, default_value_t = PAGE_ROWS)]
    pub rows: usize,
}

/// Parses the arguments, serves the service that `new_service` makes for
/// the table, and turns any error into one line and exit code 1.
pub fn main<S: FlightService>(new_service: impl FnOnce(Table) -> S) -> ExitCode {
    let args = Args::parse();
    let result = tokio::runtime::Runtime::new()
        .context("cannot start the async runtime")
        .and_then(|runtime| runtime.block_on(run(args, new_service)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
async fn run<S: FlightService>(
    args: Args,
    new_service: impl FnOnce(Table) -> S,
) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;
    let service = new_service(table);
    let shutdown = shutdown_signal().context("cannot watch for Ctrl-C")?;

    let listener = listen(&args.host, args.port).await?;
    let port = listener
        .local_addr()
        .context("cannot read the port")?
        .port();
    // Printed only now that the port is open: whoever reads this line can connect.
    println!("Arrow Flight server running on port {port}");
    io::stdout().flush().context("cannot write to stdout")?;

    serve(listener, service, shutdown).await
}
// ANCHOR_END: run
