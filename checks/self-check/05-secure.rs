//! The self-check of step 5, run by `cargo test -p step-05-secure` and by
//! `cargo test -p solution-05-secure`: the same file for both.

use std::path::{Path, PathBuf};

use checks::step5::{self, SecureServer};

fn binary(role: &str) -> &'static Path {
    match role {
        "server" => Path::new(env!(concat!(
            "CARGO_BIN_EXE_",
            env!("CARGO_PKG_NAME"),
            "-server"
        ))),
        _ => Path::new(env!(concat!(
            "CARGO_BIN_EXE_",
            env!("CARGO_PKG_NAME"),
            "-client"
        ))),
    }
}

/// A fresh folder for this test's certificate.
fn tls_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(env!("CARGO_PKG_NAME"))
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    dir
}

#[test]
fn tls_with_the_right_token_reads_the_table() {
    let server = SecureServer::start(binary("server"), &tls_dir("right"));
    step5::the_right_token_reads_the_table(&server, binary("client"));
}

#[test]
fn a_wrong_token_is_refused() {
    let server = SecureServer::start(binary("server"), &tls_dir("wrong"));
    step5::a_wrong_token_is_refused(&server, binary("client"));
}

#[test]
fn a_call_without_a_token_is_refused() {
    let server = SecureServer::start(binary("server"), &tls_dir("none"));
    step5::no_token_is_refused(&server);
}

#[test]
fn a_plaintext_client_is_refused() {
    let server = SecureServer::start(binary("server"), &tls_dir("plain"));
    step5::plaintext_is_refused(&server);
}
