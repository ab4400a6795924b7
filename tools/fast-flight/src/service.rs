//! The lesson's server with one call replaced: `do_get` streams messages
//! encoded once, at start, instead of encoding the table for every client.

use arrow_flight::flight_service_server::FlightService;
use arrow_flight::{
    Action, Criteria, Empty, FlightData, FlightDescriptor, FlightInfo, HandshakeRequest, PollInfo,
    SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt};
use kit::TICKET;
use kit::discovery;
use tonic::{Request, Response, Status, Streaming};

use crate::EncodedTable;

/// `inner` (the lesson's `TableService`, serving the same table) answers
/// every call but `do_get`.
pub struct PreEncoded<S> {
    inner: S,
    encoded: EncodedTable,
}

impl<S> PreEncoded<S> {
    pub fn new(inner: S, encoded: EncodedTable) -> Self {
        Self { inner, encoded }
    }
}

#[tonic::async_trait]
impl<S: FlightService> FlightService for PreEncoded<S> {
    type HandshakeStream = S::HandshakeStream;
    type ListFlightsStream = S::ListFlightsStream;
    type DoGetStream = BoxStream<'static, Result<FlightData, Status>>;
    type DoPutStream = S::DoPutStream;
    type DoActionStream = S::DoActionStream;
    type ListActionsStream = S::ListActionsStream;
    type DoExchangeStream = S::DoExchangeStream;

    // ANCHOR: do_get
    async fn do_get(
        &self,
        request: Request<Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        let ticket = request.into_inner().ticket;
        if ticket != TICKET.as_bytes() {
            return Err(discovery::unknown_ticket(&ticket));
        }
        // Clones of the messages: reference counts, not data.
        let messages = stream::iter(self.encoded.messages().to_vec()).map(Ok);
        Ok(Response::new(messages.boxed()))
    }
    // ANCHOR_END: do_get

    async fn handshake(
        &self,
        request: Request<Streaming<HandshakeRequest>>,
    ) -> Result<Response<Self::HandshakeStream>, Status> {
        self.inner.handshake(request).await
    }

    async fn list_flights(
        &self,
        request: Request<Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        self.inner.list_flights(request).await
    }

    async fn get_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.inner.get_flight_info(request).await
    }

    async fn poll_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<PollInfo>, Status> {
        self.inner.poll_flight_info(request).await
    }

    async fn get_schema(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<SchemaResult>, Status> {
        self.inner.get_schema(request).await
    }

    async fn do_put(
        &self,
        request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        self.inner.do_put(request).await
    }

    async fn do_exchange(
        &self,
        request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        self.inner.do_exchange(request).await
    }

    async fn do_action(
        &self,
        request: Request<Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        self.inner.do_action(request).await
    }

    async fn list_actions(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        self.inner.list_actions(request).await
    }
}
