//! How every program of the tutorial ends.

use std::process::ExitCode;

/// Exit code 0 when all went well; otherwise the error as one line on
/// stderr (`error: cannot connect to ...: connection refused`) and exit code 1.
/// No panic, no backtrace: what went wrong and what to do, in a sentence.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     kit::exit_code(run())
/// }
/// # fn run() -> anyhow::Result<()> { Ok(()) }
/// ```
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` joins the context chain on one line: "a: b: c".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
