//! Parsing the kernel's TCP socket table, `/proc/net/tcp` and `/proc/net/tcp6`.
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
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The kernel's code for a listening socket (`TCP_LISTEN`).
const LISTEN: u8 = 0x0A;

/// One row of the socket table, with the fields `ss -lnt` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSocket {
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub state: u8,
    /// Bytes waiting to be sent (always 0 for a listening socket).
    pub tx_queue: u32,
    /// Bytes received not yet read; for a listening socket, the connections
    /// waiting to be accepted.
    pub rx_queue: u32,
    /// Identifies the socket: `/proc/<pid>/fd/<fd>` links to `socket:[inode]`.
    pub inode: u64,
}

impl TcpSocket {
    pub fn is_listening(&self) -> bool {
        self.state == LISTEN
    }
}

/// The listening TCP sockets on `port`, IPv4 and IPv6, read from `/proc/net`.
pub fn listening_on(port: u16) -> io::Result<Vec<TcpSocket>> {
    listening_on_with(port, parse_line)
}

/// [`listening_on`], with the line parser given (step 3 passes its own).
pub fn listening_on_with(
    port: u16,
    parse_line: fn(&str) -> Option<TcpSocket>,
) -> io::Result<Vec<TcpSocket>> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match fs::read_to_string(table) {
            Ok(text) => text,
            // A kernel without IPv6 has no tcp6 table.
            Err(e) if e.kind() == io::ErrorKind::NotFound && table.ends_with('6') => continue,
            Err(e) => return Err(e),
        };
        let sockets: Vec<TcpSocket> = text.lines().skip(1).filter_map(parse_line).collect();
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
/// Parses one line of the table (not the header).
pub fn parse_line(line: &str) -> Option<TcpSocket> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let (tx_queue, rx_queue) = fields.get(4)?.split_once(':')?;
    Some(TcpSocket {
        local: parse_address(fields.get(1)?)?,
        remote: parse_address(fields.get(2)?)?,
        state: u8::from_str_radix(fields.get(3)?, 16).ok()?,
        tx_queue: u32::from_str_radix(tx_queue, 16).ok()?,
        rx_queue: u32::from_str_radix(rx_queue, 16).ok()?,
        inode: fields.get(9)?.parse().ok()?,
    })
}
// ANCHOR_END: parse_line

/// `0100007F:226F` is 127.0.0.1:8815 (on any byte order: see [`parse_ip`]).
fn parse_address(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    Some(SocketAddr::new(
        parse_ip(ip)?,
        u16::from_str_radix(port, 16).ok()?,
    ))
}

/// The kernel prints the address's bytes as 32-bit words in the machine's
/// own byte order, so we turn each word back into bytes the same way
/// (`to_ne_bytes`): right on little- and big-endian machines alike.
fn parse_ip(hex: &str) -> Option<IpAddr> {
    let mut bytes = Vec::with_capacity(16);
    for chunk in hex.as_bytes().chunks(8) {
        let word = u32::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
        bytes.extend_from_slice(&word.to_ne_bytes());
    }
    match bytes.len() {
        4 => Some(IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?))),
        16 => Some(IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(bytes).ok()?,
        ))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the kernel writes them on a little-endian machine (x86-64, Arm64 Linux).
    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:226F 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 41877 1 0000000000000000 100 0 0 10 0
   1: 0100007F:9C41 0100007F:226F 01 00000000:00000000 00:00000000 00000000  1000        0 52210 1 0000000000000000 20 4 30 10 -1
";
    const TCP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:226F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19731 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19732 1 0000000000000000 100 0 0 10 0
";

    #[test]
    fn ipv4_rows_give_address_port_state_queues_and_inode() {
        let sockets: Vec<_> = parse_table(TCP).collect();
        assert_eq!(sockets.len(), 2);
        let listener = &sockets[0];
        if cfg!(target_endian = "little") {
            assert_eq!(listener.local, "0.0.0.0:8815".parse().unwrap());
            assert_eq!(sockets[1].local, "127.0.0.1:40001".parse().unwrap());
            assert_eq!(sockets[1].remote, "127.0.0.1:8815".parse().unwrap());
        }
        assert!(listener.is_listening());
        assert!(!sockets[1].is_listening());
        assert_eq!((listener.tx_queue, listener.rx_queue), (0, 2));
        assert_eq!(listener.inode, 41877);
    }

    #[test]
    fn ipv6_rows_parse_wildcard_and_loopback() {
        let sockets: Vec<_> = parse_table(TCP6).collect();
        assert_eq!(sockets[0].local, "[::]:8815".parse().unwrap());
        if cfg!(target_endian = "little") {
            assert_eq!(sockets[1].local, "[::1]:8080".parse().unwrap());
        }
    }

    #[test]
    fn garbage_lines_are_skipped_not_fatal() {
        for line in [
            "",
            "   0:",
            "0: zz:1 00:00 0A 0:0 00:0 0 0 0 1",
            "0: 00000000:226F 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 notanumber",
        ] {
            assert_eq!(parse_line(line), None, "{line:?}");
        }
    }

    #[test]
    fn byte_order_round_trips_on_this_machine() {
        // What the kernel prints for 127.0.0.1 here: the address's bytes read as a native word.
        let word = u32::from_ne_bytes([127, 0, 0, 1]);
        assert_eq!(
            parse_ip(&format!("{word:08X}")),
            Some("127.0.0.1".parse().unwrap())
        );
    }

    #[test]
    fn this_machine_lists_a_listener_we_open() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let found = listening_on(port).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].local, listener.local_addr().unwrap());
    }
}
