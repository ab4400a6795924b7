//! The workspace's shape, as the learner relies on it:
//! - no step can reach a model answer through its dependencies,
//!   dev-dependencies included, so the answer is never one `use` (or one
//!   auto-import) away;
//! - the step table (`steps/steps.toml`), the step and solution folders, the
//!   check modules, the chapters, the book's summary and the README's table
//!   agree: a step is a folder and one row, and nothing exists without its row.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use checks::{Step, steps};
use flight_path_tests::workspace;

mod common;

/// `cargo metadata`: every package and, for each, the packages it depends on
/// (normal, dev and build dependencies alike).
fn dependency_graph() -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let metadata = common::cargo_metadata();
    let names = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let edges = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .expect("deps")
                .iter()
                .map(|dep| dep["pkg"].as_str().unwrap().to_string())
                .collect();
            (node["id"].as_str().unwrap().to_string(), deps)
        })
        .collect();
    (names, edges)
}

#[test]
fn no_step_depends_on_a_solution() {
    let (names, edges) = dependency_graph();
    let step_packages = names.iter().filter(|(_, name)| name.starts_with("step-"));
    let mut checked = 0;
    for (step_id, step) in step_packages {
        let mut seen = HashSet::new();
        let mut todo = vec![step_id.clone()];
        while let Some(id) = todo.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let name = &names[&id];
            assert!(
                !name.starts_with("solution-"),
                "{step} reaches the model answer {name} through its dependencies"
            );
            todo.extend(edges.get(&id).into_iter().flatten().cloned());
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        steps().len(),
        "every step of {} is in the workspace",
        checks::TABLE_PATH
    );
}

fn read(path: &str) -> String {
    fs::read_to_string(workspace().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names in a folder of the workspace that `keep` selects, sorted.
fn names_in(folder: &str, keep: impl Fn(&Path) -> bool) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(workspace().join(folder))
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| keep(path))
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What the table says should exist, beside what does, for each kind of file.
fn agree(what: &str, expected: Vec<String>, found: Vec<String>) {
    let mut expected = expected;
    expected.sort();
    let missing: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
    let extra: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what} and {} disagree: {missing:?} missing (add them, or remove the row), \
         {extra:?} without a row (add a row, or remove them)",
        checks::TABLE_PATH
    );
}

fn for_each_step(f: impl Fn(&Step) -> String) -> Vec<String> {
    steps().iter().map(f).collect()
}

#[test]
fn each_row_has_its_folders_check_and_chapters_and_nothing_lacks_a_row() {
    let is_dir = |path: &Path| path.is_dir();
    agree(
        "steps/",
        for_each_step(|s| s.folder.clone()),
        names_in("steps", is_dir),
    );
    agree(
        "solutions/",
        for_each_step(|s| s.folder.clone()),
        names_in("solutions", is_dir),
    );
    let step_module = |path: &Path| {
        let name = path.file_name().unwrap().to_string_lossy();
        name.strip_prefix("step")
            .and_then(|rest| rest.strip_suffix(".rs"))
            .is_some_and(|n| n.parse::<usize>().is_ok())
    };
    agree(
        "checks/src/stepN.rs",
        for_each_step(|s| s.check_module().trim_start_matches("checks/src/").into()),
        names_in("checks/src", step_module),
    );
    let chapter = |prefix: &'static str| {
        move |path: &Path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".md")
        }
    };
    agree(
        "book/src/step-*.md",
        for_each_step(Step::chapter_file),
        names_in("book/src", chapter("step-")),
    );
    agree(
        "book/src/solution-*.md",
        for_each_step(Step::solution_chapter_file),
        names_in("book/src", chapter("solution-")),
    );
}

#[test]
fn each_step_is_the_package_its_row_names_and_runs_its_check() {
    let lib = read("checks/src/lib.rs");
    for step in steps() {
        let n = step.number;
        for (dir, package) in [
            (step.step_dir(), step.package()),
            (step.solution_dir(), step.solution()),
        ] {
            let manifest = read(&format!("{dir}/Cargo.toml"));
            assert!(
                manifest.contains(&format!("name = \"{package}\"")),
                "{dir}/Cargo.toml must name its package {package}"
            );
            let self_check = read(&format!("{dir}/tests/self_check.rs"));
            assert!(
                self_check.contains(&format!("checks::step{n}::")),
                "{dir}/tests/self_check.rs must run checks::step{n}"
            );
        }
        assert!(
            lib.contains(&format!("pub mod step{n};")),
            "checks/src/lib.rs must declare `pub mod step{n};`"
        );
        for path in step.lesson_paths() {
            assert!(
                read(&path).contains(&step.todo_marker()),
                "{path} is a lesson file of step {n}: it must carry {}",
                step.todo_marker()
            );
        }
    }
}

#[test]
fn the_books_summary_lists_each_step_and_its_solution_in_order() {
    let summary = read("book/src/SUMMARY.md");
    let listed: Vec<&str> = summary
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("- [Step ") || line.starts_with("- [Solution to step "))
        .collect();
    let expected: Vec<String> = steps()
        .iter()
        .flat_map(|s| {
            [
                format!("- [{}]({})", s.chapter(), s.chapter_file()),
                format!(
                    "- [Solution to step {}]({})",
                    s.number,
                    s.solution_chapter_file()
                ),
            ]
        })
        .collect();
    assert_eq!(
        listed,
        expected,
        "book/src/SUMMARY.md must list each step of {} and its solution, in order",
        checks::TABLE_PATH
    );
    for step in steps() {
        let chapter = read(&format!("book/src/{}", step.chapter_file()));
        assert!(
            chapter.starts_with(&format!("# {}\n", step.chapter())),
            "book/src/{} must start with the title \"# {}\"",
            step.chapter_file(),
            step.chapter()
        );
    }
}

#[test]
fn the_readmes_step_table_has_one_row_per_step() {
    let readme = read("README.md");
    let rows: Vec<&str> = readme
        .lines()
        .filter(|line| {
            line.strip_prefix("| ")
                .and_then(|rest| rest.split_once(". "))
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .collect();
    assert_eq!(
        rows.len(),
        steps().len(),
        "README.md's step table must have one row per step of {}: {rows:#?}",
        checks::TABLE_PATH
    );
    for (row, step) in rows.iter().zip(steps()) {
        let start = format!(
            "| {}. {} | `{}` | ",
            step.number,
            step.title,
            step.package()
        );
        assert!(
            row.starts_with(&start),
            "README.md's row {row:?} must start {start:?}"
        );
        for file in step.lesson_paths() {
            let name = file.rsplit('/').next().unwrap();
            assert!(
                row.contains(name),
                "README.md's row {row:?} must name {file}"
            );
        }
    }
}
