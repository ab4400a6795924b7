//! The flags of a server on an open port, each checked by its effect on the
//! learner's own binary: `--handshake-timeout`, `--idle-timeout`,
//! `--max-connections` and `--grace-period`. A server must not advertise a
//! flag it ignores.
//!
//! Each check waits a few seconds at most for what should happen within one:
//! the waits are the behaviour under test (a silent peer, an idle one, a slow
//! reader), never a way to let the server get ready.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::{FlightClient, Ticket};
use futures::StreamExt;
use harness::{Server, Signal};

use crate::Mistake;
use crate::table::indent;

const SERVER: &str = "src/server.rs";

/// How long a check waits for what the flag says should happen in about a second.
const LONG_ENOUGH: Duration = Duration::from_secs(5);

/// What an HTTP/2 client sends first: the preface, then an empty SETTINGS
/// frame (length 0, type 4, no flags, stream 0). After it, the connection
/// has started HTTP/2.
const HTTP2_START: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";

fn start(binary: &Path, flags: &[&str]) -> Result<Server, Mistake> {
    let mut args = vec!["--host", "127.0.0.1", "--port", "0"];
    args.extend(flags);
    Server::start(binary, &args).map_err(|error| {
        Mistake::new(
            SERVER,
            format!(
                "started with {}, the server did not start: {error:#}",
                flags.join(" ")
            ),
        )
    })
}

