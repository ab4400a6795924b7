//! `cargo tutor`, and through it the two halves of every step: the shipped
//! skeleton fails its self-check (here), the solution passes the same check
//! (its own `cargo test`, which runs the same file).

use std::fs;
use std::path::Path;

use checks::STEPS;
use flight_path_tests::run;

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Whether a step's lesson files still carry their `TODO(step N)` marker.
fn still_todo(step: &checks::Step) -> bool {
    step.lesson_paths().iter().any(|path| {
        fs::read_to_string(workspace().join(path))
            .is_ok_and(|text| text.contains(&step.todo_marker()))
    })
}

/// Shipped, every step has TODOs and fails its self-check. Once a learner
/// finishes a step and removes its TODOs, the step must pass instead.
#[test]
fn status_shows_each_step_failing_while_it_has_todos() {
    let output = run("tutor", &["status"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    for step in &STEPS {
        let line = output
            .stdout
            .lines()
            .find(|line| line.contains(&format!("step {}  ", step.number)))
            .unwrap_or_else(|| panic!("no line for step {}:\n{}", step.number, output.stdout));
        let (expected, why) = if still_todo(step) {
            (
                "✗",
                "a step with TODOs must fail its self-check (did the check stop checking?)",
            )
        } else {
            (
                "✓",
                "a step without TODOs is done and must pass (put the TODO back, or finish it)",
            )
        };
        assert!(line.starts_with(expected), "{line}\n{why}");
    }
}

#[test]
fn check_shows_the_teaching_message_and_fails() {
    let step = &STEPS[1];
    if !still_todo(step) {
        return; // a learner finished step 2: nothing to teach any more
    }
    let output = run("tutor", &["check", "2"]);
    assert_eq!(output.code, Some(1), "{}", output.transcript());
    for words in [
        "step 2 is not done yet",
        "TODO(step 2): stream the table here",
        "work in: steps/02-server/src/service.rs",
        "cargo tutor hint 2",
    ] {
        assert!(
            output.stdout.contains(words),
            "no {words:?} in:\n{}",
            output.stdout
        );
    }
}

#[test]
fn hint_prints_the_steps_hint_file() {
    let output = run("tutor", &["hint", "3"]);
    let hint = fs::read_to_string(workspace().join("steps/03-verify-port/HINT.md")).expect("hint");
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert_eq!(output.stdout, hint);
}

#[test]
fn diff_shows_the_lesson_file_against_the_model_answer() {
    let output = run("tutor", &["diff", "2"]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    assert!(output.stdout.starts_with(
        "--- steps/02-server/src/service.rs (yours)\n+++ solutions/02-server/src/service.rs (the model answer)\n"
    ));
    assert!(
        output
            .stdout
            .contains("\n+            .with_schema(self.table.schema.clone())\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_step_that_does_not_exist_is_refused() {
    let output = run("tutor", &["hint", "7"]);
    assert_eq!(output.code, Some(2), "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("'7' is not a step: use 1 to 5 or all"),
        "{}",
        output.stderr
    );
}
