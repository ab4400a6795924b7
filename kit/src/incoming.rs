//! Accepting connections, whatever happens: a failed `accept` (out of file
//! descriptors, most often) is logged once per burst and retried, and never
//! ends the server.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::Stream;
use tokio::net::TcpListener;

use crate::abandoned::StreamLog;
use crate::admission::{Places, Room, unlogged_note};
use crate::args::Limits;
use crate::burst::Burst;
use crate::graceful_tcp::GracefulTcp;

/// How long to wait before accepting again when the system refused, if no
/// connection goes meanwhile.
const RETRY_AFTER: Duration = Duration::from_millis(100);

/// The connections `listener` accepts, as tonic's
/// `serve_with_incoming_shutdown` wants them, within `limits`: at most
/// `max_connections` at once (see `admission.rs`), each closed if it has not
/// started HTTP/2 after `handshake_timeout`, or once no call has been in
/// flight on it for `idle_timeout` (see `idle.rs`: the calls count
/// themselves through [`CountCalls`](crate::CountCalls)), and closed
/// gracefully (see `graceful_tcp.rs`). First, the process raises its limit
/// of open files as far as the system allows.
pub fn incoming(
    listener: TcpListener,
    limits: Limits,
) -> impl Stream<Item = Result<GracefulTcp, Infallible>> + Send + 'static {
    crate::open_port::make_room_for(limits);
    let acceptor = Acceptor {
        listener,
        idle_timeout: limits.idle_timeout,
        log: Arc::new(StreamLog::new(limits.grace_period)),
        places: Places::new(limits),
        failing: Burst::default(),
    };
    futures::stream::unfold(acceptor, |mut acceptor| async move {
        let connection = acceptor.next().await?;
        Some((Ok(connection), acceptor))
    })
}

struct Acceptor {
    listener: TcpListener,
    idle_timeout: Duration,
    /// The server's log of streams cut short, which its connections share.
    log: Arc<StreamLog>,
    places: Places,
    failing: Burst,
}

impl Acceptor {
    /// The next connection, with its place. None only if the places are gone.
    async fn next(&mut self) -> Option<GracefulTcp> {
        loop {
            let stream = match self.listener.accept().await {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    self.accept_failed(&error).await;
                    continue;
                }
            };
            let admission = self.places.admit().await?;
            match GracefulTcp::new(stream, admission, self.idle_timeout, self.log.clone()) {
                Ok(connection) => return Some(connection),
                // The client is already gone: nothing to serve.
                Err(error) => tracing::debug!("dropped a new connection: {error}"),
            }
        }
    }

    async fn accept_failed(&mut self, error: &io::Error) {
        if is_about_one_connection(error) {
            tracing::debug!("a connection failed before we accepted it: {error}");
            return;
        }
        // Out of descriptors (or memory): the client waits in the listen
        // queue meanwhile. Free a descriptor if a connection that has not
        // started holds one, and try again as soon as a connection has gone.
        let room = self.places.make_room().await;
        if let Some(unlogged) = self.failing.starts(Instant::now()) {
            tracing::warn!(
                "cannot accept connections: {error}{}; {}, and trying again{}",
                if is_out_of_descriptors(error) {
                    " (raise the limit: ulimit -n, or LimitNOFILE= in a systemd unit)"
                } else {
                    ""
                },
                match room {
                    Room::Made => "closing the oldest connection that has not started HTTP/2",
                    Room::NotYet(_) | Room::NoneSilent => "waiting",
                },
                unlogged_note(unlogged)
            );
        }
        self.places.one_gone(RETRY_AFTER).await;
    }
}

/// tonic drops the connections' stream when told to stop: the grace
/// period of the streams in flight starts.
impl Drop for Acceptor {
    fn drop(&mut self) {
        self.log.stopping();
    }
}

/// Errors that end one incoming connection, not accepting itself: the
/// client gave up before we accepted it.
fn is_about_one_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// EMFILE (this process) or ENFILE (the whole system).
fn is_out_of_descriptors(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let errno = error.raw_os_error().map(Errno::from_raw_os_error);
        matches!(errno, Some(Errno::MFILE | Errno::NFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::task::JoinHandle;

    use super::*;
    use crate::admission::GIVE_WAY_AFTER;

    /// What an HTTP/2 client sends first: the preface, and an empty
    /// SETTINGS frame.
    const GREETING: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";

    /// Reads `connection` as hyper would, to its end or its first error.
    fn serve_one(mut connection: GracefulTcp) -> JoinHandle<io::Result<usize>> {
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let mut received = 0;
            loop {
                match connection.read(&mut buf).await? {
                    0 => return Ok(received),
                    n => received += n,
                }
            }
        })
    }

    async fn listening(
        max_connections: u32,
        handshake_timeout: Duration,
    ) -> (
        std::net::SocketAddr,
        impl Stream<Item = Result<GracefulTcp, Infallible>>,
    ) {
        let listener = crate::listen("127.0.0.1", 0).await.unwrap();
        let address = listener.local_addr().unwrap();
        let limits = Limits {
            max_connections,
            handshake_timeout,
            ..Limits::default()
        };
        (address, incoming(listener, limits))
    }

    #[tokio::test]
    async fn a_connection_that_stays_silent_is_closed_after_the_handshake_timeout() {
        let (address, incoming) = listening(8, Duration::from_millis(300)).await;
        let mut incoming = std::pin::pin!(incoming);
        let _silent = TcpStream::connect(address).await.unwrap();
        let Some(Ok(connection)) = incoming.next().await else {
            panic!("no connection")
        };
        let error = serve_one(connection).await.unwrap().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
    }

    #[tokio::test]
    async fn at_the_limit_a_newcomer_takes_the_place_of_one_that_sent_only_the_preface() {
        let (address, incoming) = listening(1, Duration::from_secs(30)).await;
        let mut incoming = std::pin::pin!(incoming);
        let mut preface_only = TcpStream::connect(address).await.unwrap();
        preface_only.write_all(&GREETING[..24]).await.unwrap();
        let Some(Ok(first)) = incoming.next().await else {
            panic!("no connection")
        };
        let first = serve_one(first);

        let mut client = TcpStream::connect(address).await.unwrap();
        client.write_all(GREETING).await.unwrap();
        let Some(Ok(second)) = incoming.next().await else {
            panic!("no connection")
        };
        let error = first.await.unwrap().unwrap_err();
        assert!(error.to_string().contains("to make room"), "{error}");

        // A client that has started keeps its place, however long a
        // newcomer waits: the newcomer waits for it to end.
        let second = serve_one(second);
        let mut third = TcpStream::connect(address).await.unwrap();
        third.write_all(GREETING).await.unwrap();
        let waiting = tokio::time::timeout(2 * GIVE_WAY_AFTER, incoming.next()).await;
        assert!(
            waiting.is_err(),
            "a third connection got in beyond the limit"
        );
        drop(client);
        assert_eq!(second.await.unwrap().unwrap(), GREETING.len());
        assert!(matches!(incoming.next().await, Some(Ok(_))));
    }

    #[test]
    fn emfile_is_running_out_of_descriptors_and_a_reset_is_one_connection() {
        let emfile = io::Error::from_raw_os_error(rustix::io::Errno::MFILE.raw_os_error());
        assert!(is_out_of_descriptors(&emfile));
        assert!(!is_about_one_connection(&emfile));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(is_about_one_connection(&reset));
        assert!(!is_out_of_descriptors(&reset));
    }
}
