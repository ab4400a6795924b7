//! A step and its model answer cannot drift apart: outside the lesson, they
//! are the same program.
//!
//! Each file of a step's folder has its twin, at the same path, in the
//! solution's folder. Read as code, they must be equal, line for line, but
//! for what the lesson itself changes:
//! - prose: comments (`//`, `//!`, `///`, `#` in manifests) and blank lines,
//!   which speak to the learner or to the reader of the answer;
//! - names: `step-NN-...` and `solution-NN-...` (and `step_NN_...`) are the
//!   same crate;
//! - a manifest's `description`;
//! - in a lesson file only: its `use` lines, the regions between `ANCHOR:`
//!   markers (what the learner writes and the book shows), and the answer's
//!   own unit tests (`#[cfg(test)]` to the end).
//!
//! A given line fixed in the answer but not in the step (or the other way
//! round) fails here, naming the file and the first line that differs.

use std::fs;
use std::process::Command;

use checks::steps;
use flight_path_tests::workspace;

/// The files git knows under `dir` (from the workspace root), as paths
/// relative to `dir`.
fn files_under(dir: &str) -> Vec<String> {
    let output = Command::new("git")
        .args([
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
        ])
        .arg(dir)
        .current_dir(workspace())
        .output()
        .expect("git ls-files");
    assert!(output.status.success(), "git ls-files {dir} failed");
    let prefix = format!("{dir}/");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|path| path.strip_prefix(&prefix).map(str::to_string))
        .filter(|path| workspace().join(dir).join(path).is_file())
        .collect()
}

/// What the learner may be given beside the code: hints and notes.
fn is_prose(path: &str) -> bool {
    path.starts_with("hints/") || path.ends_with(".md")
}

/// A file as code: (line number, normalised line) for each line that counts.
fn code_lines(text: &str, lesson: bool) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut anchors = 0usize;
    let mut in_use = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if lesson {
            if trimmed.starts_with("#[cfg(test)]") && !line.starts_with(' ') {
                break;
            }
            // Anchors nest (`run` holds `serve`): a region ends with the
            // outermost ANCHOR_END.
            if trimmed.starts_with("// ANCHOR:") {
                anchors += 1;
                continue;
            }
            if trimmed.starts_with("// ANCHOR_END:") {
                anchors = anchors.saturating_sub(1);
                continue;
            }
            if anchors > 0 {
                continue;
            }
            if trimmed.starts_with("use ") || trimmed.starts_with("pub use ") || in_use {
                in_use = !trimmed.ends_with(';');
                continue;
            }
        }
        let comment =
            trimmed.starts_with("//") || trimmed.starts_with('#') && !trimmed.starts_with("#[");
        if trimmed.is_empty() || comment || trimmed.starts_with("description = ") {
            continue;
        }
        lines.push((index + 1, as_answer(trimmed)));
    }
    lines
}

/// A line with every step's names as its model answer's: `step-01-build-table`
/// reads `solution-01-build-table`, `step_05_secure` reads `solution_05_secure`.
fn as_answer(line: &str) -> String {
    steps().iter().fold(line.to_string(), |line, step| {
        let (step_name, answer_name) = (step.package(), step.solution());
        line.replace(&step_name, &answer_name)
            .replace(&step_name.replace('-', "_"), &answer_name.replace('-', "_"))
    })
}

/// The first place where two files' code differs, in words.
fn first_difference(
    step_path: &str,
    answer_path: &str,
    ours: &[(usize, String)],
    theirs: &[(usize, String)],
) -> Option<String> {
    for k in 0..ours.len().max(theirs.len()) {
        match (ours.get(k), theirs.get(k)) {
            (Some((a, x)), Some((b, y))) if x != y => {
                return Some(format!(
                    "{step_path}:{a} `{x}` differs from {answer_path}:{b} `{y}`"
                ));
            }
            (Some((a, x)), None) => {
                return Some(format!(
                    "{step_path}:{a} `{x}` is not in {answer_path} (it ends before)"
                ));
            }
            (None, Some((b, y))) => {
                return Some(format!(
                    "{answer_path}:{b} `{y}` is not in {step_path} (it ends before)"
                ));
            }
            _ => {}
        }
    }
    None
}

#[test]
fn each_step_and_its_answer_are_one_program_outside_the_lesson() {
    let mut problems = Vec::new();
    for step in steps() {
        let (step_dir, answer_dir) = (step.step_dir(), step.solution_dir());
        let mut files = files_under(&step_dir);
        files.extend(files_under(&answer_dir));
        files.sort();
        files.dedup();
        for file in &files {
            if is_prose(file) {
                continue;
            }
            let (step_path, answer_path) =
                (format!("{step_dir}/{file}"), format!("{answer_dir}/{file}"));
            let read = |path: &str| fs::read_to_string(workspace().join(path)).ok();
            let (Some(mine), Some(answer)) = (read(&step_path), read(&answer_path)) else {
                problems.push(format!(
                    "{file} is in one of {step_dir} and {answer_dir} only: each file has its twin"
                ));
                continue;
            };
            let lesson = step.lesson_files.contains(file);
            if let Some(difference) = first_difference(
                &step_path,
                &answer_path,
                &code_lines(&mine, lesson),
                &code_lines(&answer, lesson),
            ) {
                problems.push(difference);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "a step and its model answer differ outside the lesson: fix the given code in both \
         (or, if the line is the lesson, put it between the file's ANCHOR markers)\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_normalisation_keeps_code_and_drops_prose_names_and_lessons() {
    let step = &steps()[0];
    let text = format!(
        "//! prose\n\nuse a::b;\nuse c::{{\n    d,\n}};\nfn {}() {{}}\n// ANCHOR: x\nlesson();\n\
         // ANCHOR_END: x\ngiven(); // kept\n#[cfg(test)]\nmod tests {{}}\n",
        step.package().replace('-', "_")
    );
    let lines: Vec<String> = code_lines(&text, true)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let answer = step.solution().replace('-', "_");
    assert_eq!(
        lines,
        [format!("fn {answer}() {{}}"), "given(); // kept".into()]
    );
}
