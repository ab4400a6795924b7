//! Property tests on what parses untrusted input: a ticket from the network,
//! a line of /proc/net/tcp. Any input: no panic, and the answers stay sane.

use checks::step3::{TcpSocket, kernel_line};
use proptest::prelude::*;
use std::net::{IpAddr, SocketAddr};

proptest! {
    #[test]
    fn any_ticket_gets_a_short_not_found(ticket in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let status = flight_server::discovery::unknown_ticket(&ticket);
        prop_assert_eq!(status.code(), tonic::Code::NotFound);
        // At most 64 bytes of the ticket are shown, each escaped to at most 10 characters.
        prop_assert!(status.message().len() < 64 * 10 + 100);
    }

    #[test]
    fn parse_line_never_panics(line in ".{0,300}") {
        let _ = verify_port::proc_net::parse_line(&line);
    }

    #[test]
    fn parse_line_reads_back_any_socket_the_kernel_could_print(
        local_ip in any::<IpAddr>(), local_port in any::<u16>(),
        remote_port in any::<u16>(), state in any::<u8>(),
        tx_queue in any::<u32>(), rx_queue in any::<u32>(), inode in any::<u64>(),
    ) {
        // Both ends of a socket are of one family.
        let remote_ip = match local_ip {
            IpAddr::V4(_) => IpAddr::from([127, 0, 0, 1]),
            IpAddr::V6(_) => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        };
        let socket = TcpSocket {
            local: SocketAddr::new(local_ip, local_port),
            remote: SocketAddr::new(remote_ip, remote_port),
            state, tx_queue, rx_queue, inode,
        };
        prop_assert_eq!(verify_port::proc_net::parse_line(&kernel_line(&socket)), Some(socket));
    }
}
