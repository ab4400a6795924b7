//! A socket as one line in the style of `ss -lntp`:
//!
//! ```text
//! LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))
//! ```

use std::net::{IpAddr, SocketAddr};

/// A TCP socket, with the fields `ss -lnt` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// `0.0.0.0:8815`, `[::]:8815`, ...
    pub local: SocketAddr,
    /// The peer; `0.0.0.0:0` or `[::]:0` for a listening socket.
    pub remote: SocketAddr,
    /// Whether it is a listening socket (ss's `LISTEN`) rather than a connection.
    pub listening: bool,
    /// Recv-Q: for a listener, the connections waiting to be accepted.
    pub recv_q: u32,
    /// Send-Q: for a listener, ss shows its backlog limit here.
    pub send_q: u32,
}

/// A process holding a socket open: `("python",pid=4255,fd=7)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The short command name, as in `/proc/<pid>/comm` (at most 15 bytes).
    pub name: String,
    pub pid: i32,
    pub fd: i32,
}

/// Columns: state, Recv-Q, Send-Q, local address:port, peer address:port, process.
pub fn ss_line(socket: &Socket, owners: &[Owner]) -> String {
    let state = if socket.listening { "LISTEN" } else { "ESTAB" };
    let line = format!(
        "{state:<6} {:<6} {:<6} {:>20} {:>20}    {}",
        socket.recv_q,
        socket.send_q,
        address(socket.local),
        address(socket.remote),
        users(owners)
    );
    line.trim_end().to_string()
}

/// `0.0.0.0:8815`, `*:8815` for the IPv6 wildcard (which also accepts IPv4),
/// `[::1]:8815`, and `*` for the port of a peer that is not connected.
fn address(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V6(ip) if ip.is_unspecified() => "*".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let port = match address.port() {
        0 => "*".to_string(),
        port => port.to_string(),
    };
    format!("{ip}:{port}")
}

/// `users:(("python",pid=4255,fd=7))`, or nothing when no owner is visible.
fn users(owners: &[Owner]) -> String {
    if owners.is_empty() {
        return String::new();
    }
    let each: Vec<String> = owners
        .iter()
        .map(|o| format!("(\"{}\",pid={},fd={})", o.name, o.pid, o.fd))
        .collect();
    format!("users:({})", each.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listener(local: &str) -> Socket {
        Socket {
            local: local.parse().unwrap(),
            remote: if local.starts_with('[') {
                "[::]:0"
            } else {
                "0.0.0.0:0"
            }
            .parse()
            .unwrap(),
            listening: true,
            recv_q: 0,
            send_q: 0,
        }
    }

    #[test]
    fn a_listener_with_its_process_reads_like_ss() {
        let owner = Owner {
            name: "python".into(),
            pid: 4255,
            fd: 7,
        };
        assert_eq!(
            ss_line(&listener("[::]:8815"), &[owner]),
            "LISTEN 0      0                    *:8815                  *:*    users:((\"python\",pid=4255,fd=7))"
        );
    }

    #[test]
    fn ipv4_and_loopback_addresses_and_no_visible_owner() {
        assert_eq!(
            ss_line(&listener("0.0.0.0:8815"), &[]),
            "LISTEN 0      0              0.0.0.0:8815            0.0.0.0:*"
        );
        assert!(ss_line(&listener("[::1]:8815"), &[]).contains(" [::1]:8815 "));
    }
}
