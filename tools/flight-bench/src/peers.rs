//! The two sides of each measured pair, each its own process: servers
//! (the lesson's, fast-flight's, pyarrow's; for uploads, step 6's dataset
//! servers, ours and pyarrow's) and clients (bench-client, the lesson's
//! `flight_client::read_table`, and pyarrow's `bench_client.py`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use harness::Server;
use serde_json::Value;

/// A server program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerSide {
    /// `solution-02-server`: the model answer, as a learner writes it.
    Lesson,
    /// `fast-flight-server`: the lesson's, with the table encoded once, and mimalloc.
    Fast,
    /// The page's `flight_server.py` (`python/serve_on_port.py`).
    Pyarrow,
}

/// A client program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSide {
    /// `bench-client`: the lesson's `flight_client::read_table`, the Rust
    /// client of every pair.
    Rust,
    /// `python/bench_client.py`: pyarrow's `read_all`.
    Pyarrow,
}

/// One measured pair: a server, a client, and its name in the report.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub name: &'static str,
    pub server: ServerSide,
    pub client: ClientSide,
}

/// The pairs to measure, in the report's order: the lesson's server, the
/// fast server, then pyarrow's and the mixed ones. Every Rust client is
/// bench-client (the lesson's `read_table`): the Rust pairs differ by their
/// server only.
pub fn pairs(with_pyarrow: bool) -> Vec<Pair> {
    let pair = |name, server, client| Pair {
        name,
        server,
        client,
    };
    let mut pairs = vec![
        pair("lesson->lesson", ServerSide::Lesson, ClientSide::Rust),
        pair("rust->rust", ServerSide::Fast, ClientSide::Rust),
    ];
    if with_pyarrow {
        pairs.extend([
            pair("pyarrow->pyarrow", ServerSide::Pyarrow, ClientSide::Pyarrow),
            pair("pyarrow->rust", ServerSide::Pyarrow, ClientSide::Rust),
            pair("rust->pyarrow", ServerSide::Fast, ClientSide::Pyarrow),
        ]);
    }
    pairs
}

/// The upload pairs, in the report's order: each client uploads to the
/// dataset server of its own kind (step 6's model server, pyarrow's
/// `python/datasets_server.py`).
pub fn upload_pairs(with_pyarrow: bool) -> Vec<(&'static str, ClientSide)> {
    let mut pairs = vec![("rust->rust", ClientSide::Rust)];
    if with_pyarrow {
        pairs.push(("pyarrow->pyarrow", ClientSide::Pyarrow));
    }
    pairs
}

/// What a client process printed (one JSON line: see `src/bin/bench-client.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientReport {
    /// Each timed read (or upload).
    pub seconds: Vec<Duration>,
    /// The rows of the last one.
    pub rows: u64,
    pub peak_rss: Option<u64>,
    /// User + sys during the timed transfers.
    pub cpu_seconds: f64,
    /// Minor page faults during the timed transfers.
    pub minor_faults: u64,
    /// Unix time in nanoseconds of the start and end of the timed transfers.
    pub started_ns: u64,
    pub ended_ns: u64,
}

impl ClientReport {
    /// Reads a client's JSON line.
    pub fn parse(stdout: &str) -> anyhow::Result<ClientReport> {
        let json: Value = serde_json::from_str(stdout.trim())
            .with_context(|| format!("not one JSON line: {:?}", stdout.trim()))?;
        let number = |key: &str| {
            json[key]
                .as_u64()
                .with_context(|| format!("no whole number \"{key}\""))
        };
        let seconds = json["seconds"]
            .as_array()
            .context("no \"seconds\"")?
            .iter()
            .map(|s| {
                s.as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64)
                    .context("a time that is not a number of seconds")
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(ClientReport {
            seconds,
            rows: number("rows")?,
            peak_rss: json["peak_rss"].as_u64(),
            cpu_seconds: json["cpu_seconds"]
                .as_f64()
                .context("no number \"cpu_seconds\"")?,
            minor_faults: number("minor_faults")?,
            started_ns: number("started_ns")?,
            ended_ns: number("ended_ns")?,
        })
    }
}

/// The programs of both sides, built or found.
pub struct Programs {
    pub lesson_server: PathBuf,
    pub fast_server: PathBuf,
    pub bench_client: PathBuf,
    /// Step 6's model server, `solution-06-datasets-server`.
    pub datasets_server: PathBuf,
    pub python: PathBuf,
}

impl Programs {
    /// Starts a server with `rows` rows on a free port of 127.0.0.1.
    pub fn start_server(&self, side: ServerSide, rows: usize) -> anyhow::Result<Server> {
        let rows = rows.to_string();
        let rust = |program| {
            Server::start(
                program,
                &["--host", "127.0.0.1", "--port", "0", "--rows", &rows],
            )
        };
        match side {
            ServerSide::Lesson => rust(&self.lesson_server),
            ServerSide::Fast => rust(&self.fast_server),
            ServerSide::Pyarrow => {
                let script = python_dir().join("serve_on_port.py");
                Server::start(&self.python, &[utf8(&script)?, "0", &rows])
            }
        }
    }

