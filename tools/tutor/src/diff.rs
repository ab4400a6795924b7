//! `cargo tutor diff N`: the learner's lesson files beside the model answer's.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use checks::Step;
use similar::{ChangeTag, TextDiff};

/// Prints a unified diff per lesson file: `-` yours, `+` the model answer.
pub fn show(root: &Path, step: &Step) -> anyhow::Result<()> {
    let color = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    for file in step.lesson_files {
        let yours = format!("{}/{file}", step.step_dir());
        let answer = format!("{}/{file}", step.solution_dir());
        let read = |path: &str| {
            std::fs::read_to_string(root.join(path)).with_context(|| format!("cannot read {path}"))
        };
        let (old, new) = (read(&yours)?, read(&answer)?);
        if old == new {
            writeln!(out, "{yours}: the same as the model answer")?;
            continue;
        }
        let diff = TextDiff::from_lines(&old, &new);
        writeln!(out, "--- {yours} (yours)\n+++ {answer} (the model answer)")?;
        for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
            writeln!(out, "{}", hunk.header())?;
            for change in hunk.iter_changes() {
                let (sign, paint) = match change.tag() {
                    ChangeTag::Delete => ("-", "\x1b[31m"),
                    ChangeTag::Insert => ("+", "\x1b[32m"),
                    ChangeTag::Equal => (" ", ""),
                };
                let line = change.to_string_lossy();
                let line = line.trim_end_matches('\n');
                if color && !paint.is_empty() {
                    writeln!(out, "{paint}{sign}{line}\x1b[0m")?;
                } else {
                    writeln!(out, "{sign}{line}")?;
                }
            }
        }
    }
    Ok(())
}
