//! Helpers for the end-to-end tests: the solutions' binaries, a server on a
//! free port, and redaction of what changes from run to run.

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
/// creates the venv under `target/` the first time (and says so).
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let output = Command::new(workspace().join("scripts/python-venv.sh"))
            .stderr(Stdio::inherit())
            .output()
            .expect("cannot run scripts/python-venv.sh");
        assert!(
            output.status.success(),
            "scripts/python-venv.sh failed: see its message above"
        );
        PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
    })
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
    let script = workspace().join("python/flight_server.py");
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
pub fn value_sum(table: &page_table::Table) -> i64 {
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

/// Replaces each value that changes between runs by its placeholder, e.g.
/// `(port, "[PORT]")`. Whole numbers only: port 123 does not touch pid 41234.
pub fn redact(text: &str, values: &[(u32, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = &rest[start..];
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        let number = &digits[..end];
        let placeholder = values
            .iter()
            .find(|(value, _)| number.parse() == Ok(*value))
            .map_or(number, |(_, placeholder)| placeholder);
        out.push_str(placeholder);
        rest = &digits[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces the number after each `label` (such as `pid=`) by `placeholder`.
pub fn redact_after(text: &str, label: &str, placeholder: &str) -> String {
    let mut parts = text.split(label);
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let digits = part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(part.len());
        out.push_str(label);
        out.push_str(if digits > 0 { placeholder } else { "" });
        out.push_str(&part[digits..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_replaces_whole_numbers_only() {
        let text = "port 41234, pid=123, fd=9, 1234";
        assert_eq!(
            redact(text, &[(41234, "[PORT]"), (123, "[PID]")]),
            "port [PORT], pid=[PID], fd=9, 1234"
        );
    }

    #[test]
    fn redact_after_replaces_the_number_after_a_label() {
        assert_eq!(
            redact_after("(\"x\",pid=42,fd=9) pid=", "fd=", "[FD]"),
            "(\"x\",pid=42,fd=[FD]) pid="
        );
    }
}
