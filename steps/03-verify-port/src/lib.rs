//! Step 3: is the server up? The page checks with
//!
//! ```bash
//! ss -lntp | grep 8815
//! ```
//!
//! `ss` reads the kernel's socket table; so will you. Write `parse_line` in
//! `src/proc_net.rs` (marked TODO(step 3)), then, with a server running:
//!
//! ```text
//! cargo run -p step-03-verify-port     # LISTEN ... 8815 ... users:(("solution-02-ser",...))
//! cargo test -p step-03-verify-port    # the self-check
//! cargo tutor hint 3                   # if you are stuck
//! ```

pub mod proc_net;

// Given: finding the owning process, the ss-style line, the Flight probe.
pub use reference_verify_port::{owners, probe, ss_line};
