//! `cargo run -p solution-02-server`: the page's `flight_server.py`.
//!
//! ```python
//! server = ArrowFlightServer("grpc://0.0.0.0:8815")
//! print("Arrow Flight server running on port 8815")
//! server.serve()
//! ```

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use solution_01_build_table::{PAGE_ROWS, build_table};
use solution_02_server::{DEFAULT_PORT, TableService, listen, serve};

/// Serve the page's in-memory Arrow table over Arrow Flight (gRPC) until Ctrl-C.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on: 0.0.0.0 for every interface, 127.0.0.1 for this machine only.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// Port to listen on; 0 picks a free port (the line printed at start names it).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Rows in the served table (the page's table has 1000).
    #[arg(long, default_value_t = PAGE_ROWS)]
    rows: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;
    let service = TableService::new(table);
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

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `kill` and
/// service managers send). Handlers are installed now, before we serve.
fn shutdown_signal() -> io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            tokio::signal::ctrl_c().await.ok();
        })
    }
}
