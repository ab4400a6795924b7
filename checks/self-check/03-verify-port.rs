//! The self-check of step 3, run by `cargo test -p step-03-verify-port` and
//! by `cargo test -p solution-03-verify-port`: the same file for both.

use std::path::Path;

fn binary() -> &'static Path {
    Path::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
}

#[test]
fn parse_line_reads_the_kernel_socket_table() {
    checks::step3::parse_line_reads_kernel_lines(|line| {
        let socket = verify_port::proc_net::parse_line(line)?;
        Some(checks::step3::TcpSocket {
            local: socket.local,
            remote: socket.remote,
            state: socket.state,
            tx_queue: socket.tx_queue,
            rx_queue: socket.rx_queue,
            inode: socket.inode,
        })
    });
}

#[test]
fn cargo_run_finds_a_listening_flight_server() {
    checks::step3::binary_finds_the_server(binary());
}

#[test]
fn cargo_run_reports_a_closed_port() {
    checks::step3::binary_reports_a_closed_port(binary());
}
