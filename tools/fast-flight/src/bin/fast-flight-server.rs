//! `cargo run --release -p fast-flight`: the page's server on the fast path.
//! Same command line, same start line, same answers as
//! `solution-02-server`; `do_get` sends messages encoded once.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use arrow_flight::flight_service_server::FlightServiceServer;
use clap::Parser;
use fast_flight::{EncodedTable, PreEncoded};
use flight_server::TableService;
use kit::args::ServerArgs;

// The default allocator (glibc's) hands freed message buffers back to the
// system when a buffer filled on one worker thread is freed on another, and
// every request then faults its pages in again. mimalloc keeps them for
// reuse.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ServerArgs::parse();
    kit::init_logging();
    kit::exit_code(run(args).await)
}

async fn run(args: ServerArgs) -> anyhow::Result<()> {
    let table = page_table::build_table(args.rows).context("cannot build the table")?;
    let encoded = EncodedTable::new(table)?;
    let lesson = TableService::new(encoded.table().clone());
    let service = FlightServiceServer::new(PreEncoded::new(lesson, encoded));
    let shutdown = kit::shutdown_signal().context("cannot watch for Ctrl-C")?;

    let listener = kit::listen(&args.host, args.port).await?;
    let port = listener
        .local_addr()
        .context("cannot read the port")?
        .port();
    println!("Arrow Flight server running on port {port}");
    io::stdout().flush().context("cannot write to stdout")?;

    let router = kit::server_builder().add_service(service);
    kit::serve_with_limits(router, listener, args.limits, shutdown).await
}
