//! Step 2: the server. Started as a real process on a free port, read by
//! the reference client over a real socket, stopped with Ctrl-C (SIGINT).

use std::cell::RefCell;
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;

use harness::Server;
use kit::PAGE_ROWS;
use tonic::Code;

use crate::limits;
use crate::reference::{FetchError, Fetched, fetch};
use crate::table::{indent, rows_problem, schema_problem};
use crate::{Check, Mistake, Outcome, self_check};

const SERVICE: &str = "src/service.rs";
const SERVER: &str = "src/server.rs";

/// The self-check of step 2, for the crate in `crate_dir` and its server binary.
pub fn check(crate_dir: &str, binary: &str) -> ExitCode {
    let binary = Path::new(binary);
    // One server for the page's table, shared by the checks that need it.
    let page: RefCell<Option<Server>> = RefCell::new(None);
    let page_url = || {
        let port = page.borrow().as_ref().map_or(0, |server| server.port);
        format!("grpc://127.0.0.1:{port}")
    };
    self_check(
        2,
        crate_dir,
        vec![
            Check::new("it prints its line once the port is open", || {
                *page.borrow_mut() = Some(start_listening(binary, PAGE_ROWS)?);
                Ok(())
            }),
            Check::new("do_get(\"dataset\") streams the page's table", || {
                streams_the_table(&page_url(), PAGE_ROWS)
            }),
            Check::new("an unknown ticket is refused with NOT_FOUND", || {
                unknown_tickets_are_not_found(&page_url())
            }),
            Check::new("an empty table (--rows 0) still sends its schema", || {
                let server = start_listening(binary, 0)?;
                streams_the_table(&format!("grpc://127.0.0.1:{}", server.port), 0)
            }),
            Check::new(
                "a table of many batches (--rows 200000) arrives whole",
                || {
                    let server = start_listening(binary, 200_000)?;
                    streams_the_table(&format!("grpc://127.0.0.1:{}", server.port), 200_000)
                },
            ),
            Check::new("--host ::1 listens there, and only there", || {
                listens_on_the_host_given(binary)
            }),
            Check::new("Ctrl-C stops it, with exit code 0", || {
                stops_on_ctrl_c(page.borrow_mut().take())
            }),
            Check::new(
                "--handshake-timeout closes a connection that says nothing",
                || limits::handshake_timeout(binary),
            ),
            Check::new(
                "--idle-timeout closes an idle connection, not a slow stream",
                || limits::idle_timeout(binary),
            ),
            Check::new("--max-connections makes a second client wait", || {
                limits::max_connections(binary)
            }),
            Check::new(
                "--grace-period bounds the wait for streams after Ctrl-C",
                || limits::grace_period(binary),
            ),
        ],
    )
}

/// Starts the server with `--rows rows` on a free port, and proves that it
/// printed the page's line with the real port, and only once listening.
fn start_listening(binary: &Path, rows: usize) -> Result<Server, Mistake> {
    let rows = rows.to_string();
    let args = ["--host", "127.0.0.1", "--port", "0", "--rows", &rows];
    let server = Server::start(binary, &args).map_err(|error| {
        Mistake::new(
            SERVER,
            format!(
                "started with `--port 0`, the server did not say it is running: {error:#}\n\
                 once the port is open, it must print the page's line on stdout:\n    \
                 Arrow Flight server running on port <the port it listens on>"
            ),
        )
    })?;
    if server.port == 0 {
        return Err(Mistake::new(
            SERVER,
            "the server printed \"port 0\": with --port 0 the system picks a free port when \
             the socket is bound; print the port the listener really got",
        ));
    }
    // No retry: whoever reads the line may connect at once.
    if let Err(error) = TcpStream::connect(("127.0.0.1", server.port)) {
        return Err(Mistake::new(
            SERVER,
            format!(
                "the server printed its line, but connecting to port {} right after failed ({error}): \
                 print the line only once the port is open (bind first, then print, then serve)",
                server.port
            ),
        ));
    }
    Ok(server)
}

/// Reads ticket `dataset` and compares it with the page's table of `rows` rows.
fn streams_the_table(url: &str, rows: usize) -> Outcome {
    let fetched = fetch(url, kit::TICKET.as_bytes()).map_err(|error| {
        let problem = match error {
            FetchError::Status(status) if status.code() == Code::Unimplemented => format!(
                "do_get answered UNIMPLEMENTED: \"{}\"\nit should stream the table",
                status.message()
            ),
            FetchError::Status(status) => format!(
                "do_get(\"dataset\") failed with {:?}: \"{}\"",
                status.code(),
                status.message()
            ),
            FetchError::Connect(why) => format!("the client could not connect: {why}"),
            FetchError::Other(why) => format!("the stream could not be read: {why}"),
        };
        Mistake::new(SERVICE, problem)
    })?;
    let Fetched { schema, batches } = fetched;
    let Some(schema) = schema else {
        return Err(Mistake::new(
            SERVICE,
            format!(
                "with {rows} rows, the stream carried no schema: a client cannot know the columns \
                 of a table it receives no batch of; make the stream start with the table's schema, \
                 even when there is no batch to send (the encoder's with_schema)"
            ),
        ));
    };
    if let Some(problem) = schema_problem(&schema) {
        return Err(Mistake::new(
            SERVICE,
            format!("the stream's schema: {problem}"),
        ));
    }
    if let Some(problem) = rows_problem(&batches, rows) {
        let first = batches.first().map_or(0, |b| b.num_rows());
        let advice = if batches.len() == 1 && first < rows {
            "\nonly one record batch arrived: the table holds several; stream every one"
        } else {
            ""
        };
        return Err(Mistake::new(
            SERVICE,
            format!("the client received {problem}{advice}"),
        ));
    }
    Ok(())
}

