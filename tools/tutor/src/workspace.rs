//! Which checkout of flight-path the tutor works on, and where it keeps
//! what it remembers (`target/tutor/`) and the backups (`target/tutor-backup/`).

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::state::State;
use crate::steps::Step;

/// The file that marks a flight-path checkout.
const MARKER: &str = "steps/steps.toml";

pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The checkout the current folder is in (CI runs the tutor in a second
    /// checkout), else the one this tutor was built in.
    pub fn find() -> anyhow::Result<Workspace> {
        let here = std::env::current_dir().ok();
        let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Workspace::find_from(here.as_deref(), &built_in)
    }

    fn find_from(here: Option<&Path>, built_in: &Path) -> anyhow::Result<Workspace> {
        let found = here
            .into_iter()
            .flat_map(Path::ancestors)
            .find(|dir| dir.join(MARKER).is_file());
        match found {
            Some(root) => Ok(Workspace::at(root)),
            None if built_in.join(MARKER).is_file() => Ok(Workspace::at(built_in)),
            None => bail!(
                "cannot find flight-path (a folder with {MARKER}): run cargo tutor inside your clone"
            ),
        }
    }

    pub fn at(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path from the workspace root.
    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }

    /// A path under the workspace, shown from its root: `target/tutor-backup/...`.
    pub fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// What the tutor remembers: hints seen, self-checks run.
    pub fn state(&self) -> State {
        State::new(self.root.join("target/tutor"))
    }

    /// Where solve and reset keep the learner's lesson files before replacing them.
    pub fn backups(&self) -> PathBuf {
        self.root.join("target/tutor-backup")
    }

    /// Refuses to work on a step whose folder is not there (a partial clone).
    pub fn require_step(&self, step: &Step) -> anyhow::Result<()> {
        if !self.path(step.step_dir()).is_dir() {
            bail!(
                "{} is missing: is {} a full clone of flight-path?",
                step.step_dir(),
                self.root.display()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::scratch;
    use std::fs;

    fn mark(root: &Path) {
        let marker = root.join(MARKER);
        fs::create_dir_all(marker.parent().unwrap()).unwrap();
        fs::write(marker, "").unwrap();
    }

    #[test]
    fn the_current_folders_checkout_comes_first() {
        let dir = scratch("find");
        let dir = dir.path();
        let (built_in, other) = (dir.join("built-in"), dir.join("other"));
        mark(&built_in);
        mark(&other);
        let deep = other.join("steps/02-server/src");
        fs::create_dir_all(&deep).unwrap();

        let found = Workspace::find_from(Some(&deep), &built_in).unwrap();
        assert_eq!(found.root(), other);

        let elsewhere = dir.join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        let found = Workspace::find_from(Some(&elsewhere), &built_in).unwrap();
        assert_eq!(found.root(), built_in);

        let error = Workspace::find_from(Some(&elsewhere), &elsewhere)
            .err()
            .unwrap();
        assert!(error.to_string().contains("cannot find flight-path"));
    }

    #[test]
    fn paths_are_shown_from_the_root() {
        let workspace = Workspace::at(Path::new("/x/flight-path"));
        let backup = workspace.backups().join("20261126T050749Z");
        assert_eq!(
            workspace.show(&backup),
            "target/tutor-backup/20261126T050749Z"
        );
    }
}
