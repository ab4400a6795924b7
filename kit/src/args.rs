//! The command lines. Parsing them is not what the steps teach, so the
//! programs share these: `ServerArgs::parse()` in a `main`.

use std::time::Duration;

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
    #[command(flatten)]
    pub limits: Limits,
}

// ANCHOR: limits
/// The limits of a server on an open port that an operator may tune (the
/// book's chapter "Safe on an open port"); the others are fixed, in
/// `kit::server_builder`.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once. Beyond it, a new connection takes the place of
    /// the oldest one that has not started HTTP/2 after a second, or else waits for
    /// a free place: a client that has started is never closed to make room.
    #[arg(long, default_value_t = Limits::DEFAULT.max_connections,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds a new connection has to start HTTP/2 (send its preface and SETTINGS)
    /// or TLS before it is closed; real clients start at once.
    #[arg(long, default_value = "10", value_parser = seconds)]
    pub handshake_timeout: Duration,
    /// Seconds a connection may stay open with no call in flight before it is
    /// closed; a client that calls again reconnects by itself.
    #[arg(long, default_value = "300", value_parser = seconds)]
    pub idle_timeout: Duration,
    /// Seconds the streams in flight have to finish after Ctrl-C or SIGTERM; then
    /// the server stops anyway: a client that stopped reading cannot keep it up.
    #[arg(long, default_value = "10", value_parser = seconds)]
    pub grace_period: Duration,
}

impl Limits {
    /// Sized for a small VM: 256 clients reading at once is already more
    /// than its network can feed, and each holds a file descriptor.
    pub const DEFAULT: Limits = Limits {
        max_connections: 256,
        handshake_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(300),
        grace_period: Duration::from_secs(10),
    };
}
// ANCHOR_END: limits

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
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
    /// Seconds the whole read may take (connecting, then every message); a server that stops
    /// answering cannot keep the client waiting longer.
    #[arg(long, default_value = "30", value_parser = seconds)]
    pub timeout: Duration,
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

/// A duration in seconds, as a command line gives it: `30`, or `0.5`.
pub fn seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    match Duration::try_from_secs_f64(seconds) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        _ => Err(format!("'{text}' is not a positive number of seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_positive_numbers() {
        assert_eq!(seconds("30"), Ok(Duration::from_secs(30)));
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        for bad in ["0", "-1", "soon", "NaN", "inf"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_limits_default_to_the_flags_defaults() {
        let args = ServerArgs::parse_from(["server"]);
        assert_eq!(args.limits, Limits::default());
        let args = ServerArgs::parse_from(["server", "--max-connections", "8"]);
        assert_eq!(args.limits.max_connections, 8);
        let args = ServerArgs::parse_from(["server", "--handshake-timeout", "0.5"]);
        assert_eq!(args.limits.handshake_timeout, Duration::from_millis(500));
        let args = ServerArgs::parse_from(["server", "--idle-timeout", "60"]);
        assert_eq!(args.limits.idle_timeout, Duration::from_secs(60));
        let args = ServerArgs::parse_from(["server", "--grace-period", "1"]);
        assert_eq!(args.limits.grace_period, Duration::from_secs(1));
        assert!(ServerArgs::try_parse_from(["server", "--max-connections", "0"]).is_err());
    }
}
