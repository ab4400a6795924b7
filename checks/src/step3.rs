//! Step 3: verify the port. `parse_line` is fed lines written exactly as the
//! kernel writes them on this machine; the binary is run against a real
//! Flight server and against a closed port.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// The reference's socket type. The self-check maps the crate's own into it,
/// so that a step with the solution's code dropped in is checked the same way.
pub use verify_port::proc_net::TcpSocket;

use crate::{ReferenceServer, fail};

/// A line of `/proc/net/tcp` or `tcp6` as the kernel prints it: each 32-bit
/// word of the address in this machine's byte order, the port as a number.
pub fn kernel_line(socket: &TcpSocket) -> String {
    fn address(address: SocketAddr) -> String {
        let bytes = match address.ip() {
            IpAddr::V4(ip) => ip.octets().to_vec(),
            IpAddr::V6(ip) => ip.octets().to_vec(),
        };
        let words: String = bytes
            .chunks(4)
            .map(|word| {
                format!(
                    "{:08X}",
                    u32::from_ne_bytes([word[0], word[1], word[2], word[3]])
                )
            })
            .collect();
        format!("{words}:{:04X}", address.port())
    }
    format!(
        "   0: {} {} {:02X} {:08X}:{:08X} 00:00000000 00000000  1000        0 {} 1 0000000000000000 100 0 0 10 0",
        address(socket.local),
        address(socket.remote),
        socket.state,
        socket.tx_queue,
        socket.rx_queue,
        socket.inode
    )
}

fn socket(local: &str, remote: &str, state: u8, rx_queue: u32, inode: u64) -> TcpSocket {
    TcpSocket {
        local: local.parse().expect("an address"),
        remote: remote.parse().expect("an address"),
        state,
        tx_queue: 0,
        rx_queue,
        inode,
    }
}

/// `parse_line` reads addresses, ports, state, queues and inode, IPv4 and IPv6.
pub fn parse_line_reads_kernel_lines(parse_line: impl Fn(&str) -> Option<TcpSocket>) {
    let sockets = [
        socket("0.0.0.0:8815", "0.0.0.0:0", 0x0A, 2, 41877),
        socket("127.0.0.1:40001", "127.0.0.1:8815", 0x01, 0, 52210),
        socket("[::]:8815", "[::]:0", 0x0A, 0, 19731),
        socket("[::1]:8080", "[::]:0", 0x0A, 0, 19732),
    ];
    for expected in sockets {
        let line = kernel_line(&expected);
        let got = parse_line(&line);
        if got.as_ref() != Some(&expected) {
            fail(
                3,
                &format!("parse_line({line:?})\n  returned {got:?}\n  expected Some({expected:?})"),
            );
        }
    }
    let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    for line in [header, "", "   0: not a socket line"] {
        if let Some(got) = parse_line(line) {
            fail(
                3,
                &format!("parse_line({line:?}) should be None, not Some({got:?})"),
            );
        }
    }
}

/// With a Flight server listening, the binary prints its LISTEN line and
/// the server's answer, and exits with 0.
pub fn binary_finds_the_server(binary: &Path) {
    let server = ReferenceServer::start();
    let port = server.port.to_string();
    let output = harness::run(binary, &["--port", &port]).expect("the step's binary runs");
    let first = output.stdout.lines().next().unwrap_or_default();
    let found = output.code == Some(0)
        && first.starts_with("LISTEN")
        && first.contains(&format!("127.0.0.1:{port}"))
        && first.contains(&format!("pid={}", std::process::id()))
        && output.stdout.contains("Arrow Flight server answering");
    if !found {
        fail(
            3,
            &format!(
                "with a Flight server on 127.0.0.1:{port} (this test, pid {}), the binary should print its LISTEN line and exit 0; it printed:\n{}",
                std::process::id(),
                output.transcript()
            ),
        );
    }
}

/// With nothing listening, the binary says so in one line and exits with 1.
pub fn binary_reports_a_closed_port(binary: &Path) {
    let port = flight_path_tests::closed_port();
    let output =
        harness::run(binary, &["--port", &port.to_string()]).expect("the step's binary runs");
    let expected = format!("error: nothing is listening on port {port}");
    if output.code != Some(1) || !output.stderr.starts_with(&expected) {
        fail(
            3,
            &format!(
                "on a closed port the binary should say {expected:?} and exit 1; it printed:\n{}",
                output.transcript()
            ),
        );
    }
}
