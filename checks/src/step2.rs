//! Step 2: the server. Started as a real process on a free port, asked for
//! the table by the reference client over a real socket.

use std::path::Path;

use arrow_flight::Ticket;
use flight_client::{connect, read_table};
use harness::Server;
use page_table::PAGE_ROWS;
use tonic::Code;

use crate::{fail, step1};

fn start(binary: &Path) -> Server {
    Server::start(binary, &["--host", "127.0.0.1", "--port", "0"])
        .unwrap_or_else(|e| fail(2, &format!("the server did not start: {e:#}")))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}

/// `do_get` with ticket `dataset` streams the page's 1000 rows.
pub fn server_streams_the_table(binary: &Path) {
    let server = start(binary);
    let url = format!("grpc://127.0.0.1:{}", server.port);
    let table = runtime().block_on(async {
        let mut client = connect(&url)
            .await
            .unwrap_or_else(|e| fail(2, &format!("{e:#}")));
        read_table(&mut client, "dataset").await
    });
    let table = table.unwrap_or_else(|e| {
        fail(
            2,
            &format!("asked for ticket \"dataset\", the client got: {e:#}"),
        )
    });
    step1::check_rows(&table.batches, PAGE_ROWS);
}

/// Any other ticket is answered with NOT_FOUND, not an empty table.
pub fn unknown_tickets_are_not_found(binary: &Path) {
    let server = start(binary);
    let url = format!("grpc://127.0.0.1:{}", server.port);
    let code = runtime().block_on(async {
        let mut client = connect(&url)
            .await
            .unwrap_or_else(|e| fail(2, &format!("{e:#}")));
        match client.do_get(Ticket::new("no-such-ticket")).await {
            Err(arrow_flight::error::FlightError::Tonic(status)) => Some(status.code()),
            _ => None,
        }
    });
    if code != Some(Code::NotFound) {
        fail(
            2,
            &format!(
                "do_get with ticket \"no-such-ticket\" should fail with NotFound (tonic's Status::not_found); got {code:?}"
            ),
        );
    }
}

/// SIGTERM stops the server with exit code 0.
pub fn server_stops_cleanly(binary: &Path) {
    let output = start(binary).stop().expect("stop the server");
    if output.code != Some(0) {
        fail(
            2,
            &format!(
                "the server should exit with 0 on SIGTERM:\n{}",
                output.transcript()
            ),
        );
    }
}
