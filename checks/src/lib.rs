//! The self-checks of the steps of `steps/steps.toml`.
//!
//! `cargo test -p step-02-server` runs `steps/02-server/tests/self_check.rs`,
//! a two-line `main` that calls [`step2::self_check`] with the step's own
//! binary; `cargo test -p solution-02-server` calls the same function with
//! the model answer's. The model answers pass, so every check can pass; the
//! shipped steps fail, and each mistake is named with the file to fix and
//! the chapter to read.
//!
//! The checks never use a model answer: they carry their own reference
//! server and client ([`reference`]), written for checking.

mod limits;
pub mod reference;
mod report;
pub mod step1;
pub mod step2;
pub mod step3;
pub mod step4;
pub mod step5;
pub mod step6;
mod steps;
mod table;
mod uploads;

pub use report::{Check, Mistake, Outcome, self_check};
pub use steps::{Step, TABLE_PATH, step, steps};

/// What the page's client prints (section "Run it").
pub const PAGE_CLIENT_OUTPUT: &str = "id: int64\nvalue: int64\nRows: 1000\n";
