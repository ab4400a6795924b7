//! Reading a table without copying what arrives aligned.
//!
//! arrow-flight's decoder reads a message body in place only when it starts
//! on a 64-byte boundary, and copies it whole otherwise; tonic's buffers are
//! not 64-byte aligned, so it copies nearly every body. Arrow itself needs
//! less: each column aligned for its type (8 bytes for int64). This decoder
//! gives arrow-ipc the body as it is, and arrow-ipc copies only a column that
//! is not aligned for its type.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, bail};
use arrow::buffer::Buffer;
use arrow::datatypes::{Schema, SchemaRef};
use arrow::ipc::reader::RecordBatchDecoder;
use arrow::ipc::{MessageHeader, root_as_message};
use arrow_flight::error::FlightError;
use arrow_flight::{FlightClient, FlightData, Ticket};
use kit::Table;

/// How many record batch bodies arrived, and how many were read in place.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Bodies {
    pub received: usize,
    /// Bodies that started on an 8-byte boundary: their int64 columns were
    /// read where they arrived.
    pub aligned: usize,
}

/// Turns Flight messages, in the order of a `do_get`, into a table.
#[derive(Default)]
pub struct Decoder {
    schema: Option<SchemaRef>,
    batches: Vec<arrow::record_batch::RecordBatch>,
    bodies: Bodies,
}

impl Decoder {
    /// Decodes one message: the schema first, then record batches.
    pub fn push(&mut self, message: FlightData) -> anyhow::Result<()> {
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
                self.bodies.received += 1;
                if (message.data_body.as_ptr() as usize).is_multiple_of(8) {
                    self.bodies.aligned += 1;
                }
                // The body as it arrived: a reference, not a copy.
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
    pub fn finish(self) -> anyhow::Result<Table> {
        Ok(self.finish_counting()?.0)
    }

    /// The table, and what was read in place.
    pub fn finish_counting(self) -> anyhow::Result<(Table, Bodies)> {
        let schema = self.schema.context("the server sent no schema")?;
        Ok((Table::new(schema, self.batches), self.bodies))
    }
}

/// `client.do_get(flight.Ticket(ticket)).read_all()`, as
/// `flight_client::read_table`, reading aligned columns in place.
pub async fn read_table(client: &mut FlightClient, ticket: &str) -> anyhow::Result<Table> {
    Ok(read_table_counting(client, ticket).await?.0)
}

/// [`read_table`], and what was read in place.
pub async fn read_table_counting(
    client: &mut FlightClient,
    ticket: &str,
) -> anyhow::Result<(Table, Bodies)> {
    let explain = |status| kit::explain(FlightError::Tonic(Box::new(status)));
    let mut stream = client
        .inner_mut()
        .do_get(Ticket::new(ticket.to_string()))
        .await
        .map_err(explain)?
        .into_inner();
    let mut decoder = Decoder::default();
    while let Some(message) = stream.message().await.map_err(explain)? {
        decoder.push(message)?;
    }
    decoder.finish_counting()
}
