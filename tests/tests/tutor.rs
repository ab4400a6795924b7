//! The steps as shipped, and `cargo tutor` end to end.
//!
//! - Every shipped step compiles and FAILS its self-check (by its exit
//!   status), with a report that names the hint command.
//! - The tutor itself, in a scratch workspace of toy steps laid out as the
//!   real ones (same packages, folders, lesson files, table): `status`
//!   tells passes, not yet and does not compile apart; hints come in stages;
//!   `diff` asks first, then shows the changed hunks; `solve all` keeps a
//!   backup and makes every step pass; `reset all` puts them back as committed.
//!
//! That the real model answers, dropped into the real steps by `cargo tutor
//! solve all`, pass is proved by `.ci/run`, in a copy of the workspace: it
//! rebuilds every step against Arrow and gRPC, too slow for `cargo test`
//! (and each model answer passes the same check in its own `cargo test`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use checks::{Step, steps};
use flight_path_tests::{bin, workspace};
use tempfile::TempDir;

/// Whether a step's lesson files still carry their `TODO(step N)` marker.
fn still_todo(step: &Step) -> bool {
    step.lesson_paths().iter().any(|path| {
        fs::read_to_string(workspace().join(path))
            .is_ok_and(|text| text.contains(&step.todo_marker()))
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `cargo test -p <step> --test self-check` in this workspace, built first.
fn real_self_check(step: &Step) -> Output {
    let cargo = |extra: &[&str]| {
        harness::cargo()
            .current_dir(workspace())
            .args([
                "test",
                "--quiet",
                "--package",
                &step.package(),
                "--test",
                "self-check",
            ])
            .args(extra)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .output()
            .expect("cargo runs")
    };
    let built = cargo(&["--no-run"]);
    assert!(
        built.status.success(),
        "step {} must compile as shipped:\n{}",
        step.number,
        text(&built.stderr)
    );
    cargo(&[])
}

/// Shipped, every step fails its self-check. Once a learner finishes a step
/// and removes its TODOs, it must pass instead.
#[test]
fn every_shipped_step_fails_its_self_check() {
    for step in steps() {
        let output = real_self_check(step);
        let stdout = text(&output.stdout);
        if still_todo(step) {
            assert_eq!(
                output.status.code(),
                Some(1),
                "step {} has TODOs: its self-check must fail with exit status 1 (did the check stop checking?)\n{stdout}{}",
                step.number,
                text(&output.stderr)
            );
            let hint = format!("cargo tutor hint {}", step.number);
            assert!(
                stdout.contains(&hint),
                "no {hint:?} in the report:\n{stdout}"
            );
        } else {
            assert_eq!(
                output.status.code(),
                Some(0),
                "step {} has no TODO left: it is done and must pass (put the TODO back, or finish it)\n{stdout}",
                step.number
            );
        }
    }
}

/// Runs the tutor in `dir` (it works on the checkout it is run in), with no
/// terminal: no colours, no question answered.
fn tutor_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin("tutor"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the tutor runs")
}

#[test]
fn a_step_that_does_not_exist_is_refused_in_one_line() {
    let last = steps().len();
    let output = tutor_in(&workspace(), &["hint", &(last + 1).to_string()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let said = format!("'{}' is not a step: use 1 to {last}", last + 1);
    assert!(stderr.contains(&said), "{stderr}");
}

#[test]
fn diff_shows_the_changed_hunks_of_the_real_lesson_files() {
    let output = tutor_in(&workspace(), &["diff", "2", "--yes"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        stdout.starts_with(
            "--- steps/02-server/src/service.rs (yours)\n+++ solutions/02-server/src/service.rs (the model answer)\n"
        ) || stdout.starts_with("steps/02-server/src/service.rs: the same as the model answer"),
        "{stdout}"
    );
    for line in stdout.lines() {
        assert!(
            ["--- ", "+++ ", "@@ ", " ", "-", "+", "\\ "]
                .iter()
                .any(|start| line.starts_with(start))
                || line.is_empty()
                || line.ends_with(": the same as the model answer"),
            "not a line of a unified diff: {line:?}"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(bin("tutor"))
        .args(["diff", "2", "--yes"])
        .current_dir(workspace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tutor runs");
    drop(child.stdout.take()); // `| head` that has read enough
    let output = child.wait_with_output().expect("the tutor ends");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
}

/// A scratch workspace of toy steps with the real table: each lesson
/// file says `pub const DONE: bool = false;` (true in the model answer), and
/// each self-check passes when all of its step's are true. Step 3's first
/// lesson file does not compile as shipped. Committed, for `reset`.
fn toy_workspace() -> TempDir {
    let dir = TempDir::new().expect("a scratch folder");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        checks::TABLE_PATH,
        &fs::read_to_string(workspace().join(checks::TABLE_PATH)).unwrap(),
    );
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\"steps/*\"]\n",
    );
    for step in steps() {
        let (n, dir) = (step.number, step.step_dir());
        write(
            &format!("{dir}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [lib]\npath = \"src/toy.rs\"\n\n\
                 [[test]]\nname = \"self-check\"\npath = \"toy_check.rs\"\nharness = false\n",
                step.package()
            ),
        );
        let mut root = String::new();
        let mut done = vec!["true".to_string()];
        for (i, file) in step.lesson_files.iter().enumerate() {
            let file = file.strip_prefix("src/").expect("lesson files are in src/");
            root += &format!("#[path = \"{file}\"]\nmod lesson_{i};\n");
            done.push(format!("lesson_{i}::DONE"));
            let shipped = if n == 3 && i == 0 {
                format!("// TODO(step {n}): not even compiled yet\npub const DONE: bool = ;\n")
            } else {
                format!("// TODO(step {n}): the toy's part\npub const DONE: bool = false;\n")
            };
            write(&format!("{dir}/src/{file}"), &shipped);
            write(
                &format!("{}/src/{file}", step.solution_dir()),
                "pub const DONE: bool = true;\n",
            );
        }
        root += &format!("pub fn done() -> bool {{\n    {}\n}}\n", done.join(" && "));
        write(&format!("{dir}/src/toy.rs"), &root);
        write(
            &format!("{dir}/toy_check.rs"),
            &format!(
                "fn main() -> std::process::ExitCode {{\n\
                 \x20   if {}::done() {{\n\
                 \x20       println!(\"step {n} passes its self-check\");\n\
                 \x20       std::process::ExitCode::SUCCESS\n\
                 \x20   }} else {{\n\
                 \x20       println!(\"  FAIL  the toy of step {n}\\n  hint:  cargo tutor hint {n}\");\n\
                 \x20       std::process::ExitCode::FAILURE\n\
                 \x20   }}\n\
                 }}\n",
                step.package().replace('-', "_")
            ),
        );
    }
    write("steps/02-server/hints/1.md", "Toy hint one.\n");
    write("steps/02-server/hints/2.md", "Toy hint two.\n");
    write(".gitignore", "/target\n");
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "."]);
    git(
        dir.path(),
        &["commit", "--quiet", "-m", "the toy steps, as shipped"],
    );
    dir
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=toy", "-c", "user.email=toy@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// The tutor in the toy workspace: (exit code, stdout, stderr).
fn toy(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = tutor_in(dir, args);
    (
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

fn status_line(stdout: &str, n: usize) -> &str {
    stdout
        .lines()
        .find(|line| line.contains(&format!(" step {n}  ")))
        .unwrap_or_else(|| panic!("no line for step {n}:\n{stdout}"))
}

#[test]
fn the_tutor_walks_the_whole_loop_in_a_scratch_workspace() {
    let scratch = toy_workspace();
    let dir = scratch.path();

    // Shipped: no step passes; step 3 does not even compile.
    let (code, stdout, stderr) = toy(dir, &["status"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for n in 1..=steps().len() {
        let expected = if n == 3 {
            "✗ step 3  step-03-verify-port    does not compile"
        } else {
            "not yet"
        };
        assert!(status_line(&stdout, n).contains(expected), "{stdout}");
    }
    assert!(stdout.contains("Next: step 1"), "{stdout}");

    let (code, stdout, _) = toy(dir, &["check", "3"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("✗ step 3 does not compile"), "{stdout}");

    // The answer waits until the self-check has been run.
    let (code, stdout, stderr) = toy(dir, &["diff", "2"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("run `cargo tutor check 2` first"),
        "{stderr}"
    );

    let (code, stdout, _) = toy(dir, &["check", "2"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("FAIL  the toy of step 2"), "{stdout}");
    assert!(stdout.contains("✗ step 2: not yet"), "{stdout}");

    // Hints in stages.
    let (code, first, _) = toy(dir, &["hint", "2"]);
    assert_eq!(code, Some(0), "{first}");
    assert!(first.contains("Toy hint one."), "{first}");
    assert!(!first.contains("Toy hint two."), "{first}");
    assert!(
        first.contains("hint 1 of 2; run `cargo tutor hint 2` again for the next"),
        "{first}"
    );
    let (_, second, _) = toy(dir, &["hint", "2"]);
    assert!(second.contains("Toy hint two."), "{second}");
    assert!(!second.contains("Toy hint one."), "{second}");
    let (_, after, _) = toy(dir, &["hint", "2"]);
    assert!(after.contains("no more hints for step 2"), "{after}");
    assert!(after.contains("`cargo tutor diff 2`"), "{after}");
    let (_, again, _) = toy(dir, &["hint", "2", "--all"]);
    assert!(
        again.contains("Toy hint one.") && again.contains("Toy hint two."),
        "{again}"
    );

    let (code, stdout, _) = toy(dir, &["diff", "2"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.starts_with(
            "--- steps/02-server/src/service.rs (yours)\n+++ solutions/02-server/src/service.rs (the model answer)\n@@ "
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\n-pub const DONE: bool = false;\n+pub const DONE: bool = true;\n"));

    // Solve: a backup first, then every step passes.
    let (code, stdout, stderr) = toy(dir, &["solve", "all"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for step in steps() {
        assert!(
            stdout.contains("are saved in target/tutor-backup/"),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("/{}/\n", step.step_dir())),
            "{stdout}"
        );
    }
    let backups = dir.join("target/tutor-backup");
    let first_backup = fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let saved = fs::read_to_string(first_backup.join("steps/04-client/src/lib.rs")).unwrap();
    assert!(saved.contains("TODO(step 4)"), "{saved}");

    let (code, stdout, _) = toy(dir, &["status"]);
    assert_eq!(code, Some(0), "{stdout}");
    for n in 1..=steps().len() {
        assert!(status_line(&stdout, n).ends_with("passes"), "{stdout}");
    }
    assert!(stdout.contains("Every step passes"), "{stdout}");
    let (code, stdout, _) = toy(dir, &["check", "all"]);
    assert_eq!(code, Some(0), "{stdout}");

    // Reset: another backup, and the steps exactly as committed.
    let (code, stdout, stderr) = toy(dir, &["reset", "all"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("are back as shipped (from git, HEAD)"),
        "{stdout}"
    );
    assert_eq!(git(dir, &["status", "--porcelain", "--", "steps"]), "");
    assert_eq!(fs::read_dir(&backups).unwrap().count(), 2);
}
