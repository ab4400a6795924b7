//! Step 5: the page's server and client, safe to leave running on a VM whose
//! firewall opens port 8815. Yours to write: the TLS settings in `src/tls.rs`
//! and the bearer token check in `src/token.rs` (marked TODO(step 5)). Then:
//!
//! ```text
//! export FLIGHT_TOKEN=$(openssl rand -hex 16)
//! cargo run -p step-05-secure --bin step-05-secure-server     # terminal 1
//! cargo run -p step-05-secure --bin step-05-secure-client     # terminal 2 (same FLIGHT_TOKEN)
//! cargo test -p step-05-secure                                # the self-check
//! cargo tutor hint 5                                          # if you are stuck
//! ```
//!
//! The programs (`src/bin/`) are your steps 1, 2 and 4 with TLS and the token
//! around them: finish those first.
//!
//! Given: [`certificate`], a self-signed certificate made on the first run,
//! and [`token_from_env`].

pub mod certificate;
pub mod tls;
pub mod token;

/// The environment variable that holds the token, for the server and the client.
pub const TOKEN_VARIABLE: &str = "FLIGHT_TOKEN";

/// The token from the environment, or a line that says how to set it.
pub fn token_from_env() -> anyhow::Result<String> {
    match std::env::var(TOKEN_VARIABLE) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
        _ => anyhow::bail!(
            "{TOKEN_VARIABLE} is not set: export {TOKEN_VARIABLE}=<a long random secret>, the same for the server and its clients (for example: export {TOKEN_VARIABLE}=$(openssl rand -hex 16))"
        ),
    }
}
