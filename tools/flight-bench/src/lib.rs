//! What the benchmark (`src/main.rs`) and its client (`src/bin/bench-client.rs`)
//! share: what a process has cost so far, read from /proc, and the name of
//! the dataset the upload pairs upload.

pub mod usage;

/// The dataset each upload replaces (`python/bench_client.py` uses it too).
pub const UPLOADED: &str = "uploaded";
