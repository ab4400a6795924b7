//! Replacing a step's code: by the model answer (`solve`) or by the shipped
//! version from git (`reset`). Both replace the whole `src/` folder.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use checks::Step;

/// Copies the solution's `src/` over the step's: the libraries have the
/// same name, so it compiles as it is.
pub fn solve(root: &Path, step: &Step) -> anyhow::Result<()> {
    let from = root.join(step.solution_dir()).join("src");
    let to = root.join(step.step_dir()).join("src");
    crate::require_dir(&from)?;
    replace_dir(&to, |to| copy_dir(&from, to))
}

/// Restores the step's `src/` as shipped: from `origin/main` (what you
/// cloned) if there is one, else from the last commit. Returns which.
pub fn reset(root: &Path, step: &Step) -> anyhow::Result<String> {
    let source = ["origin/main", "HEAD"]
        .into_iter()
        .find(|name| git(root, &["rev-parse", "--verify", "--quiet", name]).is_ok())
        .context("no git history to reset from: reset needs a git clone of flight-path")?;
    let src = format!("{}/src", step.step_dir());
    let listing = git(root, &["ls-tree", "-r", "--name-only", source, "--", &src])?;
    if listing.trim().is_empty() {
        bail!("{source} has no {src}");
    }
    replace_dir(&root.join(&src), |_| {
        for path in listing.lines() {
            let text = git(root, &["show", &format!("{source}:{path}")])?;
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&target, text).with_context(|| format!("cannot write {path}"))?;
        }
        Ok(())
    })?;
    Ok(source.to_string())
}

/// Empties `dir` and fills it with `fill`.
fn replace_dir(dir: &Path, fill: impl FnOnce(&Path) -> anyhow::Result<()>) -> anyhow::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    fill(dir)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Runs git in the workspace and returns what it printed.
fn git(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
