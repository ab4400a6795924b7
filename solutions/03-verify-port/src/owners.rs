//! Which process owns a socket: the `users:(("python",pid=4255,fd=7))` part
//! of `ss -p`. Every open file of a process is a link in `/proc/<pid>/fd`;
//! a socket's link reads `socket:[<inode>]`.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// A process holding a socket open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The short command name from `/proc/<pid>/comm` (at most 15 bytes, as in `ss`).
    pub name: String,
    pub pid: u32,
    pub fd: u32,
}

/// The owners of each socket in `inodes`, from one pass over `/proc`.
/// Processes we may not look into (other users', without root) are skipped,
/// exactly as `ss -p` shows no process for them.
pub fn owners_of(inodes: &[u64]) -> HashMap<u64, Vec<Owner>> {
    let mut owners: HashMap<u64, Vec<Owner>> = HashMap::new();
    let Ok(processes) = fs::read_dir("/proc") else {
        return owners;
    };
    for process in processes.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(fds) = fs::read_dir(process.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Some(inode) = socket_inode(&fd.path()).filter(|inode| inodes.contains(inode))
            else {
                continue;
            };
            let Some(fd) = fd.file_name().to_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            owners.entry(inode).or_default().push(Owner {
                name: command_name(pid),
                pid,
                fd,
            });
        }
    }
    owners
}

/// `socket:[41877]` → 41877; anything else (files, pipes) → None.
fn socket_inode(fd_link: &Path) -> Option<u64> {
    let target = fs::read_link(fd_link).ok()?;
    parse_socket_link(target.to_str()?)
}

pub fn parse_socket_link(target: &str) -> Option<u64> {
    target
        .strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

fn command_name(pid: u32) -> String {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|name| name.trim_end().to_string())
        .unwrap_or_else(|_| "?".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_links_give_their_inode() {
        assert_eq!(parse_socket_link("socket:[41877]"), Some(41877));
        assert_eq!(parse_socket_link("pipe:[41877]"), None);
        assert_eq!(parse_socket_link("/dev/null"), None);
        assert_eq!(parse_socket_link("socket:[]"), None);
    }

    #[test]
    fn we_find_ourselves_owning_a_listener() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let socket = &crate::proc_net::listening_on(port).unwrap()[0];
        let owners = owners_of(&[socket.inode]);
        let mine = &owners[&socket.inode];
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].pid, std::process::id());
    }
}
