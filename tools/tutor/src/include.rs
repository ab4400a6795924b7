//! `{{#include path:anchor}}` in a hint, read as mdBook reads it in the
//! book: the lines of a compiled file between `ANCHOR: anchor` and
//! `ANCHOR_END: anchor` (other anchors' markers left out), the path taken
//! from the hint's folder. A hint's code is then code that builds: the
//! model answer's, which `cargo test` compiles.

use std::path::Path;

use anyhow::{Context, bail};

/// `text` with each of its `{{#include ...}}` lines replaced by what it names.
pub fn expand(text: &str, dir: &Path) -> anyhow::Result<String> {
    let mut expanded = String::new();
    for line in text.lines() {
        match include_of(line) {
            Some((path, anchor)) => {
                let file = dir.join(path);
                let source = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {path}, which a hint includes"))?;
                let lines = match anchor {
                    Some(anchor) => anchored(&source, anchor)
                        .with_context(|| format!("{path} has no anchor {anchor}"))?,
                    None => source,
                };
                expanded += &dedent(&lines);
            }
            None => {
                expanded += line;
                expanded.push('\n');
            }
        }
    }
    Ok(expanded)
}

/// `{{#include path:anchor}}` (or `{{#include path}}`) alone on its line:
/// the path, and the anchor if any.
pub fn include_of(line: &str) -> Option<(&str, Option<&str>)> {
    let inner = line
        .trim()
        .strip_prefix("{{#include ")?
        .strip_suffix("}}")?
        .trim();
    Some(match inner.split_once(':') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (inner, None),
    })
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without the
/// markers of other anchors inside; an error if there is no such anchor.
pub fn anchored(source: &str, name: &str) -> anyhow::Result<String> {
    let is_marker = |line: &str| line.contains("ANCHOR:") || line.contains("ANCHOR_END:");
    let mut lines = source.lines();
    if !lines.any(|line| marker_name(line, "ANCHOR:") == Some(name)) {
        bail!("no `ANCHOR: {name}`");
    }
    let mut found = String::new();
    for line in lines {
        if marker_name(line, "ANCHOR_END:") == Some(name) {
            return Ok(found);
        }
        if !is_marker(line) {
            found += line;
            found.push('\n');
        }
    }
    bail!("no `ANCHOR_END: {name}`")
}

fn marker_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let (_, after) = line.split_once(marker)?;
    after.split_whitespace().next()
}

/// The lines with their common indentation taken off.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|line| line.get(indent..).unwrap_or("").trim_end())
        .fold(String::new(), |text, line| text + line + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "fn main() {\n    // ANCHOR: outer\n    let a = 1;\n    // ANCHOR: inner\n    \
                          let b = 2;\n    // ANCHOR_END: inner\n    // ANCHOR_END: outer\n}\n";

    #[test]
    fn an_anchor_is_its_lines_without_the_markers_inside() {
        assert_eq!(
            anchored(SOURCE, "outer").unwrap(),
            "    let a = 1;\n    let b = 2;\n"
        );
        assert_eq!(anchored(SOURCE, "inner").unwrap(), "    let b = 2;\n");
        assert!(anchored(SOURCE, "other").is_err());
    }

    #[test]
    fn a_hint_gets_the_lines_it_includes_dedented() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("code.rs"), SOURCE).unwrap();
        let hint = "Look:\n```rust\n{{#include code.rs:outer}}\n```\n";
        assert_eq!(
            expand(hint, dir.path()).unwrap(),
            "Look:\n```rust\nlet a = 1;\nlet b = 2;\n```\n"
        );
        let error = expand("{{#include code.rs:nope}}", dir.path()).unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "code.rs has no anchor nope: no `ANCHOR: nope`"
        );
        let error = expand("{{#include gone.rs:x}}", dir.path()).unwrap_err();
        assert!(error.to_string().contains("cannot read gone.rs"), "{error}");
    }

    #[test]
    fn only_a_whole_line_is_an_include() {
        assert_eq!(
            include_of("{{#include a/b.rs:x}}"),
            Some(("a/b.rs", Some("x")))
        );
        assert_eq!(
            include_of("  {{#include a/b.rs}}  "),
            Some(("a/b.rs", None))
        );
        assert_eq!(include_of("see {{#include a.rs}} here"), None);
    }
}
