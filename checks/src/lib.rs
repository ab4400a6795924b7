//! The self-checks of the four steps.
//!
//! `cargo test -p step-02-server` and `cargo test -p solution-02-server` run
//! the same test file, `checks/self-check/02-server.rs`, which calls the
//! functions here with the crate under test. The solutions pass it, so the
//! checks can pass; the shipped steps fail it, with a message that says what
//! is missing and where to look.

mod reference_server;
pub mod step1;
pub mod step2;
pub mod step3;
pub mod step4;
pub mod step5;
mod steps;

pub use reference_server::ReferenceServer;
pub use steps::{STEPS, Step};

/// What the page's client prints (section "Run it"): `tests/expected/client.txt`.
pub use flight_path_tests::PAGE_CLIENT_OUTPUT;

/// Ends the check with a message that teaches: what is wrong, where to
/// work, where to read. Call it from a `#[test]`: the message is what the
/// learner sees under `cargo test`.
#[track_caller]
pub fn fail(step: usize, problem: &str) -> ! {
    let step = &STEPS[step - 1];
    panic!(
        "\n\nstep {number} is not done yet: {problem}\n  \
         work in: {files}   (look for TODO(step {number}))\n  \
         read:    the book, chapter \"{chapter}\"   (mdbook serve book)\n  \
         hint:    cargo tutor hint {number}\n",
        number = step.number,
        files = step.lesson_paths().join(", "),
        chapter = step.chapter,
    );
}
