//! Step 3: verify the port. The step's program is run as a real process, as
//! the page runs `ss -lntp | grep 8815`, against:
//!
//! - the reference Flight server, which runs inside this check's process: so
//!   its owner is this process (`std::process::id()`), and the check knows
//!   which socket and fd the program should find;
//! - a listener on `[::1]` only, which only a question about IPv6 finds;
//! - a closed port;
//! - listeners that are not Flight servers: one closes every connection at
//!   once, one never answers.
//!
//! A check never waits on the program for long: a run is ended after
//! `RUN_LIMIT`, and that is the learner's mistake, named.

use std::cell::RefCell;
use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use harness::Output;

use crate::reference::{ReferenceServer, Serving, closed_port};
use crate::table::indent;
use crate::{Check, Mistake, Outcome, self_check};

const LISTENERS: &str = "src/listeners.rs";
const PROBE: &str = "src/probe.rs";

/// How long one run of the program may take before the check ends it.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// How long the program may take with `--timeout 1` against a listener
/// that never answers: the second it was given, and a margin.
const SILENT_LIMIT: Duration = Duration::from_secs(8);

/// What the reference server's flights read as, in the program's last line.
const PAGE_ANSWER: &str = "1 flight, \"dataset\" (1000 rows)";

/// The self-check of step 3, for the crate in `crate_dir` and its binary.
pub fn check(crate_dir: &str, binary: &str) -> ExitCode {
    let binary = Path::new(binary);
    // The run against the reference server, shared by the first two checks.
    let page: RefCell<Option<(u16, Output)>> = RefCell::new(None);
    self_check(
        3,
        crate_dir,
        vec![
            Check::new(
                "it prints the server's LISTEN line, with its process",
                || {
                    *page.borrow_mut() = Some(run_against_the_reference(binary)?);
                    Ok(())
                },
            ),
            Check::new(
                "it names the server's flight: \"dataset\" (1000 rows)",
                || match page.borrow_mut().take() {
                    Some((port, output)) => names_the_flight(port, &output),
                    None => Err(Mistake::new(LISTENERS, "the program did not run")),
                },
            ),
            Check::new(
                "a Flight server that does not list its flights, as pyarrow's: still Flight",
                || accepts_a_server_that_does_not_list(binary),
            ),
            Check::new("it finds a listener on IPv6 only ([::1])", || {
                finds_an_ipv6_listener(binary)
            }),
            Check::new(
                "a closed port: one line, \"nothing is listening\", exit 1",
                || reports_a_closed_port(binary),
            ),
            Check::new("a listener that is not Flight: one line, exit 1", || {
                refuses_a_listener_that_hangs_up(binary)
            }),
            Check::new(
                "a listener that never answers: it gives up after --timeout",
                || gives_up_on_a_silent_listener(binary),
            ),
        ],
    )
}

/// Runs the program against a reference server, while this check holds a
/// connection to that server open: the kernel then also knows a connected
/// socket on the server's port, which `ss -l` does not show. The
/// LISTEN line is judged while the server runs (its fd must still be open).
fn run_against_the_reference(binary: &Path) -> Result<(u16, Output), Mistake> {
    let server = ReferenceServer::start(Serving::PAGE);
    let port = server.port;
    let connection = TcpStream::connect(("127.0.0.1", port)).map_err(|e| {
        Mistake::new(
            LISTENERS,
            format!("the check could not connect to its own server: {e}"),
        )
    })?;
    let run = run(binary, &["--port", &port.to_string(), "--timeout", "10"])?;
    let situation = format!(
        "with a Flight server listening on 127.0.0.1:{port} (this check's reference server, pid {})",
        std::process::id()
    );
    run.finished_in_time(&situation)?;
    // A program that printed its sockets got past src/listeners.rs: what
    // went wrong after that is the next check's business.
    if socket_lines(&run.output.stdout).is_empty() {
        no_panic_no_todo(&run.output, &situation)?;
    }
    finds_the_reference_listener(port, &run.output)?;
    drop(connection);
    Ok((port, run.output))
}

