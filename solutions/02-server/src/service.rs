//! The Flight service: `do_get` streams the table, the calls that describe
//! it are answered by [`kit::discovery`], the rest are UNIMPLEMENTED.

use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::flight_service_server::FlightService;
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightData, FlightDescriptor, FlightInfo,
    HandshakeRequest, HandshakeResponse, PollInfo, PutResult, SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use kit::discovery::{self, unimplemented};
use kit::{TICKET, Table};
use tonic::{Request, Response, Status, Streaming};

// ANCHOR: message_size
/// The largest message we send. 2 MiB (the encoder's default, chosen on
/// purpose): any gRPC client accepts it (tonic refuses over 4 MiB unless told
/// otherwise), and each of our 1 MiB record batches fits in one message.
const MAX_MESSAGE_BYTES: usize = 2 << 20;
// ANCHOR_END: message_size

/// `ArrowFlightServer`: serves one in-memory table, read-only.
pub struct TableService {
    table: Table,
}

impl TableService {
    /// `self.table = ...` in the page's `__init__`.
    pub fn new(table: Table) -> Self {
        Self { table }
    }
}

#[tonic::async_trait]
impl FlightService for TableService {
    type HandshakeStream = BoxStream<'static, Result<HandshakeResponse, Status>>;
    type ListFlightsStream = BoxStream<'static, Result<FlightInfo, Status>>;
    type DoGetStream = BoxStream<'static, Result<FlightData, Status>>;
    type DoPutStream = BoxStream<'static, Result<PutResult, Status>>;
    type DoActionStream = BoxStream<'static, Result<arrow_flight::Result, Status>>;
    type ListActionsStream = BoxStream<'static, Result<ActionType, Status>>;
    type DoExchangeStream = BoxStream<'static, Result<FlightData, Status>>;

    // ANCHOR: do_get
    async fn do_get(
        &self,
        request: Request<Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        let ticket = request.into_inner().ticket;
        // ANCHOR: hint_ticket
        if ticket != TICKET.as_bytes() {
            return Err(discovery::unknown_ticket(&ticket));
        }
        // ANCHOR_END: hint_ticket
        // `flight.RecordBatchStream(self.table)`: the schema, then each batch,
        // encoded as Arrow IPC messages. Cloning a batch clones reference
        // counts, not data: every request streams the same memory.
        // ANCHOR: hint_encoder
        let batches = stream::iter(self.table.batches.clone()).map(Ok);
        let flight_data = FlightDataEncoderBuilder::new()
            .with_max_flight_data_size(MAX_MESSAGE_BYTES)
            .with_schema(self.table.schema.clone())
            .build(batches)
            .map_err(Status::from);
        // ANCHOR_END: hint_encoder
        Ok(Response::new(flight_data.boxed()))
    }
    // ANCHOR_END: do_get

    // Given (not the lesson): the calls that describe the table, which
    // `cargo run -p solution-03-verify-port` and Flight tools ask, and
    // UNIMPLEMENTED for the calls a read-only table has no use for. The
    // trait has no default methods, so all ten are written out.

    async fn list_flights(
        &self,
        _request: Request<Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        let info = discovery::flight_info(&self.table)?;
        Ok(Response::new(stream::iter([Ok(info)]).boxed()))
    }

    async fn get_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        discovery::check_descriptor(request.get_ref())?;
        Ok(Response::new(discovery::flight_info(&self.table)?))
    }

    async fn get_schema(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<SchemaResult>, Status> {
        discovery::check_descriptor(request.get_ref())?;
        Ok(Response::new(discovery::schema_result(&self.table)?))
    }

    async fn list_actions(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        // No actions is a valid answer, and friendlier than an error.
        Ok(Response::new(stream::empty().boxed()))
    }

    async fn poll_flight_info(
        &self,
        _request: Request<FlightDescriptor>,
    ) -> Result<Response<PollInfo>, Status> {
        Err(unimplemented("poll_flight_info"))
    }

    async fn handshake(
        &self,
        _request: Request<Streaming<HandshakeRequest>>,
    ) -> Result<Response<Self::HandshakeStream>, Status> {
        Err(unimplemented("handshake"))
    }

    async fn do_put(
        &self,
        _request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        Err(unimplemented("do_put"))
    }

    async fn do_exchange(
        &self,
        _request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        Err(unimplemented("do_exchange"))
    }

    async fn do_action(
        &self,
        _request: Request<Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        Err(unimplemented("do_action"))
    }
}
