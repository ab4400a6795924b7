//! Who gets one of the server's connections, and for how long a new one may
//! stay silent.
//!
//! Every open connection costs a file descriptor, and a process has a fixed
//! number of them: a client that opens sockets and sends nothing (or only
//! part of a greeting) could take them all. So a connection holds one of
//! `--max-connections` places while it is open, and must start within
//! `--handshake-timeout`: send the HTTP/2 client preface and the header of
//! its first SETTINGS frame (RFC 9113 §3.4), which every HTTP/2 client sends
//! at once, in its first packet; or, to a TLS server, a whole first TLS
//! record (its ClientHello).
//!
//! When every place is taken, a newcomer takes the place of the oldest
//! connection that has not started and has been silent for
//! [`GIVE_WAY_AFTER`]; if every connection has started, it waits for one to
//! end. A connection that has started is never closed to make room: a real
//! client may wait, never fail. Whether a connection has started is decided
//! by the connection itself, when asked, after reading what has arrived:
//! bytes waiting in a socket that its task has not read yet still count.

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

/// How long a connection that has not started keeps its place against a
/// newcomer. Real clients send their greeting with their first packet: one
/// that has not after this long is not one.
pub(crate) const GIVE_WAY_AFTER: Duration = Duration::from_secs(1);

/// How long to wait for a connection asked to give way to answer (it does
/// the next time its task runs, at once unless the machine is swamped).
const ANSWER_WITHIN: Duration = Duration::from_secs(1);

/// The HTTP/2 client preface (RFC 9113 §3.4).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// Every HTTP/2 frame starts with a 9-byte header; its fourth byte is the type.
const FRAME_HEADER_BYTES: usize = 9;
const SETTINGS_FRAME: u8 = 0x4;
/// A TLS record starts with a 5-byte header: type (22, handshake), version
/// (3, x), and the length of what follows (RFC 8446 §5.1).
const TLS_HANDSHAKE_RECORD: u8 = 22;
const TLS_RECORD_HEADER_BYTES: usize = 5;

/// The bytes a connection must send to have started (see the module).
const STARTED_AFTER_BYTES: usize = PREFACE.len() + FRAME_HEADER_BYTES;

/// Whether a connection that sent `first` (its first bytes, up to
/// [`STARTED_AFTER_BYTES`]), and `total` bytes in all, has started.
fn has_started(first: &[u8], total: usize) -> bool {
    if let [TLS_HANDSHAKE_RECORD, 3, _, high, low, ..] = *first {
        let record = TLS_RECORD_HEADER_BYTES + usize::from(u16::from_be_bytes([high, low]));
        return total >= record;
    }
    first.len() >= STARTED_AFTER_BYTES
        && first.starts_with(PREFACE)
        && first[PREFACE.len() + 3] == SETTINGS_FRAME
}

/// The server's connection places, and the connections not yet started.
pub(crate) struct Places {
    free: Arc<Semaphore>,
    max: u32,
    handshake_timeout: Duration,
    /// The connections that have not started, oldest first.
    silent: VecDeque<Silent>,
    /// Told each time a connection goes, and its descriptor with it.
    gone: Arc<Notify>,
    full: Burst,
}

/// A connection not yet started, as the places see it.
struct Silent {
    since: Instant,
    /// Asks it to give way; it answers true if it did. Closed once it has
    /// started, or is gone.
    give_way: oneshot::Sender<oneshot::Sender<bool>>,
}

/// What asking the connections not started to give way achieved.
pub(crate) enum Room {
    /// One of them closed: its place is about to be free.
    Made,
    /// The oldest has not been silent for [`GIVE_WAY_AFTER`] yet: ask again then.
    NotYet(Duration),
    /// Every connection has started.
    NoneSilent,
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
    /// oldest connection silent long enough, or else the first one freed.
    /// None only if the places are gone (they never are).
    pub(crate) async fn admit(&mut self) -> Option<Admission> {
        let place = loop {
            if let Ok(place) = self.free.clone().try_acquire_owned() {
                break place;
            }
            let room = self.make_room().await;
            self.log_full(&room);
            if let Room::NotYet(wait) = room {
                // A place freed meanwhile, or ask again.
                match tokio::time::timeout(wait, self.free.clone().acquire_owned()).await {
                    Ok(place) => break place.ok()?,
                    Err(_) => continue,
                }
            }
            break self.free.clone().acquire_owned().await.ok()?;
        };
        let (give_way, asked) = oneshot::channel();
        self.silent.retain(|silent| !silent.give_way.is_closed());
        self.silent.push_back(Silent {
            since: Instant::now(),
            give_way,
        });
        Some(Admission {
            _place: place,
            gone: self.gone.clone(),
            handshake: Some(Handshake {
                deadline: Box::pin(tokio::time::sleep(self.handshake_timeout)),
                timeout: self.handshake_timeout,
                asked: Some(asked),
                first: Vec::with_capacity(STARTED_AFTER_BYTES),
                total: 0,
            }),
        })
    }

