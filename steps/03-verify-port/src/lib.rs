//! Step 3: is the server up? Yours to write: `src/probe.rs`. The page checks with
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
//! That line says that *something* listens on the port. This program runs
//! the page's own `ss`, then goes one step further and asks the listener, in
//! Flight's own protocol, what it serves ([`mod@probe`]): only an Arrow
//! Flight server can answer.
//!
//! With a server running in another terminal (yours from step 2, or
//! `cargo run -p solution-02-server`):
//!
//! ```text
//! cargo run -p step-03-verify-port     # ss's LISTEN line, then what the server serves
//! cargo test -p step-03-verify-port    # the self-check: what is right, what to fix
//! cargo tutor hint 3                   # hints, one at a time, if you are stuck
//! ```

pub mod probe;

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use arrow_flight::FlightClient;
use kit::args::VerifyPortArgs;
use kit::discovery::report;

use crate::probe::flights;

// ANCHOR: run
/// `ss -lntp | grep PORT`, then the listener's own account of its flights.
pub async fn run(args: VerifyPortArgs) -> anyhow::Result<()> {
    let port = args.port;
    let listening = ss_listening(port)?;
    let Some(first) = listening.first() else {
        bail!(
            "nothing is listening on port {port} (start the server in another \
             terminal, for example with cargo run -p solution-02-server)"
        );
    };
    for line in &listening {
        println!("{line}");
    }

    // Something listens: ask it, in Flight, what it serves.
    let url = format!("grpc://{}", address_to_ask(first, port));
    let ask = async {
        let mut client = connect(&url).await?;
        flights(&mut client).await
    };
    // Something that takes connections and never answers would keep us
    // waiting: kit::within gives up after --timeout, and says what answered
    // when it was not gRPC at all.
    let flights = kit::within(Duration::from_secs(args.timeout), &url, ask)
        .await
        .map_err(|error| {
            anyhow!(
                "something listens on port {port}, but it is not an Arrow Flight \
                 server we can talk to ({error:#})"
            )
        })?;
    println!("{}", report(port, flights.as_deref()));
    Ok(())
}
// ANCHOR_END: run

/// The page's `ss -lntp | grep PORT`, run as the page runs it: ss's
/// `LISTEN` lines for the port (`sport = :PORT` is ss's own filter, the
/// page's `grep`), as ss prints them.
fn ss_listening(port: u16) -> anyhow::Result<Vec<String>> {
    let output = Command::new("ss")
        .args(["-lntp", &format!("sport = :{port}")])
        .output()
        .context(
            "cannot run ss, the page's check (it comes with iproute2: sudo zypper install \
             iproute2, or sudo apt-get install iproute2)",
        )?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "ss failed: {}",
            stderr.lines().next().unwrap_or("no message")
        );
    }
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.starts_with("LISTEN"))
        // What ss pads at the end of a line says nothing.
        .map(|line| line.trim_end().to_string())
        .collect();
    Ok(lines)
}

/// Where to ask, from ss's line: the listener's own address (its "Local
/// Address" column), or 127.0.0.1 when it listens on every address (`*`,
/// `0.0.0.0`, `[::]`): a machine may have IPv6 switched off.
fn address_to_ask(line: &str, port: u16) -> String {
    let local = line.split_whitespace().nth(3).unwrap_or("*");
    let host = local.rsplit_once(':').map_or(local, |(host, _)| host);
    // `127.0.0.1%lo`: an address bound to an interface, named after the %.
    let host = host.split('%').next().unwrap_or(host);
    match host {
        "*" | "0.0.0.0" | "[::]" => format!("127.0.0.1:{port}"),
        host => format!("{host}:{port}"),
    }
}

/// A Flight client for `url`, as the client of step 4 connects.
async fn connect(url: &str) -> anyhow::Result<FlightClient> {
    let channel = kit::endpoint(url)?
        .connect()
        .await
        .map_err(|error| kit::explain_connect(url, &error))?;
    Ok(FlightClient::new(channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_to_ask_is_the_listeners_or_loopback_for_a_wildcard() {
        let line = |local: &str| format!("LISTEN 0 4096 {local} *:* users:((\"x\",pid=1,fd=3))");
        assert_eq!(address_to_ask(&line("*:8815"), 8815), "127.0.0.1:8815");
        assert_eq!(
            address_to_ask(&line("0.0.0.0:8815"), 8815),
            "127.0.0.1:8815"
        );
        assert_eq!(address_to_ask(&line("[::]:8815"), 8815), "127.0.0.1:8815");
        assert_eq!(address_to_ask(&line("[::1]:8815"), 8815), "[::1]:8815");
        assert_eq!(
            address_to_ask(&line("127.0.0.1%lo:8815"), 8815),
            "127.0.0.1:8815"
        );
    }
}
