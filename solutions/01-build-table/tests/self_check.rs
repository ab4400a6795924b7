//! `cargo test -p solution-01-build-table`: the model answer passes the step's self-check.

fn main() -> std::process::ExitCode {
    use solution_01_build_table::{build_table, schema};
    checks::step1::check(env!("CARGO_MANIFEST_DIR"), schema, build_table)
}
