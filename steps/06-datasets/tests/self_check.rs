//! `cargo test -p step-06-datasets`: the self-check. It starts your server on
//! a fresh data directory, uploads tables of many batches, an empty one, one
//! it cuts and one that pauses, tries names that escape the folder, reads
//! everything back, restarts the server, and names the first thing to fix.

fn main() -> std::process::ExitCode {
    checks::step6::check(
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_BIN_EXE_step-06-datasets-server"),
        env!("CARGO_BIN_EXE_step-06-datasets-upload"),
    )
}
