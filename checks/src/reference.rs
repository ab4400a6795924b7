//! The checks' own Flight server and client: what a step is checked
//! against, so that steps 3 and 4 never depend on the learner's step 2, and
//! step 2 is read by a client that is known to be right.
//!
//! Written for checking, not for teaching: the server can chunk the table
//! and size its messages as a test needs (one 16 MB message, as pyarrow
//! sends 1M rows), which the model answers never do.

use std::sync::Arc;
use std::thread;

use arrow::array::Int64Array;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::flight_service_server::{FlightService, FlightServiceServer};
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightClient, FlightData, FlightDescriptor, FlightInfo,
    HandshakeRequest, HandshakeResponse, PollInfo, PutResult, SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use kit::discovery::{self, unimplemented};
use kit::{TICKET, Table};
use tokio::sync::oneshot;
use tonic::transport::Server;
use tonic::{Request, Response, Status, Streaming};

/// The page's table with `rows` rows, in batches of at most `batch_rows`.
pub fn page_table(rows: usize, batch_rows: usize) -> Table {
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("value", DataType::Int64, true),
    ]));
    let batches = (0..rows)
        .step_by(batch_rows.max(1))
        .map(|start| {
            let ids = start as i64..(start + batch_rows).min(rows) as i64;
            let columns = vec![
                Arc::new(Int64Array::from_iter_values(ids.clone())) as _,
                Arc::new(Int64Array::from_iter_values(ids.map(|id| id * 10))) as _,
            ];
            RecordBatch::try_new(schema.clone(), columns).expect("a valid batch")
        })
        .collect();
    Table::new(schema, batches)
}

/// How the reference server sends its table.
#[derive(Debug, Clone, Copy)]
pub struct Serving {
    pub rows: usize,
    pub batch_rows: usize,
    /// The largest Flight message it sends; `usize::MAX` sends each batch whole.
    pub max_message: usize,
    /// Whether it answers `list_flights`, `get_flight_info` and
    /// `get_schema`; the page's pyarrow server does not (it answers
    /// UNIMPLEMENTED).
    pub lists_flights: bool,
    /// Whether it describes its flights in brief: `list_flights` gives the
    /// descriptors alone, `get_flight_info` all but the schema, and
    /// `get_schema` the schema. A server may; a client must then ask each.
    pub in_brief: bool,
}

impl Serving {
    /// The page's 1000 rows, one batch, messages of the encoder's default size.
    pub const PAGE: Serving = Serving {
        rows: kit::PAGE_ROWS,
        batch_rows: 65_536,
        max_message: 2 << 20,
        lists_flights: true,
        in_brief: false,
    };
}

