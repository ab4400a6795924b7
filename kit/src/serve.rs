//! Opening the port and serving until told to stop.

use std::future::Future;
use std::io;
use std::net::{Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, anyhow};
use futures::future::BoxFuture;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::{TcpListener, lookup_host};
use tokio::sync::oneshot;
use tonic::transport::server::Router;

use crate::args::Limits;
use crate::incoming::incoming;
use crate::open_port::ServerLayers;

/// The page's port: `grpc://0.0.0.0:8815`.
pub const DEFAULT_PORT: u16 = 8815;

/// The listen backlog gRPC asks for (the kernel caps it at
/// `net.core.somaxconn`): a burst of new clients waits in the queue instead
/// of being refused. `ss -lnt` shows it as the listener's Send-Q.
pub const BACKLOG: i32 = 4096;

/// Opens the listening socket, as the page's gRPC server does. Port 0 asks
/// the system for a free port: read the one you got with
/// `listener.local_addr()`.
///
/// `0.0.0.0`, the page's address, means every interface: like gRPC, we then
/// listen on `[::]` with IPV6_V6ONLY off, one socket for IPv4 and IPv6
/// clients alike (`ss` shows it as `*:8815`), or on `0.0.0.0` where the
/// machine has no IPv6. Any other host is listened on as given.
pub async fn listen(host: &str, port: u16) -> anyhow::Result<TcpListener> {
    if host == "0.0.0.0" {
        let every_interface = SocketAddr::from((Ipv6Addr::UNSPECIFIED, port));
        match bind(every_interface, true) {
            Ok(listener) => return Ok(listener),
            Err(error) if is_our_problem(&error) => {
                return Err(explain_bind_error(&error, host, port));
            }
            // No IPv6 on this machine: IPv4's 0.0.0.0 below.
            Err(_) => {}
        }
    }
    let addresses: Vec<SocketAddr> = lookup_host((host, port))
        .await
        .map_err(|_| {
            anyhow!(
                "cannot listen on '{host}': not an IP address or a host name this machine knows (use 0.0.0.0 for every interface, 127.0.0.1 for this machine only)"
            )
        })?
        .collect();
    let mut last_error = io::Error::from(io::ErrorKind::AddrNotAvailable);
    for address in addresses {
        match bind(address, false) {
            Ok(listener) => return Ok(listener),
            Err(error) => last_error = error,
        }
    }
    Err(explain_bind_error(&last_error, host, port))
}

/// A listening socket on `address`, with our backlog; `dual_stack` turns
/// IPV6_V6ONLY off, so that an IPv6 socket takes IPv4 clients too.
fn bind(address: SocketAddr, dual_stack: bool) -> io::Result<TcpListener> {
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    if dual_stack {
        socket.set_only_v6(false)?;
    }
    // As tokio and gRPC do: a restarted server binds again at once, without
    // waiting for its old connections' TIME_WAIT to end.
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    TcpListener::from_std(socket.into())
}

/// Errors about the port itself, which another address would not fix.
fn is_our_problem(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::AddrInUse | io::ErrorKind::PermissionDenied
    )
}

/// Turns the system's terse bind errors into what to do about them.
fn explain_bind_error(error: &io::Error, host: &str, port: u16) -> anyhow::Error {
    match error.kind() {
        io::ErrorKind::AddrInUse => anyhow!(
            "port {port} is already in use (is another server running? stop it, or choose another port with --port)"
        ),
        io::ErrorKind::PermissionDenied => anyhow!(
            "no permission to listen on port {port} (ports below 1024 need root: choose a port from 1024 to 65535 with --port)"
        ),
        io::ErrorKind::AddrNotAvailable => anyhow!(
            "cannot listen on {host}: this machine has no such address (use 0.0.0.0 for every interface, 127.0.0.1 for this machine only)"
        ),
        _ => anyhow!("cannot listen on {host} port {port}: {error}"),
    }
}

