//! The two sides of each measured pair: servers started as processes, and
//! clients (ours in this process, pyarrow's as a process).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use harness::Server;

/// Which server to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Rust,
    Pyarrow,
}

/// What a client measured: run times and its peak memory.
pub struct ClientRuns {
    pub runs: Vec<Duration>,
    pub peak_rss: Option<u64>,
}

/// Starts a server with `rows` rows on a free port of 127.0.0.1.
pub fn start_server(
    side: Side,
    rust_server: &Path,
    python: &Path,
    rows: usize,
) -> anyhow::Result<Server> {
    let rows = rows.to_string();
    match side {
        Side::Rust => Server::start(
            rust_server,
            &["--host", "127.0.0.1", "--port", "0", "--rows", &rows],
        ),
        Side::Pyarrow => {
            let script = python_dir().join("serve_on_port.py");
            Server::start(
                python,
                &[script.to_str().context("a UTF-8 path")?, "0", &rows],
            )
        }
    }
}

/// Our client, in this process: a warm-up read, then `runs` timed reads of
/// `rows` rows over one connection.
pub async fn rust_client(port: u16, rows: usize, runs: usize) -> anyhow::Result<ClientRuns> {
    let mut client = flight_client::connect(&format!("grpc://127.0.0.1:{port}")).await?;
    let mut times = Vec::with_capacity(runs);
    for run in 0..=runs {
        let start = Instant::now();
        let table = flight_client::read_table(&mut client, kit::TICKET).await?;
        let elapsed = start.elapsed();
        ensure!(
            table.num_rows() == rows,
            "read {} rows, expected {rows}",
            table.num_rows()
        );
        if run > 0 {
            times.push(elapsed);
        }
    }
    Ok(ClientRuns {
        runs: times,
        peak_rss: peak_rss(std::process::id()),
    })
}

/// pyarrow's client, as a process: `python/bench_client.py`.
pub fn pyarrow_client(
    python: &Path,
    port: u16,
    rows: usize,
    runs: usize,
) -> anyhow::Result<ClientRuns> {
    let script = python_dir().join("bench_client.py");
    let output = harness::run(
        python,
        &[
            script.to_str().context("a UTF-8 path")?,
            &port.to_string(),
            &runs.to_string(),
        ],
    )?;
    if output.code != Some(0) {
        bail!("the pyarrow client failed:\n{}", output.transcript());
    }
    let report: serde_json::Value =
        serde_json::from_str(output.stdout.trim()).context("the pyarrow client's report")?;
    ensure!(
        report["rows"] == rows,
        "pyarrow read {} rows, expected {rows}",
        report["rows"]
    );
    let runs = report["seconds"]
        .as_array()
        .context("no run times")?
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .map(Duration::from_secs_f64)
        .collect();
    Ok(ClientRuns {
        runs,
        peak_rss: report["peak_rss"].as_u64(),
    })
}

/// Fails with what to do when `python` cannot import pyarrow.
pub fn check_pyarrow(python: &Path) -> anyhow::Result<String> {
    let output = harness::run(
        python,
        &["-c", "import pyarrow; print(pyarrow.__version__)"],
    )
    .with_context(|| format!("cannot run {}", python.display()))?;
    if output.code != Some(0) {
        bail!(
            "{} has no pyarrow: make a venv with scripts/python-venv.sh and pass --python target/pyarrow-venv/bin/python",
            python.display()
        );
    }
    Ok(output.stdout.trim().to_string())
}

/// A process's peak resident memory in bytes (`VmHWM` in /proc; Linux only).
pub fn peak_rss(pid: u32) -> Option<u64> {
    let process = procfs::process::Process::new(i32::try_from(pid).ok()?).ok()?;
    let kib = process.status().ok()?.vmhwm?;
    Some(kib * 1024)
}

fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_rss_is_read_from_proc() {
        let bytes = peak_rss(std::process::id()).expect("VmHWM of this process");
        assert!(bytes >= 1 << 20, "{bytes} bytes");
        assert_eq!(peak_rss(u32::MAX), None);
    }
}
