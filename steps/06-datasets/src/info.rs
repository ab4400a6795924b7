//! `list_flights` and `get_flight_info`: what is stored, read from each
//! Parquet file's footer, never from its data. Yours to write
//! (TODO(step 6)); given: `open`, at the bottom.
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

use arrow_flight::FlightInfo;
use tonic::Status;

use crate::store::{Store, internal};

// ANCHOR: flight_info
/// Describes dataset `name`: its schema, its rows, its size, and the ticket
/// that reads it. `total_bytes` is the file's size on disk, compressed: not
/// the size of the Arrow data a client receives, which is larger.
pub fn flight_info(store: &Store, name: &str) -> Result<FlightInfo, Status> {
    // TODO(step 6): the cookbook's _make_flight_info, above, for the dataset
    // `name` of the store (open, below, gives its file): its schema, its
    // descriptor, one endpoint whose ticket reads it from this same server,
    // total_records and total_bytes, from the file's footer alone.
    // Docs: https://docs.rs/parquet/60/parquet/arrow/arrow_reader/
    //       https://docs.rs/arrow-flight/60/arrow_flight/struct.FlightInfo.html
    let _ = (store, name);
    Err(Status::unimplemented(
        "TODO(step 6): write flight_info (steps/06-datasets/src/info.rs)",
    ))
}
// ANCHOR_END: flight_info

// ANCHOR: list
/// Every stored dataset, described, in the order of their names.
pub fn list(store: &Store) -> Result<Vec<FlightInfo>, Status> {
    // TODO(step 6): each of store.names(), described by flight_info. A
    // dataset dropped between the two (NOT_FOUND) is simply not listed.
    let _ = store;
    Err(Status::unimplemented(
        "TODO(step 6): write list (steps/06-datasets/src/info.rs)",
    ))
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
