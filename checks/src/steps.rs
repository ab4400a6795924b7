//! The steps, as `steps/steps.toml` lists them: where each lives, which
//! files the learner edits, and which chapter of the book teaches it.
//! `cargo tutor` compiles this same file (it needs no Arrow crate to print a
//! hint or a diff).

use std::sync::LazyLock;

/// The table, compiled in: a row added to it rebuilds whatever reads it.
const TABLE: &str = include_str!("../../steps/steps.toml");

/// Where the table is, from the workspace root.
pub const TABLE_PATH: &str = "steps/steps.toml";

/// One step of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1, 2, ...: its place in the table.
    pub number: usize,
    /// The folder name, the same under `steps/` and `solutions/`: `02-server`.
    pub folder: String,
    /// The chapter's title without its number: `Start the Arrow Flight server`.
    pub title: String,
    /// The files with `TODO(step N)` that the learner fills in, from the folder.
    pub lesson_files: Vec<String>,
}

impl Step {
    /// The step's package, under `steps/`: `step-02-server`.
    pub fn package(&self) -> String {
        format!("step-{}", self.folder)
    }

    /// The model answer's package, under `solutions/`: `solution-02-server`.
    pub fn solution(&self) -> String {
        format!("solution-{}", self.folder)
    }

    /// The book chapter that teaches it: `Step 2: Start the Arrow Flight server`.
    pub fn chapter(&self) -> String {
        format!("Step {}: {}", self.number, self.title)
    }

    /// The folder's name without its number: `server`.
    fn name(&self) -> &str {
        self.folder.split_once('-').map_or("", |(_, name)| name)
    }

    /// The chapter's file under `book/src/`: `step-2-server.md`.
    pub fn chapter_file(&self) -> String {
        format!("step-{}-{}.md", self.number, self.name())
    }

    /// The solution page's file under `book/src/`: `solution-2-server.md`.
    pub fn solution_chapter_file(&self) -> String {
        format!("solution-{}-{}.md", self.number, self.name())
    }

    /// The self-check's module, from the workspace root: `checks/src/step2.rs`.
    pub fn check_module(&self) -> String {
        format!("checks/src/step{}.rs", self.number)
    }

    /// The lesson files from the workspace root: `steps/02-server/src/service.rs`.
    pub fn lesson_paths(&self) -> Vec<String> {
        self.lesson_files
            .iter()
            .map(|file| format!("steps/{}/{file}", self.folder))
            .collect()
    }

    /// The step's folder from the workspace root: `steps/02-server`.
    pub fn step_dir(&self) -> String {
        format!("steps/{}", self.folder)
    }

    /// The solution's folder from the workspace root: `solutions/02-server`.
    pub fn solution_dir(&self) -> String {
        format!("solutions/{}", self.folder)
    }

    /// The marker the shipped step carries in its lesson files until done.
    pub fn todo_marker(&self) -> String {
        format!("TODO(step {})", self.number)
    }
}

/// Every step, in order.
pub fn steps() -> &'static [Step] {
    static STEPS: LazyLock<Vec<Step>> = LazyLock::new(|| {
        // The table is ours, compiled in and checked by a test: a mistake
        // in it is the repository's bug, not the learner's.
        parse(TABLE).unwrap_or_else(|problem| panic!("{TABLE_PATH}: {problem}"))
    });
    &STEPS
}

/// The step numbered `number`, if there is one.
pub fn step(number: usize) -> Option<&'static Step> {
    steps().get(number.checked_sub(1)?)
}

/// Reads the table: `[[step]]` rows of `folder`, `title` and `lesson_files`,
/// numbered in order, each folder starting with its number (`02-`).
pub fn parse(text: &str) -> Result<Vec<Step>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let rows = table
        .get("step")
        .and_then(toml::Value::as_array)
        .ok_or("no [[step]] rows")?;
    let mut steps = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let number = index + 1;
        let text = |key: &str| {
            row.get(key)
                .and_then(toml::Value::as_str)
                .map(str::to_string)
                .ok_or(format!("row {number} has no {key} (a string)"))
        };
        let folder = text("folder")?;
        if !folder.starts_with(&format!("{number:02}-")) || folder.len() < 4 {
            return Err(format!(
                "row {number}'s folder is {folder:?}: it must be \"{number:02}-name\", its number first"
            ));
        }
        let lesson_files = row
            .get("lesson_files")
            .and_then(toml::Value::as_array)
            .map(|files| {
                files
                    .iter()
                    .map(|file| file.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
            })
            .unwrap_or_default()
            .filter(|files| !files.is_empty())
            .ok_or(format!("row {number} has no lesson_files (strings)"))?;
        steps.push(Step {
            number,
            title: text("title")?,
            folder,
            lesson_files,
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads() {
        assert!(!steps().is_empty());
        assert_eq!(step(1).map(|s| s.number), Some(1));
        assert_eq!(step(0), None);
        assert_eq!(step(steps().len() + 1), None);
    }

    #[test]
    fn a_row_names_everything_that_follows_from_it() {
        let rows = "[[step]]\nfolder = \"01-a\"\ntitle = \"A\"\nlesson_files = [\"src/lib.rs\"]\n\
                    [[step]]\nfolder = \"02-server\"\ntitle = \"Serve\"\nlesson_files = [\"src/x.rs\"]\n";
        let steps = parse(rows).unwrap();
        let step = &steps[1];
        assert_eq!(step.number, 2);
        assert_eq!(step.package(), "step-02-server");
        assert_eq!(step.solution(), "solution-02-server");
        assert_eq!(step.chapter(), "Step 2: Serve");
        assert_eq!(step.chapter_file(), "step-2-server.md");
        assert_eq!(step.solution_chapter_file(), "solution-2-server.md");
        assert_eq!(step.check_module(), "checks/src/step2.rs");
        assert_eq!(step.lesson_paths(), ["steps/02-server/src/x.rs"]);
    }

    #[test]
    fn a_row_out_of_order_or_incomplete_is_refused_by_name() {
        let error = parse("[[step]]\nfolder = \"02-a\"\ntitle = \"A\"\nlesson_files = [\"x\"]\n")
            .unwrap_err();
        assert!(error.contains("row 1's folder is \"02-a\""), "{error}");
        let error = parse("[[step]]\nfolder = \"01-a\"\nlesson_files = [\"x\"]\n").unwrap_err();
        assert_eq!(error, "row 1 has no title (a string)");
        let error =
            parse("[[step]]\nfolder = \"01-a\"\ntitle = \"A\"\nlesson_files = []\n").unwrap_err();
        assert_eq!(error, "row 1 has no lesson_files (strings)");
        assert!(parse("").unwrap_err().contains("no [[step]] rows"));
    }
}
