//! `cargo tutor`: the learner's companion, in the spirit of rustlings.
//!
//! ```text
//! cargo tutor list            the steps: number, package, chapter, lesson files
//! cargo tutor status          which steps pass their self-check
//! cargo tutor check 2         run step 2's self-check and show its report ("all": every step)
//! cargo tutor hint 2          the next hint for step 2, one stage at a time (--all: those seen)
//! cargo tutor diff 2          what your lesson files still lack, beside the model answer
//! cargo tutor solve 2         the model answer's lesson files in your step (yours backed up)
//! cargo tutor reset 2         your step's lesson files as shipped (yours backed up)
//! ```
//!
//! It builds in seconds: no Arrow, gRPC or checks crate. The step table,
//! `steps/steps.toml`, is read by the checks' own file, compiled in; the
//! self-checks run through cargo.

// The same file as the checks' table: the tutor does not use every helper.
#[allow(dead_code)]
#[path = "../../../checks/src/steps.rs"]
mod steps;

mod cargo;
mod check;
mod diff;
mod files;
mod hint;
mod include;
mod state;
mod style;
mod workspace;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Arg, ArgAction};

use crate::steps::{Step, steps};
use crate::workspace::Workspace;

/// What the learner asked for.
#[derive(Debug)]
enum Task {
    List,
    Status,
    Check(Vec<Step>),
    Hint { step: &'static Step, all: bool },
    Diff { step: &'static Step, yes: bool },
    Solve(Vec<Step>),
    Reset(Vec<Step>),
}

/// The command line, with clap's builder: its derive macros need syn, which
/// made the tutor's first build 2.5 times longer (31 s instead of 12 s).
fn cli() -> clap::Command {
    let step = || Arg::new("step").value_name("STEP").required(true);
    let one = || {
        step()
            .help(format!("1 to {}", steps().len()))
            .value_parser(|text: &str| text.parse::<One>())
    };
    let which = || {
        step()
            .help(format!("1 to {}, or all", steps().len()))
            .value_parser(|text: &str| text.parse::<Which>())
    };
    let flag = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .action(ArgAction::SetTrue)
            .help(help)
    };
    let command = clap::Command::new;
    command("cargo tutor")
        .bin_name("cargo tutor")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Your companion for the steps: progress, hints, the model answer, a fresh start")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            command("list").about("List the steps: number, package, chapter and the files you fill in"),
        )
        .subcommand(
            command("status").about("Show which steps pass their self-check (runs each one, quietly)"),
        )
        .subcommand(
            command("check")
                .about("Run a step's self-check and show its report")
                .arg(which()),
        )
        .subcommand(
            command("hint")
                .about("Show the next hint for a step: one more each time you ask")
                .arg(one())
                .arg(flag("all", "Show again the hints you have already seen")),
        )
        .subcommand(
            command("diff")
                .about("Show where your lesson files differ from the model answer (the changed parts only)")
                .arg(one())
                .arg(
                    flag("yes", "Do not ask first when you have not run the step's self-check")
                        .short('y'),
                ),
        )
        .subcommand(
            command("solve")
                .about("Put the model answer's lesson files in your step; yours are backed up first")
                .arg(which()),
        )
        .subcommand(
            command("reset")
                .about("Put your step's lesson files back as shipped; yours are backed up first")
                .arg(which()),
        )
}

fn parse<I, T>(args: I) -> Result<Task, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = cli().try_get_matches_from(args)?;
    let Some((name, args)) = matches.subcommand() else {
        unreachable!("clap requires a subcommand")
    };
    let which = || args.get_one::<Which>("step").expect("required").0.clone();
    let one = || args.get_one::<One>("step").expect("required").0;
    Ok(match name {
        "list" => Task::List,
        "status" => Task::Status,
        "check" => Task::Check(which()),
        "hint" => Task::Hint {
            step: one(),
            all: args.get_flag("all"),
        },
        "diff" => Task::Diff {
            step: one(),
            yes: args.get_flag("yes"),
        },
        "solve" => Task::Solve(which()),
        "reset" => Task::Reset(which()),
        other => unreachable!("clap knows no subcommand {other}"),
    })
}

/// One step, by its number.
#[derive(Clone, Copy, Debug)]
struct One(&'static Step);

/// A step number, or `all`.
#[derive(Clone, Debug)]
struct Which(Vec<Step>);

impl std::str::FromStr for One {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.parse::<usize>().ok().and_then(steps::step) {
            Some(step) => Ok(One(step)),
            None => Err(format!(
                "'{text}' is not a step: use 1 to {}",
                steps().len()
            )),
        }
    }
}

impl std::str::FromStr for Which {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if text == "all" {
            return Ok(Which(steps().to_vec()));
        }
        match text.parse::<One>() {
            Ok(One(step)) => Ok(Which(vec![step.clone()])),
            Err(_) => Err(format!(
                "'{text}' is not a step: use 1 to {} or all",
                steps().len()
            )),
        }
    }
}

