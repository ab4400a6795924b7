//! `cargo run --release -p flight-bench`: how fast is it?
//!
//! Reads the table from each server with each client, several times, every
//! peer its own process: the lesson's server and fast-flight's, both read by
//! the lesson's client code (`bench-client`), and pyarrow's (`--with-pyarrow`);
//! for each pair also the CPU time and page faults of both sides, their own
//! peak memory, a small table's round trips and clients reading at once;
//! uploads of the table to step 6's dataset servers (ours, and pyarrow's);
//! and the machine's limits (loopback TCP, iperf3 when installed, memcpy),
//! all in one run.

mod chart;
mod limits;
mod peers;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use flight_bench::usage::{Usage, peak_rss};
use harness::Server;
use indicatif::{ProgressBar, ProgressStyle};
use peers::{ClientReport, ClientSide, Pair, Programs};
use report::{
    CLIENTS_AT_ONCE, Costs, Measured, ROUND_TRIP_READS, ROUND_TRIP_ROWS, Report, Uploaded,
};
use stats::{RoundTrip, Stats};

/// Benchmark Arrow Flight transfers: Rust and pyarrow peers, and the machine's limits.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Rows in the table (16 bytes each: two int64 columns).
    #[arg(long, default_value_t = 10_000_000)]
    rows: usize,
    /// Timed reads of each client of the big table, after its warm-up read (and
    /// timed uploads of it, after a warm-up upload).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Also measure pyarrow -> pyarrow, pyarrow -> rust and rust -> pyarrow, and
    /// pyarrow's uploads.
    #[arg(long)]
    with_pyarrow: bool,
    /// The Python with pyarrow, for --with-pyarrow.
    #[arg(long, default_value = "python3")]
    python: PathBuf,
    /// Also write every figure to this JSON file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Also write results.json, results.md (a table), results.svg (a chart),
    /// results.txt (what is printed) and uploads.txt (its uploads' part) here.
    #[arg(long)]
    report_dir: Option<PathBuf>,
    /// Measure nothing: draw DIR/results.md, results.svg, results.txt and uploads.txt
    /// again from DIR/results.json, as a run with --report-dir DIR drew them.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["with_pyarrow", "json", "report_dir"])]
    redraw: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    kit::exit_code(match &args.redraw {
        Some(dir) => redraw(dir),
        None => run(args),
    })
}

/// `--redraw DIR`: the drawings of DIR/results.json, written beside it.
fn redraw(dir: &Path) -> anyhow::Result<()> {
    let report = read_report(&dir.join("results.json"))?;
    for (name, text) in drawings(&report) {
        write(&dir.join(name), &text)?;
    }
    print!("{}", report.table());
    println!("{}", report.summary_line());
    Ok(())
}

/// The figures of a results.json.
fn read_report(path: &Path) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let json = serde_json::from_str(&text).with_context(|| format!("{}", path.display()))?;
    Report::from_json(&json).with_context(|| format!("{}", path.display()))
}

