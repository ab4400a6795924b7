//! `cargo run --release -p flight-bench`: how fast is it?
//!
//! Reads the table from our server with our client, several times, and
//! measures the same transfer with pyarrow's peers (`--with-pyarrow`) and
//! the machine's limits (loopback TCP, memcpy), all in one run.

mod chart;
mod limits;
mod peers;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use peers::Side;
use report::{Measured, Report};
use stats::Stats;

/// Benchmark Arrow Flight transfers: Rust and pyarrow peers, and the machine's limits.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Rows in the table (16 bytes each: two int64 columns).
    #[arg(long, default_value_t = 10_000_000)]
    rows: usize,
    /// Timed reads per pair, after one warm-up read.
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Also measure pyarrow -> pyarrow, pyarrow -> Rust and Rust -> pyarrow.
    #[arg(long)]
    with_pyarrow: bool,
    /// The Python with pyarrow, for --with-pyarrow.
    #[arg(long, default_value = "python3")]
    python: PathBuf,
    /// Also write every figure to this JSON file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Also write results.json, results.md (a table), results.svg (a chart) and
    /// results.txt (what is printed) here.
    #[arg(long)]
    report_dir: Option<PathBuf>,
    /// Measure nothing: draw DIR/results.md, results.svg and results.txt again from
    /// DIR/results.json, as a run with --report-dir DIR drew them.
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
fn drawings(report: &Report) -> [(&'static str, String); 3] {
    [
        ("results.md", chart::markdown(report)),
        ("results.svg", chart::svg(report)),
        (
            "results.txt",
            format!("{}{}\n", report.table(), report.summary_line()),
        ),
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
    let rust_server = binaries.path("solution-02-server")?.to_path_buf();
    // One stream at a time: a single-threaded runtime is all the client needs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let mut pairs = vec![(Side::Rust, Side::Rust)];
    if args.with_pyarrow {
        pairs.extend([
            (Side::Pyarrow, Side::Pyarrow),
            (Side::Pyarrow, Side::Rust),
            (Side::Rust, Side::Pyarrow),
        ]);
    }
    let bar = ProgressBar::new((pairs.len() + 2) as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").context("a progress style")?,
    );

    let mut measured = Vec::new();
    for (server_side, client_side) in pairs {
        let name = report::pair_name(server_side, client_side);
        bar.set_message(format!("{name}: {} rows x {} runs", args.rows, args.runs));
        let server = peers::start_server(server_side, &rust_server, &args.python, args.rows)
            .with_context(|| format!("{name}: the server did not start"))?;
        let client = match client_side {
            Side::Rust => runtime.block_on(peers::rust_client(server.port, args.rows, args.runs)),
            Side::Pyarrow => peers::pyarrow_client(&args.python, server.port, args.rows, args.runs),
        }
        .with_context(|| format!("{name}: the transfer failed"))?;
        let server_peak_rss = peers::peak_rss(server.pid());
        drop(server);
        measured.push(Measured {
            name,
            stats: Stats::of(client.runs),
            client_peak_rss: client.peak_rss,
            server_peak_rss,
        });
        bar.inc(1);
    }

    let bytes = args.rows as u64 * 16;
    bar.set_message("loopback tcp");
    let tcp = Stats::of(runtime.block_on(limits::loopback_tcp(bytes, args.runs))?);
    bar.inc(1);
    bar.set_message("memcpy");
    let memcpy = Stats::of(limits::memcpy(bytes, args.runs));
    bar.inc(1);
    bar.finish_and_clear();

    let report = Report {
        rows: args.rows,
        runs: args.runs,
        bytes,
        measured,
        tcp,
        memcpy,
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
