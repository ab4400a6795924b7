//! Runs the solutions the way the page runs its programs: as real processes,
//! talking over real sockets. Used by the walkthrough and the tests.
//!
//! - [`build`] compiles the binaries (once) and finds where cargo put them;
//! - [`Server`] starts a server and waits for its "running on port" line;
//! - [`run`] runs a program to the end and keeps what it printed.

mod build;
mod process;

pub use build::{Binaries, Progress, build, cargo};
pub use process::{Output, Server, Signal, run, run_with_env};
