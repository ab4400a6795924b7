//! Parsing the kernel's TCP socket table, `/proc/net/tcp` and `/proc/net/tcp6`.
//! Yours to write: `parse_line` (TODO(step 3)).
//!
//! ```text
//!   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//!    0: 00000000:226F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41877 ...
//! ```
//!
//! Addresses are hexadecimal: the port is a plain number (0x226F = 8815),
//! the IP address is its bytes in network order, printed as native 32-bit words.

use std::io;

// Given: the socket type, the same as the solution's, so the rest of the
// tool (owners, ss_line, probe) works with what you parse.
pub use reference_verify_port::proc_net::TcpSocket;

/// Given: the listening TCP sockets on `port`, IPv4 and IPv6, read from
/// `/proc/net` with your `parse_line`.
pub fn listening_on(port: u16) -> io::Result<Vec<TcpSocket>> {
    reference_verify_port::proc_net::listening_on_with(port, parse_line)
}

// ANCHOR: parse_line
/// Parses one line of the table (not the header); None if it is not a socket line.
pub fn parse_line(line: &str) -> Option<TcpSocket> {
    // TODO(step 3): split the line on whitespace; fields 1 and 2 are the local
    // and remote addresses (hex IP:hex port), 3 the state (hex), 4 is
    // "tx_queue:rx_queue" (hex), 9 the inode (decimal). The IP's hex is its
    // bytes as 32-bit words in this machine's byte order: u32::from_str_radix,
    // then to_ne_bytes(), gives the bytes back. 4 bytes: IPv4; 16: IPv6.
    let _ = line;
    None
}
// ANCHOR_END: parse_line
