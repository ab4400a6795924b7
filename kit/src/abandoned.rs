//! Noticing a stream that ends before its end, and saying who ended it, in
//! a log that no client can flood.
//!
//! When a client leaves, tonic drops the response stream: the batches not
//! yet sent are never encoded, and the memory is freed. The call's body (see
//! `idle.rs`) then logs one line, which names who ended it, from what the
//! connection saw (see `graceful_tcp.rs`) and what the server was doing:
//!
//! - the client closed its connection;
//! - the client cancelled the call, and kept its connection;
//! - the server closed the connection to a client that had gone silent,
//!   and did not answer its pings;
//! - the server stopped, and its grace period ran out.
//!
//! A client that opens and cancels calls in a loop must not fill the disk:
//! a few lines every [`WINDOW`], then a count of the others.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::open_port::{PING_INTERVAL, PING_TIMEOUT};

/// The lines logged at most in a window; the others are counted.
const LINES_PER_WINDOW: u32 = 5;
const WINDOW: Duration = Duration::from_secs(10);

/// A client that sent nothing for this long left the server's pings
/// unanswered: the server closed the connection (see `open_port.rs`). A
/// client that reads sends window updates as it goes; one that cancels
/// says so.
const SILENT_AFTER_PINGS: Duration = PING_INTERVAL.saturating_add(PING_TIMEOUT);

/// The grace period's end, as the streams see it, may come a little after
/// `stop_within`'s own (they start their clocks a moment apart).
const GRACE_SLACK: Duration = Duration::from_millis(100);

/// What all the connections of one server share: whether it is stopping,
/// and the log of the streams that end early.
#[derive(Debug)]
pub(crate) struct StreamLog {
    grace_period: Duration,
    stopping_since: OnceLock<Instant>,
    budget: Mutex<Budget>,
}

#[derive(Debug)]
struct Budget {
    window_start: Instant,
    logged: u32,
    unlogged: u64,
}

impl StreamLog {
    pub(crate) fn new(grace_period: Duration) -> Self {
        Self {
            grace_period,
            stopping_since: OnceLock::new(),
            budget: Mutex::new(Budget {
                window_start: Instant::now(),
                logged: 0,
                unlogged: 0,
            }),
        }
    }

    /// The server has stopped accepting: its grace period starts now.
    pub(crate) fn stopping(&self) {
        self.stopping_since.get_or_init(Instant::now);
    }

    fn grace_period_over(&self) -> bool {
        self.stopping_since
            .get()
            .is_some_and(|since| since.elapsed() + GRACE_SLACK >= self.grace_period)
    }

    /// Logs `line`, if the window has room for it.
    fn log(&self, line: &str) {
        let mut budget = self.budget.lock().unwrap_or_else(PoisonError::into_inner);
        if budget.window_start.elapsed() >= WINDOW {
            budget.window_start = Instant::now();
            budget.logged = 0;
        }
        if budget.logged == LINES_PER_WINDOW {
            budget.unlogged += 1;
            return;
        }
        budget.logged += 1;
        match std::mem::take(&mut budget.unlogged) {
            0 => tracing::info!("{line}"),
            n => {
                tracing::info!("{line} ({n} more streams ended early before this one, not logged)")
            }
        }
    }
}

impl Drop for StreamLog {
    /// When the server is gone: the count of the streams not logged.
    fn drop(&mut self) {
        let budget = self
            .budget
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if budget.unlogged > 0 {
            tracing::info!(
                "{} more streams ended early, not logged one by one",
                budget.unlogged
            );
        }
    }
}

/// What a connection has seen of its client.
#[derive(Debug)]
pub(crate) struct ClientSide {
    closed: AtomicBool,
    /// When the client last sent something.
    last_heard: Mutex<Instant>,
}

impl Default for ClientSide {
    fn default() -> Self {
        Self {
            closed: AtomicBool::new(false),
            last_heard: Mutex::new(Instant::now()),
        }
    }
}

impl ClientSide {
    /// The client closed the connection (we read its end, or a reset).
    pub(crate) fn closed(&self) {
        self.closed.store(true, Ordering::Relaxed);
    }

    /// The client sent something.
    pub(crate) fn heard(&self) {
        *self
            .last_heard
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }

    fn silent_for(&self) -> Duration {
        self.last_heard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .elapsed()
    }
}

/// One response stream, watched to its end.
pub(crate) struct StreamEnd {
    pub(crate) peer: Option<SocketAddr>,
    pub(crate) client: std::sync::Arc<ClientSide>,
    pub(crate) log: std::sync::Arc<StreamLog>,
    pub(crate) sent: u64,
    pub(crate) finished: bool,
}

impl Drop for StreamEnd {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let peer = self
            .peer
            .map_or_else(|| "a client".to_string(), |p| format!("client {p}"));
        let sent = self.sent;
        let line = if self.log.grace_period_over() {
            format!(
                "the server stopped before the end of the stream to {peer} ({sent} bytes sent): its grace period ran out"
            )
        } else if self.client.closed.load(Ordering::Relaxed) {
            format!(
                "{peer} left before the end of its stream ({sent} bytes sent): it closed its connection"
            )
        } else if self.client.silent_for() >= SILENT_AFTER_PINGS {
            format!(
                "the server closed the connection to {peer} before the end of its stream ({sent} bytes sent): the client had sent nothing for {}s, not even an answer to its pings",
                self.client.silent_for().as_secs()
            )
        } else if sent == 0 {
            // Cancelled before it began: the client changed its mind, and
            // the server lost nothing.
            tracing::debug!("{peer} cancelled a call before its answer began");
            return;
        } else {
            format!(
                "{peer} left before the end of its stream ({sent} bytes sent): it cancelled the call"
            )
        };
        self.log.log(&line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_lines_a_window_then_a_count() {
        let log = StreamLog::new(Duration::from_secs(10));
        for _ in 0..100 {
            log.log("a line");
        }
        let budget = log.budget.lock().unwrap();
        assert_eq!(budget.logged, LINES_PER_WINDOW);
        assert_eq!(budget.unlogged, 100 - u64::from(LINES_PER_WINDOW));
    }
}
