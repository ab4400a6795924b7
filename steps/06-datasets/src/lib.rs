//! Step 6: upload and share. The page's server becomes a dataset service,
//! as the Arrow cookbook's "Parquet storage service": clients upload tables
//! (`do_put`), list them (`list_flights`, `get_flight_info`), read them back
//! (`do_get`) and drop them (`do_action("drop_dataset")`). Each is stored
//! as a Parquet file of the data directory, so a restart serves them all.
//!
//! Yours to write (TODO(step 6)): [`put`], an upload, from Flight messages to
//! a Parquet file, as it arrives; and [`info`], what is stored, from the
//! Parquet footers. Then:
//!
//! ```text
//! cargo run -p step-06-datasets --bin step-06-datasets-server          # terminal 1
//! cargo run -p step-06-datasets --bin step-06-datasets-upload -- --name trips
//! cargo run -p step-04-client -- --ticket trips                        # reads it back
//! cargo test -p step-06-datasets                                       # the self-check
//! cargo tutor hint 6                                                   # if you are stuck
//! ```
//!
//! Given:
//!
//! - [`get`]: a dataset streamed back, batch by batch;
//! - [`store`]: the data directory, and the atomic rename that makes an
//!   upload a dataset only once it is whole;
//! - [`names`]: the names a client may give, which cannot leave the folder;
//! - [`limits`]: the flags that bound what one client can take;
//! - [`service`]: the Flight service that calls them.

pub mod get;
pub mod info;
pub mod limits;
pub mod names;
pub mod put;
pub mod service;
pub mod store;

pub use service::DatasetService;

/// The largest message the server takes: 64 MiB. tonic's default, 4 MiB, is
/// less than one record batch of pyarrow's (it sends a table's batch as one
/// message: 1M rows of two int64 columns is 16 MB); an upload's memory is
/// one row group plus one message of at most this.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;
