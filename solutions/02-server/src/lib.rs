//! Step 2: an Arrow Flight server for the page's table.
//!
//! ```python
//! class ArrowFlightServer(flight.FlightServerBase):
//!     def do_get(self, context, ticket):
//!         return flight.RecordBatchStream(self.table)
//! ```
//!
//! [`TableService`] is the `FlightServerBase` subclass; [`listen`] and
//! [`serve`] are `server.serve()`, split in two so that we can print the
//! "running" line only once the port is really open.

mod serve;
mod service;

pub use serve::{DEFAULT_PORT, listen, serve};
pub use service::{TICKET, TableService};
