//! Step 6's dataset server, as real processes over real sockets: uploads by
//! our program and by pyarrow, read back by step 4's client, listed, dropped,
//! kept across a restart and a `kill -9`; bad names and limits refused; and
//! the server's memory during a 10M-row upload.
//!
//! The heavy tests (10M rows) run on x86-64 only: under qemu, the functional
//! ones run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use arrow_flight::{Action, FlightClient};
use flight_client::{connect, read_table};
use flight_path_tests::{bin, python, redactions, run, run_python, url, value_sum, workspace};
use futures::TryStreamExt;
use harness::{Output, Server, Signal};
use insta::assert_snapshot;
use tempfile::TempDir;

const SERVER: &str = "solution-06-datasets-server";
const UPLOAD: &str = "solution-06-datasets-upload";
const TEN_MILLION: usize = 10_000_000;

/// The server on a free port, with its data in `data`.
fn start(data: &Path, extra: &[&str]) -> Server {
    let data = data.to_str().expect("a UTF-8 path");
    let mut args = vec!["--host", "127.0.0.1", "--port", "0", "--data-dir", data];
    args.extend_from_slice(extra);
    Server::start(bin(SERVER), &args).unwrap_or_else(|e| panic!("{e:#}"))
}

/// Our upload program: `rows` rows of the page's shape as `name`.
fn upload(port: u16, name: &str, rows: usize) -> Output {
    let rows = rows.to_string();
    run(
        UPLOAD,
        &["--url", &url(port), "--name", name, "--rows", &rows],
    )
}

/// sum(value) for n rows: 10 * (0 + 1 + ... + n-1).
fn expected_sum(rows: usize) -> i64 {
    let n = rows as i64;
    10 * n * (n - 1) / 2
}

/// The datasets the server lists, with their rows.
async fn listed(port: u16) -> Vec<(String, i64)> {
    let mut client = connect(&url(port)).await.expect("connect");
    let flights: Vec<_> = client
        .list_flights(Vec::<u8>::new())
        .await
        .expect("list_flights")
        .try_collect()
        .await
        .expect("the flights");
    flights
        .iter()
        .map(|info| {
            let path = info
                .flight_descriptor
                .as_ref()
                .expect("a descriptor")
                .path
                .join("/");
            (path, info.total_records)
        })
        .collect()
}

/// Every file and folder under `root`, from it, sorted.
fn tree(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir)
            .expect("a folder")
            .map(|e| e.expect("an entry"))
        {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path.clone());
            }
            found.push(path.strip_prefix(root).expect("under root").to_path_buf());
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn an_upload_is_read_back_by_step_4s_client_listed_dropped_and_kept_across_a_restart() {
    let folder = TempDir::new().expect("a scratch folder");
    let data = folder.path().join("data");
    let server = start(&data, &[]);
    let stored = upload(server.port, "trips", 100_000);
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    assert_eq!(
        stored.stdout,
        "Stored 100000 rows as \"trips\" (the server says {\"rows\": 100000})\n"
    );
    let read = run(
        "solution-04-client",
        &["--url", &url(server.port), "--ticket", "trips"],
    );
    assert_eq!(read.stdout, "id: int64\nvalue: int64\nRows: 100000\n");
    assert_eq!(upload(server.port, "other", 10).code, Some(0));

    let before = listed(server.port).await;
    assert_eq!(
        before,
        [
            ("dataset".to_string(), 1000),
            ("other".to_string(), 10),
            ("trips".to_string(), 100_000)
        ]
    );
    server.stop().expect("a clean stop");
    // What a crash mid-upload leaves: removed at start.
    fs::write(data.join(".uploads/12345-0.parquet"), "half an upload").expect("an orphan");
    let server = start(&data, &[]);
    assert_eq!(
        listed(server.port).await,
        before,
        "a restart lists the same"
    );
    assert_eq!(uploads_in_progress(&data), 0, "the orphan is removed");

    let mut client = connect(&url(server.port)).await.expect("connect");
    drop_dataset(&mut client, "other")
        .await
        .expect("drop other");
    assert!(!data.join("other.parquet").exists());
    let status = drop_dataset(&mut client, "other").await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound, "{status}");
    let status = drop_dataset(&mut client, "dataset").await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status}");
    assert_eq!(listed(server.port).await.len(), 2);
}

async fn drop_dataset(client: &mut FlightClient, name: &str) -> Result<(), tonic::Status> {
    let action = Action::new("drop_dataset", name.to_string());
    let answers = client.do_action(action).await.map_err(status)?;
    answers.try_collect::<Vec<_>>().await.map_err(status)?;
    Ok(())
}