/// What --report-dir writes besides results.json: file name and text.
fn drawings(report: &Report) -> [(&'static str, String); 4] {
    [
        ("results.md", chart::markdown(report)),
        ("results.svg", chart::svg(report)),
        (
            "results.txt",
            format!("{}{}\n", report.table(), report.summary_line()),
        ),
        ("uploads.txt", report.uploads_table()),
    ]
}

fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.runs > 0 && args.rows > 0,
        "--rows and --runs must be at least 1"
    );
    let pyarrow_version = match args.with_pyarrow {
        true => Some(peers::check_pyarrow(&args.python)?),
        false => None,
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build measures nothing useful: use cargo run --release -p flight-bench"
        );
    }
    let binaries = harness::build(harness::Progress::Show)?;
    let programs = Programs {
        lesson_server: binaries.path("solution-02-server")?.to_path_buf(),
        fast_server: binaries.path("fast-flight-server")?.to_path_buf(),
        bench_client: binaries.path("bench-client")?.to_path_buf(),
        datasets_server: binaries.path("solution-06-datasets-server")?.to_path_buf(),
        python: args.python.clone(),
    };
    let bytes = args.rows as u64 * 16;
    let pairs = peers::pairs(args.with_pyarrow);
    let upload_pairs = peers::upload_pairs(args.with_pyarrow);
    let steps = pairs.len() * 3 + upload_pairs.len() + 3;
    let bar = ProgressBar::new(steps as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").context("a progress style")?,
    );

    // The machine's limits first: quick, and a failure loses little.
    bar.set_message("loopback tcp");
    // One stream at a time: a single-threaded runtime is all it needs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tcp = Stats::of(runtime.block_on(limits::loopback_tcp(bytes, args.runs))?);
    bar.inc(1);
    bar.set_message("iperf3");
    let iperf3 = limits::iperf3(bytes).context("iperf3")?;
    bar.inc(1);
    bar.set_message("memcpy");
    let memcpy = Stats::of(limits::memcpy(bytes, args.runs));
    bar.inc(1);

    let mut measured = Vec::new();
    for pair in pairs {
        measured.push(
            measure(&programs, pair, &args, bytes, &bar).with_context(|| pair.name.to_string())?,
        );
    }
    let mut uploads = Vec::new();
    for (name, side) in upload_pairs {
        bar.set_message(format!(
            "{name} uploads: {} rows x {} runs",
            args.rows, args.runs
        ));
        uploads.push(
            measure_uploads(&programs, name, side, &args)
                .with_context(|| format!("{name} uploads"))?,
        );
        bar.inc(1);
    }
    bar.finish_and_clear();

    let report = Report {
        rows: args.rows,
        runs: args.runs,
        bytes,
        clients_at_once: CLIENTS_AT_ONCE,
        round_trip_rows: ROUND_TRIP_ROWS,
        round_trip_reads: ROUND_TRIP_READS,
        measured,
        uploads,
        tcp,
        memcpy,
        iperf3,
        pyarrow_version,
    };
    print!("{}", report.table());
    let json = serde_json::to_string_pretty(&report.json()).context("encode the figures")? + "\n";
    if let Some(path) = &args.json {
        write(path, &json)?;
    }
    if let Some(dir) = &args.report_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write(&dir.join("results.json"), &json)?;
        for (name, text) in drawings(&report) {
            write(&dir.join(name), &text)?;
        }
    }
    println!("{}", report.summary_line());
    Ok(())
}

/// One pair: one client's reads of the big table and what both sides spent
/// on them, then clients at once, then the small table's round trips.
fn measure(
    programs: &Programs,
    pair: Pair,
    args: &Args,
    bytes: u64,
    bar: &ProgressBar,
) -> anyhow::Result<Measured> {
    bar.set_message(format!(
        "{}: {} rows x {} runs",
        pair.name, args.rows, args.runs
    ));
    let server = programs
        .start_server(pair.server, args.rows)
        .context("the server did not start")?;
    let (client, server_costs) = serving(&server, args.runs, || {
        programs.run_client(pair.client, server.port, args.rows, args.runs)
    })
    .context("the transfer failed")?;
    bar.inc(1);

    bar.set_message(format!("{}: {CLIENTS_AT_ONCE} clients at once", pair.name));
    let clients = programs
        .run_clients_at_once(
            CLIENTS_AT_ONCE,
            pair.client,
            server.port,
            args.rows,
            args.runs,
        )
        .with_context(|| format!("{CLIENTS_AT_ONCE} clients at once"))?;
    drop(server);
    let windows: Vec<_> = clients.iter().map(|c| (c.started_ns, c.ended_ns)).collect();
    let all_bytes = (CLIENTS_AT_ONCE * args.runs) as u64 * bytes;
    let clients_mb_per_s = stats::aggregate_mb_per_s(&windows, all_bytes);
    bar.inc(1);

    bar.set_message(format!(
        "{}: {ROUND_TRIP_READS} round trips of {ROUND_TRIP_ROWS} rows",
        pair.name
    ));
    let small = programs
        .start_server(pair.server, ROUND_TRIP_ROWS)
        .context("the round trips' server did not start")?;
    let trips = programs
        .run_client(pair.client, small.port, ROUND_TRIP_ROWS, ROUND_TRIP_READS)
        .context("the round trips failed")?;
    drop(small);
    bar.inc(1);

    Ok(measured(
        pair,
        client,
        server_costs,
        clients_mb_per_s,
        &trips,
    ))
}

