//! The book builds cleanly, and everything it shows comes from tested files:
//! every `{{#include}}` resolves, every anchor exists, every internal link
//! points at a chapter, and snapshot includes start after insta's header.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn chapters() -> Vec<(PathBuf, String)> {
    let src = workspace().join("book/src");
    let mut chapters: Vec<_> = fs::read_dir(&src)
        .expect("book/src")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a chapter");
            (path, text)
        })
        .collect();
    chapters.sort();
    chapters
}

/// `{{#include path:anchor}}` / `{{#include path:start:end}}` → (path, rest)
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    text.match_indices("{{#include ")
        .map(|(at, _)| {
            let inner = &text[at + "{{#include ".len()..];
            let inner = &inner[..inner.find("}}").expect("closing }}")];
            match inner.split_once(':') {
                Some((path, rest)) => (path.to_string(), Some(rest.to_string())),
                None => (inner.to_string(), None),
            }
        })
        .collect()
}

#[test]
fn the_book_builds_without_errors_or_warnings() {
    let install = Command::new(workspace().join("scripts/install-mdbook.sh"))
        .output()
        .expect("run scripts/install-mdbook.sh");
    assert!(
        install.status.success(),
        "cannot get mdbook: {}",
        String::from_utf8_lossy(&install.stderr)
    );
    let mdbook = String::from_utf8_lossy(&install.stdout).trim().to_string();
    let out_dir = workspace().join("target/book-test");
    let build = Command::new(&mdbook)
        .arg("build")
        .arg(workspace().join("book"))
        .arg("--dest-dir")
        .arg(&out_dir)
        .output()
        .expect("run mdbook");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(build.status.success(), "mdbook build failed:\n{log}");
    let problems: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("ERROR") || line.contains("WARN"))
        .collect();
    assert!(
        problems.is_empty(),
        "mdbook reported problems:\n{}",
        problems.join("\n")
    );
    let client = fs::read_to_string(out_dir.join("step-4-client.html")).expect("chapter built");
    assert!(
        client.contains("Rows: 1000"),
        "the client's output is not in the built chapter"
    );
}

#[test]
fn every_include_resolves_and_every_anchor_exists() {
    for (chapter, text) in chapters() {
        for (path, rest) in includes(&text) {
            let file = chapter.parent().expect("book/src").join(&path);
            let included = fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{}: {path} does not exist", chapter.display()));
            let Some(rest) = rest else { continue };
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                continue; // a line range: see the snapshot test below
            }
            let (start, end) = (format!("ANCHOR: {rest}\n"), format!("ANCHOR_END: {rest}\n"));
            assert!(
                included.contains(&start) && included.contains(&end),
                "{}: {path} has no anchor {rest}",
                chapter.display()
            );
        }
    }
}

#[test]
fn snapshot_includes_start_right_after_the_insta_header() {
    for (chapter, text) in chapters() {
        for (path, rest) in includes(&text) {
            if !path.ends_with(".snap") {
                continue;
            }
            let file = chapter.parent().expect("book/src").join(&path);
            let snapshot = fs::read_to_string(&file).expect("a snapshot");
            let start: usize = rest
                .as_deref()
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{}: include {path} by line range", chapter.display()));
            let header_end = snapshot
                .lines()
                .skip(1)
                .position(|l| l == "---")
                .map(|i| i + 2);
            assert_eq!(
                header_end.map(|line| line + 1),
                Some(start),
                "{}: {path}'s content starts at line {:?}",
                chapter.display(),
                header_end.map(|line| line + 1)
            );
        }
    }
}

#[test]
fn internal_links_point_at_chapters() {
    for (chapter, text) in chapters() {
        for (at, _) in text.match_indices("](") {
            let target = &text[at + 2..];
            let target = &target[..target.find(')').expect("closing )")];
            if target.contains("://") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap_or_default();
            assert!(
                chapter.parent().expect("book/src").join(file).is_file(),
                "{}: broken link to {target}",
                chapter.display()
            );
        }
    }
}

/// The answer comes after the attempt: a step's chapter shows the step's
/// skeleton, never the model answer, which has its own page after it.
#[test]
fn step_chapters_never_include_the_model_answer() {
    for (path, text) in chapters() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("step-") {
            continue;
        }
        for (included, _) in includes(&text) {
            assert!(
                !included.contains("solutions/"),
                "{name} includes {included}: the model answer belongs on the solution page"
            );
        }
    }
}
