//! Sockets as `ss -lntp` prints them, column for column:
//!
//! ```text
//! LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))
//! ```
//!
//! `ss` (iproute2) lays its output out as a table: each column is as wide as
//! its longest cell, the header's included, plus one space before it (none
//! before the first); addresses end flush right before their `:`, and the
//! rest is flush left. Printed to a pipe, as in `ss -lntp | grep 8815`, the
//! table is no wider than that. So we lay out the lines of one port as
//! `ss -lntp 'sport = :8815'` lays them out; `ss -lntp | grep 8815` may show
//! them a little wider, when another socket of the machine has a longer cell
//! (the page's Port column is five wide: something else listened on a port
//! of five digits). What `ss` pads at the end of a line is left out.

use std::fs;
use std::net::{IpAddr, SocketAddr};

/// A TCP socket, with what `ss -lntp` shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// The kernel's TCP state, as sock_diag and `/proc/net/tcp` number it
    /// (`include/net/tcp_states.h`): 10 is LISTEN, 1 ESTAB(lished).
    pub state: u8,
    /// `0.0.0.0:8815`, `[::]:8815`, ...
    pub local: SocketAddr,
    /// The peer; `0.0.0.0:0` or `[::]:0` for a listening socket.
    pub remote: SocketAddr,
    /// For an IPv6 socket: whether it takes IPv6 clients only. ss shows a
    /// `::` that takes IPv4 clients too (dual-stack, the page's) as `*`.
    pub v6only: bool,
    /// The index of the network interface the socket is bound to, 0 for none.
    pub interface: u32,
    /// Recv-Q: for a listener, the connections waiting to be accepted.
    pub recv_q: u32,
    /// Send-Q: for a listener, its backlog, the most that may wait.
    pub send_q: u32,
    /// The kernel's number for the socket: a process's open file that is
    /// this socket reads `socket:[inode]` in `/proc/<pid>/fd`.
    pub inode: u64,
}

/// The kernel's number for the state LISTEN.
const LISTEN: u8 = 10;

/// A process holding a socket open: `("python",pid=4255,fd=7)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The short command name, as in `/proc/<pid>/comm` (at most 15 bytes).
    pub name: String,
    pub pid: i32,
    pub fd: i32,
}

/// A socket and the processes that hold it open: one line of `ss -lntp`.
#[derive(Debug, Clone)]
pub struct Listener {
    pub socket: Socket,
    pub owners: Vec<Owner>,
}

/// How a column lines up its cells.
#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

/// The columns of `ss -lntp`: the header (which counts in the widths even
/// when `grep` drops it), the alignment, and what goes before the column.
const COLUMNS: [(&str, Align, &str); 8] = [
    ("State", Align::Left, ""),
    ("Recv-Q", Align::Left, " "),
    ("Send-Q", Align::Left, " "),
    ("Local Address:", Align::Right, " "),
    ("Port", Align::Left, ""),
    ("Peer Address:", Align::Right, " "),
    ("Port", Align::Left, ""),
    ("Process", Align::Left, ""),
];

/// The lines `ss -lntp` prints for `listeners`, in their order, laid out
/// together as ss lays out one table.
pub fn ss_lines(listeners: &[Listener]) -> Vec<String> {
    let rows: Vec<[String; 8]> = listeners.iter().map(cells).collect();
    let widths: [usize; 8] = std::array::from_fn(|column| {
        let (header, _, before) = COLUMNS[column];
        let longest = rows
            .iter()
            .map(|row| row[column].len())
            .fold(header.len(), usize::max);
        before.len() + longest
    });
    rows.iter().map(|row| line(row, &widths)).collect()
}

/// One socket's line, laid out on its own.
pub fn ss_line(socket: &Socket, owners: &[Owner]) -> String {
    let listener = Listener {
        socket: socket.clone(),
        owners: owners.to_vec(),
    };
    ss_lines(&[listener]).remove(0)
}

/// What ss writes in each column, before it pads them.
fn cells(listener: &Listener) -> [String; 8] {
    let socket = &listener.socket;
    let (local, local_port) = address(socket.local, socket.v6only, socket.interface);
    let (peer, peer_port) = address(socket.remote, socket.v6only, 0);
    [
        state_name(socket.state).to_string(),
        format!("{:<6}", socket.recv_q),
        format!("{:<6}", socket.send_q),
        local,
        local_port,
        peer,
        peer_port,
        users(&listener.owners),
    ]
}