fn main() -> ExitCode {
    let task = match parse(std::env::args_os()) {
        Ok(task) => task,
        Err(error) => return refuse(&error),
    };
    match Workspace::find().and_then(|workspace| run(&workspace, task)) {
        Ok(code) => code,
        // `cargo tutor diff 2 | head` closes the pipe early: not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            print_error(&format!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}

fn run(workspace: &Workspace, task: Task) -> anyhow::Result<ExitCode> {
    let mut out = anstream::stdout().lock();
    let out: &mut dyn Write = &mut out;
    match task {
        Task::List => check::list(out),
        Task::Status => check::status(workspace, out),
        Task::Check(steps) => check::check(workspace, &steps, out),
        Task::Hint { step, all: false } => hint::next(workspace, step, out),
        Task::Hint { step, all: true } => hint::again(workspace, step, out),
        Task::Diff { step, yes } => diff::command(workspace, step, yes, out),
        Task::Solve(steps) => files::solve(workspace, &steps, out),
        Task::Reset(steps) => files::reset(workspace, &steps, out),
    }
}

/// What clap says about the arguments: help and version as they are; a
/// mistake in one line, with the usage, and exit code 1 like every error.
fn refuse(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = write!(anstream::stdout(), "{}", error.render().ansi());
        return ExitCode::SUCCESS;
    }
    print_error(&clap_message(&error.render().to_string()));
    ExitCode::FAILURE
}

/// clap's message in one line: its first paragraph, then its usage line.
fn clap_message(rendered: &str) -> String {
    let first: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect();
    let mut first = first.join(" ");
    if let Some(tip) = rendered
        .lines()
        .find_map(|line| line.trim().strip_prefix("tip: "))
    {
        first = format!("{first}; {tip}");
    }
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    match rendered
        .lines()
        .find_map(|line| line.trim().strip_prefix("Usage: "))
    {
        Some(usage) => format!("{first} (usage: {usage})"),
        None => first.to_string(),
    }
}

/// Every error is one line on stderr.
fn print_error(message: &str) {
    let style = style::ERROR;
    let _ = writeln!(
        anstream::stderr(),
        "{style}error:{style:#} {}",
        one_line(message)
    );
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arguments_are_consistent() {
        cli().debug_assert();
    }

    #[test]
    fn a_step_that_does_not_exist_is_refused_in_one_line() {
        let last = steps().len();
        let beyond = last + 1;
        let error = parse(["cargo tutor", "hint", &beyond.to_string()]).unwrap_err();
        let message = clap_message(&error.render().to_string());
        assert!(!message.contains('\n'), "{message}");
        assert!(
            message.contains(&format!("'{beyond}' is not a step: use 1 to {last}")),
            "{message}"
        );

        let error = parse(["cargo tutor", "solve", "six"]).unwrap_err();
        let message = clap_message(&error.render().to_string());
        assert!(
            message.contains(&format!("'six' is not a step: use 1 to {last} or all")),
            "{message}"
        );
    }

    #[test]
    fn a_missing_step_number_is_one_line_too() {
        let error = parse(["cargo tutor", "diff"]).unwrap_err();
        let message = clap_message(&error.render().to_string());
        assert!(!message.contains('\n'), "{message}");
        assert!(message.contains("<STEP>"), "{message}");
        assert!(message.contains("usage: cargo tutor diff"), "{message}");
    }

    #[test]
    fn all_means_every_step_for_check_solve_and_reset_only() {
        let Task::Solve(steps) = parse(["cargo tutor", "solve", "all"]).unwrap() else {
            panic!("not solve")
        };
        assert_eq!(steps, crate::steps::steps());
        assert!(parse(["cargo tutor", "hint", "all"]).is_err());
        assert!(parse(["cargo tutor", "diff", "all"]).is_err());
        let task = parse(["cargo tutor", "hint", "3", "--all"]).unwrap();
        assert!(matches!(task, Task::Hint { step, all: true } if step.number == 3));
        let task = parse(["cargo tutor", "diff", "2", "-y"]).unwrap();
        assert!(matches!(task, Task::Diff { step, yes: true } if step.number == 2));
    }

    #[test]
    fn a_misspelt_command_gets_clap_s_tip() {
        let error = parse(["cargo tutor", "chek", "2"]).unwrap_err();
        let message = clap_message(&error.render().to_string());
        assert!(
            message
                .contains("unrecognized subcommand 'chek'; a similar subcommand exists: 'check'"),
            "{message}"
        );
    }

    #[test]
    fn errors_are_printed_on_one_line() {
        assert_eq!(
            one_line("cannot read x\n\n  caused by: y\n"),
            "cannot read x caused by: y"
        );
    }

    #[test]
    fn a_closed_pipe_is_recognised_under_context() {
        let error = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("cannot write the diff");
        assert!(is_broken_pipe(&error));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }
}
