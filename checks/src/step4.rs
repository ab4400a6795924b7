//! Step 4: the client, run as a real process against the reference server,
//! which serves tables of several shapes: the page's, an empty one, one of
//! many batches, and one sent as a single 16 MB message (as pyarrow does).

use std::net::TcpListener;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use harness::Output;

use crate::reference::{ReferenceServer, Serving, closed_port};
use crate::report::is_one_error_line;
use crate::table::indent;
use crate::{Check, Mistake, Outcome, PAGE_CLIENT_OUTPUT, self_check};

const LESSON: &str = "src/lib.rs";

/// The self-check of step 4, for the crate in `crate_dir` and its client binary.
pub fn check(crate_dir: &str, binary: &str) -> ExitCode {
    let binary = Path::new(binary);
    let page = Serving::PAGE;
    self_check(
        4,
        crate_dir,
        vec![
            Check::new("it prints what the page shows", || {
                prints(binary, page, PAGE_CLIENT_OUTPUT)
            }),
            Check::new("an empty table: its schema, then Rows: 0", || {
                let empty = Serving { rows: 0, ..page };
                prints(binary, empty, "id: int64\nvalue: int64\nRows: 0\n")
            }),
            Check::new("a table of many batches: every row counted", || {
                let many = Serving {
                    rows: 200_000,
                    batch_rows: 65_536,
                    ..page
                };
                prints(binary, many, "id: int64\nvalue: int64\nRows: 200000\n")
            }),
            Check::new("a 16 MB message, as pyarrow sends 1M rows", || {
                let big = Serving {
                    rows: 1_000_000,
                    batch_rows: 1_000_000,
                    max_message: usize::MAX,
                    ..page
                };
                prints(binary, big, "id: int64\nvalue: int64\nRows: 1000000\n")
            }),
            Check::new("an unknown ticket: one line on stderr, exit code 1", || {
                let server = ReferenceServer::start(page);
                let output = run(
                    binary,
                    &["--url", &server.url(), "--ticket", "no-such-ticket"],
                )?;
                one_line_error(&output, "with --ticket no-such-ticket", "NotFound")
            }),
            Check::new("no server: one line on stderr, exit code 1", || {
                let url = format!("grpc://127.0.0.1:{}", closed_port());
                let output = run(binary, &["--url", &url])?;
                one_line_error(&output, "with no server listening", "cannot connect")
            }),
            Check::new(
                "--timeout 1 and a server that never answers: it gives up",
                || gives_up_at_its_timeout(binary),
            ),
        ],
    )
}

fn run(binary: &Path, args: &[&str]) -> Result<Output, Mistake> {
    harness::run(binary, args).map_err(|e| Mistake::new(LESSON, format!("{e:#}")))
}

/// Runs the client against a reference server serving `serving`, and
/// compares its stdout with `expected`.
fn prints(binary: &Path, serving: Serving, expected: &str) -> Outcome {
    let server = ReferenceServer::start(serving);
    let output = run(binary, &["--url", &server.url()])?;
    if output.code == Some(0) && output.stdout == expected {
        return Ok(());
    }
    let rows = serving.rows;
    let advice = if output.stderr.contains("message length too large")
        || output.stderr.contains("OutOfRange")
        || output
            .stderr
            .contains("refused a message from the server as too large")
    {
        "\nyour client refused a large message: tonic's clients accept at most 4 MiB per \
         message unless told otherwise, and a pyarrow server sends each record batch as one \
         message (1M rows of two int64 columns is 16 MB); lift the client's decoding limit"
    } else if rows == 0 && output.code != Some(0) {
        "\nan empty table has a schema and no batch: take the schema from the stream \
         (FlightRecordBatchStream::schema), which carries it before any batch, not from the \
         first batch"
    } else if output.code == Some(0) && !output.stdout.ends_with(&format!("Rows: {rows}\n")) {
        "\nthe row count is off: count the rows of every batch the stream brings, \
         not only the first"
    } else {
        ""
    };
    Err(Mistake::new(
        LESSON,
        format!(
            "against a server of {rows} rows, the client should print:\n{}\n\
             it printed:\n{}{advice}",
            indent(expected),
            indent(&output.transcript())
        ),
    ))
}

/// Against a listener that never accepts (the kernel completes each
/// connection, then nothing answers, as a server that hangs), the client
/// given `--timeout 1` must give up after about a second, in one line.
fn gives_up_at_its_timeout(binary: &Path) -> Outcome {
    let silent = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = silent.local_addr().expect("its port").port();
    let url = format!("grpc://127.0.0.1:{port}");
    let started = Instant::now();
    let output = run(binary, &["--url", &url, "--timeout", "1"])?;
    let waited = started.elapsed();
    // Far from both: the model answer takes about 1 s, a client that ignores
    // --timeout waits for the connection's own 10 s handshake limit.
    if waited > Duration::from_secs(5) {
        return Err(Mistake::new(
            LESSON,
            format!(
                "given --timeout 1, against a server that takes the connection and never \
                 answers, the client waited {:.1} s: a client must give up when it was told \
                 to; bound the whole connect-and-read by args.timeout (kit::within does, and \
                 says what it met)",
                waited.as_secs_f64()
            ),
        ));
    }
    one_line_error(
        &output,
        "given --timeout 1 against a server that never answers",
        "within",
    )
}

/// A failure is one line on stderr, `error: ...` naming what happened, and exit code 1.
fn one_line_error(output: &Output, situation: &str, should_mention: &str) -> Outcome {
    if is_one_error_line(output, should_mention) {
        return Ok(());
    }
    let panicked = output.stderr.contains("panicked");
    let advice = if panicked {
        "\nit panicked: return the error from run() instead (with `?`), and kit::exit_code \
         prints it as one line"
    } else if output.code == Some(1) && !output.stderr.contains(should_mention) {
        "\ntonic's own errors say little to a user: kit::explain_connect (a connection that \
         failed) and kit::explain (a call that failed) turn them into a line that does"
    } else {
        ""
    };
    Err(Mistake::new(
        LESSON,
        format!(
            "{situation}, the client should exit with code 1 after one line on stderr, \
             \"error: ...\" mentioning \"{should_mention}\"; it printed:\n{}{advice}",
            indent(&output.transcript())
        ),
    ))
}