/// The page's `server.serve()`, for the servers that are not a lesson (step
/// 5's, the fast one): `router` on `listener`, within `limits` (see
/// [`incoming`]), until `shutdown` completes, then within the grace period
/// (see [`stop_within`]). Step 2's lesson writes the same, piece by piece.
///
/// This is mini-redis's `server::run(listener, shutdown)`: the caller binds
/// (and can say "running" once the port is open), this serves.
pub async fn serve_with_limits(
    router: Router<ServerLayers>,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let incoming = incoming(listener, limits);
    stop_within(limits.grace_period, shutdown, |stopping| {
        router.serve_with_incoming_shutdown(incoming, stopping)
    })
    .await
}

/// Runs `serve`, the server's serving future, made with the future that
/// tells it to stop (`stopping`, for tonic's `serve_with_incoming_shutdown`),
/// until `shutdown` completes (Ctrl-C). Then the server stops accepting, and
/// the streams in flight have `grace_period` to finish: a client that
/// stopped reading cannot keep the server up. tonic's own graceful stop
/// waits for them as long as they last.
pub async fn stop_within<Serving>(
    grace_period: Duration,
    shutdown: impl Future<Output = ()>,
    serve: impl FnOnce(BoxFuture<'static, ()>) -> Serving,
) -> anyhow::Result<()>
where
    Serving: Future<Output = Result<(), tonic::transport::Error>>,
{
    let (stop, stopped) = oneshot::channel::<()>();
    let server = serve(Box::pin(async {
        stopped.await.ok();
    }));
    tokio::pin!(server);

    tokio::select! {
        result = &mut server => return result.context("the server stopped unexpectedly"),
        () = shutdown => {}
    }
    tracing::info!(
        "Stopping: letting the streams in flight finish (waiting at most {grace_period:?})"
    );
    stop.send(()).ok();
    match tokio::time::timeout(grace_period, server).await {
        Ok(result) => result.context("the server stopped with an error"),
        // The operator asked the server to stop, and it did, in the time it
        // was given: exit code 0, as after any stop. The streams still open
        // end as the program does, and each is logged as cut by the server.
        Err(_) => {
            tracing::warn!(
                "The grace period ({grace_period:?}) is over: stopping without waiting any longer for the streams still open"
            );
            Ok(())
        }
    }
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `kill` and
/// service managers send). The handlers are installed now, before we serve.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            tokio::signal::ctrl_c().await.ok();
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_errors_say_what_to_do() {
        let in_use = io::Error::from(io::ErrorKind::AddrInUse);
        assert_eq!(
            explain_bind_error(&in_use, "0.0.0.0", 8815).to_string(),
            "port 8815 is already in use (is another server running? stop it, or choose another port with --port)"
        );
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(
            explain_bind_error(&denied, "0.0.0.0", 80)
                .to_string()
                .contains("below 1024")
        );
    }

    #[tokio::test]
    async fn port_zero_gets_a_free_port_that_accepts_connections() {
        let listener = listen("127.0.0.1", 0).await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::net::TcpStream::connect(address).await.unwrap();
        assert!(listener.accept().await.is_ok());
    }

    #[tokio::test]
    async fn every_interface_takes_ipv4_and_ipv6_clients_on_one_socket() {
        let listener = listen("0.0.0.0", 0).await.unwrap();
        let address = listener.local_addr().unwrap();
        assert_eq!(
            address.ip(),
            Ipv6Addr::UNSPECIFIED,
            "as gRPC: [::], not 0.0.0.0"
        );
        let port = address.port();
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        tokio::net::TcpStream::connect(("::1", port)).await.unwrap();
    }

    #[tokio::test]
    async fn a_port_in_use_is_reported_as_such() {
        let taken = listen("127.0.0.1", 0).await.unwrap();
        let port = taken.local_addr().unwrap().port();
        let error = listen("127.0.0.1", port).await.unwrap_err();
        assert!(error.to_string().contains("already in use"), "{error}");
    }
}
