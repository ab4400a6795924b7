//! The reference server under load and faults: many clients at once, a
//! client that leaves mid-stream. (SIGTERM mid-stream: `shutdown.rs`.)

use arrow_flight::Ticket;
use flight_client::{connect, read_table};
use flight_path_tests::{PAGE_CLIENT_OUTPUT, run, start_server, url, value_sum};
use futures::TryStreamExt;

const CLIENTS: usize = 64;
const READS_EACH: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_reading_twenty_times_each_all_get_the_table() {
    let server = start_server(&[]);
    let url = url(server.port);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                // Each client has its own connection.
                let mut client = connect(&url).await?;
                for _ in 0..READS_EACH {
                    let table = read_table(&mut client, "dataset").await?;
                    let intact = table.num_rows() == 1000 && value_sum(&table) == 4_995_000;
                    anyhow::ensure!(intact, "a wrong table");
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for client in clients {
        client
            .await
            .expect("the client task")
            .expect("every read complete and correct");
    }
    // And the server still answers a new client.
    let output = run("solution-04-client", &["--url", &url]);
    assert_eq!(output.stdout, PAGE_CLIENT_OUTPUT, "{}", output.transcript());
}

/// 4M rows is 64 MB: four times what the client's HTTP/2 window (16 MiB) lets
/// the server send before it is read, so the first client leaves mid-stream.
const ROWS: usize = 4_000_000;

#[tokio::test]
async fn a_client_leaving_mid_stream_is_logged_and_others_are_still_served() {
    let server = start_server(&["--rows", &ROWS.to_string()]);
    {
        let mut client = connect(&url(server.port)).await.expect("connect");
        let mut stream = client.do_get(Ticket::new("dataset")).await.expect("do_get");
        stream.try_next().await.expect("a first batch");
        // Dropping the stream and the client closes the connection mid-stream.
    }
    let mut other = connect(&url(server.port)).await.expect("connect");
    let table = read_table(&mut other, "dataset")
        .await
        .expect("the whole table");
    assert_eq!(table.num_rows(), ROWS);
    drop(other);

    // Stopped from another thread: this one's runtime keeps serving the
    // connection of `other`, which answers the server's goodbye (HTTP/2's
    // GOAWAY and PING) as any live client does.
    let output = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("join")
        .expect("stop");
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    let left: Vec<_> = output
        .stderr
        .lines()
        .filter(|line| line.contains("left before the end of its stream"))
        .collect();
    assert_eq!(left.len(), 1, "{}", output.transcript());
    assert!(left[0].contains(" client 127.0.0.1:"), "{}", left[0]);
}
