//! The fast path of tools/fast-flight (the book's "How fast is it?"): the
//! same answers as the lesson's server, to our client and to pyarrow's.

use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, run, run_python, url};
use harness::Server;

/// fast-flight's server on 127.0.0.1 and a free port, with `rows` rows.
fn start_fast_server(rows: usize) -> Server {
    let rows = rows.to_string();
    let args = ["--host", "127.0.0.1", "--port", "0", "--rows", &rows];
    Server::start(bin("fast-flight-server"), &args).unwrap_or_else(|e| panic!("{e:#}"))
}

#[test]
fn the_page_client_reads_the_fast_server_as_the_page_shows() {
    let server = start_fast_server(1000);
    let output = run("solution-04-client", &["--url", &url(server.port)]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT);
}

/// pyarrow reads the messages encoded once as it reads the lesson's, and
/// every row arrives (2M rows: 31 messages).
#[test]
fn pyarrow_reads_the_fast_server_row_for_row() {
    let rows = 2_000_000_i64;
    let server = start_fast_server(rows as usize);
    let output = run_python("interop_probe.py", &[&server.port.to_string(), "checksum"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    let sum = 10 * rows * (rows - 1) / 2;
    assert_eq!(output.stdout, format!("rows={rows} sum(value)={sum}\n"));
}
