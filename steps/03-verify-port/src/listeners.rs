//! Who listens on a port: what `ss -lntp | grep 8815` shows. Yours to
//! write: `listening_on` and `owners_of` (TODO(step 3)). Given: `listeners`,
//! which puts your two answers together, and in the kit the netlink plumbing
//! (`kit::sock_diag`), the fallback for where netlink is not allowed
//! (`kit::proc_net`) and the `Listener` type.
//!
//! `ss` asks the kernel, and so will you: over netlink, in the kernel's own
//! language for questions about sockets, sock_diag (`man 7 sock_diag`). You
//! say which sockets you want, and the kernel answers with each one: its
//! addresses, its state, its queues (for a listener, the connections
//! waiting and its backlog, the page's `0` and `4096`) and its *inode*, the
//! kernel's number for it.
//!
//! The answer knows nothing of processes, and processes know their sockets
//! only by that number: every open file of a process is an entry of
//! `/proc/<pid>/fd`, and a socket's entry names its inode. That is how a
//! listening socket finds its owner; the procfs crate reads `/proc` for you.

use std::collections::HashMap;

use kit::{Listener, Owner, Socket};
use netlink_packet_sock_diag::inet::InetResponse;

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
    // TODO(step 3): the sockets `ss -lnt` shows for `port`, asked of the
    // kernel as ss asks: a sock_diag question, which `kit::sock_diag::dump`
    // carries to the kernel, and whose answer has one InetResponse a socket.
    // - A question is about one address family. The page's server, `*:8815`,
    //   is an IPv6 socket on `::` that takes IPv4 clients too: ask about
    //   IPv4 and about IPv6, as ss does.
    // - `-t`: TCP sockets. `-l`: only those in state LISTEN, the ones that
    //   accept clients; the kernel can leave the others out for you (the
    //   connections to your port are sockets too). The states asked for are
    //   a set of bits, one per state, not a state's number.
    // - The question's socket id may name one socket in particular; you
    //   want them all (an id of all zeros names none).
    // - `grep 8815` keeps the sockets bound to the port: their *local*
    //   (source) port; a client's socket has the port as its destination.
    // - An error from the kernel is an error of this function: return it.
    // Docs: https://man7.org/linux/man-pages/man7/sock_diag.7.html (the idea)
    //       https://docs.rs/netlink-packet-sock-diag/0.5.0 (its modules
    //       `inet`, the question and the answer, and `constants`)
    //       kit::sock_diag::dump, in kit/src/sock_diag.rs
    let _ = port;
    anyhow::bail!(
        "TODO(step 3): listening_on does not ask the kernel for its sockets yet \
         (steps/03-verify-port/src/listeners.rs)"
    )
}
// ANCHOR_END: listening_on

// ANCHOR: owners_of
/// The processes holding each socket of `inodes` open, as `ss -p` finds
/// them: every open file of a process is an entry of `/proc/<pid>/fd`, and a
/// socket's entry names its inode.
pub fn owners_of(inodes: &[u64]) -> anyhow::Result<HashMap<u64, Vec<Owner>>> {
    // TODO(step 3): the `users:(("python",pid=4255,fd=7))` part of the line.
    // - Look through the open files of every process (`ls -l /proc/self/fd`
    //   shows yours: a socket reads `socket:[41877]`, 41877 its inode).
    // - For each open file that is one of `inodes`, the socket has an owner:
    //   the process's short command name (its `comm`, as ss shows it:
    //   `python`, not the whole command line), its pid, and the fd's number.
    // - A process may end while you look, and without root you may not read
    //   other users' open files: skip those processes, as ss does.
    // Docs: https://docs.rs/procfs/0.18.0/procfs/process/fn.all_processes.html
    //       https://docs.rs/procfs/0.18.0/procfs/process/struct.Process.html
    //       https://docs.rs/procfs/0.18.0/procfs/process/enum.FDTarget.html
    let _ = inodes;
    anyhow::bail!(
        "TODO(step 3): owners_of does not look for the sockets' processes yet \
         (steps/03-verify-port/src/listeners.rs)"
    )
}
// ANCHOR_END: owners_of
