//! The kernel's TCP tables in text, `/proc/net/tcp` and `/proc/net/tcp6`:
//! the way left where netlink's sock_diag is not allowed (some sandboxes,
//! and qemu-user, which runs Arm64 programs on x86-64). `ss` reads them then
//! too. They hold the same sockets, but not a listener's backlog: Send-Q
//! shows 0 for it, as it does in `ss` then.

use anyhow::Context;
use procfs::ProcError;
use procfs::net::{TcpNetEntry, TcpState};

use crate::Socket;

/// The TCP sockets LISTENing on `port`, IPv4 then IPv6, from the kernel's
/// text tables.
pub fn listening_on(port: u16) -> anyhow::Result<Vec<Socket>> {
    let ipv4 = procfs::net::tcp().context("cannot read the kernel's TCP table /proc/net/tcp")?;
    let ipv6 = match procfs::net::tcp6() {
        Ok(sockets) => sockets,
        // A kernel without IPv6 has no tcp6 table: no IPv6 listener then.
        Err(ProcError::NotFound(_)) => Vec::new(),
        Err(error) => {
            return Err(error).context("cannot read the kernel's TCP table /proc/net/tcp6");
        }
    };
    let listening = ipv4
        .iter()
        .chain(&ipv6)
        .filter(|entry| entry.state == TcpState::Listen && entry.local_address.port() == port)
        .map(socket)
        .collect();
    Ok(listening)
}

fn socket(entry: &TcpNetEntry) -> Socket {
    Socket {
        state: entry.state.to_u8(),
        local: entry.local_address,
        remote: entry.remote_address,
        // The tables do not say; ss then shows `::` as `*`, and so do we.
        v6only: false,
        interface: 0,
        // A listener's pending connections, as in sock_diag.
        recv_q: entry.rx_queue,
        // Not the backlog, which the tables do not hold: the send queue, 0.
        send_q: entry.tx_queue,
        inode: entry.inode,
    }
}