fn finds_the_reference_listener(port: u16, output: &Output) -> Outcome {
    let me = std::process::id();
    let situation = format!(
        "a Flight server listens on 127.0.0.1:{port} (this check's reference server, in this \
         check's own process, pid {me})"
    );
    if output.stderr.contains("nothing is listening on port") {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "{situation}, yet the program found nothing listening on port {port}:\n{}\n\
                 like `ss -lnt`, ask the kernel for its TCP sockets in state LISTEN (the \
                 states asked for are bits: StateFlags::LISTEN), about IPv4 (AF_INET: \
                 127.0.0.1 is an IPv4 address) and IPv6, and keep those whose *local* (source) \
                 port is {port} (a client's socket has the port as its remote one, its \
                 destination)",
                indent(&output.transcript())
            ),
        ));
    }
    let lines = socket_lines(&output.stdout);
    if let Some(line) = lines.iter().find(|line| !line.starts_with("LISTEN")) {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "the program printed a socket that is not listening:\n    {line}\n\
                 the kernel knows every TCP socket, the connections to the port too (this \
                 check holds one open to its server); `ss -l` shows the LISTEN ones only, the \
                 sockets that accept new clients: ask the kernel for those in state LISTEN only"
            ),
        ));
    }
    if let Some(line) = lines.iter().find(|line| local_port(line) != Some(port)) {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "asked about port {port}, the program printed a socket of another port:\n    \
                 {line}\nlike `grep {port}`, keep only the sockets whose local port is {port}"
            ),
        ));
    }
    let address = format!("127.0.0.1:{port}");
    let Some(line) = lines
        .iter()
        .find(|line| local_address(line) == Some(&address))
    else {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "{situation}; the program should print its LISTEN line, with the local address \
                 {address}, as `ss -lntp | grep {port}` does. It printed:\n{}",
                indent(&output.transcript())
            ),
        ));
    };
    let Some(users) = line.split_once("users:((").map(|(_, users)| users) else {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "the LISTEN line has no users:((...)) part:\n    {line}\n\
                 the owner process was not found: {situation}, and this socket is one of its \
                 open files. Like `ss -p`, find the processes whose open files \
                 (/proc/<pid>/fd) include this socket: the kernel's answer and the fd entries \
                 both name it by its inode"
            ),
        ));
    };
    let owners = parse_owners(users);
    let Some(owner) = owners.iter().find(|owner| owner.pid == Some(me)) else {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "the LISTEN line names the wrong process:\n    {line}\n\
                 {situation}: the owner of a socket is the process with an open file \
                 (/proc/<pid>/fd/<fd>) that names the socket's inode, socket:[<inode>]"
            ),
        ));
    };
    let comm = fs::read_to_string("/proc/self/comm").unwrap_or_default();
    let comm = comm.trim_end();
    if owner.name != comm {
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "the owner's name reads \"{}\":\n    {line}\nss shows the process's short command \
                 name, its `comm` in /proc/<pid>/stat (at most 15 bytes): here \"{comm}\"",
                owner.name
            ),
        ));
    }
    let listener_inode = listening_inode(port);
    let target = owner
        .fd
        .and_then(|fd| fs::read_link(format!("/proc/self/fd/{fd}")).ok())
        .map(|target| target.to_string_lossy().into_owned());
    let good_fd = match (&listener_inode, &target) {
        (Some(inode), Some(target)) => *target == format!("socket:[{inode}]"),
        // The check cannot tell which fd is right: it trusts any socket.
        (None, Some(target)) => target.starts_with("socket:["),
        (_, None) => false,
    };
    if !good_fd {
        let fd = owner
            .fd
            .map_or_else(|| "?".to_string(), |fd| fd.to_string());
        let is = target.map_or_else(|| "no open file".to_string(), |t| format!("`{t}`"));
        return Err(Mistake::new(
            LISTENERS,
            format!(
                "the owner's fd is wrong:\n    {line}\nin the server's process, fd {fd} is {is}, \
                 not the listening socket. The fd is the name of the /proc/<pid>/fd entry that \
                 names the socket's inode"
            ),
        ));
    }
    Ok(())
}

fn names_the_flight(port: u16, output: &Output) -> Outcome {
    let expected = format!("Arrow Flight server answering on port {port}: {PAGE_ANSWER}");
    if output.code == Some(0) && output.stdout.lines().any(|line| line == expected) {
        return Ok(());
    }
    let situation = format!("with a Flight server listening on 127.0.0.1:{port}");
    no_panic_no_todo(output, &situation)?;
    let answer = output
        .stdout
        .lines()
        .find(|line| line.starts_with("Arrow Flight server answering"));
    let problem = match answer {
        Some(line) => format!(
            "the reference server has one flight, \"dataset\", of 1000 rows; the program's last \
             line should read\n    {expected}\nit reads\n    {line}\n\
             the Flight question was not asked, or its answer not described: ask the server \
             `list_flights` and describe what it lists (`kit::discovery::describe` words it)"
        ),
        None => format!(
            "the reference server is an Arrow Flight server; once its LISTEN line is printed, \
             the program should ask it a Flight question and print\n    {expected}\n\
             it printed:\n{}",
            indent(&output.transcript())
        ),
    };
    Err(Mistake::new(PROBE, problem))
}

