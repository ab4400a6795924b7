//! `cargo test -p solution-03-verify-port`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    checks::step3::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_solution-03-verify-port"),
    )
}
