//! The table, encoded once: the Flight messages every `do_get` sends.

use anyhow::Context;
use arrow::ipc::writer::{DictionaryTracker, IpcDataGenerator, IpcWriteContext, IpcWriteOptions};
use arrow_flight::{FlightData, SchemaAsIpc};
use kit::Table;

use crate::decode::Decoder;

/// A table as Flight messages (its schema, then one message per record
/// batch), ready to send, and the same table as record batches that read
/// those messages' bodies: one copy of the data in memory, however many
/// clients read it.
#[derive(Clone)]
pub struct EncodedTable {
    messages: Vec<FlightData>,
    table: Table,
}

impl EncodedTable {
    // ANCHOR: encode_once
    /// Encodes `table` as Arrow IPC, once, batch by batch: each given batch
    /// is dropped once encoded, so that the memory never holds the table
    /// twice. The table kept reads the encoded bodies, without copies.
    pub fn new(table: Table) -> anyhow::Result<Self> {
        let options = IpcWriteOptions::default();
        let schema = SchemaAsIpc::new(&table.schema, &options);
        let mut messages = vec![FlightData::from(schema)];
        let generator = IpcDataGenerator::default();
        let mut dictionaries = DictionaryTracker::new(false);
        let mut context = IpcWriteContext::default();
        for batch in table.batches {
            let (dictionary_messages, message) = generator
                .encode(&batch, &mut dictionaries, &options, &mut context)
                .context("cannot encode the table as Arrow IPC")?;
            anyhow::ensure!(
                dictionary_messages.is_empty(),
                "the fast path serves tables without dictionaries"
            );
            messages.push(FlightData::from(message));
        }
        let mut decoder = Decoder::default();
        for message in &messages {
            decoder.push(message.clone())?;
        }
        let table = decoder.finish()?;
        Ok(Self { messages, table })
    }
    // ANCHOR_END: encode_once

    /// The messages of one `do_get`: clones of reference-counted buffers.
    pub fn messages(&self) -> &[FlightData] {
        &self.messages
    }

    /// The table, as record batches that read the messages' bodies.
    pub fn table(&self) -> &Table {
        &self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_table_is_the_given_one_read_from_the_bodies() {
        let table = page_table::build_table(100_000).unwrap();
        let expected = table.clone();
        let encoded = EncodedTable::new(table).unwrap();
        let concat = |t: &Table| arrow::compute::concat_batches(&t.schema, &t.batches).unwrap();
        assert_eq!(concat(encoded.table()), concat(&expected));
        // Each batch's columns are views of its message's body, not copies.
        let bodies = encoded.messages().iter().skip(1);
        for (batch, message) in encoded.table().batches.iter().zip(bodies) {
            let body = message.data_body.as_ptr_range();
            for column in batch.columns() {
                let start = column.to_data().buffers()[0].as_ptr();
                assert!(body.contains(&start), "a column outside its message body");
            }
        }
    }
}
