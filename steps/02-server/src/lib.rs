//! Step 2: an Arrow Flight server for the page's table. Yours to finish.
//!
//! ```python
//! class ArrowFlightServer(flight.FlightServerBase):
//!     def do_get(self, context, ticket):
//!         return flight.RecordBatchStream(self.table)
//! ```
//!
//! Fill in `do_get` in `src/service.rs` (marked TODO(step 2)), then:
//!
//! ```text
//! cargo run -p step-02-server     # Arrow Flight server running on port 8815
//! cargo test -p step-02-server    # the self-check
//! cargo tutor hint 2              # if you are stuck
//! ```

mod service;

pub use service::TableService;

// Given: the command line, opening the port, serving until Ctrl-C, and the
// calls that describe the table. They are not this step's lesson.
pub use reference_server::{DEFAULT_PORT, TICKET, cli, discovery, listen, serve, shutdown_signal};
