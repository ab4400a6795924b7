//! The fast path: what `flight-bench` measures as rust->rust, beside the
//! lesson's code, which stays the plain encoder and decoder a learner reads
//! (the book's chapter "How fast is it?" says what each piece saves).
//!
//! - [`EncodedTable`]: the table is encoded into Flight messages once, at
//!   start, and kept once: its batches read the messages' bodies;
//! - [`PreEncoded`]: the lesson's server, with a `do_get` that streams those
//!   messages (clones of reference-counted buffers);
//! - [`read_table`]: a client that reads every column that arrives aligned
//!   where it is, instead of copying the whole body.
//!
//! Both programs also use mimalloc, an allocator that keeps freed memory
//! for reuse per thread (see `src/bin/fast-flight-server.rs`).

mod decode;
mod encode;
mod service;

pub use decode::{Bodies, Decoder, read_table, read_table_counting};
pub use encode::EncodedTable;
pub use service::PreEncoded;
