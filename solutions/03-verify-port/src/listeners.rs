//! Who listens on a port: what `ss -lntp | grep 8815` shows.
//!
//! `ss` asks the kernel, and so do we: over netlink, in the kernel's own
//! language for questions about sockets, sock_diag (`man 7 sock_diag`). We
//! say which sockets we want, and the kernel answers with each one: its
//! addresses, its state, its queues (for a listener, the connections
//! waiting and its backlog, the page's `0` and `4096`) and its *inode*, the
//! kernel's number for it. `kit::sock_diag` carries the question and the
//! answer; the question is ours.
//!
//! The answer knows nothing of processes, and processes know their sockets
//! only by that number: every open file of a process is an entry of
//! `/proc/<pid>/fd`, and a socket's entry names its inode. That is how a
//! listening socket finds its owner; the procfs crate reads `/proc` for us.

use std::collections::HashMap;

use anyhow::Context;
use kit::{Listener, Owner, Socket};
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP};
use netlink_packet_sock_diag::inet::{
    ExtensionFlags, InetRequest, InetResponse, SocketId, StateFlags,
};
use procfs::process::{FDTarget, all_processes};

/// The sockets LISTENing on `port` (IPv4 and IPv6) and their processes,
/// in the kernel's order.
pub fn listeners(port: u16) -> anyhow::Result<Vec<Listener>> {
    let sockets: Vec<Socket> = match listening_on(port) {
        Ok(answer) => answer.iter().map(Socket::from).collect(),
        // Where netlink is not allowed (some sandboxes; qemu-user, which
        // runs Arm64 programs on x86-64), ss reads the kernel's tables in
        // /proc/net instead, and so do we: the same sockets, but no backlog.
        Err(error) if kit::sock_diag::not_allowed(&error) => kit::proc_net::listening_on(port)?,
        Err(error) => return Err(error),
    };
    let inodes: Vec<u64> = sockets.iter().map(|socket| socket.inode).collect();
    let mut owners = owners_of(&inodes)?;
    let listeners = sockets
        .into_iter()
        .map(|socket| Listener {
            owners: owners.remove(&socket.inode).unwrap_or_default(),
            socket,
        })
        .collect();
    Ok(listeners)
}

// ANCHOR: listening_on
/// The TCP sockets LISTENing on `port`, IPv4 and IPv6, as the kernel
/// describes them: the `-t` (TCP), `-l` (listening) and `grep 8815` of
/// `ss -lntp | grep 8815`.
pub fn listening_on(port: u16) -> anyhow::Result<Vec<InetResponse>> {
    let mut listening = Vec::new();
    // One question per address family, as ss asks: the page's server,
    // `*:8815`, is an IPv6 socket on `::` (which takes IPv4 clients too),
    // so the IPv4 answer alone would miss it.
    for (family, every_socket) in [
        (AF_INET, SocketId::new_v4()),
        (AF_INET6, SocketId::new_v6()),
    ] {
        // ANCHOR: hint_question
        let question = InetRequest {
            family,
            protocol: IPPROTO_TCP,
            // Only the sockets that accept clients: the kernel leaves out
            // the connections, the ones to our port included.
            states: StateFlags::LISTEN,
            // Nothing beyond the basic answer: queues and inode are in it.
            extensions: ExtensionFlags::empty(),
            // No socket in particular: all of them.
            socket_id: every_socket,
        };
        // ANCHOR_END: hint_question
        let answer = kit::sock_diag::dump(question)?;
        // `grep 8815`: the port the socket is bound to, its *source* port
        // (a client's socket has our port as its destination).
        listening.extend(
            answer
                .into_iter()
                .filter(|socket| socket.header.socket_id.source_port == port),
        );
    }
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
            // ANCHOR: hint_fd
            let FDTarget::Socket(inode) = fd.target else {
                continue;
            };
            // ANCHOR_END: hint_fd
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
