//! Running the self-checks: `cargo test -p step-0N-... --test self-check`.

use std::path::Path;
use std::process::{ExitCode, Output};

use anyhow::Context;
use checks::{STEPS, Step};

/// How a step's self-check went.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Passes,
    Fails { failed: usize, total: usize },
    DoesNotCompile,
}

fn self_check(root: &Path, step: &Step, quiet: bool) -> anyhow::Result<(Verdict, Output)> {
    let mut command = harness::cargo();
    command
        .current_dir(root)
        .args(["test", "--package", step.package, "--test", "self-check"])
        // The messages are what the learner needs; the backtraces are not.
        .env("RUST_BACKTRACE", "0");
    if quiet {
        command.arg("--quiet");
    }
    let output = command.output().context("cannot run cargo test")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let verdict = if output.status.success() {
        Verdict::Passes
    } else if let Some((failed, total)) = counts(&text) {
        Verdict::Fails { failed, total }
    } else {
        Verdict::DoesNotCompile
    };
    Ok((verdict, output))
}

/// `test result: FAILED. 1 passed; 2 failed; ...` → (2, 3)
fn counts(test_output: &str) -> Option<(usize, usize)> {
    let line = test_output
        .lines()
        .find(|l| l.starts_with("test result:"))?;
    let number = |label: &str| -> Option<usize> {
        let before = line.split(label).next()?;
        before
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())?
            .parse()
            .ok()
    };
    let (passed, failed) = (number(" passed")?, number(" failed")?);
    Some((failed, passed + failed))
}

/// `cargo tutor status`: a line per step, and what to do next.
pub fn status(root: &Path) -> anyhow::Result<ExitCode> {
    println!("Running the self-check of each step (cargo test -p step-0N-...)\n");
    let mut next = None;
    for step in &STEPS {
        crate::require_dir(&root.join(step.step_dir()))?;
        let (verdict, _) = self_check(root, step, true)?;
        let (mark, words) = match verdict {
            Verdict::Passes => ("✓", "done".to_string()),
            Verdict::Fails { failed, total } => ("✗", format!("{failed} of {total} checks fail")),
            Verdict::DoesNotCompile => ("✗", "does not compile".to_string()),
        };
        println!("{mark} step {}  {:<22} {words}", step.number, step.package);
        if verdict != Verdict::Passes && next.is_none() {
            next = Some(step.number);
        }
    }
    match next {
        Some(n) => println!(
            "\nNext: step {n}. See what fails with `cargo tutor check {n}`, a hint with `cargo tutor hint {n}`."
        ),
        None => println!("\nEvery step passes: the whole page, in your own Rust."),
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo tutor check N`: the self-check's own messages; exit 1 if it fails.
pub fn check(root: &Path, steps: &[Step]) -> anyhow::Result<ExitCode> {
    let mut all_pass = true;
    for step in steps {
        let (verdict, output) = self_check(root, step, false)?;
        if verdict == Verdict::Passes {
            println!("✓ step {}: every check passes", step.number);
            continue;
        }
        all_pass = false;
        // Compiler errors are on stderr, the checks' messages on stdout.
        let shown = match verdict {
            Verdict::DoesNotCompile => String::from_utf8_lossy(&output.stderr).into_owned(),
            _ => String::from_utf8_lossy(&output.stdout).into_owned(),
        };
        println!("{}", shown.trim_end());
        println!("✗ step {}: not done yet", step.number);
    }
    Ok(if all_pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_the_test_result_line() {
        let output = "running 3 tests\n\ntest result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.27s\n";
        assert_eq!(counts(output), Some((2, 3)));
        assert_eq!(counts("error[E0425]: cannot find value"), None);
    }
}
