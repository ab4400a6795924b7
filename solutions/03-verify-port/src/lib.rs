//! Step 3: is the server up? The page checks with
//!
//! ```bash
//! ss -lntp | grep 8815
//! ```
//!
//! We do what `ss` does on Linux: read the kernel's socket tables in
//! `/proc/net/tcp` and `/proc/net/tcp6` ([`proc_net`]), find which process
//! owns each socket in `/proc/<pid>/fd` ([`owners`]), print an ss-style
//! line ([`ss_line`]); then we go one step further and ask the listener a
//! Flight question ([`probe`]), since an open port alone does not prove that
//! our server is the one answering.

pub mod owners;
pub mod probe;
pub mod proc_net;
mod ss_line;

pub use ss_line::ss_line;
