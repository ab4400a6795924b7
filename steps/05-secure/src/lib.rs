//! Step 5: the page's server and client, safe to leave running on a VM whose
//! firewall opens port 8815. Yours to finish: TLS in `src/tls.rs` and the
//! bearer token check in `src/token.rs` (marked TODO(step 5)). Then:
//!
//! ```text
//! export FLIGHT_TOKEN=$(openssl rand -hex 16)
//! cargo run -p step-05-secure --bin step-05-secure-server     # terminal 1
//! cargo run -p step-05-secure --bin step-05-secure-client     # terminal 2 (same FLIGHT_TOKEN)
//! cargo test -p step-05-secure                                # the self-check
//! cargo tutor hint 5                                          # if you are stuck
//! ```

pub mod tls;
pub mod token;

// Given: the self-signed certificate, and reading the token from the environment.
pub use reference_secure::{TOKEN_VARIABLE, certificate, token_from_env};
