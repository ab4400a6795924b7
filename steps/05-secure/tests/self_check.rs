//! `cargo test -p step-05-secure`: the self-check. It starts your server
//! with a fresh certificate, knocks with the right token, a wrong one and
//! none, runs your client, and names the first thing to fix.

fn main() -> std::process::ExitCode {
    checks::step5::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_step-05-secure-server"),
        env!("CARGO_BIN_EXE_step-05-secure-client"),
    )
}
