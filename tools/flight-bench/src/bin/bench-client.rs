//! The Rust side of the benchmark, as its own process: flight-bench runs it
//! so that its memory, CPU time and page faults are its own.
//!
//! Reads the table with the lesson's client code (`flight_client::read_table`),
//! once to warm up, then `--runs` times over the same connection, and prints
//! one JSON line, the same fields as `python/bench_client.py`: `seconds` (each
//! timed read), `rows` (of the last read), `peak_rss` (bytes), `cpu_seconds`
//! (user + sys) and `minor_faults` during the timed reads, `started_ns` /
//! `ended_ns` (Unix time of their start and end).

use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::Parser;
use flight_bench::usage::{Usage, peak_rss};
use serde_json::json;

// The client of both Rust pairs, with the allocator of the fast server (so
// that the two Rust pairs differ by their server only).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Read the table from a Flight server on 127.0.0.1, and say what it cost.
#[derive(Parser)]
struct Args {
    /// The server's port on 127.0.0.1.
    #[arg(long)]
    port: u16,
    /// Timed reads, after one warm-up read.
    #[arg(long, default_value_t = 7)]
    runs: usize,
}

// One stream at a time: a single-threaded runtime is all a client needs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let url = format!("grpc://127.0.0.1:{}", args.port);
    let mut client = flight_client::connect(&url).await?;
    flight_client::read_table(&mut client, kit::TICKET)
        .await
        .context("the warm-up read")?;

    let mut seconds = Vec::with_capacity(args.runs);
    let mut rows = 0;
    let before = Usage::of_self()?;
    let started = unix_ns()?;
    for _ in 0..args.runs {
        let start = Instant::now();
        let table = flight_client::read_table(&mut client, kit::TICKET).await?;
        seconds.push(start.elapsed().as_secs_f64());
        rows = table.num_rows();
        drop(table);
    }
    let ended = unix_ns()?;
    let spent = Usage::of_self()?.since(before);

    let report = json!({
        "seconds": seconds,
        "rows": rows,
        "peak_rss": peak_rss(std::process::id()),
        "cpu_seconds": spent.cpu_seconds,
        "minor_faults": spent.minor_faults,
        "started_ns": started,
        "ended_ns": ended,
    });
    println!("{report}");
    Ok(())
}

/// Now, in nanoseconds since the Unix epoch: comparable across processes.
fn unix_ns() -> anyhow::Result<u64> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?;
    u64::try_from(since.as_nanos()).context("the clock is past 2554")
}
