//! The page's two Python programs, kept in `python/`, are the page's own,
//! byte for byte: the book shows them, and the interop tests run them (or,
//! where a free port is needed, the variants beside them that import or
//! repeat them).

use std::fs;
use std::path::PathBuf;

use flight_path_tests::workspace;

/// The page, where the project's checkout keeps it: `../shared/seed/`.
fn page() -> Option<String> {
    let path: PathBuf = workspace().join("../shared/seed/arrow-flight-on-arm64.md");
    fs::read_to_string(path).ok()
}

/// The page's Python code blocks, in order (the first is fenced ```pyhton,
/// a typo of the page's).
fn python_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line == "```python" || line == "```pyhton" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push(format!("{}\n", body.join("\n")));
        }
    }
    blocks
}

#[test]
fn the_python_programs_are_the_pages_byte_for_byte() {
    let Some(page) = page() else {
        // A checkout without the page beside it (a learner's clone): there is
        // nothing to compare with. The project's own checkout and CI have it.
        eprintln!("skipped: ../shared/seed/arrow-flight-on-arm64.md is not beside this checkout");
        return;
    };
    let blocks = python_blocks(&page);
    assert_eq!(blocks.len(), 2, "the page has two Python programs");
    for (file, block) in ["flight_server.py", "flight_client.py"].iter().zip(&blocks) {
        let ours = fs::read_to_string(workspace().join("python").join(file)).expect(file);
        assert_eq!(&ours, block, "python/{file} differs from the page's");
    }
}
