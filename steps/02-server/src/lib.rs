//! Step 2: an Arrow Flight server for the page's table. Yours to write.
//!
//! ```python
//! class ArrowFlightServer(flight.FlightServerBase):
//!     def do_get(self, context, ticket):
//!         return flight.RecordBatchStream(self.table)
//!
//! if __name__ == "__main__":
//!     server = ArrowFlightServer("grpc://0.0.0.0:8815")
//!     print("Arrow Flight server running on port 8815")
//!     server.serve()
//! ```
//!
//! Two files are yours: `src/service.rs` (the service and its `do_get`) and
//! `src/server.rs` (the `__main__` part), marked TODO(step 2). Then:
//!
//! ```text
//! cargo run -p step-02-server     # Arrow Flight server running on port 8815
//! cargo test -p step-02-server    # the self-check: what is right, what to fix
//! cargo tutor hint 2              # hints, one at a time, if you are stuck
//! ```
//!
//! The table is your own, from step 1: finish step 1 first.

mod server;
mod service;

pub use server::run;
pub use service::TableService;
