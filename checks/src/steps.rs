//! The five steps: where each lives, which files the learner edits, and
//! which chapter of the book teaches it. `cargo tutor` compiles this same
//! file (it needs no Arrow crate to print a hint or a diff).

/// One step of the page.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub number: usize,
    /// The step's package, under `steps/`.
    pub package: &'static str,
    /// The model answer's package, under `solutions/`.
    pub solution: &'static str,
    /// The folder name, the same under `steps/` and `solutions/`.
    pub folder: &'static str,
    /// The files with `TODO(step N)` that the learner fills in, from the folder.
    pub lesson_files: &'static [&'static str],
    /// The book chapter that teaches it.
    pub chapter: &'static str,
}

impl Step {
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

pub const STEPS: [Step; 5] = [
    Step {
        number: 1,
        package: "step-01-build-table",
        solution: "solution-01-build-table",
        folder: "01-build-table",
        lesson_files: &["src/lib.rs"],
        chapter: "Step 1: Build the table",
    },
    Step {
        number: 2,
        package: "step-02-server",
        solution: "solution-02-server",
        folder: "02-server",
        lesson_files: &["src/service.rs", "src/server.rs"],
        chapter: "Step 2: Start the Arrow Flight server",
    },
    Step {
        number: 3,
        package: "step-03-verify-port",
        solution: "solution-03-verify-port",
        folder: "03-verify-port",
        lesson_files: &["src/listeners.rs", "src/probe.rs"],
        chapter: "Step 3: Verify the server is running",
    },
    Step {
        number: 4,
        package: "step-04-client",
        solution: "solution-04-client",
        folder: "04-client",
        lesson_files: &["src/lib.rs"],
        chapter: "Step 4: Connect with a Flight client",
    },
    Step {
        number: 5,
        package: "step-05-secure",
        solution: "solution-05-secure",
        folder: "05-secure",
        lesson_files: &["src/tls.rs", "src/token.rs"],
        chapter: "Step 5: Secure it with TLS and a token",
    },
];
