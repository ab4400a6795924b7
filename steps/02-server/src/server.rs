//! The `if __name__ == "__main__":` part of the page's server. Yours to write.
//!
//! ```python
//! server = ArrowFlightServer("grpc://0.0.0.0:8815")
//! print("Arrow Flight server running on port 8815")
//! server.serve()
//! ```

use kit::args::ServerArgs;

// ANCHOR: run
/// Builds the table, opens the port, says so, and serves until Ctrl-C.
pub async fn run(args: ServerArgs) -> anyhow::Result<()> {
    // TODO(step 2): the page's `__main__`, the whole server: your service
    // (`TableService`, with the table of step 1, page_table::build_table),
    // served by tonic on `args.host` and `args.port`; the page's line,
    // `Arrow Flight server running on port N`, once the port is open; and
    // Ctrl-C stops it (exit code 0).
    // What the page's pyarrow does for it, the kit gives you:
    // - kit::listen opens the port (errors that say what to do);
    // - kit::shutdown_signal completes on Ctrl-C;
    // - a port open to the internet needs more than the page's: tonic's
    //   server through kit::for_an_open_port (HTTP/2 pings, calls counted),
    //   its connections from kit::incoming (the limits of the command line),
    //   and kit::stop_within around the serving (the grace period).
    // Docs: https://docs.rs/tonic/0.14/tonic/transport/struct.Server.html
    //       https://docs.rs/arrow-flight/60/arrow_flight/flight_service_server/
    //       https://docs.rs/tokio/1/tokio/net/struct.TcpListener.html
    let _ = args;
    anyhow::bail!("TODO(step 2): not listening yet (steps/02-server/src/server.rs)")
}
// ANCHOR_END: run
