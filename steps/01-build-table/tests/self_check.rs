//! `cargo test -p step-01-build-table`: checks your table and says what to fix.

fn main() -> std::process::ExitCode {
    use step_01_build_table::{build_table, schema};
    checks::step1::check(env!("CARGO_MANIFEST_DIR"), schema, build_table)
}