/// The page's pyarrow server answers `list_flights` with UNIMPLEMENTED: an
/// answer in Flight's own protocol, which the program must take as such.
fn accepts_a_server_that_does_not_list(binary: &Path) -> Outcome {
    let server = ReferenceServer::start(Serving {
        lists_flights: false,
        ..Serving::PAGE
    });
    let port = server.port;
    let run = run(binary, &["--port", &port.to_string(), "--timeout", "10"])?;
    let situation = format!(
        "with a Flight server on 127.0.0.1:{port} that does not list its flights (it answers \
         list_flights with UNIMPLEMENTED, as the page's pyarrow server does)"
    );
    run.finished_in_time(&situation)?;
    let output = &run.output;
    let answered = output
        .stdout
        .lines()
        .any(|line| line.starts_with(&format!("Arrow Flight server answering on port {port}")));
    if output.code == Some(0) && answered {
        return Ok(());
    }
    no_panic_no_todo(output, &situation)?;
    Err(Mistake::new(
        PROBE,
        format!(
            "{situation}, the program should still say an Arrow Flight server answers; it \
             printed:\n{}\nUNIMPLEMENTED is a status of Flight's own protocol: whoever sent it \
             speaks Flight, it just does not list its flights",
            indent(&output.transcript())
        ),
    ))
}

fn finds_an_ipv6_listener(binary: &Path) -> Outcome {
    // A machine without IPv6 cannot have this listener, nor the mistake.
    let Ok(listener) = TcpListener::bind("[::1]:0") else {
        return Ok(());
    };
    let port = listener.local_addr().map_or(0, |address| address.port());
    // It never accepts: the program's Flight question goes unanswered, and
    // `--timeout 1` ends the wait. Only the LISTEN line matters here.
    let run = run(binary, &["--port", &port.to_string(), "--timeout", "1"])?;
    drop(listener);
    let situation = format!("with a listener on [::1]:{port} only, an IPv6 address");
    run.finished_in_time(&situation)?;
    let output = &run.output;
    no_panic_no_todo(output, &situation)?;
    let address = format!("[::1]:{port}");
    if socket_lines(&output.stdout)
        .iter()
        .any(|line| line.starts_with("LISTEN") && local_address(line) == Some(&address))
    {
        return Ok(());
    }
    let missed = if output.stderr.contains("nothing is listening on port") {
        format!("the program found nothing listening on port {port}")
    } else {
        "the program printed no LISTEN line for it".to_string()
    };
    Err(Mistake::new(
        LISTENERS,
        format!(
            "{situation}, {missed}:\n{}\nthe IPv6-only listener was missed: a sock_diag \
             question is about one address family, and IPv6 sockets (AF_INET6) are not in \
             the answer about IPv4 (AF_INET). ss asks about both, and so must the program: \
             the page's own server, `*:8815`, listens on IPv6's `::` and only the IPv6 \
             answer holds it",
            indent(&output.transcript())
        ),
    ))
}

fn reports_a_closed_port(binary: &Path) -> Outcome {
    let port = closed_port();
    let run = run(binary, &["--port", &port.to_string()])?;
    let situation = format!("with nothing listening on port {port}");
    run.finished_in_time(&situation)?;
    let output = &run.output;
    no_panic_no_todo(output, &situation)?;
    let expected = format!("error: nothing is listening on port {port}");
    let lines: Vec<&str> = output.stderr.lines().collect();
    if output.code == Some(1) && lines.len() == 1 && lines[0].starts_with(&expected) {
        return Ok(());
    }
    let advice = match socket_lines(&output.stdout).first() {
        Some(line) => format!(
            "\nnothing listens on port {port}, yet the program printed\n    {line}\n\
             keep only the LISTEN sockets whose local port is {port}"
        ),
        None => String::new(),
    };
    Err(Mistake::new(
        LISTENERS,
        format!(
            "{situation}, the program should exit with code 1 after one line on stderr, \
             \"{expected} ...\"; it printed:\n{}{advice}",
            indent(&output.transcript())
        ),
    ))
}

