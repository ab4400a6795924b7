//! Closing a connection without losing the end of a stream.
//!
//! When a socket is closed while input the program has not read is waiting
//! (here: HTTP/2 window updates the client keeps sending as it reads), the
//! kernel resets the connection and throws away the output not yet sent:
//! the client loses the last batches. So when the server is done with a
//! connection, we close our sending side (FIN), then read and discard until
//! the client closes its side, and only then let the socket go.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tonic::transport::server::{Connected, TcpConnectInfo};

/// A server-side TCP connection that drains its input before closing.
pub struct GracefulTcp {
    stream: TcpStream,
    sent_fin: bool,
}

impl GracefulTcp {
    pub fn new(stream: TcpStream) -> io::Result<Self> {
        // Flight messages are large and latency matters: send at once.
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            sent_fin: false,
        })
    }
}

impl AsyncRead for GracefulTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for GracefulTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    /// FIN first, then wait for the client's: everything sent gets delivered.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.sent_fin {
            ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
            self.sent_fin = true;
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

impl Connected for GracefulTcp {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.stream.connect_info()
    }
}
