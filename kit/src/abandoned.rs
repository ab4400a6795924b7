//! Noticing a client that leaves in the middle of a stream.
//!
//! When a client disconnects, tonic drops the response stream: the batches
//! not yet sent are never encoded, and the memory is freed. This wrapper
//! logs it in one line, so the operator knows why a transfer stopped.

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

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
        if !self.finished {
            let peer = self
                .peer
                .map_or_else(|| "a client".to_string(), |p| format!("client {p}"));
            tracing::info!(
                "{peer} left before the end of its stream ({} messages sent); stream closed and freed",
                self.sent
            );
        }
    }
}
