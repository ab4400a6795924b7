//! A step's self-check through cargo: `cargo test -p step-0N-... --test
//! self-check`, a binary that prints a report and exits 0 when the step
//! passes. It is built first (`--no-run`), so a step that does not compile
//! is told apart from one that fails its check by cargo's own verdict.

use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::steps::Step;
use crate::workspace::Workspace;

/// How a step's self-check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passes,
    /// It ran and found a mistake (exit code 1), or ended otherwise (the code).
    NotYet(Option<i32>),
    DoesNotCompile,
}

impl Verdict {
    pub fn words(self) -> String {
        match self {
            Verdict::Passes => "passes".into(),
            Verdict::NotYet(None) | Verdict::NotYet(Some(1)) => "not yet".into(),
            Verdict::NotYet(Some(code)) => format!("not yet (the self-check exited with {code})"),
            Verdict::DoesNotCompile => "does not compile".into(),
        }
    }
}

/// Whether cargo's and the self-check's messages are shown, or only the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Show,
    Quiet,
}

/// Builds and runs the step's self-check.
pub fn self_check(workspace: &Workspace, step: &Step, mode: Mode) -> anyhow::Result<Verdict> {
    if !build(workspace, step, mode)? {
        return Ok(Verdict::DoesNotCompile);
    }
    run(workspace, step, mode)
}

/// `cargo test --no-run`: true when it built, false when the build failed;
/// an error when cargo could not even start building (no such package, a
/// broken manifest).
fn build(workspace: &Workspace, step: &Step, mode: Mode) -> anyhow::Result<bool> {
    let mut command = cargo();
    command
        .current_dir(workspace.root())
        .args([
            "test",
            "--package",
            &step.package(),
            "--test",
            "self-check",
            "--no-run",
        ])
        // Cargo's verdict as JSON on stdout; the compiler's messages, rendered, on stderr.
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    match mode {
        Mode::Show => command.stderr(Stdio::inherit()),
        Mode::Quiet => command.arg("--quiet").stderr(Stdio::piped()),
    };
    let output = command.output().context("cannot run cargo")?;
    match build_finished(&String::from_utf8_lossy(&output.stdout)) {
        Some(success) => Ok(success && output.status.success()),
        None => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let why = stderr
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("see cargo's message above");
            bail!(
                "cargo could not build step {}'s self-check: {why}",
                step.number
            )
        }
    }
}

/// Cargo's last `build-finished` message: whether the build succeeded.
fn build_finished(messages: &str) -> Option<bool> {
    messages
        .lines()
        .rfind(|line| line.starts_with(r#"{"reason":"build-finished""#))
        .map(|line| line.contains(r#""success":true"#))
}

/// Runs the built self-check; its exit status is the verdict.
fn run(workspace: &Workspace, step: &Step, mode: Mode) -> anyhow::Result<Verdict> {
    let mut command = cargo();
    command
        .current_dir(workspace.root())
        .args([
            "test",
            "--quiet",
            "--package",
            &step.package(),
            "--test",
            "self-check",
        ])
        // The report is what the learner needs; a backtrace is not.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    match mode {
        Mode::Show => command.stdout(Stdio::inherit()),
        Mode::Quiet => command.stdout(Stdio::null()),
    };
    let output = command.output().context("cannot run cargo test")?;
    let code = output.status.code();
    if mode == Mode::Show {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = if code == Some(1) {
            without_cargos_epilogue(&stderr)
        } else {
            &stderr
        };
        eprint!("{stderr}");
    }
    Ok(match code {
        Some(0) => Verdict::Passes,
        Some(1) => Verdict::NotYet(None),
        other => Verdict::NotYet(other),
    })
}

/// The self-check's own stderr, without cargo's "error: test failed, to
/// rerun pass ..." that follows a failing report (the tutor says it better).
fn without_cargos_epilogue(stderr: &str) -> &str {
    match stderr.find("error: test failed") {
        Some(at) if at == 0 || stderr[..at].ends_with('\n') => &stderr[..at],
        _ => stderr,
    }
}

/// A command for the cargo that runs us (`cargo run` says which, in `CARGO`),
/// without the variables cargo set for the tutor's own crate: some build
/// scripts (ring's) watch them, and a change would rebuild those crates.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_for_the_crate = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_BIN_",
            "CARGO_CRATE_",
            "CARGO_TARGET_TMPDIR",
            "CARGO_PRIMARY_PACKAGE",
            "OUT_DIR",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix));
        if set_for_the_crate {
            command.env_remove(name);
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_verdict_is_cargos_last_build_finished_message() {
        let built = "{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"x\"}}\n{\"reason\":\"build-finished\",\"success\":true}\n";
        assert_eq!(build_finished(built), Some(true));
        let failed = "{\"reason\":\"compiler-message\",\"message\":{\"rendered\":\"{\\\"reason\\\":\\\"build-finished\\\"\"}}\n{\"reason\":\"build-finished\",\"success\":false}\n";
        assert_eq!(build_finished(failed), Some(false));
        // Cargo stopped before building: no verdict.
        assert_eq!(build_finished(""), None);
    }

    #[test]
    fn cargos_epilogue_is_dropped_after_a_failing_report() {
        let stderr = "server log line\nerror: test failed, to rerun pass `-p x --test self-check`\n\nCaused by:\n  process didn't exit successfully\n";
        assert_eq!(without_cargos_epilogue(stderr), "server log line\n");
        assert_eq!(
            without_cargos_epilogue("a message: error: test failed"),
            "a message: error: test failed"
        );
    }

    #[test]
    fn verdicts_in_words() {
        assert_eq!(Verdict::Passes.words(), "passes");
        assert_eq!(Verdict::NotYet(None).words(), "not yet");
        assert_eq!(
            Verdict::NotYet(Some(101)).words(),
            "not yet (the self-check exited with 101)"
        );
        assert_eq!(Verdict::DoesNotCompile.words(), "does not compile");
    }
}
