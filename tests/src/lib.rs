//! Helpers for the end-to-end tests: the solutions' binaries, a server on a
//! free port, insta filters for what changes from run to run, and the book's
//! terminal outputs made from the snapshots ([`book_outputs`]).

pub mod book_outputs;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use harness::{Binaries, Output, Progress, Server};

/// The page's client output (section "Run it"), from `tests/expected/`.
pub const PAGE_CLIENT_OUTPUT: &str = include_str!("../expected/client.txt");

/// The page's server line (section "Run the server"), from `tests/expected/`.
pub const PAGE_SERVER_LINE: &str = include_str!("../expected/server.txt");

/// The path of a binary of the workspace, built once per test process.
pub fn bin(name: &str) -> &'static Path {
    static BINARIES: OnceLock<Binaries> = OnceLock::new();
    let binaries = BINARIES.get_or_init(|| {
        harness::build(Progress::Hide)
            .unwrap_or_else(|e| panic!("cannot build the binaries: {e:#}"))
    });
    binaries.path(name).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A Python with the pinned pyarrow, from `scripts/python-venv.sh`, which
/// creates the venv under `target/` the first time (and says so). The script
/// runs once per test binary; if it fails (no Python 3.9 or newer, no venv
/// module, PyPI out of reach), every test that needs pyarrow fails with the
/// script's one line, which says what to install.
///
/// `FLIGHT_PATH_PYTHON`, if set, is a Python that has pyarrow already: it is
/// used as it is (`scripts/test-python-versions.sh` runs these tests so with
/// each Python that `python/requirements.txt` pins a pyarrow for).
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let init = || match std::env::var_os("FLIGHT_PATH_PYTHON") {
        Some(python) => Ok(PathBuf::from(python)),
        None => venv_python(),
    };
    match PYTHON.get_or_init(init) {
        Ok(python) => python,
        Err(why) => panic!("{why}"),
    }
}

/// Runs `scripts/python-venv.sh`: its progress goes on to the terminal as it
/// comes (past the test's capture: it can take a minute), its `error:` line
/// is kept for the panic.
fn venv_python() -> Result<PathBuf, String> {
    use std::io::{BufRead, BufReader, Write};
    let script = workspace().join("scripts/python-venv.sh");
    let mut child = Command::new(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", script.display()))?;
    let mut errors = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("error: ") {
                errors.push(line);
            } else {
                writeln!(std::io::stderr().lock(), "{line}").ok();
            }
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("{}: {error}", script.display()))?;
    if !output.status.success() {
        return Err(if errors.is_empty() {
            format!("scripts/python-venv.sh failed ({})", output.status)
        } else {
            format!("scripts/python-venv.sh: {}", errors.join(" / "))
        });
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Runs one of the Python programs in `python/` with `args`.
pub fn run_python(script: &str, args: &[&str]) -> Output {
    let script = workspace().join("python").join(script);
    let mut all = vec![script.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    harness::run(python(), &all).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The page's Python server on a free port, with `rows` rows.
pub fn start_python_server(rows: usize) -> Server {
    let script = workspace().join("python/serve_on_port.py");
    let args = [
        script.to_str().expect("a UTF-8 path"),
        "0",
        &rows.to_string(),
    ];
    Server::start(python(), &args).unwrap_or_else(|e| panic!("{e:#}"))
}

/// Runs a binary of the workspace to the end.
pub fn run(name: &str, args: &[&str]) -> Output {
    harness::run(bin(name), args).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The reference server on 127.0.0.1 and a free port, with `extra` flags.
/// Never the page's 8815: a learner may have a server running there.
pub fn start_server(extra: &[&str]) -> Server {
    let mut args = vec!["--host", "127.0.0.1", "--port", "0"];
    args.extend_from_slice(extra);
    Server::start(bin("solution-02-server"), &args).unwrap_or_else(|e| panic!("{e:#}"))
}

/// `grpc://127.0.0.1:PORT`
pub fn url(port: u16) -> String {
    format!("grpc://127.0.0.1:{port}")
}

/// A port on which nothing listens: one the system just handed out and took back.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a free port");
    listener.local_addr().expect("no local address").port()
}

/// The sum of the `value` column: a checksum that every row arrived intact.
pub fn value_sum(table: &kit::Table) -> i64 {
    use arrow::array::AsArray;
    use arrow::datatypes::Int64Type;
    let column = |batch: &arrow::record_batch::RecordBatch| {
        batch["value"]
            .as_primitive::<Int64Type>()
            .values()
            .iter()
            .sum::<i64>()
    };
    table.batches.iter().map(column).sum()
}

/// insta settings that replace what changes from run to run by a
/// placeholder: `port` by `[PORT]` (whole numbers only: port 4123 leaves
/// 41234 alone), and the numbers after `pid=` and `fd=` by `[PID]` and `[FD]`.
/// Use: `redactions(Some(port)).bind(|| assert_snapshot!(...))`.
pub fn redactions(port: Option<u16>) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    // In order: a pid equal to the port is still a pid.
    settings.add_filter(r"\bpid=\d+", "pid=[PID]");
    settings.add_filter(r"\bfd=\d+", "fd=[FD]");
    if let Some(port) = port {
        settings.add_filter(&format!(r"\b{port}\b"), "[PORT]");
    }
    // A listener's backlog, ss's Send-Q: the kernel's to cap (at
    // net.core.somaxconn, 4096 since Linux 5.4), and 0 where ss may not ask
    // the kernel over netlink (it then reads /proc/net/tcp). ss sizes the
    // columns after it to the value's width: the spaces that follow go too.
    settings.add_filter(r"(?m)^(LISTEN +\d+ +)\d+ +", "${1}[BACKLOG] ");
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactions_replace_the_port_pid_and_fd_and_no_other_number() {
        redactions(Some(41234)).bind(|| {
            insta::assert_snapshot!(
                "127.0.0.1:41234 pid=41234,fd=9 412345 1234 pid= fd=x",
                @"127.0.0.1:[PORT] pid=[PID],fd=[FD] 412345 1234 pid= fd=x"
            );
        });
    }

    #[test]
    fn a_listeners_backlog_is_redacted_and_nothing_else() {
        redactions(None).bind(|| {
            insta::assert_snapshot!(
                "LISTEN 0      0              *:1    *:*\nLISTEN 0      128            *:1    *:*\n\
                 LISTEN 0      4096           *:1    *:*\nESTAB  0      0              *:1    *:*",
                @r"
            LISTEN 0      [BACKLOG] *:1    *:*
            LISTEN 0      [BACKLOG] *:1    *:*
            LISTEN 0      [BACKLOG] *:1    *:*
            ESTAB  0      0              *:1    *:*
            "
            );
        });
    }
}
