//! Closing connections that stay idle: open, but with no call in flight.
//!
//! An idle connection costs the server a file descriptor and a place among
//! its `--max-connections`, and does nothing for anyone. tonic has no idle
//! timeout, and neither the connection nor the calls know of each other:
//! the connection sees bytes (HTTP/2 pings move bytes too), the calls see
//! requests. So the two meet here:
//!
//! - every call counts itself on its connection's [`Activity`], from its
//!   request until its response stream is over or dropped ([`CountCalls`],
//!   a tower layer of [`for_an_open_port`](crate::for_an_open_port)); the
//!   call finds its connection's activity in what tonic gives every request
//!   of the connection, its [`ConnectionInfo`] (the connection's state
//!   travels with the connection: no table of connections to keep);
//! - the connection ([`IdleTimer`], in `graceful_tcp.rs`), while it waits for
//!   input, closes itself once no call has been in flight for
//!   `--idle-timeout`.
//!
//! Closing means reading an end of input: the server then ends the
//! connection as if the client had closed it. A client that calls again
//! opens a new connection (gRPC clients do it by themselves).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use tokio::time::{Instant, Sleep};
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};

use crate::abandoned::{ClientSide, StreamEnd, StreamLog};

/// What tonic gives every request of a connection (our connections'
/// `Connected::ConnectInfo`): its addresses, and its activity, for its calls
/// to count themselves on.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    tcp: TcpConnectInfo,
    activity: Arc<Activity>,
    /// What the connection saw of its client, and its server's log of the
    /// streams that end early (see `abandoned.rs`).
    client: Arc<ClientSide>,
    log: Arc<StreamLog>,
}

impl ConnectionInfo {
    pub(crate) fn new(
        tcp: TcpConnectInfo,
        activity: Arc<Activity>,
        client: Arc<ClientSide>,
        log: Arc<StreamLog>,
    ) -> Self {
        Self {
            tcp,
            activity,
            client,
            log,
        }
    }

    /// The client's address.
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.tcp.remote_addr()
    }
}

/// The calls in flight on one connection, and since when there are none.
#[derive(Debug)]
pub(crate) struct Activity {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    calls: usize,
    /// Since when no call is in flight; None while one is.
    idle_since: Option<Instant>,
}

impl Activity {
    fn new() -> Self {
        Self {
            state: Mutex::new(State {
                calls: 0,
                idle_since: Some(Instant::now()),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn idle_since(&self) -> Option<Instant> {
        self.state().idle_since
    }

    /// Counts a call until the returned guard is dropped.
    fn call_started(self: &Arc<Self>) -> CallInFlight {
        let mut state = self.state();
        state.calls += 1;
        state.idle_since = None;
        CallInFlight(self.clone())
    }
}

/// One call in flight; dropped when its response is over (or abandoned).
struct CallInFlight(Arc<Activity>);

impl Drop for CallInFlight {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.calls -= 1;
        if state.calls == 0 {
            state.idle_since = Some(Instant::now());
        }
    }
}

/// A connection's side: closes it once idle for `timeout`.
pub(crate) struct IdleTimer {
    activity: Arc<Activity>,
    timeout: Duration,
    /// Never later than the moment the connection may be closed: it wakes
    /// the connection to look again.
    wake_up: Pin<Box<Sleep>>,
}

impl IdleTimer {
    /// Starts watching a new connection.
    pub(crate) fn new(timeout: Duration) -> Self {
        Self {
            activity: Arc::new(Activity::new()),
            timeout,
            wake_up: Box::pin(tokio::time::sleep(timeout)),
        }
    }

    /// Ready once no call has been in flight for the timeout; else pending,
    /// and `cx` is woken in time to look again.
    pub(crate) fn poll_idle_too_long(&mut self, cx: &mut Context<'_>) -> Poll<Duration> {
        loop {
            ready!(self.wake_up.as_mut().poll(cx));
            let now = Instant::now();
            let next_look = match self.activity.idle_since() {
                Some(since) if now >= since + self.timeout => return Poll::Ready(self.timeout),
                // Idle, not yet for long enough.
                Some(since) => since + self.timeout,
                // Busy: look again later (a call that ends before then
                // makes the connection idle no earlier than now).
                None => now + self.timeout,
            };
            self.wake_up.as_mut().reset(next_look);
        }
    }

    /// The activity the connection's calls count themselves on.
    pub(crate) fn activity(&self) -> Arc<Activity> {
        self.activity.clone()
    }
}

/// The tower layer that counts each call on its connection (see the module).
#[derive(Debug, Clone, Copy, Default)]
pub struct CountCalls;

impl<S> tower_layer::Layer<S> for CountCalls {
    type Service = CountCallsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CountCallsService { inner }
    }
}

/// [`CountCalls`] around a service.
#[derive(Debug, Clone)]
pub struct CountCallsService<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> tower_service::Service<http::Request<ReqBody>> for CountCallsService<S>
where
    S: tower_service::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<tonic::codegen::StdError>,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<ReqBody>) -> Self::Future {
        let connection = connection_of(&mut request);
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            // The call lasts as long as its response stream: the guard goes
            // with the body, and is dropped with it.
            Ok(response.map(|body| {
                tonic::body::Body::new(CallBody {
                    inner: tonic::body::Body::new(body),
                    _in_flight: connection.as_ref().map(|c| c.activity.call_started()),
                    end: connection.map(|c| StreamEnd {
                        peer: c.tcp.remote_addr(),
                        client: c.client,
                        log: c.log,
                        sent: 0,
                        finished: false,
                    }),
                })
            }))
        })
    }
}

/// A call's response body: the call is in flight while it lives, and its
/// end is watched (see `abandoned.rs`).
struct CallBody {
    inner: tonic::body::Body,
    _in_flight: Option<CallInFlight>,
    end: Option<StreamEnd>,
}

impl http_body::Body for CallBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, tonic::Status>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Some(end) = &mut self.end {
            match &polled {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        end.sent += data.len() as u64;
                    }
                    // gRPC ends every response with its trailers.
                    end.finished |= frame.is_trailers();
                }
                // Over, or failed on the server's side: not cut short.
                Poll::Ready(_) => end.finished = true,
                Poll::Pending => {}
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The connection that carried `request`, if ours. Its addresses go into
/// the request as tonic's own `TcpConnectInfo`, where
/// `Request::remote_addr()` reads the client's address.
fn connection_of<B>(request: &mut http::Request<B>) -> Option<ConnectionInfo> {
    let extensions = request.extensions_mut();
    let info = extensions.get::<ConnectionInfo>().cloned().or_else(|| {
        extensions
            .get::<TlsConnectInfo<ConnectionInfo>>()
            .map(|tls| tls.get_ref().clone())
    })?;
    extensions.insert(info.tcp.clone());
    Some(info)
}
