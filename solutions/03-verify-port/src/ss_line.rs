//! A socket as one line in the style of `ss -lntp`:
//!
//! ```text
//! LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))
//! ```

use std::net::{IpAddr, SocketAddr};

use crate::owners::Owner;
use crate::proc_net::TcpSocket;

/// Columns: state, Recv-Q, Send-Q, local address:port, peer address:port, process.
///
/// One difference from `ss`: for a listening socket `ss` shows the backlog
/// limit as Send-Q, which `/proc/net/tcp` does not publish; we show the
/// table's own send queue (0).
pub fn ss_line(socket: &TcpSocket, owners: &[Owner]) -> String {
    let state = if socket.is_listening() {
        "LISTEN"
    } else {
        "ESTAB"
    };
    let line = format!(
        "{state:<6} {:<6} {:<6} {:>20} {:>20}    {}",
        socket.rx_queue,
        socket.tx_queue,
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

    fn listener(local: &str) -> TcpSocket {
        TcpSocket {
            local: local.parse().unwrap(),
            remote: if local.starts_with('[') {
                "[::]:0"
            } else {
                "0.0.0.0:0"
            }
            .parse()
            .unwrap(),
            state: 0x0A,
            tx_queue: 0,
            rx_queue: 0,
            inode: 1,
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
