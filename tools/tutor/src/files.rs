//! Replacing a step's lesson files: by the model answer's (`solve`) or by
//! the shipped ones from git (`reset`). Only the lesson files change, and
//! both first copy them, as they are, to `target/tutor-backup/<UTC time>/`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

use anyhow::{Context, bail};

use crate::steps::Step;
use crate::workspace::Workspace;

/// New contents for files, by path from the workspace root.
type Plan = Vec<(String, Vec<u8>)>;

/// `cargo tutor solve`: the model answer's lesson files in the steps.
pub fn solve(
    workspace: &Workspace,
    steps: &[Step],
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // Everything is read before anything is written: a missing file changes nothing.
    let mut plan = Plan::new();
    for step in steps {
        workspace.require_step(step)?;
        for file in &step.lesson_files {
            let from = format!("{}/{file}", step.solution_dir());
            let text =
                fs::read(workspace.path(&from)).with_context(|| format!("cannot read {from}"))?;
            plan.push((format!("{}/{file}", step.step_dir()), text));
        }
    }
    replace(workspace, steps, &plan, out)?;
    for step in steps {
        let verb = if step.lesson_files.len() == 1 {
            "holds"
        } else {
            "hold"
        };
        writeln!(
            out,
            "step {}: {} now {verb} the model answer",
            step.number,
            step.lesson_paths().join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo tutor reset`: the steps' lesson files as shipped, from git.
pub fn reset(
    workspace: &Workspace,
    steps: &[Step],
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut plan = Plan::new();
    let mut sources = Vec::new();
    for step in steps {
        workspace.require_step(step)?;
        let (source, files) = shipped(workspace.root(), step)?;
        plan.extend(files);
        sources.push(source);
    }
    replace(workspace, steps, &plan, out)?;
    for (step, source) in steps.iter().zip(sources) {
        let verb = if step.lesson_files.len() == 1 {
            "is"
        } else {
            "are"
        };
        writeln!(
            out,
            "step {}: {} {verb} back as shipped (from git, {source})",
            step.number,
            step.lesson_paths().join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Backs up the steps' lesson files, says where, then writes the plan.
fn replace(
    workspace: &Workspace,
    steps: &[Step],
    plan: &Plan,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(backup) = backup(workspace, steps, SystemTime::now())? {
        for step in steps {
            let dir = backup.join(step.step_dir());
            if dir.is_dir() {
                writeln!(
                    out,
                    "step {}: your lesson files, as they were, are saved in {}/",
                    step.number,
                    workspace.show(&dir)
                )?;
            }
        }
    }
    for (path, text) in plan {
        let target = workspace.path(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&target, text).with_context(|| format!("cannot write {path}"))?;
    }
    Ok(())
}

/// Copies the steps' lesson files, as they are now, to
/// `target/tutor-backup/<UTC time>/steps/NN-*/...` and returns that folder,
/// or None when there was no lesson file to keep.
pub fn backup(
    workspace: &Workspace,
    steps: &[Step],
    now: SystemTime,
) -> anyhow::Result<Option<PathBuf>> {
    let present: Vec<String> = steps
        .iter()
        .flat_map(Step::lesson_paths)
        .filter(|path| workspace.path(path).is_file())
        .collect();
    if present.is_empty() {
        return Ok(None);
    }
    let dir = new_backup_dir(&workspace.backups(), &utc_stamp(now))?;
    for path in &present {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(workspace.path(path), &target)
            .with_context(|| format!("cannot back up {path}"))?;
    }
    Ok(Some(dir))
}

/// A folder of its own under `backups`: `<stamp>`, or `<stamp>-2`, ... when
/// an earlier command in the same second took it.
fn new_backup_dir(backups: &Path, stamp: &str) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(backups).with_context(|| format!("cannot create {}", backups.display()))?;
    for n in 1.. {
        let name = if n == 1 {
            stamp.to_string()
        } else {
            format!("{stamp}-{n}")
        };
        let dir = backups.join(name);
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    unreachable!("the backup names are endless")
}

/// `20261126T050749Z`: the UTC time, sortable and safe in a file name.
pub fn utc_stamp(time: SystemTime) -> String {
    let utc = time::OffsetDateTime::from(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// The step's lesson files as shipped: from `origin/main` (what was cloned)
/// when it has them, else from the last commit. Returns which, and the files.
fn shipped(root: &Path, step: &Step) -> anyhow::Result<(&'static str, Plan)> {
    git(root, &["rev-parse", "--git-dir"]).with_context(|| {
        format!(
            "reset needs git: {} is not a git clone of flight-path",
            root.display()
        )
    })?;
    'sources: for source in ["origin/main", "HEAD"] {
        if git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{source}^{{commit}}"),
            ],
        )
        .is_err()
        {
            continue;
        }
        let mut files = Plan::new();
        for path in step.lesson_paths() {
            // `./` makes the path relative to the workspace, wherever git's top is.
            match git(root, &["show", &format!("{source}:./{path}")]) {
                Ok(text) => files.push((path, text)),
                Err(_) => continue 'sources,
            }
        }
        return Ok((source, files));
    }
    bail!(
        "neither origin/main nor HEAD has {}: cannot tell how step {} was shipped",
        step.lesson_paths().join(", "),
        step.number
    )
}

/// Runs git in `root` and returns what it printed.
fn git(root: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "git {} failed: {}",
            args.join(" "),
            stderr.lines().next().unwrap_or("").trim()
        );
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::scratch;
    use crate::steps::steps;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn stamps_are_utc_dates_and_times() {
        assert_eq!(utc_stamp(at(0)), "19700101T000000Z");
        assert_eq!(utc_stamp(at(1_795_669_669)), "20261126T050749Z");
        assert_eq!(utc_stamp(at(951_782_400)), "20000229T000000Z");
        assert_eq!(utc_stamp(at(4_107_542_399)), "21000228T235959Z");
    }

    /// A workspace with step 2 and its model answer, plus a file that is not a lesson file.
    fn two_steps() -> (Workspace, tempfile::TempDir) {
        let dir = scratch("files");
        for (folder, text) in [("steps", "// TODO(step 2)\n"), ("solutions", "// done\n")] {
            let src = dir.path().join(folder).join("02-server/src");
            fs::create_dir_all(&src).unwrap();
            fs::write(src.join("service.rs"), format!("service {text}")).unwrap();
            fs::write(src.join("server.rs"), format!("server {text}")).unwrap();
            fs::write(src.join("lib.rs"), format!("lib of {folder}\n")).unwrap();
        }
        (Workspace::at(dir.path()), dir)
    }

    #[test]
    fn backups_keep_the_steps_layout_under_the_time() {
        let (workspace, dir) = two_steps();
        let dir = dir.path();
        let step = [steps()[1].clone()];
        let first = backup(&workspace, &step, at(1_795_669_669))
            .unwrap()
            .unwrap();
        assert_eq!(first, dir.join("target/tutor-backup/20261126T050749Z"));
        assert_eq!(
            fs::read_to_string(first.join("steps/02-server/src/service.rs")).unwrap(),
            "service // TODO(step 2)\n"
        );
        assert!(first.join("steps/02-server/src/server.rs").is_file());
        assert!(
            !first.join("steps/02-server/src/lib.rs").exists(),
            "not a lesson file"
        );

        // A second command in the same second keeps the first backup.
        let second = backup(&workspace, &step, at(1_795_669_669))
            .unwrap()
            .unwrap();
        assert_eq!(second, dir.join("target/tutor-backup/20261126T050749Z-2"));

        // Nothing to keep, no folder.
        assert!(
            backup(&workspace, &[steps()[3].clone()], at(0))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn solve_copies_only_the_lesson_files_after_a_backup() {
        let (workspace, dir) = two_steps();
        let dir = dir.path();
        let mut out = Vec::new();
        solve(&workspace, &[steps()[1].clone()], &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();

        let step = dir.join("steps/02-server/src");
        assert_eq!(
            fs::read_to_string(step.join("service.rs")).unwrap(),
            "service // done\n"
        );
        assert_eq!(
            fs::read_to_string(step.join("server.rs")).unwrap(),
            "server // done\n"
        );
        assert_eq!(
            fs::read_to_string(step.join("lib.rs")).unwrap(),
            "lib of steps\n"
        );

        let backups: Vec<_> = fs::read_dir(workspace.backups()).unwrap().collect();
        assert_eq!(backups.len(), 1);
        let saved = backups[0]
            .as_ref()
            .unwrap()
            .path()
            .join("steps/02-server/src/service.rs");
        assert_eq!(
            fs::read_to_string(saved).unwrap(),
            "service // TODO(step 2)\n"
        );
        assert!(out.contains("are saved in target/tutor-backup/"), "{out}");
        assert!(out.contains("/steps/02-server/\n"), "{out}");
        assert!(out.contains("now hold the model answer"), "{out}");
    }

    #[test]
    fn solve_changes_nothing_when_a_model_answer_is_missing() {
        let (workspace, dir) = two_steps();
        let dir = dir.path();
        fs::remove_file(dir.join("solutions/02-server/src/server.rs")).unwrap();
        let error = solve(&workspace, &[steps()[1].clone()], &mut Vec::new()).unwrap_err();
        assert!(format!("{error:#}").starts_with("cannot read solutions/02-server/src/server.rs"));
        let service = fs::read_to_string(dir.join("steps/02-server/src/service.rs")).unwrap();
        assert_eq!(service, "service // TODO(step 2)\n");
        assert!(!workspace.backups().exists());
    }

    #[test]
    fn reset_restores_the_committed_lesson_files_after_a_backup() {
        let (workspace, dir) = two_steps();
        let dir = dir.path();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .current_dir(dir)
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "--quiet"]);
        git(&["add", "."]);
        git(&["commit", "--quiet", "-m", "shipped"]);
        let service = dir.join("steps/02-server/src/service.rs");
        fs::write(&service, "my work\n").unwrap();
        fs::write(dir.join("steps/02-server/src/lib.rs"), "my lib\n").unwrap();

        let mut out = Vec::new();
        reset(&workspace, &[steps()[1].clone()], &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            fs::read_to_string(&service).unwrap(),
            "service // TODO(step 2)\n"
        );
        // Not a lesson file: left alone.
        assert_eq!(
            fs::read_to_string(dir.join("steps/02-server/src/lib.rs")).unwrap(),
            "my lib\n"
        );
        assert!(out.contains("back as shipped (from git, HEAD)"), "{out}");
        let backup = fs::read_dir(workspace.backups())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        assert_eq!(
            fs::read_to_string(backup.join("steps/02-server/src/service.rs")).unwrap(),
            "my work\n"
        );
    }

    #[test]
    fn reset_outside_git_is_one_error() {
        let (workspace, dir) = two_steps();
        let dir = dir.path();
        // The scratch folder is under the system's temporary folder, not in a repository.
        if git(dir, &["rev-parse", "--git-dir"]).is_ok() {
            return;
        }
        let error = reset(&workspace, &[steps()[1].clone()], &mut Vec::new()).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("reset needs git:"),
            "{error:#}"
        );
    }
}
