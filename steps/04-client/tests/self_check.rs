//! `cargo test -p step-04-client`: runs your client against test servers and says what to fix.

fn main() -> std::process::ExitCode {
    checks::step4::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_step-04-client"),
    )
}
