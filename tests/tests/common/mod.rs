//! What more than one test file needs, and that the library crate (normal
//! dependencies only) cannot hold: it reads `cargo metadata` with serde_json.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// `cargo metadata` for the whole workspace, every platform: its packages,
/// with their dependencies and minimum Rust versions.
pub fn cargo_metadata() -> Value {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(workspace.join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}
