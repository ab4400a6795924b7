//! `list_flights` and `get_flight_info`: what is stored, read from each
//! Parquet file's footer, never from its data.
//!
//! ```python
//! def _make_flight_info(self, dataset):
//!     dataset_path = self._repo / dataset
//!     schema = pa.parquet.read_schema(dataset_path)
//!     metadata = pa.parquet.read_metadata(dataset_path)
//!     descriptor = pa.flight.FlightDescriptor.for_path(dataset.encode('utf-8'))
//!     endpoints = [pa.flight.FlightEndpoint(dataset, [self._location])]
//!     return pa.flight.FlightInfo(schema, descriptor, endpoints,
//!                                 metadata.num_rows, metadata.serialized_size)
//! ```

use std::fs::File;
use std::io;

use arrow_flight::{FlightDescriptor, FlightEndpoint, FlightInfo, Ticket};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use tonic::{Code, Status};

use crate::store::{Store, internal};

// ANCHOR: flight_info
/// Describes dataset `name`: its schema, its rows, its size, and the ticket
/// that reads it. `total_bytes` is the file's size on disk, compressed: not
/// the size of the Arrow data a client receives, which is larger.
pub fn flight_info(store: &Store, name: &str) -> Result<FlightInfo, Status> {
    let file = open(store, name)?;
    let size = file.metadata().map_err(internal)?.len();
    // ANCHOR: hint_footer
    // The builder reads the footer only: the schema and the row groups'
    // counts, whatever the file's size.
    let parquet = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| internal(format!("{name}.parquet is not Parquet: {e}")))?;
    let rows = parquet.metadata().file_metadata().num_rows();
    // ANCHOR_END: hint_footer
    let ticket = Ticket::new(name.to_string());
    let info = FlightInfo::new()
        .try_with_schema(parquet.schema())
        .map_err(|e| internal(format!("cannot encode the schema: {e}")))?
        .with_descriptor(FlightDescriptor::new_path(vec![name.to_string()]))
        // No location: the ticket is read from this same server.
        .with_endpoint(FlightEndpoint::new().with_ticket(ticket))
        .with_total_records(rows)
        .with_total_bytes(size as i64);
    Ok(info)
}
// ANCHOR_END: flight_info

// ANCHOR: list
/// Every stored dataset, described, in the order of their names.
pub fn list(store: &Store) -> Result<Vec<FlightInfo>, Status> {
    let mut infos = Vec::new();
    for name in store.names().map_err(internal)? {
        match flight_info(store, &name) {
            Ok(info) => infos.push(info),
            // Dropped since the folder was read: it is no longer there to list.
            Err(status) if status.code() == Code::NotFound => {}
            Err(status) => return Err(status),
        }
    }
    Ok(infos)
}
// ANCHOR_END: list

/// The file of dataset `name`; NOT_FOUND if there is none.
pub fn open(store: &Store, name: &str) -> Result<File, Status> {
    File::open(store.path(name)).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => Status::not_found(format!(
            "no dataset named \"{name}\": list_flights shows those that exist"
        )),
        _ => internal(error),
    })
}
