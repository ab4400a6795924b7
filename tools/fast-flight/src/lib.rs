//! The fast path: what `flight-bench` measures as rust->rust, beside the
//! lesson's code, which stays the plain encoder a learner reads (the book's
//! chapter "How fast is it?" says what each piece saves).
//!
//! - [`EncodedTable`]: the table is encoded into Flight messages once, at
//!   start, and kept once: its batches read the messages' bodies;
//! - [`PreEncoded`]: the lesson's server, with a `do_get` that streams those
//!   messages (clones of reference-counted buffers);
//! - mimalloc, an allocator that keeps freed memory for reuse per thread
//!   (see `src/bin/fast-flight-server.rs`).

mod decode;
mod encode;
mod service;

pub use encode::EncodedTable;
pub use service::PreEncoded;
