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
//! Given, in the kit: `kit::certificate`, a self-signed certificate made on
//! the first run, and `kit::token_from_env`.

pub mod tls;
pub mod token;
