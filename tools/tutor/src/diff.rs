//! `cargo tutor diff N`: the learner's lesson files against the model
//! answer's, as a unified diff of the changed hunks only.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use similar::{ChangeTag, TextDiff};

use crate::steps::Step;
use crate::style::{BAD, BOLD, GOOD, HUNK};
use crate::workspace::Workspace;

/// Lines of context around each change.
const CONTEXT: usize = 3;

pub fn command(
    workspace: &Workspace,
    step: &Step,
    yes: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    workspace.require_step(step)?;
    let n = step.number;
    if !yes && !workspace.state().self_check_run(n) && !confirm(n)? {
        writeln!(
            out,
            "Not shown. `cargo tutor check {n}` says what is still missing; `cargo tutor hint {n}` gives a hint."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let read = |path: &str| {
        std::fs::read_to_string(workspace.path(path)).with_context(|| format!("cannot read {path}"))
    };
    for (i, file) in step.lesson_files.iter().enumerate() {
        let yours = format!("{}/{file}", step.step_dir());
        let answer = format!("{}/{file}", step.solution_dir());
        let (old, new) = (read(&yours)?, read(&answer)?);
        if i > 0 {
            writeln!(out)?;
        }
        write_diff(out, &yours, &answer, &old, &new)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks before the model answer is shown to someone who has not tried yet.
fn confirm(n: usize) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "you have not run step {n}'s self-check yet: run `cargo tutor check {n}` first, or `cargo tutor diff {n} --yes`"
        );
    }
    let mut err = anstream::stderr();
    write!(
        err,
        "You have not run step {n}'s self-check yet (`cargo tutor check {n}`). Show the model answer anyway? [y/N] "
    )?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// A unified diff, `-` yours and `+` the model answer, of the changed hunks
/// with a few lines of context: never the whole file.
pub fn write_diff(
    out: &mut dyn Write,
    yours: &str,
    answer: &str,
    old: &str,
    new: &str,
) -> std::io::Result<()> {
    if old == new {
        return writeln!(out, "{yours}: the same as the model answer");
    }
    writeln!(out, "{BOLD}--- {yours} (yours){BOLD:#}")?;
    writeln!(out, "{BOLD}+++ {answer} (the model answer){BOLD:#}")?;
    let diff = TextDiff::from_lines(old, new);
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        writeln!(out, "{HUNK}{}{HUNK:#}", hunk.header())?;
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', BAD),
                ChangeTag::Insert => ('+', GOOD),
                ChangeTag::Equal => (' ', anstyle::Style::new()),
            };
            let line = change.value();
            let line = line.strip_suffix('\n').unwrap_or(line);
            writeln!(out, "{style}{sign}{line}{style:#}")?;
            if change.missing_newline() {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anstream::AutoStream;

    fn diff(old: &str, new: &str) -> String {
        let mut out = AutoStream::never(Vec::new());
        write_diff(&mut out, "steps/x.rs", "solutions/x.rs", old, new).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn only_the_changed_hunks_are_shown() {
        let old: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 50\n", "line fifty\n")
            .replace("line 90\n", "");
        let shown = diff(&old, &new);
        assert_eq!(
            shown,
            "--- steps/x.rs (yours)\n+++ solutions/x.rs (the model answer)\n\
             @@ -47,7 +47,7 @@\n line 47\n line 48\n line 49\n-line 50\n+line fifty\n line 51\n line 52\n line 53\n\
             @@ -87,7 +87,6 @@\n line 87\n line 88\n line 89\n-line 90\n line 91\n line 92\n line 93\n"
        );
    }

    #[test]
    fn the_same_file_is_one_line() {
        assert_eq!(
            diff("a\n", "a\n"),
            "steps/x.rs: the same as the model answer\n"
        );
    }

    #[test]
    fn colours_are_only_for_terminals() {
        let mut out = AutoStream::always_ansi(Vec::new());
        write_diff(&mut out, "a", "b", "x\n", "y\n").unwrap();
        let coloured = String::from_utf8(out.into_inner()).unwrap();
        assert!(coloured.contains('\u{1b}'), "{coloured:?}");
        assert!(!diff("x\n", "y\n").contains('\u{1b}'));
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        let shown = diff("a\nb", "a\nc\n");
        assert!(
            shown.contains("-b\n\\ No newline at end of file\n+c\n"),
            "{shown}"
        );
    }
}
