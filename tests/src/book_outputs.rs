//! The terminal outputs the book shows, made from the tests' snapshots.
//!
//! A snapshot is a test's view: a free port (`[PORT]`), a pid and fd that
//! change from run to run (`[PID]`, `[FD]`), flags that only tests pass, and,
//! for a failure, insta's `exit code / --- stdout / --- stderr` headers. The
//! book shows a learner's view of the same run: the command as the learner
//! types it with the page's defaults, port 8815, the page's example pid, then
//! stdout and stderr as a terminal as wide as the book's column shows them
//! (a longer line goes on at the next row: we break it at a space).
//! [`OUTPUTS`] says, for each snapshot the book uses, what differs;
//! [`render`] applies it, and `tests/tests/book.rs` keeps `book/src/outputs/`
//! equal to the result.

use std::fs;
use std::path::PathBuf;

use crate::workspace;

/// The widest code line the book's column shows without scrolling.
pub const BOOK_COLUMN: usize = 85;

/// One snapshot as the book shows it, in `book/src/outputs/{name}.txt`.
pub struct BookOutput {
    /// The file's name in `book/src/outputs/`, without `.txt`.
    pub name: &'static str,
    /// The snapshot in `tests/tests/snapshots/`, without `.snap`.
    pub snapshot: &'static str,
    /// What the learner types, one command a line (each shown after `$ `).
    pub commands: &'static [&'static str],
    /// The test's text and the learner's, replaced in this order, before
    /// [`LEARNER`]'s.
    pub replace: &'static [(&'static str, &'static str)],
}

/// What every output shares: the page's port, the page's example pid
/// (`users:(("python",pid=4255,fd=7))`) and the page's listen backlog (what a
/// current Linux gives a server that asks for the most, as gRPC's does).
pub const LEARNER: &[(&str, &str)] =
    &[("[PORT]", "8815"), ("[PID]", "4255"), ("[BACKLOG]", "4096")];

/// The tests run the server with `--host 127.0.0.1`; a learner runs it with
/// its defaults, which listen on every address, IPv4 and IPv6, on one socket,
/// as the page's server does: `ss` shows `*:8815`, and `*:*` for its peer.
/// Its listening socket is its file descriptor 9 (`ss -lntp` says so).
const OUR_SERVER_AS_THE_LEARNER_RUNS_IT: [(&str, &str); 3] = [
    ("127.0.0.1:[PORT]", "*:8815"),
    ("0.0.0.0:*", "*:*"),
    ("[FD]", "9"),
];

