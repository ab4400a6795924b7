//! Running a step's checks and reporting the first mistake, as rustlings
//! does: what is wrong, in which file, which chapter to read, and the hint
//! command. A short message, never a panic or a backtrace.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::ExitCode;

use crate::steps::{step as step_numbered, steps};

/// A mistake a check found: what is wrong, and the lesson file (from the
/// step's folder, `src/service.rs`) where it is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub file: &'static str,
    pub problem: String,
}

impl Mistake {
    pub fn new(file: &'static str, problem: impl Into<String>) -> Mistake {
        Mistake {
            file,
            problem: problem.into(),
        }
    }
}

/// What a check returns.
pub type Outcome = Result<(), Mistake>;

/// One check: what it proves, in a few words, and the code that proves it.
pub struct Check<'a> {
    pub name: &'static str,
    pub run: Box<dyn FnOnce() -> Outcome + 'a>,
}

impl<'a> Check<'a> {
    pub fn new(name: &'static str, run: impl FnOnce() -> Outcome + 'a) -> Check<'a> {
        Check {
            name,
            run: Box::new(run),
        }
    }
}

/// Runs `checks` in order and stops at the first mistake: the later checks
/// would mostly repeat it. `crate_dir` is the checked crate's folder
/// (`env!("CARGO_MANIFEST_DIR")`), so the message names the right file.
/// Exit code 0 when all pass, 1 otherwise.
pub fn self_check(step: usize, crate_dir: &str, checks: Vec<Check>) -> ExitCode {
    let info = step_numbered(step).expect("a step of steps/steps.toml");
    let folder = short_folder(crate_dir);
    println!("{}", info.chapter());
    // A check that panics is a bug in the check, not the learner's mistake:
    // say so in one line, without the default hook's noise.
    panic::set_hook(Box::new(|_| {}));
    for check in checks {
        let outcome = panic::catch_unwind(AssertUnwindSafe(check.run)).unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
                .unwrap_or_default();
            Err(Mistake::new(
                &info.lesson_files[0],
                format!("the check itself failed ({why}); please report it"),
            ))
        });
        match outcome {
            Ok(()) => println!("  ok    {}", check.name),
            Err(mistake) => {
                println!("  FAIL  {}", check.name);
                println!();
                for line in mistake.problem.lines() {
                    println!("  {line}");
                }
                // A mistake may lie in an earlier step this one builds on
                // (`../02-server/src/service.rs`): send the learner there.
                let (folder, file) = resolve(&folder, mistake.file);
                let owner = steps()
                    .iter()
                    .find(|s| folder.ends_with(&s.folder))
                    .unwrap_or(info);
                println!();
                println!("  fix:   {folder}/{file}");
                println!("  read:  the book, chapter \"{}\"", owner.chapter());
                println!("  hint:  cargo tutor hint {}", owner.number);
                return ExitCode::FAILURE;
            }
        }
    }
    println!("step {step} passes its self-check");
    ExitCode::SUCCESS
}

/// `("steps/05-secure", "../02-server/src/service.rs")` ->
/// `("steps/02-server", "src/service.rs")`.
fn resolve(folder: &str, file: &str) -> (String, String) {
    match file
        .strip_prefix("../")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((sibling, file)) => {
            let parent = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
            (format!("{parent}/{sibling}"), file.to_string())
        }
        None => (folder.to_string(), file.to_string()),
    }
}

/// `/home/me/flight-path/steps/02-server` -> `steps/02-server`.
fn short_folder(crate_dir: &str) -> String {
    let path = Path::new(crate_dir);
    let parent = path.parent().and_then(Path::file_name);
    match (parent, path.file_name()) {
        (Some(parent), Some(name)) => {
            format!("{}/{}", parent.to_string_lossy(), name.to_string_lossy())
        }
        _ => crate_dir.to_string(),
    }
}

/// Whether a program failed as every program here must: exit code 1 after
/// one line on stderr, `error: ...`, that mentions `mentioning`.
pub(crate) fn is_one_error_line(output: &harness::Output, mentioning: &str) -> bool {
    let lines: Vec<&str> = output.stderr.lines().collect();
    output.code == Some(1)
        && lines.len() == 1
        && lines[0].starts_with("error: ")
        && lines[0].contains(mentioning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_in_an_earlier_step_point_at_it() {
        assert_eq!(
            resolve("steps/05-secure", "../02-server/src/service.rs"),
            ("steps/02-server".to_string(), "src/service.rs".to_string())
        );
        assert_eq!(
            resolve("steps/05-secure", "src/tls.rs"),
            ("steps/05-secure".to_string(), "src/tls.rs".to_string())
        );
    }

    #[test]
    fn folders_are_shown_from_the_workspace() {
        assert_eq!(
            short_folder("/x/flight-path/steps/02-server"),
            "steps/02-server"
        );
    }
}
