//! The command lines. Parsing them is not what the steps teach, so the
//! programs share these: `ServerArgs::parse()` in a `main`.

use clap::Parser;

use crate::{DEFAULT_PORT, DEFAULT_URL, PAGE_ROWS, TICKET};

/// Serve the page's in-memory Arrow table over Arrow Flight (gRPC) until Ctrl-C.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct ServerArgs {
    /// Address to listen on: 0.0.0.0 for every interface (as the page: IPv4 and IPv6, on one
    /// socket), 127.0.0.1 for this machine only.
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
    /// Port to listen on; 0 picks a free port (the line printed at start names it).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Rows in the served table (the page's table has 1000).
    #[arg(long, default_value_t = PAGE_ROWS)]
    pub rows: usize,
}

/// Read the table from an Arrow Flight server and print its schema and row count.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct ClientArgs {
    /// The server's address.
    #[arg(long, default_value = DEFAULT_URL)]
    pub url: String,
    /// Which data to ask for.
    #[arg(long, default_value = TICKET)]
    pub ticket: String,
}

/// Check that an Arrow Flight server is listening on a port of this machine.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct VerifyPortArgs {
    /// The port to check.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Seconds to wait for the server's answer.
    #[arg(long, default_value_t = 5)]
    pub timeout: u64,
}

/// Build the page's in-memory Arrow table and print its schema, row count and first rows.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct TableArgs {
    /// How many rows to build (the page's table has 1000).
    #[arg(long, default_value_t = PAGE_ROWS)]
    pub rows: usize,
    /// How many of the first rows to show.
    #[arg(long, default_value_t = 5)]
    pub show: usize,
}
