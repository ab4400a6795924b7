//! Any Flight client reads any Flight server: the page's own Python programs
//! (real pyarrow, pinned in python/requirements.txt) against our Rust ones.
//! The first run creates the venv under target/ (scripts/python-venv.sh).

use flight_client::{connect, read_table};
use flight_path_tests::{
    PAGE_CLIENT_OUTPUT, redactions, run, run_python, start_python_server, start_server, url,
};
use insta::assert_snapshot;

const TEN_MILLION: usize = 10_000_000;

/// sum(value) for n rows: 10 * (0 + 1 + ... + n-1).
fn value_sum(rows: usize) -> i64 {
    let n = rows as i64;
    10 * n * (n - 1) / 2
}

#[test]
fn the_page_python_client_reads_our_rust_server() {
    let server = start_server(&[]);
    let output = run_python("read_from_port.py", &[&server.port.to_string()]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT);
}

#[test]
fn our_rust_client_reads_the_page_python_server() {
    let server = start_python_server(1000);
    let output = run("solution-04-client", &["--url", &url(server.port)]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT);
}

#[test]
fn pyarrow_discovers_the_dataset_on_our_server() {
    let server = start_server(&[]);
    let output = run_python("interop_probe.py", &[&server.port.to_string(), "discover"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_snapshot!("pyarrow_discovers", output.stdout);
}

#[test]
fn ten_million_rows_cross_from_rust_to_pyarrow() {
    let server = start_server(&["--rows", &TEN_MILLION.to_string()]);
    let output = run_python("interop_probe.py", &[&server.port.to_string(), "checksum"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    let expected = format!("rows={TEN_MILLION} sum(value)={}\n", value_sum(TEN_MILLION));
    assert_eq!(output.stdout, expected);
}

#[tokio::test]
async fn ten_million_rows_cross_from_pyarrow_to_rust() {
    // pyarrow sends its one 10M-row batch as one 160 MB message: far over
    // tonic's default 4 MiB limit, which our client raises.
    let server = start_python_server(TEN_MILLION);
    let mut client = connect(&url(server.port)).await.expect("connect");
    let table = read_table(&mut client, "dataset")
        .await
        .expect("read the table");
    assert_eq!(table.num_rows(), TEN_MILLION);
    assert_eq!(flight_path_tests::value_sum(&table), value_sum(TEN_MILLION));
}

#[test]
fn verify_port_recognises_the_python_server() {
    let server = start_python_server(1000);
    let output = run(
        "solution-03-verify-port",
        &["--port", &server.port.to_string()],
    );
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    redactions(Some(server.port))
        .bind(|| assert_snapshot!("verify_port_python_server", output.stdout));
}
