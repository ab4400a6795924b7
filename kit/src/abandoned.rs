//! Noticing a stream that ends before its end, and saying who ended it.
//!
//! When a client disconnects, tonic drops the response stream: the batches
//! not yet sent are never encoded, and the memory is freed. When the server
//! stops and its grace period runs out, the streams still open are dropped
//! the same way. This wrapper logs either in one line, so the operator knows
//! why a transfer stopped.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::Stream;

/// Set once the server stops waiting for its streams: from then on, a
/// stream that ends early was cut by the server, not left by its client.
static SERVER_STOPPING: AtomicBool = AtomicBool::new(false);

/// Called by `serve` when its grace period is over.
pub(crate) fn server_is_stopping() {
    SERVER_STOPPING.store(true, Ordering::SeqCst);
}

/// Passes `inner` through; logs one line if dropped before its end.
pub struct LogIfAbandoned<S> {
    inner: S,
    peer: Option<SocketAddr>,
    sent: usize,
    finished: bool,
}

impl<S> LogIfAbandoned<S> {
    pub fn new(inner: S, peer: Option<SocketAddr>) -> Self {
        Self {
            inner,
            peer,
            sent: 0,
            finished: false,
        }
    }
}

impl<S: Stream + Unpin> Stream for LogIfAbandoned<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let next = Pin::new(&mut self.inner).poll_next(cx);
        match &next {
            Poll::Ready(Some(_)) => self.sent += 1,
            Poll::Ready(None) => self.finished = true,
            Poll::Pending => {}
        }
        next
    }
}

impl<S> Drop for LogIfAbandoned<S> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let peer = self
            .peer
            .map_or_else(|| "a client".to_string(), |p| format!("client {p}"));
        let sent = self.sent;
        if SERVER_STOPPING.load(Ordering::SeqCst) {
            tracing::info!(
                "the server stopped before the end of the stream to {peer} ({sent} messages sent); stream closed and freed"
            );
        } else {
            tracing::info!(
                "{peer} left before the end of its stream ({sent} messages sent); stream closed and freed"
            );
        }
    }
}