/// A reference Flight server on 127.0.0.1 and a free port, on its own
/// thread until dropped.
pub struct ReferenceServer {
    pub port: u16,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl ReferenceServer {
    pub fn start(serving: Serving) -> ReferenceServer {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        let listener = runtime
            .block_on(kit::listen("127.0.0.1", 0))
            .expect("a free port");
        let port = listener.local_addr().expect("the port").port();
        let service = ReferenceService {
            table: page_table(serving.rows, serving.batch_rows),
            max_message: serving.max_message,
            lists_flights: serving.lists_flights,
            in_brief: serving.in_brief,
        };
        let router = Server::builder().add_service(FlightServiceServer::new(service));
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let shutdown = async {
                stopped.await.ok();
            };
            // Served quietly (kit::stop_within would announce its stop on stderr).
            runtime
                .block_on(router.serve_with_incoming_shutdown(
                    kit::incoming(listener, kit::args::Limits::default()),
                    shutdown,
                ))
                .expect("the reference server");
        });
        ReferenceServer {
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `grpc://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("grpc://127.0.0.1:{}", self.port)
    }
}

impl Drop for ReferenceServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

struct ReferenceService {
    table: Table,
    max_message: usize,
    lists_flights: bool,
    in_brief: bool,
}

impl ReferenceService {
    /// As the page's pyarrow server answers the calls that describe flights.
    fn describes(&self, rpc: &str) -> Result<(), Status> {
        if self.lists_flights {
            Ok(())
        } else {
            Err(Status::unimplemented(format!("{rpc} is not implemented")))
        }
    }
}

#[tonic::async_trait]
impl FlightService for ReferenceService {
    type HandshakeStream = BoxStream<'static, Result<HandshakeResponse, Status>>;
    type ListFlightsStream = BoxStream<'static, Result<FlightInfo, Status>>;
    type DoGetStream = BoxStream<'static, Result<FlightData, Status>>;
    type DoPutStream = BoxStream<'static, Result<PutResult, Status>>;
    type DoActionStream = BoxStream<'static, Result<arrow_flight::Result, Status>>;
    type ListActionsStream = BoxStream<'static, Result<ActionType, Status>>;
    type DoExchangeStream = BoxStream<'static, Result<FlightData, Status>>;

    async fn do_get(
        &self,
        request: Request<Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        let ticket = request.into_inner().ticket;
        if ticket != TICKET.as_bytes() {
            return Err(discovery::unknown_ticket(&ticket));
        }
        let batches = stream::iter(self.table.batches.clone()).map(Ok);
        let data = FlightDataEncoderBuilder::new()
            .with_max_flight_data_size(self.max_message)
            .with_schema(self.table.schema.clone())
            .build(batches)
            .map_err(Status::from);
        Ok(Response::new(data.boxed()))
    }

    async fn list_flights(
        &self,
        _: Request<Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        self.describes("list_flights")?;
        let info = if self.in_brief {
            let full = discovery::flight_info(&self.table)?;
            FlightInfo {
                flight_descriptor: full.flight_descriptor,
                total_records: -1,
                total_bytes: -1,
                ..FlightInfo::default()
            }
        } else {
            discovery::flight_info(&self.table)?
        };
        Ok(Response::new(stream::iter([Ok(info)]).boxed()))
    }

    async fn get_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        self.describes("get_flight_info")?;
        discovery::check_descriptor(request.get_ref())?;
        let mut info = discovery::flight_info(&self.table)?;
        if self.in_brief {
            info.schema = Default::default();
        }
        Ok(Response::new(info))
    }

    async fn get_schema(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<SchemaResult>, Status> {
        self.describes("get_schema")?;
        discovery::check_descriptor(request.get_ref())?;
        Ok(Response::new(discovery::schema_result(&self.table)?))
    }

    async fn list_actions(
        &self,
        _: Request<Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        Err(unimplemented("list_actions"))
    }

    async fn poll_flight_info(
        &self,
        _: Request<FlightDescriptor>,
    ) -> Result<Response<PollInfo>, Status> {
        Err(unimplemented("poll_flight_info"))
    }

    async fn handshake(
        &self,
        _: Request<Streaming<HandshakeRequest>>,
    ) -> Result<Response<Self::HandshakeStream>, Status> {
        Err(unimplemented("handshake"))
    }

    async fn do_put(
        &self,
        _: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        Err(unimplemented("do_put"))
    }

    async fn do_exchange(
        &self,
        _: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        Err(unimplemented("do_exchange"))
    }

    async fn do_action(
        &self,
        _: Request<Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        Err(unimplemented("do_action"))
    }
}

/// What the reference client received for a ticket.
pub struct Fetched {
    /// The schema the stream carried, if any (a server that sends no batch
    /// and no schema message sends none).
    pub schema: Option<SchemaRef>,
    pub batches: Vec<RecordBatch>,
}

/// Why the reference client could not read a ticket.
pub enum FetchError {
    /// No connection: refused, reset, or no answer.
    Connect(String),
    /// The server answered with a gRPC status.
    Status(Status),
    /// Anything else (a stream that cannot be decoded).
    Other(String),
}

/// Reads `ticket` from `url` with a client that accepts any message size.
pub fn fetch(url: &str, ticket: &[u8]) -> Result<Fetched, FetchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let channel = kit::endpoint(url)
            .map_err(|e| FetchError::Connect(format!("{e:#}")))?
            .connect()
            .await
            .map_err(|e| FetchError::Connect(format!("{:#}", kit::explain_connect(url, &e))))?;
        let inner = FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX);
        let mut client = FlightClient::new_from_inner(inner);
        let mut stream = client
            .do_get(Ticket::new(ticket.to_vec()))
            .await
            .map_err(flight_error)?;
        let batches = (&mut stream).try_collect().await.map_err(flight_error)?;
        Ok(Fetched {
            schema: stream.schema().cloned(),
            batches,
        })
    })
}

fn flight_error(error: arrow_flight::error::FlightError) -> FetchError {
    match error {
        arrow_flight::error::FlightError::Tonic(status) => FetchError::Status(*status),
        other => FetchError::Other(other.to_string()),
    }
}

/// A port on 127.0.0.1 where nothing listens (it was free a moment ago).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("the port").port()
}