    /// Starts the dataset server of `client`'s kind on a free port of
    /// 127.0.0.1, storing what it is sent in `data_dir` (new or empty).
    pub fn start_datasets_server(
        &self,
        client: ClientSide,
        data_dir: &Path,
    ) -> anyhow::Result<Server> {
        let dir = utf8(data_dir)?;
        match client {
            ClientSide::Rust => Server::start(
                &self.datasets_server,
                &["--host", "127.0.0.1", "--port", "0", "--data-dir", dir],
            ),
            ClientSide::Pyarrow => {
                let script = python_dir().join("datasets_server.py");
                Server::start(&self.python, &[utf8(&script)?, "0", dir])
            }
        }
    }

    /// Runs a client process to its end: a warm-up read and `runs` timed
    /// reads from the server on `port`; checks that each read `rows` rows.
    pub fn run_client(
        &self,
        side: ClientSide,
        port: u16,
        rows: usize,
        runs: usize,
    ) -> anyhow::Result<ClientReport> {
        self.run_client_with(side, port, rows, runs, &[])
    }

    /// The same, uploading a table of `rows` rows instead (`--upload ROWS`):
    /// a warm-up upload and `runs` timed ones, each replacing the last.
    pub fn run_uploads(
        &self,
        side: ClientSide,
        port: u16,
        rows: usize,
        runs: usize,
    ) -> anyhow::Result<ClientReport> {
        self.run_client_with(side, port, rows, runs, &["--upload", &rows.to_string()])
    }

    /// A client process with `extra` arguments after the port and runs.
    fn run_client_with(
        &self,
        side: ClientSide,
        port: u16,
        rows: usize,
        runs: usize,
        extra: &[&str],
    ) -> anyhow::Result<ClientReport> {
        let (port, runs) = (port.to_string(), runs.to_string());
        let script = python_dir().join("bench_client.py");
        let (program, mut args): (&Path, Vec<&str>) = match side {
            ClientSide::Rust => (&self.bench_client, vec!["--port", &port, "--runs", &runs]),
            ClientSide::Pyarrow => (&self.python, vec![utf8(&script)?, &port, &runs]),
        };
        args.extend(extra);
        let output = harness::run(program, &args)?;
        if output.code != Some(0) {
            let how = output
                .code
                .map_or_else(|| "was killed".to_string(), |c| format!("exited with {c}"));
            bail!(
                "the client ({}) {how}: {}",
                program.display(),
                last_words(&output.stderr)
            );
        }
        let report = ClientReport::parse(&output.stdout).context("the client's report")?;
        ensure!(
            report.seconds.len().to_string() == runs,
            "the client timed {} transfers, expected {runs}",
            report.seconds.len()
        );
        ensure!(
            report.rows == rows as u64,
            "the client moved {} rows, expected {rows}",
            report.rows
        );
        Ok(report)
    }

