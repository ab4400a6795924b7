//! What the benchmark (`src/main.rs`) and its client (`src/bin/bench-client.rs`)
//! share: what a process has cost so far, read from /proc.

pub mod usage;