fn status(error: arrow_flight::error::FlightError) -> tonic::Status {
    match error {
        arrow_flight::error::FlightError::Tonic(status) => *status,
        other => tonic::Status::unknown(other.to_string()),
    }
}

/// What the chapter shows: an upload of 1M rows, step 4's client reading it
/// back, and a name refused.
#[test]
fn the_upload_the_read_back_and_a_bad_name_as_the_book_shows_them() {
    let folder = TempDir::new().expect("a scratch folder");
    let server = start(&folder.path().join("data"), &[]);
    let stored = upload(server.port, "trips", 1_000_000);
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    assert_snapshot!("upload", stored.stdout);
    let read = run(
        "solution-04-client",
        &["--url", &url(server.port), "--ticket", "trips"],
    );
    assert_eq!(read.code, Some(0), "{}", read.transcript());
    assert_snapshot!("read_back", read.stdout);
    let refused = upload(server.port, "../trips", 10);
    assert_eq!(refused.code, Some(1), "{}", refused.transcript());
    assert_eq!(
        refused.stderr.lines().count(),
        1,
        "{}",
        refused.transcript()
    );
    redactions(Some(server.port)).bind(|| assert_snapshot!("bad_name", refused.transcript()));
}

#[tokio::test]
async fn of_two_uploads_of_one_name_the_last_wins_and_readers_never_see_half_of_one() {
    let folder = TempDir::new().expect("a scratch folder");
    let server = start(&folder.path().join("data"), &[]);
    assert_eq!(upload(server.port, "shared", 100_000).code, Some(0));
    let port = server.port;
    let uploads: Vec<_> = [200_000, 300_000]
        .into_iter()
        .map(|rows| thread::spawn(move || upload(port, "shared", rows)))
        .collect();
    // Reading all along: each read is one whole version.
    let mut client = connect(&url(port)).await.expect("connect");
    while !uploads.iter().all(|upload| upload.is_finished()) {
        let table = read_table(&mut client, "shared").await.expect("a read");
        let rows = table.num_rows();
        assert!([100_000, 200_000, 300_000].contains(&rows), "{rows} rows");
        assert_eq!(value_sum(&table), expected_sum(rows), "whole, {rows} rows");
    }
    for upload in uploads {
        assert_eq!(upload.join().expect("an upload").code, Some(0));
    }
    let rows = read_table(&mut client, "shared")
        .await
        .expect("a read")
        .num_rows();
    assert!(
        [200_000, 300_000].contains(&rows),
        "the last rename wins: {rows}"
    );
}

#[test]
fn names_that_escape_are_refused_and_nothing_is_written_outside_the_data_directory() {
    let folder = TempDir::new().expect("a scratch folder");
    let data = folder.path().join("data");
    let server = start(&data, &[]);
    let before = tree(folder.path());
    let outside = folder.path().join("escaped");
    let long = "x".repeat(129);
    for name in [
        "../escaped",
        outside.to_str().expect("UTF-8"),
        "",
        "..",
        "a/b",
        ".uploads",
        ".flight-path-datasets",
        "bell\x07",
        "dataset",
        &long,
    ] {
        let output = upload(server.port, name, 10);
        assert_eq!(output.code, Some(1), "{name:?}: {}", output.transcript());
        assert!(
            output.stderr.contains("InvalidArgument"),
            "{name:?}: {}",
            output.stderr
        );
    }
    assert_eq!(tree(folder.path()), before, "nothing was written anywhere");
}

#[test]
fn a_data_directory_of_someone_elses_is_refused_in_one_line() {
    let folder = TempDir::new().expect("a scratch folder");
    fs::write(folder.path().join("notes.txt"), "mine").expect("a file");
    let data = folder.path().to_str().expect("UTF-8");
    let output = run(SERVER, &["--port", "0", "--data-dir", data]);
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("holds files this server did not make")
    );
    assert_eq!(tree(folder.path()), [PathBuf::from("notes.txt")]);
}

#[test]
fn the_limits_are_refused_with_resource_exhausted() {
    let folder = TempDir::new().expect("a scratch folder");
    let data = folder.path().join("data");
    let limits = ["--max-upload-bytes", "1MiB", "--max-datasets", "1"];
    let server = start(&data, &limits);
    // 100,000 rows of two int64 columns: 1.6 MB.
    let output = upload(server.port, "big", 100_000);
    assert!(
        output.stderr.contains("ResourceExhausted") && output.stderr.contains("--max-upload-bytes"),
        "{}",
        output.transcript()
    );
    assert_eq!(upload(server.port, "one", 10).code, Some(0));
    assert_eq!(
        upload(server.port, "one", 20).code,
        Some(0),
        "a new version"
    );
    let output = upload(server.port, "two", 10);
    assert!(
        output.stderr.contains("--max-datasets"),
        "{}",
        output.transcript()
    );
    assert!(
        fs::read_dir(data.join(".uploads"))
            .expect("uploads")
            .next()
            .is_none()
    );
}

