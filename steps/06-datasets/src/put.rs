//! `do_put`: an upload, from the stream of Flight messages to a Parquet
//! file, written as it arrives. Yours to write (TODO(step 6)); given: the
//! row group's size and the error answers at the bottom.
//!
//! ```python
//! def do_put(self, context, descriptor, reader, writer):
//!     dataset = descriptor.path[0].decode('utf-8')
//!     with pq.ParquetWriter(self._repo / dataset, reader.schema) as sink:
//!         for chunk in reader:
//!             sink.write_table(pa.Table.from_batches([chunk.data]))
//! ```
//!
//! Parquet's writer is synchronous: each batch is encoded and written on
//! the runtime's thread, a few milliseconds for the page's 65,536-row
//! batches. A server that takes many large uploads at once would hand the
//! writing to a thread of its own (`tokio::task::spawn_blocking`), as
//! `do_get` does its reading.

use arrow_flight::error::FlightError;
use arrow_flight::{FlightData, PutResult};
use futures::stream::BoxStream;
use parquet::errors::ParquetError;
use tonic::Status;

use crate::store::Store;

// ANCHOR: row_group
/// Rows the Parquet writer holds in memory before it writes them out as a
/// row group: 256 Ki rows (4 MiB of the page's two int64 columns). Without
/// it, `ArrowWriter` holds 1,048,576 rows, and a wide table's row group is
/// as big as its rows make it; with it, an upload takes the memory of one
/// row group and one message, whatever its size.
pub const ROW_GROUP_ROWS: usize = 256 * 1024;
/// ...and at most this many bytes, whichever comes first.
pub const ROW_GROUP_BYTES: usize = 32 << 20;
// ANCHOR_END: row_group

// ANCHOR: store_upload
/// Reads an upload, `messages`, and stores it as the dataset its first
/// message names; answers the rows stored.
pub async fn store_upload(
    store: &Store,
    messages: BoxStream<'static, Result<FlightData, Status>>,
) -> Result<PutResult, Status> {
    // TODO(step 6): the cookbook's do_put, above: the dataset the upload's
    // descriptor names (its path, checked by names::from_path), written as a
    // Parquet file as pyarrow's ParquetWriter writes it, batch by batch as
    // the batches arrive, and stored with the given store (new_upload, then
    // publish) so that no one ever sees it before it is whole. Answer a
    // PutResult that says how many rows were stored; on an error, return it
    // (not_arrow, no_schema and parquet_failed, below, make the statuses).
    // Docs: https://docs.rs/arrow-flight/60/arrow_flight/decode/
    //       https://docs.rs/parquet/60/parquet/arrow/arrow_writer/
    //       https://docs.rs/parquet/60/parquet/file/properties/
    let _ = (store, messages, not_arrow, no_schema, parquet_failed);
    let _ = (ROW_GROUP_ROWS, ROW_GROUP_BYTES);
    Err(Status::unimplemented(
        "TODO(step 6): write do_put (steps/06-datasets/src/put.rs)",
    ))
}
// ANCHOR_END: store_upload

/// A stream that is not Arrow's IPC is the client's mistake; a status (the
/// upload's limit, a client that left) is passed on as it is.
fn not_arrow(error: FlightError) -> Status {
    match error {
        FlightError::Tonic(status) => *status,
        other => Status::invalid_argument(format!("the upload is not Arrow data: {other}")),
    }
}

/// A batch, or the end, before any schema.
fn no_schema() -> Status {
    Status::invalid_argument("no schema came first: an upload starts with its table's schema")
}

/// Parquet's writer failed: the server's disk, not the client.
fn parquet_failed(error: ParquetError) -> Status {
    crate::store::internal(format!("cannot write Parquet: {error}"))
}