fn refuses_a_listener_that_hangs_up(binary: &Path) -> Outcome {
    let rude = HangUp::start();
    let run = run(
        binary,
        &["--port", &rude.port.to_string(), "--timeout", "5"],
    )?;
    let port = rude.port;
    drop(rude);
    let situation = format!(
        "with a listener on port {port} that is not a Flight server (it closes every \
         connection at once, without a word)"
    );
    run.finished_in_time(&situation)?;
    let output = &run.output;
    no_panic_no_todo(output, &situation)?;
    if output.code == Some(0) {
        let said = output
            .stdout
            .lines()
            .find(|line| line.starts_with("Arrow Flight server answering"))
            .unwrap_or_default();
        return Err(Mistake::new(
            PROBE,
            format!(
                "{situation}, the program still said\n    {said}\nthe answer was not checked: \
                 only an answer in Flight's protocol proves a Flight server. When the Flight \
                 call fails, return its error (an UNIMPLEMENTED status is the one failure that \
                 is still a Flight answer)"
            ),
        ));
    }
    one_line_error(output, &situation, "not an Arrow Flight server")
}

fn gives_up_on_a_silent_listener(binary: &Path) -> Outcome {
    // Never accepted: the kernel completes the connections all the same
    // (they wait in the listener's queue), and nobody answers.
    let silent = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Mistake::new(PROBE, format!("the check could not open a port: {e}")))?;
    let port = silent.local_addr().map_or(0, |address| address.port());
    let run = run(binary, &["--port", &port.to_string(), "--timeout", "1"])?;
    drop(silent);
    let situation = format!(
        "with `--timeout 1` and a listener on port {port} that accepts connections and never \
         answers"
    );
    run.finished_in_time(&situation)?;
    let output = &run.output;
    no_panic_no_todo(output, &situation)?;
    if run.elapsed > SILENT_LIMIT {
        return Err(Mistake::new(
            PROBE,
            format!(
                "{situation}, the program gave up only after {:.0} s: bound the Flight question \
                 with the timeout you are given (`--timeout`), not another",
                run.elapsed.as_secs_f64()
            ),
        ));
    }
    one_line_error(output, &situation, "not an Arrow Flight server")
}

/// A failure is one line on stderr, `error: ...` mentioning `mention`, and exit code 1.
fn one_line_error(output: &Output, situation: &str, mention: &str) -> Outcome {
    let lines: Vec<&str> = output.stderr.lines().collect();
    if output.code == Some(1)
        && lines.len() == 1
        && lines[0].starts_with("error: ")
        && lines[0].contains(mention)
    {
        return Ok(());
    }
    Err(Mistake::new(
        PROBE,
        format!(
            "{situation}, the program should exit with code 1 after one line on stderr, \
             \"error: ...\" saying it is {mention}; it printed:\n{}\n\
             return the probe's error (with `?` or `Err`): run() words it, and kit::exit_code \
             prints it as one line",
            indent(&output.transcript())
        ),
    ))
}

/// The mistakes any run can show: a panic, or a TODO still in place.
fn no_panic_no_todo(output: &Output, situation: &str) -> Outcome {
    let file = if output.stderr.contains("probe.rs") {
        PROBE
    } else {
        LISTENERS
    };
    if output.stderr.contains("panicked") {
        return Err(Mistake::new(
            file,
            format!(
                "{situation}, the program panicked:\n{}\n\
                 return the error instead (with `?`, or `anyhow::bail!`): the program then \
                 ends with one line that says what went wrong",
                indent(&output.transcript())
            ),
        ));
    }
    if let Some(line) = output
        .stderr
        .lines()
        .find(|line| line.contains("TODO(step 3)"))
    {
        let goal = if file == PROBE {
            "ask the listener a Flight question (list_flights) and describe its answer, \
             giving up after the timeout: an open port alone does not prove that a Flight \
             server is the one listening"
        } else {
            "like `ss -lntp | grep 8815` on the page, ask the kernel (sock_diag) for the \
             sockets LISTENing on the port, IPv4 and IPv6, and find the processes that hold \
             them open"
        };
        return Err(Mistake::new(
            file,
            format!(
                "{file} still has its TODO(step 3). {}, the program stopped at\n    \
                 {line}\nyour part: {goal}",
                capitalized(situation)
            ),
        ));
    }
    Ok(())
}

/// `with a ...` -> `With a ...`, to start a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The program's lines that are sockets, as `ss` prints them (all but the
/// Flight answer).
fn socket_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with("Arrow Flight server"))
        .collect()
}

/// The local address of an ss-style line: its fourth column.
fn local_address(line: &str) -> Option<&str> {
    line.split_whitespace().nth(3)
}

