//! `cargo run --release -p fast-flight`: the page's server on the fast path.
//! Same command line, same start line, same answers as
//! `solution-02-server`; `do_get` sends messages encoded once.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::process::ExitCode;

use anyhow::Context;
use arrow_flight::flight_service_server::FlightServiceServer;
use clap::Parser;
use fast_flight::{EncodedTable, PreEncoded};
use flight_server::TableService;
use kit::args::ServerArgs;
use page_table::build_table;
use tokio::runtime::{Builder, Runtime};

// ANCHOR: allocator
// The default allocator (glibc's) hands freed message buffers back to the
// system when a buffer filled on one worker thread is freed on another, and
// every request then faults its pages in again. mimalloc keeps them for
// reuse.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: allocator

fn main() -> ExitCode {
    let args = ServerArgs::parse();
    kit::init_logging();
    kit::exit_code(runtime().and_then(|runtime| runtime.block_on(run(args))))
}

// ANCHOR: runtime
/// A worker thread per core but one, and at least one. Moving the table is
/// mostly the kernel's work, copying it through the socket, and the reader's
/// (on loopback, on this machine). On the 2-vCPU development machine, one
/// client read the table at about 4.2 GB/s from 2 workers and about 6 GB/s
/// from 1: with a worker on every core, the server's threads take turns
/// with the reader on both.
fn runtime() -> anyhow::Result<Runtime> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let workers = cores.saturating_sub(1).max(1);
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
// ANCHOR_END: runtime

async fn run(args: ServerArgs) -> anyhow::Result<()> {
    // ANCHOR: service
    let table = build_table(args.rows).context("cannot build the table")?;
    let encoded = EncodedTable::new(table)?;
    // The lesson's service, for the same table, answers every other call.
    let lesson = TableService::new(encoded.table().clone());
    let service = FlightServiceServer::new(PreEncoded::new(lesson, encoded));
    // ANCHOR_END: service
    // The rest is the lesson's `run` (solutions/02-server/src/server.rs),
    // line for line: that one builds its own service, as the lesson has it.
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
