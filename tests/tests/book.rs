//! The book builds cleanly, and everything it shows comes from tested files:
//! every `{{#include}}` resolves, by anchor or whole, every anchor exists,
//! every internal link points at a chapter; the outputs it shows are the
//! snapshots as a learner sees them (`book/src/outputs/`, made by
//! `flight_path_tests::book_outputs`); no code line is wider than its column.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use flight_path_tests::book_outputs::{BOOK_COLUMN, OUTPUTS, outputs_dir};

/// Set to 1, the outputs test writes `book/src/outputs/` instead of failing.
const UPDATE: &str = "FLIGHT_PATH_UPDATE_BOOK";

/// Code lines the book shows wider than its column, on purpose: the line,
/// and why. (The page's Python, included verbatim, fits.)
const WIDE_ON_PURPOSE: &[(&str, &str)] = &[(
    r#"LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))"#,
    "the page's own `ss -lntp` line, quoted as the page prints it",
)];

fn workspace() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    workspace.canonicalize().expect("the workspace")
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
                continue; // a line range: see the test below
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
fn includes_are_by_anchor_or_whole_never_by_line_numbers() {
    for (chapter, text) in chapters() {
        for (path, rest) in includes(&text) {
            let Some(rest) = rest else { continue };
            assert!(
                !rest.starts_with(|c: char| c.is_ascii_digit() || c == ':'),
                "{}: {{{{#include {path}:{rest}}}}} is by line numbers: mark the lines with \
                 ANCHOR: name / ANCHOR_END: name and include {path}:name",
                chapter.display()
            );
        }
    }
}

#[test]
fn the_book_shows_outputs_made_for_it_never_a_snapshot() {
    for (chapter, text) in chapters() {
        for (path, _) in includes(&text) {
            assert!(
                !path.ends_with(".snap"),
                "{}: includes the snapshot {path}: add it to OUTPUTS in tests/src/book_outputs.rs \
                 and include outputs/NAME.txt",
                chapter.display()
            );
        }
    }
}

/// `book/src/outputs/` is what `book_outputs` makes of the committed
/// snapshots; with FLIGHT_PATH_UPDATE_BOOK=1 this test writes it.
#[test]
fn the_outputs_are_the_snapshots_as_a_learner_sees_them() {
    let update = std::env::var(UPDATE).is_ok_and(|value| value == "1");
    let dir = outputs_dir();
    let mut out_of_date = Vec::new();
    for output in OUTPUTS {
        let text = output.render();
        let path = output.path();
        if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            fs::create_dir_all(&dir).expect("create book/src/outputs");
            // Whole or not at all: the other tests of this file read it.
            let partial = path.with_extension("txt.partial");
            fs::write(&partial, &text).expect("write an output");
            fs::rename(&partial, &path).expect("rename an output");
            eprintln!("wrote {}", path.display());
        } else {
            out_of_date.push(format!("{}.txt", output.name));
        }
    }
    for entry in fs::read_dir(&dir).expect("book/src/outputs") {
        let path = entry.expect("an entry").path();
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        if OUTPUTS.iter().any(|output| output.name == name) {
            continue;
        }
        if update {
            fs::remove_file(&path).expect("remove an output no longer made");
            eprintln!("removed {}", path.display());
        } else {
            out_of_date.push(format!("{} (not in OUTPUTS)", path.display()));
        }
    }
    assert!(
        out_of_date.is_empty(),
        "book/src/outputs/ differs from the snapshots ({}): run `{UPDATE}=1 cargo test -p \
         flight-path-tests --test book`",
        out_of_date.join(", ")
    );
}

#[test]
fn every_output_is_shown_by_a_chapter() {
    let chapters = chapters();
    for output in OUTPUTS {
        let include = format!("outputs/{}.txt", output.name);
        assert!(
            chapters
                .iter()
                .any(|(_, text)| includes(text).iter().any(|(path, _)| *path == include)),
            "no chapter includes {include}: include it, or remove its entry from OUTPUTS"
        );
    }
}

/// Every line of every code block, as mdBook renders it: included regions
/// are checked at their source, `file:line`.
#[test]
fn no_code_line_is_wider_than_the_book_column() {
    let mut wide = Vec::new();
    let outputs = outputs_dir().canonicalize().expect("book/src/outputs");
    let bench_printed = outputs
        .with_file_name("bench")
        .join("results.txt")
        .canonicalize()
        .expect("book/src/bench/results.txt");
    for (chapter, text) in chapters() {
        for line in code_lines(&chapter, &text) {
            let width = line.text.chars().count();
            // Terminal output is shown as the program prints it, whole.
            let allowed = line.file.starts_with(&outputs)
                || line.file == bench_printed
                || WIDE_ON_PURPOSE
                    .iter()
                    .any(|(wide, _why)| line.text == *wide);
            if width > BOOK_COLUMN && !allowed {
                let file = line.file.strip_prefix(workspace()).unwrap_or(&line.file);
                wide.push(format!("{}:{} ({width})", file.display(), line.number));
            }
        }
    }
    wide.sort();
    wide.dedup();
    assert!(
        wide.is_empty(),
        "code lines wider than the book's column ({BOOK_COLUMN} characters):\n{}",
        wide.join("\n")
    );
}

