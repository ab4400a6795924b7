//! `cargo tutor list`, `cargo tutor status` and `cargo tutor check N|all`.

use std::io::Write;
use std::process::ExitCode;

use crate::cargo::{self, Mode, Verdict};
use crate::steps::{Step, steps};
use crate::style::{BAD, BOLD, GOOD};
use crate::workspace::Workspace;

/// A line per step of `steps/steps.toml`: number, package, chapter, lesson
/// files. Plain columns, so that scripts can read them too (`.ci/run` takes
/// the packages: `cargo tutor list | cut -f2`).
pub fn list(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    for step in steps() {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            step.number,
            step.package(),
            step.chapter(),
            step.lesson_paths().join(" ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A line per step, from each self-check's exit status, and what to do next.
pub fn status(workspace: &Workspace, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    for step in steps() {
        workspace.require_step(step)?;
    }
    writeln!(
        out,
        "Each step's self-check, run quietly (the first time, building the steps takes a while):\n"
    )?;
    out.flush()?;
    let mut next = None;
    for step in steps() {
        let verdict = cargo::self_check(workspace, step, Mode::Quiet)?;
        let (mark, style) = if verdict == Verdict::Passes {
            ('✓', GOOD)
        } else {
            ('✗', BAD)
        };
        writeln!(
            out,
            "{style}{mark}{style:#} step {}  {:<22} {}",
            step.number,
            step.package(),
            verdict.words()
        )?;
        out.flush()?;
        if verdict != Verdict::Passes && next.is_none() {
            next = Some(step);
        }
    }
    match next {
        Some(step) => writeln!(
            out,
            "\nNext: step {n}, \"{}\". `cargo tutor check {n}` shows what is missing; `cargo tutor hint {n}` gives a hint.",
            step.chapter(),
            n = step.number
        )?,
        None => writeln!(
            out,
            "\nEvery step passes: the whole page, in your own Rust."
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Each step's self-check with its report; exit 1 unless all pass.
pub fn check(
    workspace: &Workspace,
    steps: &[Step],
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    for step in steps {
        workspace.require_step(step)?;
    }
    let mut all_pass = true;
    for step in steps {
        let n = step.number;
        writeln!(
            out,
            "{BOLD}== step {n}: cargo test -p {} --test self-check{BOLD:#}",
            step.package()
        )?;
        out.flush()?;
        let verdict = cargo::self_check(workspace, step, Mode::Show)?;
        if verdict != Verdict::DoesNotCompile {
            workspace.state().record_self_check(n, &verdict.words())?;
        }
        match verdict {
            Verdict::Passes => writeln!(out, "{GOOD}✓ step {n} passes{GOOD:#}")?,
            Verdict::NotYet(_) => writeln!(out, "{BAD}✗ step {n}: {}{BAD:#}", verdict.words())?,
            Verdict::DoesNotCompile => writeln!(
                out,
                "{BAD}✗ step {n} does not compile{BAD:#}: the compiler's messages are above"
            )?,
        }
        if steps.len() > 1 {
            writeln!(out)?;
        }
        all_pass &= verdict == Verdict::Passes;
    }
    Ok(if all_pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