/// Runs `client` against `server`, and what the server spent serving it:
/// its warm-up and `runs` timed transfers (CPU and faults None where /proc
/// cannot tell), and its peak memory so far.
fn serving(
    server: &Server,
    runs: usize,
    client: impl FnOnce() -> anyhow::Result<ClientReport>,
) -> anyhow::Result<(ClientReport, Costs)> {
    // What the server spent before, to take from what it spent after.
    let before = Usage::of_process(server.pid()).ok();
    let report = client()?;
    let served =
        before.and_then(|before| Some(Usage::of_process(server.pid()).ok()?.since(before)));
    let costs = Costs {
        fetches: runs as u64 + 1,
        cpu_seconds: served.map(|u| u.cpu_seconds),
        minor_faults: served.map(|u| u.minor_faults),
        peak_rss: peak_rss(server.pid()),
    };
    Ok((report, costs))
}

/// One upload pair: a client uploads the table to the dataset server of its
/// kind, on a fresh data directory, once to warm up then `--runs` times, as
/// one dataset; what the server spent on them.
fn measure_uploads(
    programs: &Programs,
    name: &str,
    side: ClientSide,
    args: &Args,
) -> anyhow::Result<Uploaded> {
    let data_dir = tempfile::tempdir().context("cannot make a data directory")?;
    let server = programs
        .start_datasets_server(side, data_dir.path())
        .context("the server did not start")?;
    let (client, server_costs) = serving(&server, args.runs, || {
        programs.run_uploads(side, server.port, args.rows, args.runs)
    })
    .context("the upload failed")?;
    drop(server);
    let stored = data_dir
        .path()
        .join(format!("{}.parquet", flight_bench::UPLOADED));
    anyhow::ensure!(
        stored.metadata().is_ok_and(|file| file.len() > 0),
        "the server stored no {}",
        stored.display()
    );
    Ok(Uploaded {
        name: name.to_string(),
        stats: Stats::of(client.seconds),
        server: server_costs,
    })
}

/// A pair's figures, from what its processes reported.
fn measured(
    pair: Pair,
    client: ClientReport,
    server: Costs,
    clients_mb_per_s: Option<f64>,
    trips: &ClientReport,
) -> Measured {
    Measured {
        name: pair.name.to_string(),
        client: Costs {
            fetches: client.seconds.len() as u64,
            cpu_seconds: Some(client.cpu_seconds),
            minor_faults: Some(client.minor_faults),
            peak_rss: client.peak_rss,
        },
        stats: Stats::of(client.seconds),
        clients_mb_per_s,
        round_trip: Some(RoundTrip::of(&trips.seconds)),
        server,
    }
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The book's table and chart are what the code draws from the book's
    /// results.json: a change to the drawing is redrawn, not re-measured.
    #[test]
    fn the_book_shows_what_its_results_json_draws() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/bench");
        let report = read_report(&dir.join("results.json")).expect("the book's results");
        for (name, text) in drawings(&report) {
            let committed = std::fs::read_to_string(dir.join(name)).expect("a drawing");
            assert!(
                committed == text,
                "book/src/bench/{name} is not drawn from results.json: run \
                 `cargo run -p flight-bench -- --redraw book/src/bench`"
            );
        }
    }
}
