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

use std::fs;
use std::io;

// Given: the socket type, the same as the solution's, so the rest of the
// tool (owners, ss_line, probe) works with what you parse.
pub use reference_verify_port::proc_net::TcpSocket;

/// The listening TCP sockets on `port`, IPv4 and IPv6, read from `/proc/net`.
pub fn listening_on(port: u16) -> io::Result<Vec<TcpSocket>> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match fs::read_to_string(table) {
            Ok(text) => text,
            // A kernel without IPv6 has no tcp6 table.
            Err(e) if e.kind() == io::ErrorKind::NotFound && table.ends_with('6') => continue,
            Err(e) => return Err(e),
        };
        let sockets: Vec<TcpSocket> = parse_table(&text).collect();
        let lines = text.lines().count().saturating_sub(1);
        if sockets.is_empty() && lines > 0 {
            return Err(io::Error::other(format!(
                "none of the {lines} sockets in {table} could be parsed: see parse_line in src/proc_net.rs"
            )));
        }
        found.extend(
            sockets
                .into_iter()
                .filter(|s| s.is_listening() && s.local.port() == port),
        );
    }
    Ok(found)
}

/// The sockets in one table's text; lines that do not parse are skipped.
pub fn parse_table(text: &str) -> impl Iterator<Item = TcpSocket> + '_ {
    text.lines().skip(1).filter_map(parse_line)
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
