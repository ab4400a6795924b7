//! Step 2: an Arrow Flight server for the page's table.
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
//! - [`TableService`] is `ArrowFlightServer`: it holds the table, and
//!   `do_get` streams it;
//! - [`run`] is the `__main__` part: open the port, say so, serve until Ctrl-C.

mod server;
mod service;

pub use server::run;
pub use service::TableService;