    /// Runs `count` client processes at once against the server on `port`.
    pub fn run_clients_at_once(
        &self,
        count: usize,
        side: ClientSide,
        port: u16,
        rows: usize,
        runs: usize,
    ) -> anyhow::Result<Vec<ClientReport>> {
        std::thread::scope(|scope| {
            let clients: Vec<_> = (0..count)
                .map(|_| scope.spawn(move || self.run_client(side, port, rows, runs)))
                .collect();
            clients
                .into_iter()
                .enumerate()
                .map(|(i, client)| match client.join() {
                    Ok(report) => report.with_context(|| format!("client {} of {count}", i + 1)),
                    Err(_) => bail!("client {} of {count}: its thread panicked", i + 1),
                })
                .collect()
        })
    }
}

/// The end of a failed client's stderr, on one line: its error (our client
/// prints one line; Python's traceback ends with the exception).
pub fn last_words(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    match lines.len() {
        0 => "(nothing on stderr)".to_string(),
        n => lines[n.saturating_sub(3)..].join(" | "),
    }
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

fn utf8(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("not a UTF-8 path: {}", path.display()))
}

fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_report_is_read_from_its_json_line() {
        let line = r#"{"seconds": [0.25, 0.5], "rows": 1000, "peak_rss": 4096,
            "cpu_seconds": 0.125, "minor_faults": 42, "started_ns": 10, "ended_ns": 20}"#;
        let report = ClientReport::parse(&format!("{}\n", line.replace('\n', " "))).unwrap();
        assert_eq!(
            report,
            ClientReport {
                seconds: vec![Duration::from_millis(250), Duration::from_millis(500)],
                rows: 1000,
                peak_rss: Some(4096),
                cpu_seconds: 0.125,
                minor_faults: 42,
                started_ns: 10,
                ended_ns: 20,
            }
        );
        // No peak_rss (where /proc cannot tell): read as None, not a failure.
        let python = r#"{"seconds": [0.1], "rows": 1, "cpu_seconds": 0.0,
            "minor_faults": 0, "started_ns": 1, "ended_ns": 2}"#;
        assert_eq!(ClientReport::parse(python).unwrap().peak_rss, None);
        let error = ClientReport::parse("Traceback").unwrap_err();
        assert!(
            format!("{error:#}").contains("not one JSON line"),
            "{error:#}"
        );
        let error = ClientReport::parse(r#"{"seconds": [], "rows": 1}"#).unwrap_err();
        assert!(format!("{error:#}").contains("cpu_seconds"), "{error:#}");
    }

    #[test]
    fn a_failed_client_is_told_in_one_line() {
        assert_eq!(
            last_words("error: cannot connect to grpc://127.0.0.1:1\n"),
            "error: cannot connect to grpc://127.0.0.1:1"
        );
        let traceback = "Traceback (most recent call last):\n  File \"b.py\", line 9, in <module>\n    main()\n  File \"b.py\", line 5, in main\n    x = f()\npyarrow._flight.FlightUnavailableError: failed to connect\n";
        assert_eq!(
            last_words(traceback),
            "File \"b.py\", line 5, in main | x = f() | pyarrow._flight.FlightUnavailableError: failed to connect"
        );
        let panic = "thread 'main' panicked at src/x.rs:1:1:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            last_words(panic),
            "thread 'main' panicked at src/x.rs:1:1: | boom"
        );
        assert_eq!(last_words(""), "(nothing on stderr)");
    }

    /// A client program that prints `stdout` and `stderr` and exits with `code`.
    fn fake_client(name: &str, stdout: &str, stderr: &str, code: i32) -> Programs {
        use std::os::unix::fs::PermissionsExt;
        let path =
            std::env::temp_dir().join(format!("flight-bench-{}-{name}.sh", std::process::id()));
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' '{stdout}'\nprintf '%s\\n' '{stderr}' >&2\nexit {code}\n"
        );
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Programs {
            lesson_server: PathBuf::new(),
            fast_server: PathBuf::new(),
            bench_client: path,
            datasets_server: PathBuf::new(),
            python: PathBuf::new(),
        }
    }

    #[test]
    fn a_failed_client_fails_the_run_with_its_error() {
        let run = |name, stdout, stderr, code| {
            let programs = fake_client(name, stdout, stderr, code);
            let result = programs.run_client(ClientSide::Rust, 1, 1000, 1);
            std::fs::remove_file(&programs.bench_client).ok();
            result.map_err(|error| format!("{error:#}"))
        };
        let error = run("exits", "", "error: cannot connect", 1).unwrap_err();
        assert!(
            error.contains("exited with 1: error: cannot connect"),
            "{error}"
        );
        assert!(!error.contains('\n'), "{error}");
        let error = run("garbles", "Rows: 1000", "", 0).unwrap_err();
        assert!(error.contains("not one JSON line"), "{error}");
        let line = r#"{"seconds": [0.1], "rows": 999, "peak_rss": 1, "cpu_seconds": 0.0, "minor_faults": 0, "started_ns": 1, "ended_ns": 2}"#;
        let error = run("short", line, "", 0).unwrap_err();
        assert!(error.contains("moved 999 rows, expected 1000"), "{error}");
        let report = run("reads", &line.replace("999", "1000"), "", 0).unwrap();
        assert_eq!(report.rows, 1000);
    }

    #[test]
    fn pyarrow_pairs_only_when_asked() {
        let names = |with| pairs(with).iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names(false), ["lesson->lesson", "rust->rust"]);
        assert_eq!(
            names(true),
            [
                "lesson->lesson",
                "rust->rust",
                "pyarrow->pyarrow",
                "pyarrow->rust",
                "rust->pyarrow"
            ]
        );
        let uploads = |with| upload_pairs(with).iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(uploads(false), ["rust->rust"]);
        assert_eq!(uploads(true), ["rust->rust", "pyarrow->pyarrow"]);
        // bench-client reads for every pair but pyarrow's client.
        for pair in pairs(true) {
            let rust = !pair.name.ends_with("->pyarrow");
            assert_eq!(pair.client == ClientSide::Rust, rust, "{}", pair.name);
        }
    }
}
