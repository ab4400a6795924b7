//! `cargo test -p step-02-server`: starts your server and says what to fix.

fn main() -> std::process::ExitCode {
    checks::step2::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_step-02-server"),
    )
}
