//! `cargo test -p solution-02-server`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    checks::step2::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_solution-02-server"),
    )
}
