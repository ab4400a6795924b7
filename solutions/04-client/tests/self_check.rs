//! `cargo test -p solution-04-client`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    checks::step4::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_solution-04-client"),
    )
}
