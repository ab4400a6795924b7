//! What more than one test file needs, and that the library crate (normal
//! dependencies only) cannot hold: it reads `cargo metadata` with serde_json.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// `cargo metadata` for the whole workspace, for the target these tests are
/// built for: its packages, with their dependencies and minimum Rust
/// versions. Offline, and only this target's crates: those are what a build
/// downloaded. Every platform's would need crates that a fresh machine's
/// cargo never fetched (`android_system_properties` ...), and fail there.
pub fn cargo_metadata() -> Value {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
            env!("FLIGHT_PATH_TARGET"),
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
