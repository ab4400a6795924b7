//! What the tutor remembers between runs, under `target/tutor/step-N/`:
//! how many hints were shown (`hints-seen`) and whether the self-check was
//! run through the tutor (`self-check`, holding its last verdict).

use std::fs;
use std::path::PathBuf;

use anyhow::Context;

pub struct State {
    dir: PathBuf,
}

impl State {
    pub fn new(dir: PathBuf) -> State {
        State { dir }
    }

    fn file(&self, step: usize, name: &str) -> PathBuf {
        self.dir.join(format!("step-{step}")).join(name)
    }

    fn write(&self, step: usize, name: &str, text: &str) -> anyhow::Result<()> {
        let path = self.file(step, name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    }

    /// How many of the step's hints were shown (0 at first).
    pub fn hints_seen(&self, step: usize) -> usize {
        fs::read_to_string(self.file(step, "hints-seen"))
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(0)
    }

    pub fn set_hints_seen(&self, step: usize, seen: usize) -> anyhow::Result<()> {
        self.write(step, "hints-seen", &format!("{seen}\n"))
    }

    /// Whether the step's self-check was run (by `cargo tutor check`).
    pub fn self_check_run(&self, step: usize) -> bool {
        self.file(step, "self-check").is_file()
    }

    pub fn record_self_check(&self, step: usize, verdict: &str) -> anyhow::Result<()> {
        self.write(step, "self-check", &format!("{verdict}\n"))
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::path::Path;

    /// An empty folder of its own under the system's temporary folder,
    /// removed when dropped, even by a failing test.
    pub fn scratch(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("tutor-test-{name}-"))
            .tempdir()
            .unwrap()
    }

    #[test]
    fn state_starts_empty_and_remembers() {
        let dir = scratch("state");
        let dir = dir.path();
        let state = State::new(dir.join("target/tutor"));
        assert_eq!(state.hints_seen(2), 0);
        assert!(!state.self_check_run(2));
        state.set_hints_seen(2, 2).unwrap();
        state.record_self_check(2, "not yet").unwrap();
        assert_eq!(state.hints_seen(2), 2);
        assert_eq!(state.hints_seen(3), 0);
        assert!(state.self_check_run(2));
        assert!(!state.self_check_run(3));
        assert!(Path::new(&dir.join("target/tutor/step-2/hints-seen")).is_file());
    }
}
