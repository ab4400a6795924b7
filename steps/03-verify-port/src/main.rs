//! `cargo run -p solution-03-verify-port`: the page's `ss -lntp | grep 8815`,
//! and a Flight call to be sure the listener is our server.

use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, bail};
use clap::Parser;
use verify_port::probe::probe;
use verify_port::proc_net::{TcpSocket, listening_on};
use verify_port::{owners::owners_of, ss_line};

/// Check that an Arrow Flight server is listening on a port of this machine.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The port to check.
    #[arg(long, default_value_t = 8815)]
    port: u16,
    /// Seconds to wait for the server's answer.
    #[arg(long, default_value_t = 5)]
    timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let port = args.port;
    // `ss -lntp | grep 8815`: the listening sockets on the port and their processes.
    let sockets =
        listening_on(port).map_err(|e| anyhow!("cannot list the listening sockets: {e}"))?;
    if sockets.is_empty() {
        bail!(
            "nothing is listening on port {port} (start the server with cargo run -p solution-02-server)"
        );
    }
    let inodes: Vec<u64> = sockets.iter().map(|s| s.inode).collect();
    let owners = owners_of(&inodes);
    for socket in &sockets {
        let owners = owners
            .get(&socket.inode)
            .map(Vec::as_slice)
            .unwrap_or_default();
        println!("{}", ss_line(socket, owners));
    }

    // Something listens: is it an Arrow Flight server?
    let answer = probe(&flight_url(&sockets[0]), Duration::from_secs(args.timeout))
        .await
        .map_err(|e| anyhow!("something listens on port {port}, but it is not an Arrow Flight server we can talk to ({e:#})"))?;
    println!("Arrow Flight server answering on port {port}: {answer}");
    Ok(())
}
// ANCHOR_END: run

/// Where to ask: the socket's own address, or loopback for a wildcard
/// (`0.0.0.0` and `::` accept connections on every address, 127.0.0.1 included).
fn flight_url(socket: &TcpSocket) -> String {
    let mut address = socket.local;
    if address.ip().is_unspecified() {
        address.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    format!("grpc://{address}")
}
