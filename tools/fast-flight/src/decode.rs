//! The encoded table read back as record batches, in place.
//!
//! arrow-flight's decoder reads a message body in place only when it starts
//! on a 64-byte boundary, and copies it whole otherwise. Arrow itself needs
//! less: each column aligned for its type (8 bytes for int64), which the
//! bodies the server encoded are. This decoder gives arrow-ipc the body as
//! it is, and arrow-ipc copies only a column that is not aligned for its
//! type: the table's batches are views of the messages' bodies.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, bail};
use arrow::buffer::Buffer;
use arrow::datatypes::{Schema, SchemaRef};
use arrow::ipc::reader::RecordBatchDecoder;
use arrow::ipc::{MessageHeader, root_as_message};
use arrow_flight::FlightData;
use kit::Table;

/// Turns Flight messages, in the order of a `do_get`, into a table.
#[derive(Default)]
pub(crate) struct Decoder {
    schema: Option<SchemaRef>,
    batches: Vec<arrow::record_batch::RecordBatch>,
}

impl Decoder {
    /// Decodes one message: the schema first, then record batches.
    pub(crate) fn push(&mut self, message: FlightData) -> anyhow::Result<()> {
        let header = root_as_message(&message.data_header)
            .map_err(|e| anyhow::anyhow!("a Flight message with no valid IPC header: {e}"))?;
        match header.header_type() {
            MessageHeader::Schema => {
                let schema = Schema::try_from(&message).context("cannot read the schema")?;
                self.schema = Some(Arc::new(schema));
            }
            MessageHeader::RecordBatch => {
                let schema = self
                    .schema
                    .clone()
                    .context("a record batch came before the schema")?;
                let batch = header
                    .header_as_record_batch()
                    .context("a record batch message without its header")?;
                // The body itself: a reference, not a copy.
                let body = Buffer::from(message.data_body.clone());
                let no_dictionaries = HashMap::new();
                let batch = RecordBatchDecoder::try_new(
                    &body,
                    batch,
                    schema,
                    &no_dictionaries,
                    &header.version(),
                )?
                .read_record_batch()
                .context("cannot read a record batch")?;
                self.batches.push(batch);
            }
            other => bail!(
                "a {} message: this decoder reads tables without dictionaries",
                other.variant_name().unwrap_or("unknown")
            ),
        }
        Ok(())
    }

    /// The table, once every message is in.
    pub(crate) fn finish(self) -> anyhow::Result<Table> {
        let schema = self.schema.context("no schema message")?;
        Ok(Table::new(schema, self.batches))
    }
}
