//! The Flight service of the datasets: each call hands its work to the
//! module that does it. The page's table is the dataset `dataset`, served
//! from memory as in step 2; the others are the Parquet files of the data
//! directory.

use arrow_flight::flight_service_server::FlightService;
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightData, FlightDescriptor, FlightInfo,
    HandshakeRequest, HandshakeResponse, PollInfo, PutResult, SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt};
use kit::{TICKET, Table, discovery};
use secure_flight::token;
use tokio::sync::Semaphore;
use tonic::{Request, Response, Status, Streaming};

use crate::limits::StoreLimits;
use crate::store::Store;
use crate::{get, info, names, put};

/// The one action, named as in the Arrow cookbook, so its Python runs unchanged.
pub const DROP_DATASET: &str = "drop_dataset";

/// The cookbook's `FlightServer`: the page's table and the data directory.
pub struct DatasetService {
    table: Table,
    store: Store,
    limits: StoreLimits,
    uploads: Semaphore,
    /// With `--secure`: the bearer token that uploads and drops must carry.
    token: Option<String>,
}

impl DatasetService {
    pub fn new(table: Table, store: Store, limits: StoreLimits) -> Self {
        let uploads = Semaphore::new(limits.max_concurrent_uploads as usize);
        Self {
            table,
            store,
            limits,
            uploads,
            token: None,
        }
    }

    /// From now on, the calls that change what is stored (`do_put`,
    /// `drop_dataset`) must carry `token`, checked by step 5's check.
    pub fn requiring_token(self, token: String) -> Self {
        Self {
            token: Some(token),
            ..self
        }
    }

    /// Whether `request` may change what is stored.
    fn may_write<T>(&self, request: &Request<T>) -> Result<(), Status> {
        let Some(expected) = &self.token else {
            return Ok(());
        };
        // Step 5's check reads the call's headers, its metadata.
        let mut headers = Request::new(());
        *headers.metadata_mut() = request.metadata().clone();
        token::check(expected, &headers)
    }

    /// The description of the flight a descriptor names.
    fn describe(&self, descriptor: &FlightDescriptor) -> Result<FlightInfo, Status> {
        if descriptor.path == [TICKET] {
            return discovery::flight_info(&self.table);
        }
        info::flight_info(&self.store, names::from_path(&descriptor.path)?)
    }
}

#[tonic::async_trait]
impl FlightService for DatasetService {
    type HandshakeStream = BoxStream<'static, Result<HandshakeResponse, Status>>;
    type ListFlightsStream = BoxStream<'static, Result<FlightInfo, Status>>;
    type DoGetStream = BoxStream<'static, Result<FlightData, Status>>;
    type DoPutStream = BoxStream<'static, Result<PutResult, Status>>;
    type DoActionStream = BoxStream<'static, Result<arrow_flight::Result, Status>>;
    type ListActionsStream = BoxStream<'static, Result<ActionType, Status>>;
    type DoExchangeStream = BoxStream<'static, Result<FlightData, Status>>;

    async fn do_put(
        &self,
        request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        self.may_write(&request)?;
        let peer = request.remote_addr();
        // Each upload holds a row group in memory: a bounded number at once.
        let Ok(_slot) = self.uploads.try_acquire() else {
            return Err(Status::resource_exhausted(format!(
                "{} uploads are already in progress, the server's limit \
                 (--max-concurrent-uploads): try again when one has ended",
                self.limits.max_concurrent_uploads
            )));
        };
        let messages = self.limits.bounded(request.into_inner().boxed());
        let stored = put::store_upload(&self.store, messages)
            .await
            .inspect_err(|status| {
                tracing::warn!(
                    "An upload from {} was not stored: {}",
                    peer.map_or("?".into(), |p| p.to_string()),
                    status.message()
                );
            })?;
        Ok(Response::new(stream::iter([Ok(stored)]).boxed()))
    }

    async fn list_flights(
        &self,
        _request: Request<Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        let mut flights = vec![discovery::flight_info(&self.table)?];
        flights.extend(info::list(&self.store)?);
        Ok(Response::new(
            stream::iter(flights.into_iter().map(Ok)).boxed(),
        ))
    }

    async fn get_flight_info(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<FlightInfo>, Status> {
        Ok(Response::new(self.describe(request.get_ref())?))
    }

    async fn get_schema(
        &self,
        request: Request<FlightDescriptor>,
    ) -> Result<Response<SchemaResult>, Status> {
        let info = self.describe(request.get_ref())?;
        Ok(Response::new(SchemaResult {
            schema: info.schema,
        }))
    }

    async fn do_get(
        &self,
        request: Request<Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        let ticket = request.into_inner().ticket;
        let name = String::from_utf8_lossy(&ticket);
        let data = if name == TICKET {
            get::table(&self.table)
        } else if names::check(&name).is_ok() {
            get::dataset(&self.store, &name)?
        } else {
            let shown: String = name.chars().take(64).collect();
            return Err(Status::not_found(format!(
                "no dataset for ticket \"{}\": list_flights shows those that exist",
                shown.escape_debug()
            )));
        };
        // A client that leaves early is logged by the kit's layer; the
        // rest is never read.
        Ok(Response::new(data.boxed()))
    }

    async fn do_action(
        &self,
        request: Request<Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        self.may_write(&request)?;
        let action = request.into_inner();
        if action.r#type != DROP_DATASET {
            return Err(Status::invalid_argument(format!(
                "unknown action \"{}\": this server has one, \"{DROP_DATASET}\" \
                 (list_actions describes it)",
                action.r#type.escape_debug()
            )));
        }
        let name = std::str::from_utf8(&action.body).map_err(|_| {
            Status::invalid_argument("the action's body is not text: it is the dataset's name")
        })?;
        let name = names::check(name)?;
        if !self.store.remove(name)? {
            return Err(Status::not_found(format!(
                "no dataset named \"{name}\" to drop: list_flights shows those that exist"
            )));
        }
        tracing::info!("Dropped \"{name}\"");
        Ok(Response::new(stream::empty().boxed()))
    }

    async fn list_actions(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        let drop = ActionType {
            r#type: DROP_DATASET.to_string(),
            description: "Delete a stored dataset; the action's body is its name".to_string(),
        };
        Ok(Response::new(stream::iter([Ok(drop)]).boxed()))
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

    async fn do_exchange(
        &self,
        _request: Request<Streaming<FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        Err(unimplemented("do_exchange"))
    }
}

/// The UNIMPLEMENTED answer, with what this server does instead.
fn unimplemented(rpc: &str) -> Status {
    Status::unimplemented(format!(
        "{rpc} is not supported: this server stores datasets (do_put), describes them \
         (list_flights, get_flight_info, get_schema), serves them (do_get) and drops them \
         (do_action \"{DROP_DATASET}\")"
    ))
}
