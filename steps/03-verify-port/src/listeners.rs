//! Who listens on a port: what `ss -lntp | grep 8815` shows. Yours to
//! write: `listening_on` and `owners_of` (TODO(step 3)). Given: the
//! `Listener` type and `listeners`, which puts your two answers together.
//!
//! `ss` asks the kernel, and so will you, through the files Linux keeps in
//! `/proc`: `/proc/net/tcp` and `/proc/net/tcp6` list every TCP socket of
//! this network namespace, and `/proc/<pid>/fd` lists the open files of each
//! process, sockets included. The procfs crate reads both for you.
//!
//! The two tables know nothing of processes, and processes know their
//! sockets only by number: a socket's *inode*, which both show. That number
//! is how a listening socket finds its owner.

use std::collections::HashMap;

use kit::{Owner, Socket};
use procfs::net::{TcpNetEntry, TcpState};

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
    // TODO(step 3): the sockets `ss -lnt` shows for `port`.
    // - Linux lists every TCP socket in two tables, one for IPv4 and one for
    //   IPv6 (`cat /proc/net/tcp /proc/net/tcp6` to see them). The page's
    //   server, `*:8815`, listens on IPv6's `::`: it is only in the second.
    // - The tables hold connections too, the ones to your port included:
    //   `ss -l` keeps the sockets in state LISTEN, those that accept clients.
    // - `grep 8815` keeps the sockets bound to the port: their *local*
    //   address (a client's socket has the port as its remote one).
    // - A table that cannot be read is an error that says which one; a
    //   kernel built without IPv6 has no tcp6 table at all, and that is no
    //   error: it simply has no IPv6 listener.
    // Docs: https://docs.rs/procfs/0.18.0/procfs/net/fn.tcp.html
    //       https://docs.rs/procfs/0.18.0/procfs/net/fn.tcp6.html
    //       https://docs.rs/procfs/0.18.0/procfs/net/struct.TcpNetEntry.html
    //       https://docs.rs/procfs/0.18.0/procfs/enum.ProcError.html
    let _ = port;
    anyhow::bail!(
        "TODO(step 3): listening_on does not read the kernel's socket tables yet (steps/03-verify-port/src/listeners.rs)"
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
        "TODO(step 3): owners_of does not look for the sockets' processes yet (steps/03-verify-port/src/listeners.rs)"
    )
}
// ANCHOR_END: owners_of
