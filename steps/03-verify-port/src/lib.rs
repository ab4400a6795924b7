//! Step 3: is the server up? Yours to write. The page checks with
//!
//! ```bash
//! ss -lntp | grep 8815
//! ```
//!
//! and reads a line such as
//!
//! ```text
//! LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))
//! ```
//!
//! We do what `ss` does on Linux: ask the kernel for the sockets listening
//! on the port (over netlink, which also tells their backlog), and find the
//! processes that hold them open ([`mod@listeners`]); then we go one step
//! further and ask the listener a Flight question ([`mod@probe`]), since an
//! open port alone does not prove that a Flight server is the one answering.
//!
//! Two files are yours, marked TODO(step 3): `src/listeners.rs` (the
//! listening sockets and their processes) and `src/probe.rs` (the Flight
//! question). Then, with a server running in another terminal (yours from
//! step 2, or `cargo run -p solution-02-server`):
//!
//! ```text
//! cargo run -p step-03-verify-port     # LISTEN 0 4096 *:8815 *:* users:(("solution-02-ser",pid=...,fd=...))
//! cargo test -p step-03-verify-port    # the self-check: what is right, what to fix
//! cargo tutor hint 3                   # hints, one at a time, if you are stuck
//! ```

pub mod listeners;
pub mod probe;

use std::net::Ipv4Addr;
use std::time::Duration;

use anyhow::{anyhow, bail};
use kit::Socket;
use kit::args::VerifyPortArgs;

use crate::listeners::listeners;
use crate::probe::probe;

// ANCHOR: run
/// `ss -lntp | grep PORT`, then a Flight question to whoever listens.
pub async fn run(args: VerifyPortArgs) -> anyhow::Result<()> {
    let port = args.port;
    let listeners = listeners(port)?;
    if listeners.is_empty() {
        bail!(
            "nothing is listening on port {port} (start the server in another \
             terminal, for example with cargo run -p solution-02-server)"
        );
    }
    // Laid out together, as ss lays out its table.
    for line in kit::ss_lines(&listeners) {
        println!("{line}");
    }

    // Something listens: is it an Arrow Flight server?
    let timeout = Duration::from_secs(args.timeout);
    let answer = probe(&flight_url(&listeners[0].socket), timeout)
        .await
        .map_err(|error| {
            anyhow!(
                "something listens on port {port}, but it is not an Arrow Flight \
                 server we can talk to ({error:#})"
            )
        })?;
    println!("Arrow Flight server answering on port {port}: {answer}");
    Ok(())
}
// ANCHOR_END: run

/// Where to ask: the socket's own address, or 127.0.0.1 for a wildcard.
/// `0.0.0.0` accepts connections on every IPv4 address of the machine, and
/// `::` (the page's `*:8815`) on every address, IPv4 ones included; whereas
/// a machine may have IPv6 switched off, and no `::1` to ask on.
fn flight_url(socket: &Socket) -> String {
    let mut address = socket.local;
    if address.ip().is_unspecified() {
        address.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    format!("grpc://{address}")
}
