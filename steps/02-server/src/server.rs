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
    // TODO(step 2): the page's `__main__`, the whole server:
    // - serve the table of step 1 (`page_table::build_table(args.rows)`)
    //   with your `TableService`, over gRPC, on `args.host` and `args.port`;
    // - print the page's line, `Arrow Flight server running on port N`, with
    //   the port you really listen on (`--port 0` asks the system for any
    //   free one), and only once the port is open: whoever reads the line
    //   may connect at once;
    // - serve until Ctrl-C, then return Ok(()): the program exits with 0.
    // Given, if you want them: kit::listen (opens the port, with errors that
    // say what to do), kit::shutdown_signal (completes on Ctrl-C), kit::serve
    // (serves a tonic router until then, with a bounded grace period).
    // Docs: https://docs.rs/tonic/0.14/tonic/transport/struct.Server.html
    //       https://docs.rs/arrow-flight/60/arrow_flight/flight_service_server/
    //       https://docs.rs/tokio/1/tokio/net/struct.TcpListener.html
    let _ = args;
    anyhow::bail!("TODO(step 2): not listening yet (steps/02-server/src/server.rs)")
}
// ANCHOR_END: run
