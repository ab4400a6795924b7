//! `cargo test -p step-03-verify-port`: runs your program and says what to fix.

fn main() -> std::process::ExitCode {
    checks::step3::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_step-03-verify-port"),
    )
}