/// In a table, a browser may end a line after the `-` of `rust->rust`: the
/// arrows there are kept whole by a `white-space: nowrap` span.
#[test]
fn arrows_in_tables_never_break() {
    let nowrap = "<span style=\"white-space: nowrap\">";
    for (chapter, text) in chapters() {
        let mut tables: Vec<(PathBuf, String)> = vec![(chapter.clone(), text.clone())];
        for (path, _) in includes(&text) {
            if path.ends_with(".md") {
                let file = chapter.parent().expect("book/src").join(&path);
                tables.push((file.clone(), fs::read_to_string(&file).unwrap_or_default()));
            }
        }
        for (file, text) in tables {
            for (index, line) in text.lines().enumerate() {
                if !line.trim_start().starts_with('|') {
                    continue;
                }
                // What is left once the nowrap spans are taken out.
                let mut rest = line.to_string();
                while let Some(start) = rest.find(nowrap) {
                    let end = rest[start..]
                        .find("</span>")
                        .map_or(rest.len(), |e| start + e);
                    rest.replace_range(start..(end + "</span>".len()).min(rest.len()), "");
                }
                assert!(
                    !rest.contains("->"),
                    "{}:{}: a `->` in a table may break: wrap it in {nowrap}...</span>",
                    file.display(),
                    index + 1
                );
            }
        }
    }
}

/// An SVG shown as an `<img>` cannot take the page's colours: the chart's
/// text would be black on the dark themes. The chapters inline it.
#[test]
fn svg_is_inlined_never_an_image() {
    for (chapter, text) in chapters() {
        for line in text.lines() {
            assert!(
                !(line.contains(".svg)") || line.contains(".svg\"")),
                "{}: shows an SVG as an image ({line}): inline it, {{{{#include NAME.svg}}}}",
                chapter.display()
            );
        }
    }
}

/// A line the book shows, where it comes from.
struct Shown {
    text: String,
    file: PathBuf,
    number: usize,
}

/// The lines inside the fenced code blocks of a chapter, its includes
/// expanded as mdBook expands them (a whole file, or an anchor's lines less
/// any anchor markers).
fn code_lines(chapter: &Path, text: &str) -> Vec<Shown> {
    let mut code = Vec::new();
    let mut fence: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"]
            .into_iter()
            .find(|marker| trimmed.starts_with(marker));
        match (fence, marker) {
            (None, Some(marker)) => fence = Some(marker),
            (Some(open), Some(marker)) if open == marker => fence = None,
            (None, _) => {}
            (Some(_), _) => match includes(trimmed).as_slice() {
                [(path, rest)] if trimmed.starts_with("{{#include ") => {
                    code.extend(included(chapter, path, rest.as_deref()));
                }
                _ => code.push(Shown {
                    text: line.to_string(),
                    file: chapter.to_path_buf(),
                    number: index + 1,
                }),
            },
        }
    }
    code
}

/// The lines `{{#include path[:anchor]}}` shows, numbered in their file.
fn included(chapter: &Path, path: &str, anchor: Option<&str>) -> Vec<Shown> {
    let file = chapter.parent().expect("book/src").join(path);
    let file = file.canonicalize().unwrap_or(file);
    // A missing file is for every_include_resolves_and_every_anchor_exists.
    let text = fs::read_to_string(&file).unwrap_or_default();
    let numbered = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    let lines: Vec<(usize, &str)> = match anchor {
        None => numbered.collect(),
        Some(anchor) => {
            let is = |line: &str, marker: &str| {
                line.split(marker)
                    .nth(1)
                    .is_some_and(|name| name.trim() == anchor)
            };
            numbered
                .skip_while(|(_, line)| !is(line, "ANCHOR: "))
                .skip(1)
                .take_while(|(_, line)| !is(line, "ANCHOR_END: "))
                .filter(|(_, line)| !line.contains("ANCHOR: ") && !line.contains("ANCHOR_END: "))
                .collect()
        }
    };
    lines
        .into_iter()
        .map(|(number, line)| Shown {
            text: line.to_string(),
            file: file.clone(),
            number,
        })
        .collect()
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
