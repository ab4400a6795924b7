//! The servers' log, kept as a Rust service keeps one: `tracing` events on
//! stderr, at the levels `RUST_LOG` asks for (`info` unless told otherwise:
//! `RUST_LOG=debug` shows every request). Unless told otherwise too, the
//! HTTP/2 crate's own warnings are left out: it writes one for each
//! connection that misbehaves, which a flood of them would turn into a flood
//! of lines (the kit's own lines about floods are counted, see `burst.rs` and
//! `abandoned.rs`). The page's start line is not a log
//! event: it goes to stdout, exactly as the page prints it.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// `info`, but errors only from the HTTP/2 crate.
const DEFAULT_LEVELS: &str = "info,h2=error";

/// Sends the program's log events to stderr. Call it first thing in `main`.
pub fn init_logging() {
    let filter = match std::env::var("RUST_LOG") {
        Err(_) => EnvFilter::new(DEFAULT_LEVELS),
        Ok(spec) => EnvFilter::try_new(&spec).unwrap_or_else(|error| {
            eprintln!("warning: ignoring RUST_LOG={spec:?} ({error}); logging at level info");
            EnvFilter::new(DEFAULT_LEVELS)
        }),
    };
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours for a terminal only, not for a file or journald.
        .with_ansi(std::io::stderr().is_terminal())
        // No timestamps: a terminal does not need them, and journald or
        // any log collector adds its own.
        .without_time()
        .with_target(false)
        .try_init();
    // Only a second call fails (a subscriber is already set): nothing to do.
    drop(installed);
}