    /// Asks the oldest connections that have not started, in turn, to give
    /// way, until one does.
    pub(crate) async fn make_room(&mut self) -> Room {
        while let Some(silent) = self.silent.pop_front() {
            if silent.give_way.is_closed() {
                continue; // it has started, or is gone
            }
            let silent_for = silent.since.elapsed();
            if silent_for < GIVE_WAY_AFTER {
                self.silent.push_front(silent);
                return Room::NotYet(GIVE_WAY_AFTER - silent_for);
            }
            let (answer, answered) = oneshot::channel();
            if silent.give_way.send(answer).is_err() {
                continue;
            }
            // No answer: it started meanwhile, or is gone. Try the next.
            if let Ok(Ok(true)) = tokio::time::timeout(ANSWER_WITHIN, answered).await {
                return Room::Made;
            }
        }
        Room::NoneSilent
    }

    fn log_full(&mut self, room: &Room) {
        let what = match room {
            Room::NotYet(_) => return, // said once it is known
            Room::Made => "closing the oldest that have not started HTTP/2 to make room",
            Room::NoneSilent => "new ones wait for a place",
        };
        if let Some(unlogged) = self.full.starts(Instant::now()) {
            tracing::warn!(
                "{} connections open, the limit (--max-connections): {what}{}",
                self.max,
                unlogged_note(unlogged)
            );
        }
    }

    /// Completes when a connection has gone since the last call (or
    /// `timeout` has passed): its descriptor is free again.
    pub(crate) async fn one_gone(&self, timeout: Duration) {
        tokio::time::timeout(timeout, self.gone.notified())
            .await
            .ok();
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
    /// Where the places ask it to give way; None once the server has
    /// stopped accepting (no one will ask any more).
    asked: Option<oneshot::Receiver<oneshot::Sender<bool>>>,
    /// The first bytes received, up to [`STARTED_AFTER_BYTES`].
    first: Vec<u8>,
    total: usize,
}

impl Admission {
    /// Notes `bytes`, just received: once the connection has started, its
    /// deadline no longer applies, and it is no longer asked to give way.
    pub(crate) fn received(&mut self, bytes: &[u8]) {
        if let Some(handshake) = &mut self.handshake {
            let room = STARTED_AFTER_BYTES - handshake.first.len();
            handshake
                .first
                .extend_from_slice(&bytes[..room.min(bytes.len())]);
            handshake.total += bytes.len();
            if has_started(&handshake.first, handshake.total) {
                self.handshake = None;
            }
        }
    }

    /// While waiting for input (everything that arrived has been read): an
    /// error once the connection has not started in time, or gave way to a
    /// newcomer. Else pending, and `cx` is woken when either happens.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let Some(handshake) = &mut self.handshake else {
            return Poll::Pending;
        };
        if handshake.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "did not start HTTP/2 (its preface and SETTINGS) within {:?}",
                    handshake.timeout
                ),
            ));
        }
        if let Some(asked) = &mut handshake.asked {
            match Pin::new(asked).poll(cx) {
                Poll::Ready(Ok(answer)) => {
                    answer.send(true).ok();
                    return Poll::Ready(io::Error::other(
                        "closed before it started HTTP/2, to make room for a new connection",
                    ));
                }
                // A receiver must not be polled again once it has answered.
                Poll::Ready(Err(_)) => handshake.asked = None,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn settings_header() -> [u8; FRAME_HEADER_BYTES] {
        [0, 0, 0, SETTINGS_FRAME, 0, 0, 0, 0, 0]
    }

    #[test]
    fn the_preface_alone_is_not_a_start_but_with_a_settings_header_it_is() {
        assert!(!has_started(PREFACE, PREFACE.len()));
        let started = [PREFACE, &settings_header()].concat();
        assert!(has_started(&started, started.len()));
        let mut ping = started.clone();
        ping[PREFACE.len() + 3] = 0x6; // a PING frame first: not a client's greeting
        assert!(!has_started(&ping, ping.len()));
        assert!(!has_started(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27));
    }

    #[test]
    fn a_tls_client_has_started_once_its_first_record_has_arrived() {
        let header = [TLS_HANDSHAKE_RECORD, 3, 1, 0x02, 0x00]; // 512 bytes follow
        assert!(!has_started(&header, 5));
        assert!(!has_started(&header, 5 + 511));
        assert!(has_started(&header, 5 + 512));
    }

    #[tokio::test]
    async fn bytes_received_in_pieces_count_as_one_greeting() {
        let (_, asked) = oneshot::channel();
        let mut admission = Admission {
            _place: Arc::new(Semaphore::new(1)).try_acquire_owned().unwrap(),
            gone: Arc::new(Notify::new()),
            handshake: Some(Handshake {
                deadline: Box::pin(tokio::time::sleep(Duration::from_secs(1))),
                timeout: Duration::from_secs(1),
                asked: Some(asked),
                first: Vec::new(),
                total: 0,
            }),
        };
        let greeting = [PREFACE, &settings_header(), &[0; 6]].concat();
        for byte in &greeting[..STARTED_AFTER_BYTES - 1] {
            admission.received(std::slice::from_ref(byte));
        }
        assert!(admission.handshake.is_some());
        admission.received(&greeting[STARTED_AFTER_BYTES - 1..]);
        assert!(admission.handshake.is_none());
    }
}