/// Whether the server closes `socket` within [`LONG_ENOUGH`]: it reads to
/// the end of the server's bytes.
fn closed_by_the_server(socket: &mut TcpStream) -> bool {
    let deadline = Instant::now() + LONG_ENOUGH;
    let mut buf = [0u8; 1024];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if socket
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .is_err()
        {
            return false;
        }
        match socket.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            // Reset by the server: closed too.
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

/// `--handshake-timeout 0.5`: a connection that sends nothing is closed.
pub fn handshake_timeout(binary: &Path) -> Result<(), Mistake> {
    let server = start(binary, &["--rows", "10", "--handshake-timeout", "0.5"])?;
    let mut silent = TcpStream::connect(("127.0.0.1", server.port))
        .map_err(|error| Mistake::new(SERVER, format!("cannot connect: {error}")))?;
    if closed_by_the_server(&mut silent) {
        return Ok(());
    }
    Err(Mistake::new(
        SERVER,
        format!(
            "with --handshake-timeout 0.5, a connection that sent nothing was still open {} s \
             later: on an open port, whoever opens a socket and says nothing holds a place and a \
             file descriptor; serve the connections of kit::incoming(listener, args.limits), \
             which closes them",
            LONG_ENOUGH.as_secs()
        ),
    ))
}

/// `--idle-timeout 1`: a connection that started HTTP/2 and makes no call is
/// closed; and a stream that lasts longer than that is not cut.
pub fn idle_timeout(binary: &Path) -> Result<(), Mistake> {
    let server = start(binary, &["--rows", "2000000", "--idle-timeout", "1"])?;
    let mut idle = TcpStream::connect(("127.0.0.1", server.port))
        .map_err(|error| Mistake::new(SERVER, format!("cannot connect: {error}")))?;
    idle.write_all(HTTP2_START)
        .map_err(|error| Mistake::new(SERVER, format!("cannot write: {error}")))?;
    if !closed_by_the_server(&mut idle) {
        return Err(Mistake::new(
            SERVER,
            format!(
                "with --idle-timeout 1, a connection that started HTTP/2 and made no call was \
                 still open {} s later: serve the connections of kit::incoming(listener, \
                 args.limits), which closes idle ones",
                LONG_ENOUGH.as_secs()
            ),
        ));
    }
    let rows = slow_read(server.port, Duration::from_secs(2))?;
    if rows == 2_000_000 {
        return Ok(());
    }
    Err(Mistake::new(
        SERVER,
        format!(
            "with --idle-timeout 1, a client that paused 2 s while reading 2,000,000 rows got \
             {rows}: its connection was closed as idle with a call in flight; a call counts \
             itself on its connection only through the layer kit::for_an_open_port puts on \
             tonic's server"
        ),
    ))
}

/// Reads the table at `port`, pausing `pause` after the first message:
/// the rows it got (fewer if the stream broke).
fn slow_read(port: u16, pause: Duration) -> Result<usize, Mistake> {
    let runtime = runtime();
    runtime.block_on(async {
        let mut client = client(port).await?;
        let mut stream = match client.do_get(Ticket::new(kit::TICKET)).await {
            Ok(stream) => stream,
            Err(error) => return Err(Mistake::new(SERVER, format!("do_get failed: {error}"))),
        };
        let mut rows = 0;
        let mut first = true;
        while let Some(batch) = stream.next().await {
            let Ok(batch) = batch else { break };
            rows += batch.num_rows();
            if first {
                // The slow reader: this pause is the behaviour under test.
                tokio::time::sleep(pause).await;
                first = false;
            }
        }
        Ok(rows)
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

async fn client(port: u16) -> Result<FlightClient, Mistake> {
    let url = format!("grpc://127.0.0.1:{port}");
    let channel = kit::endpoint(&url)
        .map_err(|error| Mistake::new(SERVER, format!("{error:#}")))?
        .connect()
        .await
        .map_err(|error| {
            Mistake::new(SERVER, format!("{:#}", kit::explain_connect(&url, &error)))
        })?;
    let inner = FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX);
    Ok(FlightClient::new_from_inner(inner))
}

/// Whether a whole read of the table at `port` ends within `within`.
fn read_within(port: u16, within: Duration) -> bool {
    let runtime = runtime();
    runtime.block_on(async {
        let read = async {
            let mut client = client(port).await.ok()?;
            let stream = client.do_get(Ticket::new(kit::TICKET)).await.ok()?;
            Some(stream.count().await)
        };
        matches!(tokio::time::timeout(within, read).await, Ok(Some(_)))
    })
}

/// `--max-connections 1`: while one connection holds the place, a second
/// client waits; once it goes, the second is served.
pub fn max_connections(binary: &Path) -> Result<(), Mistake> {
    let server = start(binary, &["--rows", "10", "--max-connections", "1"])?;
    let mut first = TcpStream::connect(("127.0.0.1", server.port))
        .map_err(|error| Mistake::new(SERVER, format!("cannot connect: {error}")))?;
    first
        .write_all(HTTP2_START)
        .map_err(|error| Mistake::new(SERVER, format!("cannot write: {error}")))?;
    // Its place is taken once the server has answered its start.
    let mut answer = [0u8; 9];
    first
        .set_read_timeout(Some(LONG_ENOUGH))
        .and_then(|()| first.read_exact(&mut answer))
        .map_err(|error| {
            Mistake::new(
                SERVER,
                format!("the server did not answer an HTTP/2 client's start: {error}"),
            )
        })?;
    if read_within(server.port, Duration::from_millis(1500)) {
        return Err(Mistake::new(
            SERVER,
            "with --max-connections 1 and one client connected, a second client was served at \
             once: the server takes more connections than it was told; serve the connections of \
             kit::incoming(listener, args.limits), which makes the others wait for a place",
        ));
    }
    drop(first);
    if read_within(server.port, LONG_ENOUGH) {
        return Ok(());
    }
    Err(Mistake::new(
        SERVER,
        format!(
            "with --max-connections 1, once the first client had gone, a second still could not \
             read the table within {} s",
            LONG_ENOUGH.as_secs()
        ),
    ))
}

/// `--grace-period 1`: after Ctrl-C, a client that stopped reading keeps the
/// server up for about a second, not for as long as it likes.
pub fn grace_period(binary: &Path) -> Result<(), Mistake> {
    let server = start(binary, &["--rows", "3000000", "--grace-period", "1"])?;
    let port = server.port;
    let (stop_reading, reading) = std::sync::mpsc::channel::<()>();
    let (started, has_started) = std::sync::mpsc::channel::<bool>();
    // A client that reads one message, then holds the stream without reading.
    let stalled = std::thread::spawn(move || {
        let runtime = runtime();
        runtime.block_on(async {
            let Ok(mut client) = client(port).await else {
                started.send(false).ok();
                return;
            };
            let Ok(mut stream) = client.do_get(Ticket::new(kit::TICKET)).await else {
                started.send(false).ok();
                return;
            };
            let first = stream.next().await;
            started.send(matches!(first, Some(Ok(_)))).ok();
            // Held, unread, until the check is done.
            let _ = tokio::task::spawn_blocking(move || reading.recv()).await;
            drop(stream);
        });
    });
    let stop_the_client = || {
        stop_reading.send(()).ok();
    };
    if has_started.recv_timeout(LONG_ENOUGH) != Ok(true) {
        stop_the_client();
        return Err(Mistake::new(SERVER, "the server did not stream the table"));
    }
    let asked = Instant::now();
    let stopped = server.stop_with(Signal::INT, LONG_ENOUGH);
    let waited = asked.elapsed();
    stop_the_client();
    stalled.join().ok();
    match stopped {
        Ok(output) if output.code == Some(0) => Ok(()),
        Ok(output) => Err(Mistake::new(
            SERVER,
            format!(
                "after Ctrl-C with a stream in flight, the server exited with {:?}, not 0:\n{}",
                output.code,
                indent(&output.stderr)
            ),
        )),
        Err(_) => Err(Mistake::new(
            SERVER,
            format!(
                "with --grace-period 1, after Ctrl-C, a client that had stopped reading kept the \
                 server up for {:.0} s, until the check killed it: tonic's graceful stop waits for \
                 every stream as long as it lasts; serve within kit::stop_within(grace period, \
                 Ctrl-C, ...), which waits for them at most that long",
                waited.as_secs_f64()
            ),
        )),
    }
}
