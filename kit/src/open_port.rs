//! What a server on an open port needs, besides a connection limit (see
//! `admission.rs`) and an idle timeout (see `idle.rs`): HTTP/2 pings that
//! find dead peers, and as many file descriptors as the system allows.

use std::time::Duration;

use tonic::transport::Server;
use tower_layer::{Identity, Stack};

use crate::args::Limits;
use crate::idle::CountCalls;

// ANCHOR: settings
/// After this long without hearing from a client, the server pings it...
pub(crate) const PING_INTERVAL: Duration = Duration::from_secs(60);
/// ...and closes the connection if the answer takes longer than this: the
/// client's machine is gone, or its program hangs.
pub(crate) const PING_TIMEOUT: Duration = Duration::from_secs(20);
/// Calls one connection may run at once (a Flight client makes one at a time).
const MAX_STREAMS_PER_CONNECTION: u32 = 100;
// ANCHOR_END: settings

/// File descriptors the server needs besides its connections: standard
/// streams, the listener, the runtime's own, files it opens.
const OTHER_DESCRIPTORS: u64 = 16;

/// The layers [`server_builder`] puts around every call.
pub type ServerLayers = Stack<CountCalls, Identity>;

/// tonic's `Server::builder()`, [`for_an_open_port`]. Give its router to
/// [`serve_with_limits`](crate::serve_with_limits), which adds the
/// connection limit, the handshake timeout and the idle timeout.
pub fn server_builder() -> Server<ServerLayers> {
    for_an_open_port(Server::builder())
}

/// tonic's `server` with the HTTP/2 settings of a server on an open port:
/// pings that find dead peers, a limit of calls per connection, and each
/// call counted on its connection, which the idle timeout of
/// [`incoming`](crate::incoming) needs to tell an idle connection from a
/// busy one.
pub fn for_an_open_port(server: Server) -> Server<ServerLayers> {
    server
        .http2_keepalive_interval(Some(PING_INTERVAL))
        .http2_keepalive_timeout(Some(PING_TIMEOUT))
        .max_concurrent_streams(MAX_STREAMS_PER_CONNECTION)
        .layer(CountCalls)
}

/// Raises this process's limit of open files as far as it may (the soft
/// limit to the hard one: often 1024 to 524288), and warns when even that
/// leaves too few for `limits.max_connections`.
pub(crate) fn make_room_for(limits: Limits) {
    let Some(open_files) = raise_open_file_limit() else {
        return;
    };
    let room = open_files.saturating_sub(OTHER_DESCRIPTORS);
    if room < u64::from(limits.max_connections) {
        tracing::warn!(
            "this process may open {open_files} files, room for about {room} connections, fewer than --max-connections ({}): when they run out, connections that have not started HTTP/2 are closed first (raise the limit: ulimit -n, or LimitNOFILE= in a systemd unit)",
            limits.max_connections
        );
    }
}

/// The soft limit of open files after raising it to the hard one; None
/// where there is no such limit, or it cannot be read.
#[cfg(unix)]
fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let raised = rustix::process::Rlimit {
        current: limit.maximum,
        maximum: limit.maximum,
    };
    // Refused where the hard limit is "unlimited" but the kernel caps open
    // files lower (macOS): the soft limit then stays as it was.
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => {
            tracing::debug!(
                "raised the open-file limit from {:?} to {:?}",
                limit.current,
                raised.current
            );
            raised.current
        }
        Err(error) => {
            tracing::debug!("cannot raise the open-file limit: {error}");
            limit.current
        }
    }
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> Option<u64> {
    None
}