/// Every snapshot the book shows. The chapters include the files, whole.
pub const OUTPUTS: &[BookOutput] = &[
    BookOutput {
        name: "walkthrough",
        snapshot: "page__walkthrough",
        commands: &["cargo run -p walkthrough"],
        // The walkthrough shows each command with the flags that differ
        // from the defaults: with its own defaults, none.
        replace: &[
            (" -- --host 127.0.0.1 --port 0", ""),
            (" -- --port [PORT]", ""),
            (" -- --url grpc://127.0.0.1:[PORT]", ""),
            OUR_SERVER_AS_THE_LEARNER_RUNS_IT[0],
            OUR_SERVER_AS_THE_LEARNER_RUNS_IT[1],
            OUR_SERVER_AS_THE_LEARNER_RUNS_IT[2],
        ],
    },
    BookOutput {
        name: "build-table",
        snapshot: "page__build_table",
        commands: &["cargo run -p solution-01-build-table"],
        replace: &[],
    },
    BookOutput {
        name: "server-port-in-use",
        snapshot: "errors__server_port_in_use",
        commands: &["cargo run -p solution-02-server"],
        replace: &[],
    },
    BookOutput {
        name: "verify-port",
        snapshot: "page__verify_port",
        commands: &["cargo run -p solution-03-verify-port"],
        replace: &OUR_SERVER_AS_THE_LEARNER_RUNS_IT,
    },
    BookOutput {
        name: "verify-port-nothing-listening",
        snapshot: "errors__verify_port_nothing_listening",
        commands: &["cargo run -p solution-03-verify-port"],
        replace: &[],
    },
    BookOutput {
        name: "verify-port-python-server",
        snapshot: "python_interop__verify_port_python_server",
        commands: &["cargo run -p solution-03-verify-port"],
        // The page's server, as the page shows it: its socket is fd 7.
        replace: &[("[FD]", "7")],
    },
    BookOutput {
        name: "client-server-down",
        snapshot: "errors__client_server_down",
        commands: &["cargo run -p solution-04-client"],
        replace: &[],
    },
    BookOutput {
        name: "client-unknown-ticket",
        snapshot: "errors__client_unknown_ticket",
        commands: &["cargo run -p solution-04-client -- --ticket nope"],
        replace: &[],
    },
    BookOutput {
        name: "client-stalled-mid-stream",
        snapshot: "hardening__client_stalled_mid_stream",
        commands: &["cargo run -p solution-04-client -- --timeout 1"],
        replace: &[],
    },
    BookOutput {
        name: "client-web-server",
        snapshot: "hardening__client_web_server",
        commands: &["cargo run -p solution-04-client -- --url grpc://127.0.0.1:8080"],
        // A web server on the port web servers use for tests.
        replace: &[("[PORT]", "8080")],
    },
    BookOutput {
        name: "client-plaintext-to-tls",
        snapshot: "hardening__client_plaintext_to_tls",
        commands: &["cargo run -p solution-04-client"],
        replace: &[],
    },
    BookOutput {
        name: "pyarrow-discovers",
        snapshot: "python_interop__pyarrow_discovers",
        commands: &["target/pyarrow-venv/bin/python python/interop_probe.py 8815 discover"],
        replace: &[],
    },
    BookOutput {
        name: "secure-wrong-token",
        snapshot: "secure__secure_wrong_token",
        commands: &[
            "export FLIGHT_TOKEN=not-the-token",
            "cargo run -p solution-05-secure --bin solution-05-secure-client",
        ],
        replace: &[],
    },
    BookOutput {
        name: "secure-token-unset",
        snapshot: "secure__secure_token_unset",
        commands: &[
            "unset FLIGHT_TOKEN",
            "cargo run -p solution-05-secure --bin solution-05-secure-client",
        ],
        replace: &[],
    },
    BookOutput {
        name: "datasets-upload",
        snapshot: "datasets__upload",
        commands: &[
            "cargo run -p solution-06-datasets --bin solution-06-datasets-upload -- --name trips --rows 1000000",
        ],
        replace: &[],
    },
    BookOutput {
        name: "datasets-read-back",
        snapshot: "datasets__read_back",
        commands: &["cargo run -p solution-04-client -- --ticket trips"],
        replace: &[],
    },
    BookOutput {
        name: "datasets-bad-name",
        snapshot: "datasets__bad_name",
        commands: &[
            "cargo run -p solution-06-datasets --bin solution-06-datasets-upload -- --name ../trips",
        ],
        replace: &[],
    },
];

impl BookOutput {
    /// `book/src/outputs/{name}.txt`
    pub fn path(&self) -> PathBuf {
        outputs_dir().join(format!("{}.txt", self.name))
    }

    /// `tests/tests/snapshots/{snapshot}.snap`
    pub fn snapshot_path(&self) -> PathBuf {
        workspace()
            .join("tests/tests/snapshots")
            .join(format!("{}.snap", self.snapshot))
    }

    /// The file's text, from the committed snapshot.
    pub fn render(&self) -> String {
        let path = self.snapshot_path();
        let snapshot =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        render(self, &snapshot)
    }
}

/// `book/src/outputs/`
pub fn outputs_dir() -> PathBuf {
    workspace().join("book/src/outputs")
}

/// The commands after `$ `, then the snapshot's content as the learner sees
/// it: each line whole, as the program prints it (the book's code blocks
/// scroll; a line broken for the page would not be what the terminal shows).
pub fn render(output: &BookOutput, snapshot: &str) -> String {
    let mut text = terminal(content(snapshot));
    for (test, learner) in output.replace.iter().chain(LEARNER) {
        text = text.replace(test, learner);
    }
    for placeholder in ["[PORT]", "[PID]", "[FD]", "[BACKLOG]"] {
        assert!(
            !text.contains(placeholder),
            "{}: {placeholder} is left: say in OUTPUTS what the learner sees there",
            output.name
        );
    }
    let mut book = String::new();
    for command in output.commands {
        book += &format!("$ {command}\n");
    }
    for line in text.lines() {
        let line = if line.starts_with("LISTEN ") {
            realign(line)
        } else {
            line.to_string()
        };
        book += &line;
        book.push('\n');
    }
    book
}

