//! The set-up chapter's commands, as far as this machine can check them:
//! one source (`book/src/fragments/setup-commands.md`) that the chapter
//! includes and the README carries word for word; every command parses as
//! bash; each distribution's line installs what the build and the tests
//! need; the Rust version it asks for is the workspace's `rust-version`,
//! which is the highest minimum of the crates the workspace builds on; and
//! the README names every pyarrow that `python/requirements.txt` pins.
//!
//! Whether the package names exist: Ubuntu's are asked of apt in Ubuntu
//! 22.04 and 24.04 by `scripts/test-python-versions.sh` (root, by hand);
//! SUSE's cannot be checked here (no SUSE mirror in reach).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    fs::read_to_string(workspace().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const COMMANDS: &str = "book/src/fragments/setup-commands.md";

/// The commands of the `console` blocks of `text`: each `$ ` line, without it.
fn console_commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        match line.trim_end() {
            "```console" => inside = true,
            "```" => inside = false,
            line if inside => {
                if let Some(command) = line.strip_prefix("$ ") {
                    commands.push(command.to_string());
                }
            }
            _ => {}
        }
    }
    commands
}

/// The workspace's `rust-version`, from the root `Cargo.toml`.
fn rust_version() -> String {
    let manifest = read("Cargo.toml");
    let line = manifest
        .lines()
        .find(|line| line.starts_with("rust-version = "))
        .expect("a rust-version in Cargo.toml");
    line.trim_start_matches("rust-version = ")
        .trim_matches('"')
        .to_string()
}

#[test]
fn the_chapter_includes_the_commands_and_the_readme_carries_them_word_for_word() {
    let commands = read(COMMANDS);
    assert!(
        read("book/src/setup.md").contains("{{#include fragments/setup-commands.md}}"),
        "book/src/setup.md must include {COMMANDS}"
    );
    assert!(
        read("README.md").contains(&commands),
        "README.md must carry {COMMANDS} word for word (copy it into the README's \"Set up a \
         fresh VM\")"
    );
}

#[test]
fn every_command_parses_as_bash() {
    let commands = console_commands(&read(COMMANDS));
    assert!(commands.len() >= 6, "{commands:?}");
    for command in commands {
        let mut bash = Command::new("bash")
            .arg("-n")
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run bash");
        let mut stdin = bash.stdin.take().expect("stdin");
        stdin.write_all(command.as_bytes()).expect("write");
        drop(stdin);
        let output = bash.wait_with_output().expect("bash -n");
        assert!(
            output.status.success(),
            "`{command}` does not parse: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn each_distribution_installs_a_c_compiler_git_curl_and_a_recent_python() {
    let commands = console_commands(&read(COMMANDS));
    let packages = |prefix: &str| -> Vec<String> {
        let line = commands
            .iter()
            .find_map(|command| command.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line in {COMMANDS}"));
        line.split_whitespace().map(str::to_string).collect()
    };
    let suse = packages("sudo zypper install -y ");
    let ubuntu = packages("sudo apt-get install -y ");
    // ring compiles C: a compiler and the C library's headers. SUSE 15's
    // python3 is 3.6: pyarrow needs 3.9 or newer.
    for (distribution, packages, wanted) in [
        (
            "SUSE",
            &suse,
            ["gcc", "glibc-devel", "git", "curl", "python311"],
        ),
        (
            "Ubuntu",
            &ubuntu,
            ["gcc", "libc6-dev", "git", "curl", "python3-venv"],
        ),
    ] {
        for package in wanted {
            assert!(
                packages.iter().any(|p| p == package),
                "{distribution} installs {packages:?}: {package} is missing"
            );
        }
    }
    let all = commands.join("\n");
    for needed in [
        "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y",
        ". \"$HOME/.cargo/env\"",
        "git clone \"$FLIGHT_PATH_REPO\" flight-path && cd flight-path",
    ] {
        assert!(all.contains(needed), "{COMMANDS} lacks `{needed}`");
    }
}

#[test]
fn the_rust_version_said_is_the_workspaces_and_the_highest_of_its_crates() {
    let version = rust_version();
    let said = format!("Rust {version} or newer");
    assert!(read(COMMANDS).contains(&said), "{COMMANDS} must say {said}");
    let readme = format!("stable {version} or newer");
    assert!(
        read("README.md").contains(&readme),
        "README.md must say {readme}"
    );
    assert!(
        read("book/src/setup.md").contains(&format!("Why {version}:")),
        "book/src/setup.md must say why {version}"
    );

    // Every crate of the lock that this target builds.
    let metadata = common::cargo_metadata();
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    let highest = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|package| package["source"].is_string())
        .filter_map(|package| {
            let minimum = package["rust_version"].as_str()?;
            Some((parse(minimum), package["name"].as_str()?.to_string()))
        })
        .max()
        .expect("crates with a rust-version");
    let mut needed = highest.0.clone();
    needed.resize(3, 0);
    let mut ours = parse(&version);
    ours.resize(3, 0);
    assert_eq!(
        ours, needed,
        "Cargo.toml's rust-version is {version}, and {} needs {:?}: make them equal (and the \
         set-up chapter with them)",
        highest.1, highest.0
    );
}

#[test]
fn the_readme_names_every_pyarrow_pin() {
    let readme = read("README.md");
    let pins: Vec<String> = read("python/requirements.txt")
        .lines()
        .filter_map(|line| line.strip_prefix("pyarrow=="))
        .map(|pin| pin.split(';').next().unwrap_or(pin).trim().to_string())
        .collect();
    assert!(pins.len() >= 3, "one pin per Python: {pins:?}");
    for pin in pins {
        assert!(
            readme.contains(&format!("| {pin} |")),
            "README.md's \"Every pinned pyarrow\" does not name pyarrow {pin}"
        );
    }
}
