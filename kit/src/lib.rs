//! The kit: everything the steps need that is not their lesson.
//!
//! The page's Python leans on pyarrow for these; in Rust they are ours to
//! write once, and the steps and the model answers both use them:
//!
//! - [`Table`] and [`PyArrowSchema`]: pyarrow's table and how it prints;
//! - [`args`]: the command lines of the programs;
//! - [`listen`], [`shutdown_signal`] and [`stop_within`]: opening the port
//!   with errors that say what to do, stopping on Ctrl-C, within a bounded
//!   grace period;
//! - [`for_an_open_port`] and [`incoming`]: a server safe on an open port
//!   (HTTP/2 pings, calls counted for the idle timeout; a connection limit,
//!   a handshake timeout and an idle timeout), which step 2's lesson puts
//!   together, and [`server_builder`] and [`serve_with_limits`], the same
//!   put together for the servers that are not a lesson;
//! - [`discovery`]: the Flight calls that describe the table, the port
//!   check's report of what a server says of itself, and the error answers;
//! - [`endpoint`] and [`explain`]: from `grpc://host:port` to a tuned gRPC
//!   endpoint, and failed calls as one clear line; [`within`]: a client
//!   that never hangs, and says what kind of server it met;
//! - [`exit_code`]: how every program ends (one line on stderr, exit code 1),
//!   and [`init_logging`]: the servers' log on stderr, levels from `RUST_LOG`;
//! - [`certificate`] and [`token_from_env`]: step 5's self-signed certificate
//!   and shared secret.

mod abandoned;
mod admission;
pub mod args;
mod burst;
pub mod certificate;
pub mod discovery;
mod errors;
mod exit;
mod graceful_tcp;
mod idle;
mod incoming;
mod logging;
mod open_port;
mod pyarrow_style;
mod secret;
mod serve;
mod table;
mod tls_files;
mod url;
mod within;

pub use errors::{explain, explain_connect};
pub use exit::exit_code;
pub use idle::{ConnectionInfo, CountCalls, CountCallsService};
pub use incoming::incoming;
pub use logging::init_logging;
pub use open_port::{ServerLayers, for_an_open_port, server_builder};
pub use pyarrow_style::PyArrowSchema;
pub use secret::{TOKEN_VARIABLE, token_from_env};
pub use serve::{DEFAULT_PORT, listen, serve_with_limits, shutdown_signal, stop_within};
pub use table::{BATCH_ROWS, PAGE_ROWS, Table};
pub use url::{DEFAULT_URL, endpoint, tls_endpoint};
pub use within::within;

/// The one ticket the page's client asks for:
/// `client.do_get(flight.Ticket(b"dataset"))`.
pub const TICKET: &str = "dataset";
