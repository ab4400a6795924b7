//! `do_put`: an upload, from the stream of Flight messages to a Parquet
//! file, written as it arrives.
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

use arrow_flight::decode::{DecodedPayload, FlightDataDecoder};
use arrow_flight::error::FlightError;
use arrow_flight::{FlightData, PutResult};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use tonic::Status;

use crate::names;
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
    mut messages: BoxStream<'static, Result<FlightData, Status>>,
) -> Result<PutResult, Status> {
    // ANCHOR: hint_descriptor
    // The descriptor comes with the first message only: read the name off
    // it before anything is written (FlightRecordBatchStream, which yields
    // batches only, would hide it).
    let first = messages.try_next().await?;
    let first = first.ok_or_else(|| Status::invalid_argument("no message arrived"))?;
    let descriptor = first.flight_descriptor.clone().unwrap_or_default();
    let name = names::from_path(&descriptor.path)?.to_string();
    // ANCHOR_END: hint_descriptor

    // ANCHOR: hint_upload
    // A temporary file, renamed to the dataset only when the upload is whole.
    let upload = store.new_upload(&name)?;
    // ANCHOR_END: hint_upload

    // ANCHOR: hint_decoder
    // The first message back in front, the rest as they come, decoded.
    let messages = stream::once(async { Ok(first) })
        .chain(messages)
        .map_err(FlightError::from);
    let mut decoded = FlightDataDecoder::new(messages);
    // ANCHOR_END: hint_decoder

    // ANCHOR: hint_writer
    let properties = Some(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build(),
    );
    // ANCHOR_END: hint_writer
    let mut writer = None;
    let mut rows = 0;
    while let Some(message) = decoded.try_next().await.map_err(not_arrow)? {
        match message.payload {
            // The schema comes first: it opens the Parquet file.
            DecodedPayload::Schema(schema) => {
                if writer.is_some() {
                    return Err(Status::invalid_argument(
                        "a second schema arrived: one upload is one table, \
                         of one schema; upload the other under another name",
                    ));
                }
                let file = upload.file()?;
                let parquet = ArrowWriter::try_new(file, schema, properties.clone());
                writer = Some(parquet.map_err(parquet_failed)?);
            }
            // ANCHOR: hint_write
            // Each batch is written at once: the writer keeps a row group in
            // memory at most, never the whole upload.
            DecodedPayload::RecordBatch(batch) => {
                let Some(writer) = writer.as_mut() else {
                    return Err(no_schema());
                };
                writer.write(&batch).map_err(parquet_failed)?;
                rows += batch.num_rows();
            }
            // ANCHOR_END: hint_write
            DecodedPayload::None => {}
        }
    }
    let Some(writer) = writer else {
        return Err(no_schema());
    };

    // ANCHOR: hint_close
    // Closing writes the footer (the schema, the row groups, the counts):
    // without it, no reader can open the file.
    writer.close().map_err(parquet_failed)?;
    store.publish(upload)?;
    // ANCHOR_END: hint_close
    tracing::info!("Stored {rows} rows as \"{name}\"");
    Ok(PutResult {
        app_metadata: format!("{{\"rows\": {rows}}}").into(),
    })
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
