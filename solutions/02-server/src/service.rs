//! The Flight service: `do_get` streams the table; `list_flights`,
//! `get_flight_info` and `get_schema` describe it so generic Flight clients
//! can discover it; everything else is answered with UNIMPLEMENTED.

use arrow::ipc::writer::IpcWriteOptions;
use arrow::record_batch::RecordBatch;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::flight_service_server::FlightService;
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightData, FlightDescriptor, FlightEndpoint, FlightInfo,
    HandshakeRequest, HandshakeResponse, PollInfo, PutResult, SchemaAsIpc, SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use solution_01_build_table::Table;
use tonic::{Request, Response, Status, Streaming};

/// The one ticket this server knows, as in the page's client:
/// `client.do_get(flight.Ticket(b"dataset"))`.
pub const TICKET: &str = "dataset";

/// Serves one in-memory table, read-only.
pub struct TableService {
    /// Cloning a record batch clones reference counts, not data, so every
    /// request streams the same memory.
    table: Table,
}

impl TableService {
    pub fn new(table: Table) -> Self {
        Self { table }
    }

    fn flight_info(&self) -> Result<FlightInfo, Status> {
        let rows = self.table.num_rows();
        let bytes: usize = self
            .table
            .batches
            .iter()
            .map(RecordBatch::get_array_memory_size)
            .sum();
        let info = FlightInfo::new()
            .try_with_schema(&self.table.schema)
            .map_err(|e| Status::internal(format!("cannot encode the schema: {e}")))?
            .with_descriptor(FlightDescriptor::new_path(vec![TICKET.to_string()]))
            // No location: the client fetches the ticket from this same server.
            .with_endpoint(FlightEndpoint::new().with_ticket(Ticket::new(TICKET)))
            .with_total_records(rows as i64)
            .with_total_bytes(bytes as i64);
        Ok(info)
    }

    /// Accepts the descriptor `path: ["dataset"]` or `cmd: b"dataset"`.
    fn check_descriptor(descriptor: &FlightDescriptor) -> Result<(), Status> {
        let names_dataset = descriptor.path == [TICKET] || descriptor.cmd == TICKET.as_bytes();
        if names_dataset {
            Ok(())
        } else {
            Err(Status::not_found(format!(
                "no flight for descriptor {descriptor}: this server has one flight, path [\"{TICKET}\"]"
            )))
        }
    }
}

/// The NOT_FOUND answer for a ticket we do not serve, naming the one we do.
fn unknown_ticket(ticket: &[u8]) -> Status {
    // A ticket is arbitrary bytes from the network: show at most 64 of them, escaped.
    let shown: String = String::from_utf8_lossy(&ticket[..ticket.len().min(64)])
        .escape_debug()
        .collect();
    let more = if ticket.len() > 64 { "..." } else { "" };
    Status::not_found(format!(
        "unknown ticket \"{shown}{more}\": the tickets that exist are [\"{TICKET}\"]"
    ))
}

fn unimplemented(rpc: &str) -> Status {
    Status::unimplemented(format!(
        "{rpc} is not supported: this server only serves the read-only table \"{TICKET}\" (use do_get, list_flights, get_flight_info or get_schema)"
    ))
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
        if ticket != TICKET.as_bytes() {
            return Err(unknown_ticket(&ticket));
        }
        // `flight.RecordBatchStream(self.table)`: encode each batch as Arrow IPC
        // messages. Batches are cheap clones (reference counts), not copies.
        let batches = stream::iter(self.table.batches.clone()).map(Ok);
        let flight_data = FlightDataEncoderBuilder::new()
            .with_schema(self.table.schema.clone())
            .build(batches)
            .map_err(Status::from);
        Ok(Response::new(flight_data.boxed()))
    }
    // ANCHOR_END: do_get

    async fn list_flights(
        &self,
        _request: Request<Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        let info = self.flight_info()?;
        Ok(Response::new(stream::iter([Ok(info)]).boxed()))
    }

    async fn get_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        Self::check_descriptor(request.get_ref())?;
        Ok(Response::new(self.flight_info()?))
    }

    async fn get_schema(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<SchemaResult>, Status> {
        Self::check_descriptor(request.get_ref())?;
        let options = IpcWriteOptions::default();
        let schema = SchemaAsIpc::new(&self.table.schema, &options)
            .try_into()
            .map_err(|e| Status::internal(format!("cannot encode the schema: {e}")))?;
        Ok(Response::new(schema))
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

    async fn list_actions(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        // No actions is a valid answer, and friendlier than an error.
        Ok(Response::new(stream::empty().boxed()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tickets_are_named_and_the_real_one_suggested() {
        let status = unknown_ticket(b"nope");
        assert_eq!(status.code(), tonic::Code::NotFound);
        assert_eq!(
            status.message(),
            "unknown ticket \"nope\": the tickets that exist are [\"dataset\"]"
        );
    }

    #[test]
    fn binary_and_long_tickets_are_escaped_and_cut() {
        let status = unknown_ticket(&[0xff, b'\n', b'a']);
        assert!(
            status
                .message()
                .starts_with("unknown ticket \"\u{fffd}\\na\"")
        );
        let long = vec![b'x'; 1000];
        let message = unknown_ticket(&long).message().to_string();
        assert!(
            message.contains(&format!("\"{}...\"", "x".repeat(64))),
            "{message}"
        );
    }

    #[test]
    fn descriptors_by_path_or_command_name_the_dataset() {
        let by_path = FlightDescriptor::new_path(vec!["dataset".into()]);
        let by_cmd = FlightDescriptor::new_cmd("dataset");
        let other = FlightDescriptor::new_path(vec!["other".into()]);
        assert!(TableService::check_descriptor(&by_path).is_ok());
        assert!(TableService::check_descriptor(&by_cmd).is_ok());
        let status = TableService::check_descriptor(&other).unwrap_err();
        assert_eq!(status.code(), tonic::Code::NotFound);
    }
}
