//! Step 2: an Arrow Flight server for the page's table.
//!
//! ```python
//! class ArrowFlightServer(flight.FlightServerBase):
//!     def do_get(self, context, ticket):
//!         return flight.RecordBatchStream(self.table)
//! ```
//!
//! - [`TableService`] is `ArrowFlightServer`: `do_get` streams the table;
//! - [`discovery`] answers the calls that describe it (`list_flights`, ...);
//! - [`listen`] and [`serve`] are `server.serve()`, split in two so that the
//!   "running" line is printed only once the port is really open;
//! - [`cli`] is the `if __name__ == "__main__":` part.

mod abandoned;
pub mod cli;
pub mod discovery;
mod graceful_tcp;
mod serve;
mod service;

pub use serve::{DEFAULT_PORT, listen, serve, serve_router, shutdown_signal};
pub use service::TableService;

/// The one ticket this server knows, as in the page's client:
/// `client.do_get(flight.Ticket(b"dataset"))`.
pub const TICKET: &str = "dataset";
