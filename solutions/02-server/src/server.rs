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
    // A port open to the internet meets idle sockets and dead peers: tonic's
    // Server::builder() with HTTP/2 pings, served within --max-connections,
    // --handshake-timeout and --idle-timeout.
    let router = kit::server_builder().add_service(service);
    kit::serve_with_limits(router, listener, args.limits, shutdown).await
    // ANCHOR_END: serve
}
// ANCHOR_END: run
