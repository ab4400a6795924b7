//! `cargo tutor`: the learner's companion, in the spirit of rustlings.
//!
//! ```text
//! cargo tutor status      which steps pass their self-check
//! cargo tutor check 2     run step 2's self-check and show what it says
//! cargo tutor hint 2      a hint for step 2
//! cargo tutor diff 2      your step 2 beside the model answer
//! cargo tutor solve 2     put the model answer in place of your step 2
//! cargo tutor reset 2     put step 2 back as it was shipped
//! ```

mod check;
mod diff;
mod files;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use checks::{STEPS, Step};
use clap::{Parser, Subcommand};

/// Your companion for the four steps: progress, hints, diffs, reset.
#[derive(Parser)]
#[command(name = "cargo tutor", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show which steps pass their self-check (runs each step's `cargo test`).
    Status,
    /// Run a step's self-check and show its messages ("all" for every step).
    Check { step: Which },
    /// Show a hint for a step.
    Hint { step: Which },
    /// Show how your step differs from the model answer (only the files you edit).
    Diff { step: Which },
    /// Replace your step's code by the model answer's (your code is lost).
    Solve { step: Which },
    /// Put a step back as it was shipped (your code is lost).
    Reset { step: Which },
}

/// A step number, 1 to 5, or `all`.
#[derive(Clone)]
struct Which(Vec<Step>);

impl std::str::FromStr for Which {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if text == "all" {
            return Ok(Which(STEPS.to_vec()));
        }
        match text.parse::<usize>() {
            Ok(n) if (1..=STEPS.len()).contains(&n) => Ok(Which(vec![STEPS[n - 1]])),
            _ => Err(format!(
                "'{text}' is not a step: use 1 to {} or all",
                STEPS.len()
            )),
        }
    }
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        // `cargo tutor diff 2 | head` closes the pipe early: not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    match args.command {
        Command::Status => check::status(&root),
        Command::Check { step } => check::check(&root, &step.0),
        Command::Hint { step } => {
            for step in &step.0 {
                let path = root.join(step.step_dir()).join("HINT.md");
                let hint = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                println!("{}", hint.trim_end());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { step } => {
            for step in &step.0 {
                diff::show(&root, step)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Solve { step } => {
            for step in &step.0 {
                files::solve(&root, step)?;
                println!(
                    "step {}: {} now holds the model answer",
                    step.number,
                    step.step_dir()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reset { step } => {
            for step in &step.0 {
                let from = files::reset(&root, step)?;
                println!(
                    "step {}: {} is back as shipped ({from})",
                    step.number,
                    step.step_dir()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The workspace this tutor was built in.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Refuses to work on a folder that is not there (a moved or partial clone).
fn require_dir(path: &Path) -> anyhow::Result<()> {
    if !path.is_dir() {
        bail!(
            "{} is missing: is this a full clone of flight-path?",
            path.display()
        );
    }
    Ok(())
}
