//! The Rust side of the benchmark, as its own process: flight-bench runs it
//! so that its memory, CPU time and page faults are its own.
//!
//! Reads the table once to warm up, then `--runs` times over the same
//! connection, and prints one JSON line, the same fields as
//! `python/bench_client.py`: `seconds` (each timed read), `rows` (of the last
//! read), `peak_rss` (bytes), `cpu_seconds` (user + sys) and `minor_faults`
//! during the timed reads, `started_ns` / `ended_ns` (Unix time of their
//! start and end) and, with `--decoder fast`, `bodies_received` /
//! `bodies_aligned` (summed over the timed reads).

use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use flight_bench::usage::{Usage, peak_rss};
use serde_json::json;

// The same allocator as the fast server, so that rust->rust compares code, not allocators.
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
    /// Which decoder reads the stream.
    #[arg(long, value_enum, default_value_t = Decoder::Lesson)]
    decoder: Decoder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Decoder {
    /// The lesson's client (`flight_client::read_table`), as a learner writes it.
    Lesson,
    /// fast-flight's decoder, which reads aligned bodies in place.
    Fast,
}

// One stream at a time: a single-threaded runtime is all a client needs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let url = format!("grpc://127.0.0.1:{}", args.port);
    let mut client = flight_client::connect(&url).await?;
    read(&mut client, args.decoder)
        .await
        .context("the warm-up read")?;

    let mut seconds = Vec::with_capacity(args.runs);
    let mut rows = 0;
    let mut bodies = fast_flight::Bodies::default();
    let before = Usage::of_self()?;
    let started = unix_ns()?;
    for _ in 0..args.runs {
        let start = Instant::now();
        let (table, read) = read(&mut client, args.decoder).await?;
        seconds.push(start.elapsed().as_secs_f64());
        rows = table.num_rows();
        drop(table);
        bodies.received += read.received;
        bodies.aligned += read.aligned;
    }
    let ended = unix_ns()?;
    let spent = Usage::of_self()?.since(before);

    let mut report = json!({
        "seconds": seconds,
        "rows": rows,
        "peak_rss": peak_rss(std::process::id()),
        "cpu_seconds": spent.cpu_seconds,
        "minor_faults": spent.minor_faults,
        "started_ns": started,
        "ended_ns": ended,
    });
    if args.decoder == Decoder::Fast {
        report["bodies_received"] = json!(bodies.received);
        report["bodies_aligned"] = json!(bodies.aligned);
    }
    println!("{report}");
    Ok(())
}

/// One read of the table with `decoder`; the lesson's decoder counts no bodies.
async fn read(
    client: &mut arrow_flight::FlightClient,
    decoder: Decoder,
) -> anyhow::Result<(kit::Table, fast_flight::Bodies)> {
    match decoder {
        Decoder::Lesson => Ok((
            flight_client::read_table(client, kit::TICKET).await?,
            fast_flight::Bodies::default(),
        )),
        Decoder::Fast => fast_flight::read_table_counting(client, kit::TICKET).await,
    }
}

/// Now, in nanoseconds since the Unix epoch: comparable across processes.
fn unix_ns() -> anyhow::Result<u64> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?;
    u64::try_from(since.as_nanos()).context("the clock is past 2554")
}
