//! Who gets one of the server's connections, and for how long a new one may
//! stay silent.
//!
//! Every open connection costs a file descriptor, and a process has a fixed
//! number of them: a client that opens sockets and sends nothing could take
//! them all. So a connection holds one of `--max-connections` places while it
//! is open, and must start HTTP/2 (send the 24 bytes of the client preface,
//! or a TLS client's first message) within `--handshake-timeout`. When every
//! place is taken, a new connection takes the place of the oldest one still
//! silent: real clients speak at once, idle sockets never do.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::time::Sleep;

use crate::args::Limits;
use crate::burst::Burst;

/// The HTTP/2 client preface (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`) is 24
/// bytes; a TLS client's first message is longer. A connection that sent
/// this much has started.
const STARTED_AFTER_BYTES: usize = 24;

/// The server's connection places, and the connections still silent.
pub(crate) struct Places {
    free: Arc<Semaphore>,
    max: u32,
    handshake_timeout: Duration,
    /// How to close each connection still in its handshake, oldest first.
    silent: VecDeque<oneshot::Sender<()>>,
    /// Told each time a connection goes, and its descriptor with it.
    gone: Arc<Notify>,
    full: Burst,
}

impl Places {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            free: Arc::new(Semaphore::new(limits.max_connections as usize)),
            max: limits.max_connections,
            handshake_timeout: limits.handshake_timeout,
            silent: VecDeque::new(),
            gone: Arc::new(Notify::new()),
            full: Burst::default(),
        }
    }

    /// A place for a new connection: a free one, or else the place of the
    /// oldest silent connection, or else the first one freed. None only if
    /// the places are gone (they never are).
    pub(crate) async fn admit(&mut self) -> Option<Admission> {
        let place = match self.free.clone().try_acquire_owned() {
            Ok(place) => place,
            Err(_) => {
                let closed_one = self.close_oldest_silent();
                if let Some(unlogged) = self.full.starts(Instant::now()) {
                    tracing::warn!(
                        "{} connections open, the limit (--max-connections): {}{}",
                        self.max,
                        if closed_one {
                            "closing the oldest that have not started HTTP/2 to make room"
                        } else {
                            "new ones wait for a place"
                        },
                        unlogged_note(unlogged)
                    );
                }
                self.free.clone().acquire_owned().await.ok()?
            }
        };
        let (close, closed) = oneshot::channel();
        // Forget the connections that have started, or are gone.
        self.silent.retain(|close| !close.is_closed());
        self.silent.push_back(close);
        Some(Admission {
            _place: place,
            gone: self.gone.clone(),
            handshake: Some(Handshake {
                deadline: Box::pin(tokio::time::sleep(self.handshake_timeout)),
                timeout: self.handshake_timeout,
                closed: Some(closed),
                received: 0,
            }),
        })
    }

    /// Completes when a connection has gone since the last call (or
    /// `timeout` has passed): its descriptor is free again.
    pub(crate) async fn one_gone(&self, timeout: Duration) {
        tokio::time::timeout(timeout, self.gone.notified())
            .await
            .ok();
    }

    /// Closes the oldest connection that has not started HTTP/2; false if
    /// every connection has.
    pub(crate) fn close_oldest_silent(&mut self) -> bool {
        while let Some(close) = self.silent.pop_front() {
            // Fails when that connection has started, or is gone: try the next.
            if close.send(()).is_ok() {
                return true;
            }
        }
        false
    }
}

/// A connection's place, held until the connection is dropped, and its
/// handshake deadline until it has started.
pub(crate) struct Admission {
    _place: OwnedSemaphorePermit,
    gone: Arc<Notify>,
    handshake: Option<Handshake>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.gone.notify_one();
    }
}

struct Handshake {
    deadline: Pin<Box<Sleep>>,
    timeout: Duration,
    /// Completes when the connection is closed to make room; None once the
    /// server has stopped accepting (no one will make room any more).
    closed: Option<oneshot::Receiver<()>>,
    received: usize,
}

impl Admission {
    /// Counts `bytes` just received: enough of them, and the connection has
    /// started (its deadline no longer applies).
    pub(crate) fn received(&mut self, bytes: usize) {
        if let Some(handshake) = &mut self.handshake {
            handshake.received += bytes;
            if handshake.received >= STARTED_AFTER_BYTES {
                // Dropping the receiver takes it out of the silent ones.
                self.handshake = None;
            }
        }
    }

    /// While waiting for input: an error once the connection has stayed
    /// silent too long, or was closed to make room. Else pending, and
    /// `cx` is woken when either happens.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let Some(handshake) = &mut self.handshake else {
            return Poll::Pending;
        };
        if handshake.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no HTTP/2 handshake within {:?}", handshake.timeout),
            ));
        }
        if let Some(closed) = &mut handshake.closed {
            match Pin::new(closed).poll(cx) {
                Poll::Ready(Ok(())) => {
                    return Poll::Ready(io::Error::other(
                        "closed before its HTTP/2 handshake, to make room for a new connection",
                    ));
                }
                // A receiver must not be polled again once it has answered.
                Poll::Ready(Err(_)) => handshake.closed = None,
                Poll::Pending => {}
            }
        }
        Poll::Pending
    }
}

/// ` (N more since the last such message)`, when there were some.
pub(crate) fn unlogged_note(unlogged: u64) -> String {
    if unlogged == 0 {
        String::new()
    } else {
        format!(" ({unlogged} more since the last such message)")
    }
}
