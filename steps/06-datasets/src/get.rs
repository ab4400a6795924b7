//! `do_get`: a stored dataset, streamed from its Parquet file batch by
//! batch; the file is never read whole into memory.

use arrow::record_batch::{RecordBatch, RecordBatchReader};
use arrow_flight::FlightData;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::error::FlightError;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use kit::{BATCH_ROWS, Table};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use tokio::sync::mpsc;
use tonic::Status;

use crate::info;
use crate::store::{Store, internal};

/// The largest message sent: the encoder's default, which any gRPC client
/// accepts (as step 2's).
const MAX_MESSAGE_BYTES: usize = 2 << 20;

/// Batches read ahead of the network: enough to keep it busy, few enough
/// that a slow client holds little memory.
const READ_AHEAD: usize = 2;

/// Dataset `name` as a stream of Flight messages: the schema, then each
/// batch as it is read.
pub fn dataset(
    store: &Store,
    name: &str,
) -> Result<BoxStream<'static, Result<FlightData, Status>>, Status> {
    let file = info::open(store, name)?;
    // The file stays open while it is read: a new version renamed over its
    // name, or a drop, does not change what this stream reads.
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.with_batch_size(BATCH_ROWS).build())
        .map_err(|e| internal(format!("cannot read {name}.parquet: {e}")))?;
    let schema = reader.schema();
    // Reading and decoding Parquet is blocking work: on a thread of its own,
    // which waits while the channel is full, and stops when the client leaves
    // (the channel is closed).
    let (batches, received) = mpsc::channel::<Result<RecordBatch, FlightError>>(READ_AHEAD);
    tokio::task::spawn_blocking(move || {
        for batch in reader {
            if batches
                .blocking_send(batch.map_err(FlightError::from))
                .is_err()
            {
                break;
            }
        }
    });
    let batches = stream::unfold(received, |mut received| async {
        received.recv().await.map(|batch| (batch, received))
    });
    Ok(encode(schema, batches.boxed()))
}

/// The page's table, from memory, as step 2 serves it.
pub fn table(table: &Table) -> BoxStream<'static, Result<FlightData, Status>> {
    let batches = stream::iter(table.batches.clone()).map(Ok);
    encode(table.schema.clone(), batches.boxed())
}

fn encode(
    schema: arrow::datatypes::SchemaRef,
    batches: BoxStream<'static, Result<RecordBatch, FlightError>>,
) -> BoxStream<'static, Result<FlightData, Status>> {
    FlightDataEncoderBuilder::new()
        .with_max_flight_data_size(MAX_MESSAGE_BYTES)
        .with_schema(schema)
        .build(batches)
        .map_err(Status::from)
        .boxed()
}
