//! The checks' own upload client, for step 6: it sends tables as any Flight
//! client does, and also as the checks need: paused mid-upload, or cut.

use std::time::Duration;

use arrow::record_batch::RecordBatch;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::error::FlightError;
use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::{FlightClient, FlightData, FlightDescriptor, FlightInfo, PutResult};
use futures::stream::{self, StreamExt, TryStreamExt};
use kit::Table;
use tokio::runtime::Runtime;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tonic::Status;

/// How long one call may take before it counts as hung.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of one server, with a runtime of its own that runs uploads in
/// the background while the check looks at the server's folder.
pub struct Uploads {
    runtime: Runtime,
    url: String,
}

/// An upload under way: its first messages sent, the rest held back. It
/// has a runtime, and so a connection, of its own: cutting it closes that
/// connection, as a client that dies does.
pub struct Pending {
    runtime: Runtime,
    more: mpsc::UnboundedSender<FlightData>,
    answer: JoinHandle<Result<Vec<PutResult>, Status>>,
}

impl Pending {
    /// Whether the server has answered already: an error, as the upload is
    /// not over.
    pub fn answered(&self) -> bool {
        self.answer.is_finished()
    }
}

impl Uploads {
    pub fn new(port: u16) -> Uploads {
        Uploads {
            runtime: Runtime::new().expect("a tokio runtime"),
            url: format!("grpc://127.0.0.1:{port}"),
        }
    }

    /// `grpc://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The Flight messages of `table`, as an upload of dataset `name` (the
    /// descriptor rides on the first, the schema).
    pub fn messages(&self, name: &str, table: &Table) -> Vec<FlightData> {
        let batches = stream::iter(table.batches.clone()).map(Ok::<RecordBatch, FlightError>);
        let encoded = FlightDataEncoderBuilder::new()
            .with_schema(table.schema.clone())
            .with_flight_descriptor(Some(FlightDescriptor::new_path(vec![name.to_string()])))
            .build(batches)
            .try_collect();
        self.runtime.block_on(encoded).expect("the table encodes")
    }

    /// Uploads `table` as `name`, all at once; the server's answers.
    pub fn put(&self, name: &str, table: &Table) -> Result<Vec<PutResult>, Status> {
        let messages = self.messages(name, table);
        self.send(messages)
    }

    /// Uploads the given messages, as they are.
    pub fn send(&self, messages: Vec<FlightData>) -> Result<Vec<PutResult>, Status> {
        let pending = self.start(messages);
        self.finish(pending, Vec::new())
    }

    /// Starts an upload with `first` and holds it open.
    pub fn start(&self, first: Vec<FlightData>) -> Pending {
        let (more, held) = mpsc::unbounded_channel();
        for message in first {
            more.send(message).expect("the channel is open");
        }
        let messages = stream::unfold(held, |mut held| async {
            held.recv().await.map(|message| (Ok(message), held))
        });
        let url = self.url.clone();
        let runtime = Runtime::new().expect("a tokio runtime");
        let answer = runtime.spawn(async move {
            let mut client = connect(&url).await?;
            let answers = client.do_put(messages).await.map_err(status)?;
            answers.try_collect().await.map_err(status)
        });
        Pending {
            runtime,
            more,
            answer,
        }
    }

    /// Sends `rest` and ends the upload; the server's answers.
    pub fn finish(
        &self,
        pending: Pending,
        rest: Vec<FlightData>,
    ) -> Result<Vec<PutResult>, Status> {
        let Pending {
            runtime,
            more,
            answer,
        } = pending;
        for message in rest {
            more.send(message).ok();
        }
        // The end of the upload: the client's stream ends, well.
        drop(more);
        runtime.block_on(async {
            match tokio::time::timeout(CALL_TIMEOUT, answer).await {
                Ok(Ok(result)) => result,
                Ok(Err(_)) => Err(Status::unknown("the upload's task failed")),
                Err(_) => Err(Status::deadline_exceeded("no answer to the upload")),
            }
        })
    }

    /// Cuts the upload, as a client that dies: its connection closes while
    /// the upload is still open. (Ending the stream of messages would not do:
    /// to the server, that is an upload that ended well.)
    pub fn cut(&self, pending: Pending) {
        let Pending { runtime, more, .. } = pending;
        // The runtime, its upload and its connection are gone before the
        // stream of messages ends: the upload never ends well, even late.
        runtime.shutdown_timeout(CALL_TIMEOUT);
        drop(more);
    }

    /// `list_flights`.
    pub fn list(&self) -> Result<Vec<FlightInfo>, Status> {
        self.call(|mut client| async move {
            let flights = client
                .list_flights(Vec::<u8>::new())
                .await
                .map_err(status)?;
            flights.try_collect().await.map_err(status)
        })
    }

    /// `get_flight_info` of the dataset named `name`.
    pub fn info(&self, name: &str) -> Result<FlightInfo, Status> {
        let descriptor = FlightDescriptor::new_path(vec![name.to_string()]);
        self.call(
            |mut client| async move { client.get_flight_info(descriptor).await.map_err(status) },
        )
    }

    fn call<T, F>(&self, call: impl FnOnce(FlightClient) -> F) -> Result<T, Status>
    where
        F: Future<Output = Result<T, Status>>,
    {
        self.runtime.block_on(async {
            let client = connect(&self.url).await?;
            tokio::time::timeout(CALL_TIMEOUT, call(client))
                .await
                .unwrap_or_else(|_| Err(Status::deadline_exceeded("no answer")))
        })
    }
}

async fn connect(url: &str) -> Result<FlightClient, Status> {
    // An upload is answered once stored: it may take longer than the kit's
    // 10 s until the first answer.
    let channel = kit::endpoint(url)
        .map_err(|e| Status::unavailable(format!("{e:#}")))?
        .timeout(CALL_TIMEOUT)
        .connect()
        .await
        .map_err(|e| Status::unavailable(format!("{:#}", kit::explain_connect(url, &e))))?;
    let inner = FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX);
    Ok(FlightClient::new_from_inner(inner))
}

fn status(error: FlightError) -> Status {
    match error {
        FlightError::Tonic(status) => *status,
        other => Status::unknown(other.to_string()),
    }
}

/// The names `list_flights` gave, in its order.
pub fn names(flights: &[FlightInfo]) -> Vec<String> {
    flights
        .iter()
        .filter_map(|info| info.flight_descriptor.as_ref())
        .map(|descriptor| descriptor.path.join("/"))
        .collect()
}