fn line(cells: &[String; 8], widths: &[usize; 8]) -> String {
    let mut line = String::new();
    for ((cell, (_, align, before)), width) in cells.iter().zip(COLUMNS).zip(widths) {
        let padding = " ".repeat(width - before.len() - cell.len());
        line.push_str(before);
        match align {
            Align::Left => {
                line.push_str(cell);
                line.push_str(&padding);
            }
            Align::Right => {
                line.push_str(&padding);
                line.push_str(cell);
            }
        }
    }
    line.truncate(line.trim_end().len());
    line
}

/// ss's names of the kernel's TCP states.
fn state_name(state: u8) -> &'static str {
    match state {
        1 => "ESTAB",
        2 => "SYN-SENT",
        3 => "SYN-RECV",
        4 => "FIN-WAIT-1",
        5 => "FIN-WAIT-2",
        6 => "TIME-WAIT",
        7 => "UNCONN",
        8 => "CLOSE-WAIT",
        9 => "LAST-ACK",
        LISTEN => "LISTEN",
        11 => "CLOSING",
        12 | 13 => "UNDEF",
        _ => "UNKNOWN",
    }
}

/// The address with its `:` (`0.0.0.0:`, `[::1]:`, `*:` for a dual-stack
/// `::`, `[fe80::1]%eth0:` when bound to an interface), and the port (`*`
/// for 0, a peer not connected).
fn address(address: SocketAddr, v6only: bool, interface: u32) -> (String, String) {
    let ip = match address.ip() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() && !v6only => "*".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    let ip = match interface_name(interface) {
        Some(name) => format!("{ip}%{name}:"),
        None => format!("{ip}:"),
    };
    let port = match address.port() {
        0 => "*".to_string(),
        port => port.to_string(),
    };
    (ip, port)
}

/// The name of network interface number `index` (`lo`, `eth0`), from
/// `/sys/class/net/<name>/ifindex`.
fn interface_name(index: u32) -> Option<String> {
    if index == 0 {
        return None;
    }
    let names = fs::read_dir("/sys/class/net").ok()?;
    names.flatten().find_map(|entry| {
        let number = fs::read_to_string(entry.path().join("ifindex")).ok()?;
        (number.trim().parse() == Ok(index))
            .then(|| entry.file_name().to_string_lossy().into_owned())
    })
}

