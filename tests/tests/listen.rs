//! The server listens as the page's gRPC server does: by default on every
//! interface through one dual-stack socket (`*:8815` in `ss`), with a listen
//! backlog of 4096. And the port check shows it as `ss -lntp` does, column
//! for column.

use std::process::Command;

use flight_path_tests::{PAGE_CLIENT_OUTPUT, bin, run};
use harness::Server;

/// The page's `ss -lntp | grep 8815` (section "Verify server is running").
const PAGE_SS_LINE: &str = r#"LISTEN 0      4096               *:8815             *:*    users:(("python",pid=4255,fd=7))"#;

/// The server as a learner starts it, with the page's address (only the
/// port differs: a free one).
fn server_on_every_interface() -> Server {
    Server::start(bin("solution-02-server"), &["--port", "0"]).expect("the server starts")
}

#[test]
fn ipv4_and_ipv6_clients_both_read_the_table() {
    let server = server_on_every_interface();
    for url in [
        format!("grpc://127.0.0.1:{}", server.port),
        format!("grpc://[::1]:{}", server.port),
    ] {
        let output = run("solution-04-client", &["--url", &url]);
        assert_eq!(
            output.stdout,
            PAGE_CLIENT_OUTPUT,
            "{url}: {}",
            output.transcript()
        );
    }
}

#[test]
fn ss_shows_the_pages_address_and_backlog() {
    let server = server_on_every_interface();
    let filter = format!("sport = :{}", server.port);
    let ss = Command::new("ss")
        .args(["-lnt", &filter])
        .output()
        .expect("ss (from iproute2) runs: install iproute2");
    let text = String::from_utf8_lossy(&ss.stdout);
    let line = text
        .lines()
        .find(|line| line.starts_with("LISTEN"))
        .unwrap_or_else(|| panic!("ss shows no listener:\n{text}"));
    // The page: LISTEN 0      4096               *:8815             *:*
    let backlog = backlog().to_string();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        fields[..5],
        [
            "LISTEN",
            "0",
            &backlog,
            &format!("*:{}", server.port),
            "*:*"
        ],
        "{line}"
    );
}

#[test]
fn verify_port_prints_the_line_ss_prints() {
    let server = server_on_every_interface();
    let ours = our_line(server.port);
    let theirs = ss_line(server.port);
    // Field by field, each where ss puts it; the process is the same server
    // for both, and only where its column starts is compared.
    assert_eq!(
        columns(&ours),
        columns(&theirs),
        "\nours: {ours}\nss:   {theirs}\n"
    );
}

#[test]
fn verify_port_prints_the_pages_line() {
    let server = server_on_every_interface();
    let ours = our_line(server.port);
    // The page's line for our port. The page's Port column is five wide:
    // `ss -lntp | grep 8815` lays out every socket of the machine together,
    // and one of them listened on a port of five digits. `ss -lntp 'sport =
    // :PORT'`, and our line, make it as wide as the port, or as its header,
    // "Port": the page's line is ours for a port of five digits (as free
    // ports are, from 32768 up).
    let page = PAGE_SS_LINE
        .replacen("4096", &format!("{:<4}", backlog_shown()), 1)
        .replacen("*:8815 ", &format!("*:{:<4}", server.port), 1);
    assert_eq!(
        columns(&ours),
        columns(&page),
        "\nours: {ours}\npage: {page}\n"
    );
}

/// Our server's backlog. It asks for 4096, as gRPC does; the kernel caps it
/// at net.core.somaxconn (4096 since Linux 5.4).
fn backlog() -> u32 {
    let somaxconn: u32 = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .expect("somaxconn")
        .trim()
        .parse()
        .expect("a number");
    somaxconn.min(4096)
}

/// The backlog the port check can show as Send-Q: where netlink is not
/// allowed (qemu-user runs the Arm64 build so), it reads /proc/net/tcp,
/// which has no backlog, and shows 0, as `ss` then does.
fn backlog_shown() -> u32 {
    if kit::sock_diag::allowed() {
        backlog()
    } else {
        0
    }
}

/// The LISTEN line of our port check, `solution-03-verify-port --port PORT`.
fn our_line(port: u16) -> String {
    let output = run("solution-03-verify-port", &["--port", &port.to_string()]);
    assert_eq!(output.code, Some(0), "{}", output.transcript());
    let lines: Vec<&str> = output
        .stdout
        .lines()
        .filter(|line| line.starts_with("LISTEN"))
        .collect();
    assert_eq!(lines.len(), 1, "one listener:\n{}", output.stdout);
    lines[0].to_string()
}

/// The LISTEN line of real `ss -lntp 'sport = :PORT'` (iproute2), printed
/// to a pipe, as `ss -lntp | grep PORT` prints it. Where this process may
/// not use netlink, neither may the port check, which then reads the
/// kernel's text tables: so does `ss` here, told by PROC_NET_TCP.
fn ss_line(port: u16) -> String {
    let mut ss = Command::new("ss");
    ss.args(["-lntp", &format!("sport = :{port}")])
        // With COLUMNS set, ss spreads its columns over that width.
        .env_remove("COLUMNS");
    if !kit::sock_diag::allowed() {
        ss.env("PROC_NET_TCP", "/proc/net/tcp");
    }
    let output = ss
        .output()
        .expect("ss (from iproute2) runs: install iproute2");
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("LISTEN"))
        .collect();
    assert_eq!(lines.len(), 1, "ss shows one listener:\n{text}");
    // ss pads its last column to the width of the longest cell; nothing
    // shows it, and recent versions leave it out.
    lines[0].trim_end().to_string()
}

/// Each field of an ss-style line and the columns it spans, `(start, end,
/// text)`; for `users:((...))`, where it starts only.
fn columns(line: &str) -> Vec<(usize, usize, &str)> {
    let mut columns = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(|c| c != ' ') {
        let offset = line.len() - rest.len() + start;
        let field = rest[start..].split(' ').next().unwrap_or_default();
        let field = if field.starts_with("users:") {
            "users:"
        } else {
            field
        };
        columns.push((offset, offset + field.len(), field));
        if field == "users:" {
            break;
        }
        rest = &rest[start + field.len()..];
    }
    columns
}