/// What follows insta's header (`---`, metadata, `---`).
fn content(snapshot: &str) -> &str {
    let body = snapshot
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body);
    body.expect("an insta snapshot: a header between two --- lines")
}

/// A transcript (`exit code: 1`, `--- stdout`, ..., `--- stderr`, ...) as a
/// terminal shows it: stdout, then stderr. Other content is stdout already.
fn terminal(content: &str) -> String {
    let Some(rest) = content.strip_prefix("exit code: ") else {
        return content.to_string();
    };
    let (_code, streams) = rest.split_once('\n').unwrap_or((rest, ""));
    let streams = streams
        .strip_prefix("--- stdout\n")
        .expect("a transcript: --- stdout after the exit code");
    let (stdout, stderr) = match streams.strip_prefix("--- stderr\n") {
        Some(stderr) => ("", stderr),
        None => streams
            .split_once("\n--- stderr\n")
            .expect("a transcript: --- stderr after stdout"),
    };
    match stdout {
        "" => stderr.to_string(),
        stdout => format!("{stdout}\n{stderr}"),
    }
}

/// ss's line, laid out again once its placeholders are filled in (a port of
/// four digits where the test's had five), as ss lays out a table of one
/// row: each column as wide as its longest cell, the header's included,
/// with a space before it; addresses flush right up to their `:`, the rest
/// flush left.
fn realign(line: &str) -> String {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [state, recv_q, send_q, local, peer, users @ ..] = fields.as_slice() else {
        panic!("not an ss line: {line}");
    };
    assert_eq!(*state, "LISTEN", "not a listener: {line}");
    let split = |address: &str| -> (String, String) {
        let (host, port) = address.rsplit_once(':').expect("address:port");
        (format!("{host}:"), port.to_string())
    };
    let (local, local_port) = split(local);
    let (peer, peer_port) = split(peer);
    let users = match users {
        [] => String::new(),
        users => format!(" {}", users.join(" ")),
    };
    let cells = [
        (state.to_string(), "State", true, ""),
        (format!("{recv_q:<6}"), "Recv-Q", true, " "),
        (format!("{send_q:<6}"), "Send-Q", true, " "),
        (local, "Local Address:", false, " "),
        (local_port, "Port", true, ""),
        (peer, "Peer Address:", false, " "),
        (peer_port, "Port", true, ""),
        (users, "Process", true, ""),
    ];
    let mut laid_out = String::new();
    for (cell, header, left, before) in cells {
        let width = cell.len().max(header.len());
        laid_out += before;
        if left {
            laid_out += &format!("{cell:<width$}");
        } else {
            laid_out += &format!("{cell:>width$}");
        }
    }
    laid_out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(content: &str) -> String {
        format!("---\nsource: tests/tests/x.rs\nexpression: x\n---\n{content}")
    }

    const ONE: BookOutput = BookOutput {
        name: "one",
        snapshot: "x",
        commands: &["cargo run -p x"],
        replace: &[(" --port [PORT]", "")],
    };

    #[test]
    fn a_transcript_becomes_the_command_then_stdout_then_stderr() {
        let text = "exit code: 1\n--- stdout\nout\n--- stderr\nerror: port [PORT] --port [PORT]\n";
        assert_eq!(
            render(&ONE, &snapshot(text)),
            "$ cargo run -p x\nout\nerror: port 8815\n"
        );
        let text = "exit code: 1\n--- stdout\n--- stderr\nerror: no\n";
        assert_eq!(
            render(&ONE, &snapshot(text)),
            "$ cargo run -p x\nerror: no\n"
        );
    }

    #[test]
    #[should_panic(expected = "[FD] is left")]
    fn a_placeholder_left_is_an_error() {
        render(&ONE, &snapshot("fd=[FD]\n"));
    }

    #[test]
    fn an_ss_line_is_laid_out_as_ss_lays_out_one_row() {
        // Real ss, for a test's port of five digits and the page's four.
        let test = "LISTEN 0      4096               *:41234            *:*    \
                    users:((\"solution-02-ser\",pid=1,fd=9))";
        let page = "LISTEN 0      4096               *:8815            *:*    \
                    users:((\"solution-02-ser\",pid=1,fd=9))";
        assert_eq!(realign(test), test);
        assert_eq!(realign(&test.replace("41234", "8815")), page);
        let v4 = "LISTEN 0      5          127.0.0.1:38517      0.0.0.0:*";
        assert_eq!(realign(v4), v4);
    }
}
