//! Who listens on a port: what `ss -lntp | grep 8815` shows.
//!
//! `ss` asks the kernel, and so do we, through the files Linux keeps in
//! `/proc`: `/proc/net/tcp` and `/proc/net/tcp6` list every TCP socket of
//! this network namespace, and `/proc/<pid>/fd` lists the open files of each
//! process, sockets included. The procfs crate reads both for us.
//!
//! The two tables know nothing of processes, and processes know their
//! sockets only by number: a socket's *inode*, which both show. That number
//! is how a listening socket finds its owner.

use std::collections::HashMap;

use anyhow::Context;
use kit::{Owner, Socket};
use procfs::ProcError;
use procfs::net::{TcpNetEntry, TcpState};
use procfs::process::{FDTarget, all_processes};

/// A listening socket and the processes that hold it open: one line of `ss -lntp`.
#[derive(Debug, Clone)]
pub struct Listener {
    pub socket: Socket,
    pub owners: Vec<Owner>,
}

/// The sockets LISTENing on `port` (IPv4 and IPv6) and their processes,
/// in the kernel's order.
pub fn listeners(port: u16) -> anyhow::Result<Vec<Listener>> {
    let sockets = listening_on(port)?;
    let inodes: Vec<u64> = sockets.iter().map(|socket| socket.inode).collect();
    let mut owners = owners_of(&inodes)?;
    let listeners = sockets
        .into_iter()
        .map(|entry| Listener {
            owners: owners.remove(&entry.inode).unwrap_or_default(),
            socket: Socket {
                local: entry.local_address,
                remote: entry.remote_address,
                listening: entry.state == TcpState::Listen,
                // For a listener the kernel puts here the connections
                // waiting to be accepted: ss's Recv-Q.
                recv_q: entry.rx_queue,
                // ss's Send-Q of a listener is its backlog limit, which the
                // table does not hold (ss asks another interface,
                // netlink, for it); tx_queue is what the table has.
                send_q: entry.tx_queue,
            },
        })
        .collect();
    Ok(listeners)
}

// ANCHOR: listening_on
/// The TCP sockets LISTENing on `port`, IPv4 and IPv6: the `-l` (listening),
/// `-t` (TCP) and `grep 8815` of `ss -lntp | grep 8815`.
pub fn listening_on(port: u16) -> anyhow::Result<Vec<TcpNetEntry>> {
    let ipv4 = procfs::net::tcp().context("cannot read the kernel's TCP table /proc/net/tcp")?;
    // Both tables, as ss reads both: a server that listens on `::` (the
    // page's pyarrow server shows as `*:8815`) is only in the IPv6 one,
    // even though it accepts IPv4 connections too.
    let ipv6 = match procfs::net::tcp6() {
        Ok(sockets) => sockets,
        // A kernel without IPv6 has no tcp6 table: no IPv6 listener then.
        Err(ProcError::NotFound(_)) => Vec::new(),
        Err(error) => {
            return Err(error).context("cannot read the kernel's TCP table /proc/net/tcp6");
        }
    };
    let listening = ipv4
        .into_iter()
        .chain(ipv6)
        // The tables hold every TCP socket: connections too, including the
        // ones to our port. Only the LISTEN ones accept new clients.
        .filter(|socket| socket.state == TcpState::Listen)
        // Our own port, where the socket is bound: the local address. A
        // client's socket has our port as its *remote* address.
        .filter(|socket| socket.local_address.port() == port)
        .collect();
    Ok(listening)
}
// ANCHOR_END: listening_on

// ANCHOR: owners_of
/// The processes holding each socket of `inodes` open, as `ss -p` finds
/// them: every open file of a process is an entry of `/proc/<pid>/fd`, and a
/// socket's entry names its inode.
pub fn owners_of(inodes: &[u64]) -> anyhow::Result<HashMap<u64, Vec<Owner>>> {
    let mut owners: HashMap<u64, Vec<Owner>> = HashMap::new();
    for process in all_processes().context("cannot list the processes in /proc")? {
        // A process may end while we look, and without root we may not read
        // another user's open files: skip those, as ss does (it shows no
        // users:(...) for them).
        let Ok(process) = process else { continue };
        let Ok(fds) = process.fd() else { continue };
        for fd in fds.flatten() {
            let FDTarget::Socket(inode) = fd.target else {
                continue;
            };
            if !inodes.contains(&inode) {
                continue;
            }
            // ss shows the short command name, the `comm` of /proc/<pid>/stat
            // (at most 15 bytes): `python`, not the whole command line.
            let name = process
                .stat()
                .map_or_else(|_| "?".to_string(), |stat| stat.comm);
            owners.entry(inode).or_default().push(Owner {
                name,
                pid: process.pid(),
                fd: fd.fd,
            });
        }
    }
    Ok(owners)
}
// ANCHOR_END: owners_of