/// Started with `--host ::1`, the server must answer on IPv6's loopback and
/// not on IPv4's: it listens on the host it is told, not on one of its own.
fn listens_on_the_host_given(binary: &Path) -> Outcome {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        println!("        (no IPv6 loopback on this machine: --host ::1 is not tried)");
        return Ok(());
    }
    let args = ["--host", "::1", "--port", "0", "--rows", "10"];
    let server = Server::start(binary, &args).map_err(|error| {
        Mistake::new(
            SERVER,
            format!("started with `--host ::1 --port 0`, the server did not start: {error:#}"),
        )
    })?;
    let port = server.port;
    if let Err(error) = fetch(&format!("grpc://[::1]:{port}"), kit::TICKET.as_bytes()) {
        let why = match error {
            FetchError::Status(status) => status.message().to_string(),
            FetchError::Connect(why) | FetchError::Other(why) => why,
        };
        return Err(Mistake::new(
            SERVER,
            format!(
                "started with `--host ::1`, the server said it runs on port {port}, but nothing \
                 answered on [::1]:{port} ({why}): it listens somewhere else; open the port \
                 on the host it is given (--host), not on an address of its own"
            ),
        ));
    }
    if fetch(&format!("grpc://127.0.0.1:{port}"), kit::TICKET.as_bytes()).is_ok() {
        return Err(Mistake::new(
            SERVER,
            format!(
                "started with `--host ::1`, the server answered on 127.0.0.1:{port} too: it \
                 listens on every address, not on the host it is given (--host); a server \
                 told to stay on this machine must not be reachable from another"
            ),
        ));
    }
    Ok(())
}

fn unknown_tickets_are_not_found(url: &str) -> Outcome {
    match fetch(url, b"no-such-ticket") {
        Err(FetchError::Status(status)) if status.code() == Code::NotFound => Ok(()),
        Ok(fetched) => Err(Mistake::new(
            SERVICE,
            format!(
                "do_get(\"no-such-ticket\") sent a table of {} rows; the server has one ticket, \
                 \"dataset\": refuse any other with NOT_FOUND, so the client learns its mistake",
                fetched.batches.iter().map(|b| b.num_rows()).sum::<usize>()
            ),
        )),
        Err(FetchError::Status(status)) => Err(Mistake::new(
            SERVICE,
            format!(
                "do_get(\"no-such-ticket\") failed with {:?} (\"{}\"); an unknown ticket is NOT_FOUND",
                status.code(),
                status.message()
            ),
        )),
        Err(FetchError::Connect(why) | FetchError::Other(why)) => Err(Mistake::new(
            SERVICE,
            format!("do_get(\"no-such-ticket\") broke the connection: {why}"),
        )),
    }
}

/// Whether process `pid` has a handler for SIGINT (its `SigCgt` mask in
/// /proc/<pid>/status); None where that cannot be read.
fn catches_sigint(pid: u32) -> Option<bool> {
    const SIGINT: u64 = 2;
    let status = procfs::process::Process::new(i32::try_from(pid).ok()?)
        .ok()?
        .status()
        .ok()?;
    Some(status.sigcgt & (1 << (SIGINT - 1)) != 0)
}

fn stops_on_ctrl_c(server: Option<Server>) -> Outcome {
    let Some(server) = server else {
        return Err(Mistake::new(SERVER, "the server is not running"));
    };
    // Asked of the kernel first: a program that does not catch SIGINT is
    // killed by it, or, started where SIGINT is ignored (in the background
    // by a script), does not stop at all. Either way, Ctrl-C does not stop it.
    if catches_sigint(server.pid()) == Some(false) {
        return Err(Mistake::new(
            SERVER,
            "the server does not catch Ctrl-C (SIGINT), so Ctrl-C kills it instead of stopping \
             it: serve until a Ctrl-C arrives, then return, so that streams in flight can finish",
        ));
    }
    let output = server
        .interrupt()
        .map_err(|error| Mistake::new(SERVER, format!("after Ctrl-C (SIGINT), {error:#}")))?;
    match output.code {
        Some(0) => Ok(()),
        None => Err(Mistake::new(
            SERVER,
            "Ctrl-C (SIGINT) killed the server instead of stopping it: serve until a Ctrl-C \
             arrives, then return, so that streams in flight can finish",
        )),
        Some(code) => Err(Mistake::new(
            SERVER,
            format!(
                "after Ctrl-C the server exited with code {code}, not 0:\n{}",
                indent(&output.stderr)
            ),
        )),
    }
}