fn local_port(line: &str) -> Option<u16> {
    local_address(line)?.rsplit_once(':')?.1.parse().ok()
}

/// One `("name",pid=N,fd=M)` of `users:((...))`.
struct Shown {
    name: String,
    pid: Option<u32>,
    fd: Option<u32>,
}

/// `"python",pid=4255,fd=7),("x",pid=1,fd=3))` (what follows `users:((`).
fn parse_owners(users: &str) -> Vec<Shown> {
    users
        .split("),(")
        .map(|owner| {
            let owner = owner.trim_end_matches(')');
            let mut fields = owner.split(',');
            let name = fields
                .next()
                .unwrap_or_default()
                .trim_matches('"')
                .to_string();
            let mut shown = Shown {
                name,
                pid: None,
                fd: None,
            };
            for field in fields {
                if let Some(pid) = field.strip_prefix("pid=") {
                    shown.pid = pid.parse().ok();
                } else if let Some(fd) = field.strip_prefix("fd=") {
                    shown.fd = fd.parse().ok();
                }
            }
            shown
        })
        .collect()
}

/// The inode of the socket listening on 127.0.0.1:`port`, from the
/// kernel's table (the check's own reading, to judge the fd shown).
fn listening_inode(port: u16) -> Option<u64> {
    let table = fs::read_to_string("/proc/net/tcp").ok()?;
    // The kernel writes an IPv4 address as one 32-bit word in the machine's
    // byte order: 127.0.0.1 is 0100007F on x86 and on Arm64 as Linux runs it.
    let loopback = u32::from_ne_bytes([127, 0, 0, 1]);
    let local = format!("{loopback:08X}:{port:04X}");
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // 0A is LISTEN.
        let listening = fields.get(3) == Some(&"0A");
        (fields.get(1) == Some(&local.as_str()) && listening)
            .then(|| fields.get(9)?.parse().ok())
            .flatten()
    })
}

/// A run of the program.
struct Run {
    output: Output,
    elapsed: Duration,
    /// False when the program was still running after [`RUN_LIMIT`] and was ended.
    finished: bool,
}

impl Run {
    /// A program that had to be stopped is a mistake: in the probe when it
    /// had printed its sockets (it waits for an answer that never comes),
    /// in the listing otherwise.
    fn finished_in_time(&self, situation: &str) -> Outcome {
        if self.finished {
            return Ok(());
        }
        let limit = RUN_LIMIT.as_secs();
        let transcript = indent(&self.output.transcript());
        if socket_lines(&self.output.stdout).is_empty() {
            return Err(Mistake::new(
                LISTENERS,
                format!(
                    "{situation}, the program printed nothing in {limit} s and was stopped:\n\
                     {transcript}\nasking the kernel for its sockets and reading the processes' \
                     open files takes well under a second: is something waiting, or looping?"
                ),
            ));
        }
        Err(Mistake::new(
            PROBE,
            format!(
                "{situation}, the program was still waiting after {limit} s and was stopped:\n\
                 {transcript}\nthe Flight question got no answer, and the program kept waiting \
                 for one: bound the question with the timeout it is given (`--timeout`, passed \
                 to probe), and give up with an error when it runs out"
            ),
        ))
    }
}

/// Runs `binary` with `args`, for at most [`RUN_LIMIT`].
fn run(binary: &Path, args: &[&str]) -> Result<Run, Mistake> {
    let cannot_run = |e: std::io::Error| {
        Mistake::new(LISTENERS, format!("cannot run {}: {e}", binary.display()))
    };
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(args)
        // A panic is quoted in the message: its first lines say where, a
        // backtrace would only bury them.
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(cannot_run)?;
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let status = loop {
        if let Some(status) = child.try_wait().map_err(cannot_run)? {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    Ok(Run {
        output: Output {
            code: status.and_then(|status| status.code()),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        },
        elapsed,
        finished: status.is_some(),
    })
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_end(&mut bytes).ok();
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A listener that is not a Flight server: it accepts every connection and
/// closes it at once. On its own thread until dropped.
struct HangUp {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HangUp {
    fn start() -> HangUp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("the port").port();
        // Not blocking, so that the thread sees `stop` between connections.
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let thread = thread::spawn({
            let stop = stop.clone();
            move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((connection, _)) => drop(connection),
                        Err(_) => thread::sleep(Duration::from_millis(10)),
                    }
                }
            }
        });
        HangUp {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for HangUp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}
