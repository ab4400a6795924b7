//! `cargo test -p solution-06-datasets`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    checks::step6::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_solution-06-datasets-server"),
        env!("CARGO_BIN_EXE_solution-06-datasets-upload"),
    )
}