/// ` users:(("python",pid=4255,fd=7))`, or nothing when no owner is visible.
fn users(owners: &[Owner]) -> String {
    if owners.is_empty() {
        return String::new();
    }
    let each: Vec<String> = owners
        .iter()
        .map(|owner| {
            // A process names itself: ss shows its control characters as
            // `?`, so that a name cannot play tricks on the terminal.
            let name: String = owner
                .name
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            format!("(\"{name}\",pid={},fd={})", owner.pid, owner.fd)
        })
        .collect();
    format!(" users:({})", each.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listening(
        local: &str,
        v6only: bool,
        backlog: u32,
        owner: Option<(&str, i32, i32)>,
    ) -> Listener {
        let local: SocketAddr = local.parse().unwrap();
        let remote = match local {
            SocketAddr::V4(_) => "0.0.0.0:0",
            SocketAddr::V6(_) => "[::]:0",
        };
        Listener {
            socket: Socket {
                state: LISTEN,
                local,
                remote: remote.parse().unwrap(),
                v6only,
                interface: 0,
                recv_q: 0,
                send_q: backlog,
                inode: 1,
            },
            owners: owner
                .map(|(name, pid, fd)| Owner {
                    name: name.into(),
                    pid,
                    fd,
                })
                .into_iter()
                .collect(),
        }
    }

    // Each expected line is what real `ss -lntp 'sport = :PORT'` (iproute2
    // 6.1) printed for the same listener, the header aside.

    #[test]
    fn a_dual_stack_listener_reads_as_ss_prints_it() {
        let python = listening("[::]:34995", false, 5, Some(("python3", 28975, 3)));
        assert_eq!(
            ss_lines(&[python]),
            [
                "LISTEN 0      5                  *:34995            *:*    users:((\"python3\",pid=28975,fd=3))"
            ]
        );
    }

    #[test]
    fn ipv4_listeners_read_as_ss_prints_them() {
        let every = listening("0.0.0.0:40551", false, 5, Some(("python3", 28978, 3)));
        let loopback = listening("127.0.0.1:33821", false, 5, Some(("python3", 28985, 3)));
        assert_eq!(
            ss_lines(&[every]),
            [
                "LISTEN 0      5            0.0.0.0:40551      0.0.0.0:*    users:((\"python3\",pid=28978,fd=3))"
            ]
        );
        assert_eq!(
            ss_lines(&[loopback]),
            [
                "LISTEN 0      5          127.0.0.1:33821      0.0.0.0:*    users:((\"python3\",pid=28985,fd=3))"
            ]
        );
    }

    #[test]
    fn an_ipv6_only_listener_has_an_ipv6_peer() {
        let loopback = listening("[::1]:46073", true, 5, Some(("python3", 28987, 3)));
        assert_eq!(
            ss_lines(&[loopback]),
            [
                "LISTEN 0      5              [::1]:46073         [::]:*    users:((\"python3\",pid=28987,fd=3))"
            ]
        );
    }

    #[test]
    fn lines_laid_out_together_share_their_widths() {
        // Real `ss -lntp`, all five listeners of the machine at once.
        let all = [
            listening("0.0.0.0:40551", false, 5, Some(("python3", 28978, 3))),
            listening("0.0.0.0:2024", false, 128, None),
            listening("127.0.0.1:33821", false, 5, Some(("python3", 28985, 3))),
            listening("[::]:34995", false, 5, Some(("python3", 28975, 3))),
            listening("[::1]:46073", true, 5, Some(("python3", 28987, 3))),
        ];
        assert_eq!(
            ss_lines(&all),
            [
                "LISTEN 0      5            0.0.0.0:40551      0.0.0.0:*    users:((\"python3\",pid=28978,fd=3))",
                "LISTEN 0      128          0.0.0.0:2024       0.0.0.0:*",
                "LISTEN 0      5          127.0.0.1:33821      0.0.0.0:*    users:((\"python3\",pid=28985,fd=3))",
                "LISTEN 0      5                  *:34995            *:*    users:((\"python3\",pid=28975,fd=3))",
                "LISTEN 0      5              [::1]:46073         [::]:*    users:((\"python3\",pid=28987,fd=3))",
            ]
        );
    }

    #[test]
    fn the_pages_line_beside_a_listener_on_a_five_digit_port() {
        let page = listening("[::]:8815", false, 4096, Some(("python", 4255, 7)));
        let other = listening("127.0.0.1:40000", false, 128, None);
        let lines = ss_lines(&[page.clone(), other]);
        assert_eq!(
            lines[0],
            "LISTEN 0      4096               *:8815             *:*    users:((\"python\",pid=4255,fd=7))"
        );
        // On its own, its Port column is as wide as its header: one less.
        assert_eq!(
            ss_line(&page.socket, &page.owners),
            "LISTEN 0      4096               *:8815            *:*    users:((\"python\",pid=4255,fd=7))"
        );
    }

    #[test]
    fn a_connection_shows_its_own_state_and_peer() {
        // Real `ss -nt 'sport = :50845'`, the server's side of a connection
        // from 127.0.0.1:42732, then the same once the client has closed.
        let socket = Socket {
            state: 1,
            local: "127.0.0.1:50845".parse().unwrap(),
            remote: "127.0.0.1:42732".parse().unwrap(),
            v6only: false,
            interface: 0,
            recv_q: 0,
            send_q: 0,
            inode: 1,
        };
        assert_eq!(
            ss_line(&socket, &[]),
            "ESTAB 0      0          127.0.0.1:50845    127.0.0.1:42732"
        );
        let closed = Socket {
            state: 8,
            recv_q: 1,
            ..socket
        };
        assert_eq!(
            ss_line(&closed, &[]),
            "CLOSE-WAIT 1      0          127.0.0.1:50845    127.0.0.1:42732"
        );
    }

    #[test]
    fn a_name_cannot_play_tricks_on_the_terminal() {
        let mut tricky = listening("127.0.0.1:8815", false, 128, Some(("a\u{1b}[2Jb", 1, 3)));
        tricky.owners[0].name.push('\n');
        assert!(ss_lines(&[tricky])[0].ends_with("users:((\"a?[2Jb?\",pid=1,fd=3))"));
    }
}
