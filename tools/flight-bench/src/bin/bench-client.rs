//! The Rust side of the benchmark, as its own process: flight-bench runs it
//! so that its memory, CPU time and page faults are its own.
//!
//! Reads the table with the lesson's client code (`flight_client::read_table`),
//! once to warm up, then `--runs` times over the same connection; or, with
//! `--upload ROWS`, uploads a table of the page's shape as step 6's upload
//! program does. Prints one JSON line, the same fields as
//! `python/bench_client.py`: `seconds` (each timed transfer), `rows` (of the
//! last one), `peak_rss` (bytes), `cpu_seconds` (user + sys) and
//! `minor_faults` during the timed transfers, `started_ns` / `ended_ns` (Unix
//! time of their start and end).

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::{FlightClient, FlightDescriptor, PutResult};
use clap::Parser;
use flight_bench::UPLOADED;
use flight_bench::usage::{Usage, peak_rss};
use futures::stream::{self, StreamExt, TryStreamExt};
use kit::Table;
use serde_json::{Value, json};

// The client of both Rust pairs, with the allocator of the fast server (so
// that the two Rust pairs differ by their server only).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long one upload may take: the server answers once it has stored it
/// (step 6's upload program allows as long).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// Read the table from a Flight server on 127.0.0.1 (or upload one), and say what it cost.
#[derive(Parser)]
struct Args {
    /// The server's port on 127.0.0.1.
    #[arg(long)]
    port: u16,
    /// Timed transfers, after one warm-up transfer.
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Upload a table of ROWS rows (the page's shape) to step 6's server instead,
    /// as the dataset "uploaded", each time replacing the last.
    #[arg(long, value_name = "ROWS")]
    upload: Option<usize>,
}

// One stream at a time: a single-threaded runtime is all a client needs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let url = format!("grpc://127.0.0.1:{}", args.port);
    let report = match args.upload {
        None => {
            let mut client = flight_client::connect(&url).await?;
            let read = async || flight_client::read_table(&mut client, kit::TICKET).await;
            timed(args.runs, read, Table::num_rows).await?
        }
        Some(rows) => {
            let table = page_table::build_table(rows).context("cannot build the table")?;
            let channel = kit::endpoint(&url)?
                .timeout(UPLOAD_TIMEOUT)
                .connect()
                .await
                .map_err(|error| kit::explain_connect(&url, &error))?;
            let mut client = FlightClient::new(channel);
            timed(
                args.runs,
                async || upload(&mut client, &table).await,
                |&rows| rows,
            )
            .await?
        }
    };
    println!("{report}");
    Ok(())
}

/// `transfer` once to warm up, then `runs` times, timed, and what they cost:
/// the JSON line. What a transfer gives back is dropped after its time is
/// taken (a table read is freed outside it); `rows` counts its rows.
async fn timed<T>(
    runs: usize,
    mut transfer: impl AsyncFnMut() -> anyhow::Result<T>,
    rows: impl Fn(&T) -> usize,
) -> anyhow::Result<Value> {
    transfer().await.context("the warm-up")?;

    let mut seconds = Vec::with_capacity(runs);
    let mut last_rows = 0;
    let before = Usage::of_self()?;
    let started = unix_ns()?;
    for _ in 0..runs {
        let start = Instant::now();
        let moved = transfer().await?;
        seconds.push(start.elapsed().as_secs_f64());
        last_rows = rows(&moved);
        drop(moved);
    }
    let ended = unix_ns()?;
    let spent = Usage::of_self()?.since(before);

    Ok(json!({
        "seconds": seconds,
        "rows": last_rows,
        "peak_rss": peak_rss(std::process::id()),
        "cpu_seconds": spent.cpu_seconds,
        "minor_faults": spent.minor_faults,
        "started_ns": started,
        "ended_ns": ended,
    }))
}

/// Step 6's upload (`solutions/06-datasets/src/bin/upload.rs`): the
/// descriptor's path names the dataset; the encoder sends it with the
/// schema, then each batch; the server answers once it has stored them.
/// Gives the rows sent.
async fn upload(client: &mut FlightClient, table: &Table) -> anyhow::Result<usize> {
    let descriptor = FlightDescriptor::new_path(vec![UPLOADED.to_string()]);
    let batches = stream::iter(table.batches.clone()).map(Ok);
    let messages = FlightDataEncoderBuilder::new()
        .with_schema(table.schema.clone())
        .with_flight_descriptor(Some(descriptor))
        .build(batches);
    let _answers: Vec<PutResult> = client
        .do_put(messages)
        .await
        .map_err(kit::explain)?
        .try_collect()
        .await
        .map_err(kit::explain)?;
    Ok(table.num_rows())
}

/// Now, in nanoseconds since the Unix epoch: comparable across processes.
fn unix_ns() -> anyhow::Result<u64> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?;
    u64::try_from(since.as_nanos()).context("the clock is past 2554")
}
