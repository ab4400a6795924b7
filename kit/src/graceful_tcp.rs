//! Closing a connection without losing the end of a stream.
//!
//! When a socket is closed while input the program has not read is waiting
//! (here: HTTP/2 window updates the client keeps sending as it reads), the
//! kernel resets the connection and throws away the output not yet sent:
//! the client loses the last batches. So when the server is done with a
//! connection, we close our sending side (FIN), then read and discard until
//! the client closes its side, and only then let the socket go; for at most
//! [`DRAIN_TIMEOUT`], so that a client that never closes cannot keep it.
//!
//! The connection also holds its place among the server's connections, is
//! closed if it does not start HTTP/2 in time (see `admission.rs`), and once
//! it has stayed idle too long (see `idle.rs`).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;
use tonic::transport::server::Connected;

use crate::abandoned::{ClientSide, StreamLog};
use crate::admission::Admission;
use crate::idle::{ConnectionInfo, IdleTimer};

/// How long, once we have sent everything, the client has to close its side.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// A server-side TCP connection that drains its input before closing.
pub struct GracefulTcp {
    stream: TcpStream,
    admission: Admission,
    idle: IdleTimer,
    sent_fin: bool,
    drain_deadline: Option<Pin<Box<Sleep>>>,
    /// Closed for not starting HTTP/2: nothing of ours to deliver.
    refused: bool,
    /// What we saw of the client, for the log of streams cut short; and
    /// that log, the server's.
    client: Arc<ClientSide>,
    log: Arc<StreamLog>,
}

impl GracefulTcp {
    pub(crate) fn new(
        stream: TcpStream,
        admission: Admission,
        idle_timeout: Duration,
        log: Arc<StreamLog>,
    ) -> io::Result<Self> {
        // Flight messages are large and latency matters: send at once.
        stream.set_nodelay(true)?;
        Ok(Self {
            idle: IdleTimer::new(idle_timeout),
            stream,
            admission,
            sent_fin: false,
            drain_deadline: None,
            refused: false,
            client: Arc::default(),
            log,
        })
    }
}

impl AsyncRead for GracefulTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let read = Pin::new(&mut self.stream).poll_read(cx, buf);
        match read {
            Poll::Ready(Ok(())) => {
                let received = &buf.filled()[before..];
                if !received.is_empty() {
                    self.client.heard();
                } else if buf.remaining() > 0 {
                    self.client.closed(); // the end of its input
                }
                self.admission.received(received);
            }
            // Nothing to read: has this connection stayed silent too long?
            Poll::Pending => {
                if let Poll::Ready(error) = self.admission.poll_expired(cx) {
                    self.refused = true;
                    return Poll::Ready(Err(error));
                }
                // Or idle too long: read an end of input, and the server
                // closes the connection as if the client had.
                if let Poll::Ready(timeout) = self.idle.poll_idle_too_long(cx) {
                    tracing::debug!(
                        "closing the connection from {}: no call for {timeout:?}",
                        self.stream
                            .peer_addr()
                            .map_or_else(|_| "a client".to_string(), |peer| peer.to_string())
                    );
                    return Poll::Ready(Ok(()));
                }
            }
            Poll::Ready(Err(_)) => self.client.closed(),
        }
        read
    }
}

impl AsyncWrite for GracefulTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        // A reset (or a broken pipe): the client's end of the connection is gone.
        if let Poll::Ready(Err(_)) = &written {
            self.client.closed();
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    /// FIN first, then wait for the client's: everything sent gets delivered.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.refused {
            return Poll::Ready(Ok(()));
        }
        if !self.sent_fin {
            ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
            self.sent_fin = true;
        }
        let deadline = self
            .drain_deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(DRAIN_TIMEOUT)));
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Ok(())); // the client kept its side open: close anyway
        }
        let mut scratch = [0u8; 4096];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match ready!(Pin::new(&mut self.stream).poll_read(cx, &mut buf)) {
                Ok(()) if buf.filled().is_empty() => return Poll::Ready(Ok(())), // the client closed
                Ok(()) => continue,                                              // discard
                Err(_) => return Poll::Ready(Ok(())), // the connection is gone either way
            }
        }
    }
}

/// What tonic gives each request of the connection: its addresses and its
/// activity, which the request's call counts itself on (see `idle.rs`).
impl Connected for GracefulTcp {
    type ConnectInfo = ConnectionInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        ConnectionInfo::new(
            self.stream.connect_info(),
            self.idle.activity(),
            self.client.clone(),
            self.log.clone(),
        )
    }
}
