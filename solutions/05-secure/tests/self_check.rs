//! `cargo test -p solution-05-secure`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    checks::step5::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_solution-05-secure-server"),
        env!("CARGO_BIN_EXE_solution-05-secure-client"),
    )
}
