//! Building binaries with cargo and finding them, as `cargo run -p` would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use serde_json::Value;

/// Whether cargo's own progress lines are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Show,
    Hide,
}

/// Where the built binaries are, by name.
#[derive(Debug, Clone)]
pub struct Binaries(HashMap<String, PathBuf>);

impl Binaries {
    pub fn path(&self, name: &str) -> anyhow::Result<&Path> {
        self.0
            .get(name)
            .map(PathBuf::as_path)
            .with_context(|| format!("no binary named {name} was built"))
    }
}

/// Builds the binaries of the workspace's default members (the solutions and
/// tools, not the learner's steps) with the profile the caller was built with
/// (debug or release), and returns their paths.
///
/// Building the default members, rather than a few packages, matters: cargo
/// unifies features across the packages it builds, so this resolves the Arrow
/// and gRPC crates exactly as `cargo test` does and reuses what it compiled.
pub fn build(progress: Progress) -> anyhow::Result<Binaries> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut command = cargo();
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .args(["--bins", "--message-format=json-render-diagnostics"])
        .stdout(Stdio::piped());
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    if progress == Progress::Hide {
        command.arg("--quiet");
    }
    let output = command.output().context("cannot run cargo")?;
    if !output.status.success() {
        bail!("cargo build failed: see its messages above");
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(Binaries(executables(&stdout)))
}

/// A command for the cargo that runs us (`cargo run` and `cargo test` say
/// which, in `CARGO`), without the variables cargo sets for the crate it runs.
///
/// Those variables (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, ...) are this
/// crate's, not the build's; some build scripts (ring's) watch them, and a
/// change would rebuild those crates on every nested build.
pub fn cargo() -> Command {
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

/// The executables named in cargo's JSON messages, one message per line.
fn executables(messages: &str) -> HashMap<String, PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| {
            let name = message["target"]["name"].as_str()?.to_string();
            let path = PathBuf::from(message["executable"].as_str()?);
            Some((name, path))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executables_are_read_from_artifact_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"solution-02-server"},"executable":"/t/debug/solution-02-server"}
{"reason":"compiler-artifact","target":{"name":"arrow"},"executable":null}
{"reason":"build-finished","success":true}
not json"#;
        let found = executables(messages);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found["solution-02-server"],
            Path::new("/t/debug/solution-02-server")
        );
    }
}
