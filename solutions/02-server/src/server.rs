//! The `if __name__ == "__main__":` part of the page's server.
//!
//! ```python
//! server = ArrowFlightServer("grpc://0.0.0.0:8815")
//! print("Arrow Flight server running on port 8815")
//! server.serve()
//! ```

use std::io::{self, Write};

use anyhow::Context;
use arrow_flight::flight_service_server::FlightServiceServer;
use kit::args::ServerArgs;
use page_table::build_table;
use tonic::transport::Server;

use crate::TableService;

// ANCHOR: run
/// Builds the table, opens the port, says so, and serves until Ctrl-C.
pub async fn run(args: ServerArgs) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;
    let service = FlightServiceServer::new(TableService::new(table));
    // Watch for Ctrl-C before serving, so that none is missed.
    let shutdown = kit::shutdown_signal().context("cannot watch for Ctrl-C")?;

    // ANCHOR: hint_listen
    let listener = kit::listen(&args.host, args.port).await?;
    // With --port 0 the system picks the port: ask the socket which one.
    let port = listener
        .local_addr()
        .context("cannot read the port")?
        .port();
    // ANCHOR_END: hint_listen
    // Printed only now that the port is open: whoever reads this line can connect.
    println!("Arrow Flight server running on port {port}");
    io::stdout().flush().context("cannot write to stdout")?;

    // ANCHOR: serve
    // `server.serve()`: tonic's server, with the HTTP/2 settings of a port
    // open to the internet (pings that find dead peers, each call counted
    // for the idle timeout), serving our service...
    let router = kit::for_an_open_port(Server::builder()).add_service(service);
    // ...on the connections of our listener, within --max-connections,
    // --handshake-timeout and --idle-timeout...
    let incoming = kit::incoming(listener, args.limits);
    // ...until Ctrl-C; then the streams in flight have --grace-period.
    kit::stop_within(args.limits.grace_period, shutdown, |stopping| {
        router.serve_with_incoming_shutdown(incoming, stopping)
    })
    .await
    // ANCHOR_END: serve
}
// ANCHOR_END: run
