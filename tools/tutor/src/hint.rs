//! `cargo tutor hint N`: the step's hints in stages, `steps/NN-*/hints/1.md`,
//! `2.md`, ... one more each time; `--all` shows again those already seen.
//! A hint's code is included from the model answer (`{{#include ...}}`, as
//! in the book), so it is code that compiles.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::steps::Step;
use crate::style::{BOLD, DIM};
use crate::workspace::Workspace;

/// The step's hint files in order: `hints/1.md`, `hints/2.md`, ... up to the
/// first one missing.
fn hint_files(workspace: &Workspace, step: &Step) -> Vec<PathBuf> {
    let dir = workspace.path(step.step_dir()).join("hints");
    (1..)
        .map(|k| dir.join(format!("{k}.md")))
        .take_while(|path| path.is_file())
        .collect()
}

fn all_hints(workspace: &Workspace, step: &Step) -> anyhow::Result<Vec<PathBuf>> {
    workspace.require_step(step)?;
    let hints = hint_files(workspace, step);
    if hints.is_empty() {
        bail!(
            "step {} has no hints: {}/hints/1.md is missing",
            step.number,
            step.step_dir()
        );
    }
    Ok(hints)
}

/// Shows the next hint and remembers it; after the last, says so.
pub fn next(workspace: &Workspace, step: &Step, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let hints = all_hints(workspace, step)?;
    let state = workspace.state();
    let (n, total) = (step.number, hints.len());
    let seen = state.hints_seen(n).min(total);
    if seen == total {
        writeln!(
            out,
            "There are no more hints for step {n}: you have seen all {total}."
        )?;
        writeln!(out, "See them again: `cargo tutor hint {n} --all`.")?;
        if state.self_check_run(n) {
            writeln!(
                out,
                "Compare your code with the model answer: `cargo tutor diff {n}`."
            )?;
        } else {
            writeln!(
                out,
                "Run the self-check to see what is still missing: `cargo tutor check {n}`."
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let k = seen + 1;
    show(workspace, out, step, k, total, &hints[k - 1])?;
    if k < total {
        writeln!(
            out,
            "{DIM}hint {k} of {total}; run `cargo tutor hint {n}` again for the next{DIM:#}"
        )?;
    } else {
        writeln!(out, "{DIM}hint {k} of {total}, the last one{DIM:#}")?;
    }
    out.flush()?;
    // Only once it is shown: a closed pipe does not use up a hint.
    state.set_hints_seen(n, k)?;
    Ok(ExitCode::SUCCESS)
}

/// Shows again the hints already seen.
pub fn again(workspace: &Workspace, step: &Step, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let hints = all_hints(workspace, step)?;
    let (n, total) = (step.number, hints.len());
    let seen = workspace.state().hints_seen(n).min(total);
    if seen == 0 {
        writeln!(
            out,
            "You have not seen a hint for step {n} yet: `cargo tutor hint {n}` shows the first."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for (k, path) in hints.iter().enumerate().take(seen) {
        show(workspace, out, step, k + 1, total, path)?;
    }
    if seen < total {
        writeln!(
            out,
            "{DIM}{seen} of {total} hints seen; `cargo tutor hint {n}` shows the next{DIM:#}"
        )?;
    } else {
        writeln!(out, "{DIM}all {total} hints seen{DIM:#}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    workspace: &Workspace,
    out: &mut dyn Write,
    step: &Step,
    k: usize,
    total: usize,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", workspace.show(path)))?;
    let text = crate::include::expand(&text, path.parent().unwrap_or(workspace.root()))
        .with_context(|| format!("in {}", workspace.show(path)))?;
    writeln!(
        out,
        "{BOLD}Step {}, hint {k} of {total}{BOLD:#}\n",
        step.number
    )?;
    writeln!(out, "{}\n", text.trim())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::scratch;
    use crate::steps::steps;
    use anstream::AutoStream;
    use std::fs;
    use std::path::Path;

    fn with_hints(count: usize) -> (Workspace, tempfile::TempDir) {
        let dir = scratch("hints");
        let hints = dir.path().join("steps/02-server/hints");
        fs::create_dir_all(&hints).unwrap();
        for k in 1..=count {
            fs::write(hints.join(format!("{k}.md")), format!("Hint number {k}.\n")).unwrap();
        }
        (Workspace::at(dir.path()), dir)
    }

    fn call(
        f: fn(&Workspace, &Step, &mut dyn Write) -> anyhow::Result<ExitCode>,
        workspace: &Workspace,
    ) -> String {
        let mut out = AutoStream::never(Vec::new());
        f(workspace, &steps()[1], &mut out).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn hints_come_one_stage_at_a_time() {
        let (workspace, _dir) = with_hints(3);

        let first = call(next, &workspace);
        assert!(first.contains("Hint number 1."), "{first}");
        assert!(!first.contains("Hint number 2."), "{first}");
        assert!(
            first.contains("hint 1 of 3; run `cargo tutor hint 2` again for the next"),
            "{first}"
        );

        let second = call(next, &workspace);
        assert!(second.contains("Hint number 2."), "{second}");
        assert!(!second.contains("Hint number 1."), "{second}");

        let third = call(next, &workspace);
        assert!(third.contains("Hint number 3."), "{third}");
        assert!(third.contains("hint 3 of 3, the last one"), "{third}");

        // After the last: no more, and the self-check before the answer.
        let after = call(next, &workspace);
        assert!(after.contains("no more hints for step 2"), "{after}");
        assert!(after.contains("cargo tutor check 2"), "{after}");
        assert!(!after.contains("cargo tutor diff 2"), "{after}");

        workspace.state().record_self_check(2, "not yet").unwrap();
        let after = call(next, &workspace);
        assert!(after.contains("cargo tutor diff 2"), "{after}");
    }

    #[test]
    fn all_shows_again_only_what_was_seen() {
        let (workspace, _dir) = with_hints(3);
        let none = call(again, &workspace);
        assert!(none.contains("not seen a hint for step 2 yet"), "{none}");

        call(next, &workspace);
        call(next, &workspace);
        let seen = call(again, &workspace);
        assert!(seen.contains("Hint number 1."), "{seen}");
        assert!(seen.contains("Hint number 2."), "{seen}");
        assert!(!seen.contains("Hint number 3."), "{seen}");
        assert!(seen.contains("2 of 3 hints seen"), "{seen}");
        // Seeing them again does not move on.
        assert_eq!(workspace.state().hints_seen(2), 2);
    }

    #[test]
    fn a_hint_added_later_is_shown_next() {
        let (workspace, dir) = with_hints(1);
        let dir = dir.path();
        call(next, &workspace);
        assert!(call(next, &workspace).contains("no more hints"));
        fs::write(dir.join("steps/02-server/hints/2.md"), "Hint number 2.").unwrap();
        assert!(call(next, &workspace).contains("Hint number 2."));
    }

    /// Every hint of the real steps: its Rust is included from a compiled
    /// file (the model answer's, which `cargo test` builds), never written
    /// in the hint, where nothing would compile it; and every include is found.
    #[test]
    fn the_hints_code_is_the_model_answers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let workspace = Workspace::at(&root);
        let mut includes = 0;
        for step in steps() {
            for path in hint_files(&workspace, step) {
                let text = fs::read_to_string(&path).unwrap();
                let mut in_rust = false;
                for line in text.lines() {
                    if line.starts_with("```") {
                        in_rust = line.starts_with("```rust");
                        continue;
                    }
                    let line = line.trim();
                    if let Some((included, _)) = crate::include::include_of(line) {
                        assert!(
                            included.contains("/solutions/") && included.contains(".rs"),
                            "{}: {line} is not a model answer's code",
                            path.display()
                        );
                        includes += 1;
                    } else if in_rust {
                        assert!(
                            line.is_empty() || line.starts_with("//"),
                            "{}: `{line}` is Rust written in a hint, where nothing compiles \
                             it: include it from the model answer by anchor instead",
                            path.display()
                        );
                    }
                }
                let dir = path.parent().unwrap();
                if let Err(error) = crate::include::expand(&text, dir) {
                    panic!("{}: {error:#}", path.display());
                }
            }
        }
        assert!(includes > 0, "no hint includes code");
    }

    #[test]
    fn a_step_without_hints_is_one_error() {
        let (workspace, _dir) = with_hints(0);
        let mut out = Vec::new();
        let error = next(&workspace, &steps()[1], &mut out).unwrap_err();
        assert_eq!(
            error.to_string(),
            "step 2 has no hints: steps/02-server/hints/1.md is missing"
        );
    }
}
