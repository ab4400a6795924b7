//! Asking the kernel for its sockets as `ss` does: netlink's sock_diag.
//!
//! Step 3 writes the question, an [`InetRequest`] (which family, which
//! protocol, which states); this module carries it to the kernel and brings
//! back the answer, one [`InetResponse`] per socket: the framing of netlink
//! messages is plumbing, not the lesson. See `man 7 sock_diag`.
//!
//! For a listening socket, the answer holds what no other interface tells:
//! its backlog (`idiag_wqueue`, ss's Send-Q), beside the connections waiting
//! to be accepted (`idiag_rqueue`, ss's Recv-Q).

use std::fmt;
use std::io;
use std::net::SocketAddr;

use anyhow::{Context, bail};
use netlink_packet_core::{
    NLM_F_DUMP, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload,
};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_packet_sock_diag::inet::nlas::Nla;
use netlink_packet_sock_diag::inet::{InetRequest, InetResponse};
use netlink_sys::protocols::NETLINK_SOCK_DIAG;
use rustix::io::Errno;

use crate::Socket;

/// Sends `request` to the kernel's sock_diag and returns its answer: every
/// socket that matches, in the kernel's order.
///
/// Where this process may not use sock_diag (a sandbox that forbids it, or
/// an emulator such as qemu-user, which lets programs open only a few kinds
/// of netlink socket), the error says so: [`not_allowed`] recognises it.
/// (netlink-sys opens the socket and reads whole datagrams; the messages
/// are netlink-packet-core's, their contents netlink-packet-sock-diag's.)
pub fn dump(request: InetRequest) -> anyhow::Result<Vec<InetResponse>> {
    let mut socket = netlink_sys::Socket::new(NETLINK_SOCK_DIAG)
        .map_err(refused)
        .context("cannot open a netlink socket to ask the kernel for its sockets (sock_diag)")?;
    let talk = "cannot ask the kernel for its sockets over netlink (sock_diag)";
    socket.bind_auto().map_err(refused).context(talk)?;
    // Port 0 is the kernel.
    socket
        .connect(&netlink_sys::SocketAddr::new(0, 0))
        .map_err(refused)
        .context(talk)?;

    // A dump: every socket that matches, in as many messages as it takes.
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let mut message = NetlinkMessage::new(header, SockDiagMessage::InetRequest(request).into());
    message.finalize();
    let mut bytes = vec![0; message.buffer_len()];
    message.serialize(&mut bytes);
    socket.send(&bytes, 0).map_err(refused).context(talk)?;

    let mut sockets = Vec::new();
    loop {
        // One datagram holds one message or more, each 4-byte aligned.
        let (datagram, _) = socket.recv_from_full().map_err(refused).context(talk)?;
        let mut rest = &datagram[..];
        while !rest.is_empty() {
            let message = NetlinkMessage::<SockDiagMessage>::deserialize(rest)
                .context("the kernel's sock_diag answer cannot be read")?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(socket)) => {
                    sockets.push(*socket);
                }
                NetlinkPayload::Done(_) => return Ok(sockets),
                // The kernel refused the question itself: that is no reason
                // to fall back on /proc (which would hide the mistake), but
                // one to say what a question must be.
                NetlinkPayload::Error(error) if error.code.is_some() => {
                    return Err(anyhow::Error::from(error.to_io())).context(
                        "the kernel refused the sock_diag question: it asks about one \
                         address family (AF_INET or AF_INET6) and one protocol (IPPROTO_TCP)",
                    );
                }
                _ => {}
            }
            let aligned = length.next_multiple_of(4).min(rest.len());
            if aligned == 0 {
                bail!("the kernel's sock_diag answer holds an empty message");
            }
            rest = &rest[aligned..];
        }
    }
}

/// Whether this process may open a sock_diag socket at all: false under
/// qemu-user, and in sandboxes that forbid it. (The kernel may still refuse
/// a question; [`not_allowed`] then tells.)
pub fn allowed() -> bool {
    netlink_sys::Socket::new(NETLINK_SOCK_DIAG).is_ok()
}

/// Whether `error` (from [`dump`], with any context added on the way) says
/// that netlink's sock_diag is not allowed here, rather than that something
/// went wrong: then the kernel's text tables, `/proc/net/tcp` and
/// `/proc/net/tcp6`, are the way left, as `ss` itself falls back to them.
pub fn not_allowed(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<NotAllowed>())
}

/// The kernel's (or an emulator's) "no" to sock_diag, recognised by [`not_allowed`].
#[derive(Debug)]
struct NotAllowed(io::Error);

impl fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for NotAllowed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// `error` as a [`NotAllowed`] when it is a refusal: no permission
/// (EPERM, EACCES), no netlink or no sock_diag for this process
/// (EAFNOSUPPORT, EPROTONOSUPPORT: qemu-user answers this). A question the
/// kernel refuses (ENOENT for an unknown family) is not among them: it is an
/// error to show, not a reason to read /proc instead.
fn refused(error: io::Error) -> anyhow::Error {
    let refusals = [
        Errno::PERM,
        Errno::ACCESS,
        Errno::AFNOSUPPORT,
        Errno::PROTONOSUPPORT,
    ];
    match Errno::from_io_error(&error) {
        Some(errno) if refusals.contains(&errno) => NotAllowed(error).into(),
        _ => error.into(),
    }
}

/// The socket as `ss` shows it, from the kernel's answer.
impl From<&InetResponse> for Socket {
    fn from(response: &InetResponse) -> Socket {
        let header = &response.header;
        let id = &header.socket_id;
        Socket {
            state: header.state,
            local: SocketAddr::new(id.source_address, id.source_port),
            remote: SocketAddr::new(id.destination_address, id.destination_port),
            // Sent for IPv6 listeners: whether `::` takes IPv6 clients only
            // (ss's `[::]`) or IPv4 ones too (ss's `*`).
            v6only: response
                .nlas
                .iter()
                .any(|nla| matches!(nla, Nla::SkV6Only(true))),
            interface: id.interface_id,
            // For a listener: the connections waiting to be accepted...
            recv_q: header.recv_queue,
            // ... and the most that may wait, its backlog (`listen(fd,
            // backlog)`, capped by net.core.somaxconn): ss's Send-Q.
            send_q: header.send_queue,
            inode: header.inode.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_recognised_through_the_context_added_to_it() {
        let error = Err::<(), _>(refused(io::Error::from_raw_os_error(
            Errno::PROTONOSUPPORT.raw_os_error(),
        )))
        .context("cannot open")
        .context("cannot list")
        .unwrap_err();
        assert!(not_allowed(&error), "{error:#}");
    }

    #[test]
    fn other_failures_are_not_refusals() {
        let error = refused(io::Error::from_raw_os_error(Errno::INVAL.raw_os_error()));
        assert!(!not_allowed(&error), "{error:#}");
        assert!(!not_allowed(&anyhow::anyhow!("TODO(step 3)")));
    }
}