#[test]
fn pyarrow_uploads_a_million_rows_in_one_batch_as_the_cookbook_does() {
    let folder = TempDir::new().expect("a scratch folder");
    let server = start(&folder.path().join("data"), &[]);
    let port = server.port.to_string();
    let output = run_python("datasets_client.py", &[&port, "million", "1000000"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(
        output.stdout,
        format!(
            "listed: dataset records=1000\nlisted: million records=1000000\n\
             read back: rows=1000000 sum(value)={}\nafter drop_dataset: ['dataset']\n",
            expected_sum(1_000_000)
        )
    );
}

/// Our own pyarrow dataset server (the cookbook's, streaming), on a free port.
fn start_pyarrow_server(data: &Path) -> Server {
    let script = workspace().join("python/datasets_server.py");
    let args = [
        script.to_str().expect("a UTF-8 path"),
        "0",
        data.to_str().expect("a UTF-8 path"),
    ];
    Server::start(python(), &args).unwrap_or_else(|e| panic!("{e:#}"))
}

#[test]
fn our_programs_upload_to_a_pyarrow_dataset_server_and_read_it_back() {
    let folder = TempDir::new().expect("a scratch folder");
    let server = start_pyarrow_server(&folder.path().join("data"));
    let stored = upload(server.port, "trips", 100_000);
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    assert_eq!(stored.stdout, "Stored 100000 rows as \"trips\"\n");
    let read = run(
        "solution-04-client",
        &["--url", &url(server.port), "--ticket", "trips"],
    );
    assert_eq!(read.stdout, "id: int64\nvalue: int64\nRows: 100000\n");
    let port = server.port.to_string();
    let output = run_python("datasets_client.py", &[&port, "million", "1000000"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert!(
        output
            .stdout
            .contains("read back: rows=1000000 sum(value)=4999995000000\n"),
        "{}",
        output.stdout
    );
}

#[tokio::test]
#[ignore = "heavy: 10M rows; CI runs it on x86-64 with the bursts and floods"]
async fn ten_million_rows_go_up_and_come_back_intact() {
    let folder = TempDir::new().expect("a scratch folder");
    let server = start(&folder.path().join("data"), &[]);
    let stored = upload(server.port, "ten", TEN_MILLION);
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    let mut client = connect(&url(server.port)).await.expect("connect");
    let table = read_table(&mut client, "ten").await.expect("read back");
    assert_eq!(table.num_rows(), TEN_MILLION);
    assert_eq!(value_sum(&table), expected_sum(TEN_MILLION));
}

/// The files of the uploads in progress.
fn uploads_in_progress(data: &Path) -> usize {
    fs::read_dir(data.join(".uploads")).map_or(0, |entries| entries.count())
}

#[tokio::test]
#[ignore = "heavy: 10M rows; CI runs it on x86-64 with the bursts and floods"]
async fn kill_9_mid_upload_leaves_the_previous_version_and_no_partial_dataset() {
    let folder = TempDir::new().expect("a scratch folder");
    let data = folder.path().join("data");
    let server = start(&data, &[]);
    assert_eq!(upload(server.port, "v", 1000).code, Some(0));
    let mut uploading = Command::new(bin(UPLOAD))
        .args(["--url", &url(server.port), "--name", "v"])
        .args(["--rows", &TEN_MILLION.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the upload starts");
    // Until the server is writing the new version.
    let deadline = Instant::now() + Duration::from_secs(60);
    while uploads_in_progress(&data) == 0 {
        assert!(Instant::now() < deadline, "no upload started");
        thread::sleep(Duration::from_millis(5));
    }
    let killed = server
        .stop_with(Signal::KILL, Duration::from_secs(10))
        .expect("killed");
    assert_eq!(killed.code, None, "killed by the signal");
    uploading.wait().expect("the upload ends");
    assert_eq!(
        uploads_in_progress(&data),
        1,
        "the crash left its temporary file"
    );

    let server = start(&data, &[]);
    assert_eq!(uploads_in_progress(&data), 0, "removed at start");
    assert_eq!(
        listed(server.port).await,
        [("dataset".to_string(), 1000), ("v".to_string(), 1000)]
    );
    let mut client = connect(&url(server.port)).await.expect("connect");
    let table = read_table(&mut client, "v").await.expect("the old version");
    assert_eq!(value_sum(&table), expected_sum(1000));
}

/// A process's peak resident memory (VmHWM), in bytes.
fn peak_memory(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

#[test]
#[ignore = "heavy: 10M rows; CI runs it on x86-64 with the bursts and floods"]
fn a_ten_million_row_upload_takes_one_row_group_of_memory_not_the_upload() {
    use datasets::MAX_MESSAGE_BYTES;
    use datasets::put::ROW_GROUP_BYTES;
    let folder = TempDir::new().expect("a scratch folder");
    let server = start(&folder.path().join("data"), &[]);
    // A first upload: what the server allocates once is counted before.
    assert_eq!(upload(server.port, "warm-up", 100_000).code, Some(0));
    let before = peak_memory(server.pid());
    let stored = upload(server.port, "ten", TEN_MILLION);
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    let after = peak_memory(server.pid());
    let grew = after.saturating_sub(before);
    // One row group, one message (our program sends 2 MiB ones; the server
    // would take up to MAX_MESSAGE_BYTES), and a fixed overhead.
    let overhead = 16 << 20;
    let bound = (ROW_GROUP_BYTES + (2 << 20) + overhead) as u64;
    let mib = |bytes: u64| bytes as f64 / f64::from(1 << 20);
    println!(
        "VmHWM during a 10M-row (160 MB) upload: {:.1} MiB before, {:.1} MiB after: \
         grew {:.1} MiB (bound {:.1} MiB; decoding limit {} MiB)",
        mib(before),
        mib(after),
        mib(grew),
        mib(bound),
        MAX_MESSAGE_BYTES >> 20
    );
    assert!(
        grew <= bound,
        "the server's peak grew by {grew} bytes, over {bound}"
    );
}

#[test]
fn with_secure_uploads_and_drops_need_the_token_over_tls_and_step_5s_client_reads_them() {
    let folder = TempDir::new().expect("a scratch folder");
    let (data, tls) = (folder.path().join("data"), folder.path().join("tls"));
    let (data, tls) = (data.to_str().expect("UTF-8"), tls.to_str().expect("UTF-8"));
    let args = [
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        data,
        "--secure",
        "--tls-dir",
        tls,
    ];
    let token = [("FLIGHT_TOKEN", Some("s3cret"))];
    let server = Server::start_with_env(bin(SERVER), &args, &token).expect("the server starts");
    let url = format!("grpc+tls://localhost:{}", server.port);
    let ca = folder.path().join("tls/server.crt");
    let ca = ca.to_str().expect("UTF-8");
    let upload_as = |token: &str| {
        let args = ["--url", &url, "--ca-cert", ca, "--name", "trips"];
        harness::run_with_env(bin(UPLOAD), &args, &[("FLIGHT_TOKEN", Some(token))])
            .expect("the upload runs")
    };
    let refused = upload_as("wrong");
    assert_eq!(refused.code, Some(1), "{}", refused.transcript());
    assert!(
        refused.stderr.contains("Unauthenticated"),
        "{}",
        refused.stderr
    );
    assert!(!Path::new(data).join("trips.parquet").exists());
    let plaintext = upload(server.port, "trips", 10);
    assert_eq!(plaintext.code, Some(1), "{}", plaintext.transcript());

    let stored = upload_as("s3cret");
    assert_eq!(stored.code, Some(0), "{}", stored.transcript());
    let read = harness::run_with_env(
        bin("solution-05-secure-client"),
        &["--url", &url, "--ca-cert", ca, "--ticket", "trips"],
        &token,
    )
    .expect("step 5's client runs");
    assert_eq!(
        read.stdout,
        "id: int64\nvalue: int64\nRows: 1000\n",
        "{}",
        read.transcript()
    );

    // Dropping takes the token too.
    let ca_pem = fs::read_to_string(ca).expect("the certificate");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dropped_with = |token: Option<&str>| {
        runtime.block_on(async {
            let tls = tonic::transport::ClientTlsConfig::new()
                .ca_certificate(tonic::transport::Certificate::from_pem(&ca_pem))
                .domain_name("localhost");
            let channel = kit::tls_endpoint(&url)
                .expect("a URL")
                .tls_config(tls)
                .expect("TLS settings")
                .connect()
                .await
                .expect("connect over TLS");
            let mut client = FlightClient::new(channel);
            if let Some(token) = token {
                let bearer = format!("Bearer {token}");
                client
                    .add_header("authorization", &bearer)
                    .expect("a header");
            }
            drop_dataset(&mut client, "trips").await
        })
    };
    let refused = dropped_with(None).expect_err("a drop without the token");
    assert_eq!(refused.code(), tonic::Code::Unauthenticated, "{refused}");
    assert!(Path::new(data).join("trips.parquet").exists());
    dropped_with(Some("s3cret")).expect("a drop with the token");
    assert!(!Path::new(data).join("trips.parquet").exists());
}
