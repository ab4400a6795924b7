//! Step 3: is the server up? The learner's program runs as a real process
//! against servers of every kind the port may hold: the checks' own Flight
//! server, as it describes itself in full and in brief; one that describes
//! nothing, as the page's pyarrow server; a web server; and nothing at all.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use harness::Output;
use kit::discovery::{Flight, flight_info, report};

use crate::reference::{ReferenceServer, Serving, closed_port, page_table};
use crate::report::is_one_error_line;
use crate::table::indent;
use crate::{Check, Mistake, Outcome, self_check};

const PROBE: &str = "src/probe.rs";

/// The self-check of step 3, for the crate in `crate_dir` and its binary.
pub fn check(crate_dir: &str, binary: &str) -> ExitCode {
    let binary = Path::new(binary);
    let page = Serving::PAGE;
    self_check(
        3,
        crate_dir,
        vec![
            Check::new("it prints ss's line, then what the server serves", || {
                describes(binary, page, "")
            }),
            Check::new(
                "a server that describes its flights in brief: each one asked",
                || {
                    let brief = Serving {
                        in_brief: true,
                        ..page
                    };
                    describes(binary, brief, BRIEF_ADVICE)
                },
            ),
            Check::new(
                "the page's pyarrow server (UNIMPLEMENTED) is still Flight",
                || says_it_does_not_describe_itself(binary),
            ),
            Check::new("a web server on the port: one line, exit code 1", || {
                names_a_web_server(binary)
            }),
            Check::new("nothing on the port: one line, exit code 1", || {
                let output = run(binary, closed_port())?;
                one_line_error(&output, "with nothing listening", "nothing is listening")
            }),
        ],
    )
}

const BRIEF_ADVICE: &str = "\nthis server lists its flights in brief, as a Flight server may: \
    the listing names each flight (its descriptor), get_flight_info, asked with that \
    descriptor, says what the flight holds and where to read it, and get_schema gives its \
    columns; ask both, for each flight listed";

fn run(binary: &Path, port: u16) -> Result<Output, Mistake> {
    let port = port.to_string();
    harness::run(binary, &["--port", &port, "--timeout", "5"])
        .map_err(|error| Mistake::new(PROBE, format!("{error:#}")))
}

/// What the program must print after ss's lines, for the checks' server.
fn expected_report(port: u16, serving: Serving) -> String {
    let table = page_table(serving.rows, serving.batch_rows);
    let info = flight_info(&table).expect("the reference table's info");
    let flight = Flight {
        info,
        schema: table.schema.clone(),
    };
    report(port, Some(&[flight])) + "\n"
}

/// ss's lines, then the report: the report must be the expected one.
fn describes(binary: &Path, serving: Serving, advice: &str) -> Outcome {
    let server = ReferenceServer::start(serving);
    let output = run(binary, server.port)?;
    let expected = expected_report(server.port, serving);
    let after_ss: String = output
        .stdout
        .lines()
        .skip_while(|line| line.starts_with("LISTEN"))
        .map(|line| format!("{line}\n"))
        .collect();
    if !output.stdout.starts_with("LISTEN") {
        return Err(Mistake::new(
            "src/lib.rs",
            format!(
                "the program printed no LISTEN line of ss for port {}: is ss installed \
                 (iproute2)? it printed:\n{}",
                server.port,
                indent(&output.transcript())
            ),
        ));
    }
    if output.code == Some(0) && after_ss == expected {
        return Ok(());
    }
    let todo = if output.stderr.contains("TODO(step 3)") {
        "\nflights is still the TODO: ask the server which flights it has, and what each holds"
    } else {
        advice
    };
    Err(Mistake::new(
        PROBE,
        format!(
            "after ss's line, the program should print what the server says of itself:\n{}\
             it printed:\n{}{todo}",
            indent(&expected),
            indent(&output.transcript())
        ),
    ))
}

/// The checks' server answering UNIMPLEMENTED to the calls that describe
/// flights, as the page's pyarrow server does: a Flight server all the same.
fn says_it_does_not_describe_itself(binary: &Path) -> Outcome {
    let server = ReferenceServer::start(Serving {
        lists_flights: false,
        ..Serving::PAGE
    });
    let output = run(binary, server.port)?;
    let expected = report(server.port, None);
    if output.code == Some(0) && output.stdout.lines().last() == Some(expected.as_str()) {
        return Ok(());
    }
    Err(Mistake::new(
        PROBE,
        format!(
            "against a Flight server that answers list_flights with UNIMPLEMENTED, as the \
             page's own pyarrow server does, the program should end with\n{}\n\
             it printed:\n{}\nUNIMPLEMENTED is an answer in Flight's protocol: the port holds \
             a Flight server, one that does not describe its flights (None)",
            indent(&expected),
            indent(&output.transcript())
        ),
    ))
}

fn names_a_web_server(binary: &Path) -> Outcome {
    let web = WebServer::start();
    let output = run(binary, web.port)?;
    one_line_error(
        &output,
        "with a web server on the port",
        "is not a gRPC server",
    )
    .map_err(|mut mistake| {
        mistake.problem += "\nthe failed Flight call says little by itself: return it through \
                            kit::explain, so that the program can look at what answered";
        mistake
    })
}

/// One line on stderr, `error: ...` mentioning `should_mention`, exit code 1.
fn one_line_error(output: &Output, situation: &str, should_mention: &str) -> Outcome {
    if is_one_error_line(output, should_mention) {
        return Ok(());
    }
    Err(Mistake::new(
        PROBE,
        format!(
            "{situation}, the program should exit with code 1 after one line on stderr, \
             \"error: ...\" mentioning \"{should_mention}\"; it printed:\n{}",
            indent(&output.transcript())
        ),
    ))
}

/// A web server on 127.0.0.1 and a free port, on its own thread until
/// dropped: it answers whatever comes with `400 Bad Request`, as a web
/// server answers HTTP/2's greeting.
struct WebServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl WebServer {
    fn start() -> WebServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its port").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut greeting = [0u8; 64];
                let _ = stream.read(&mut greeting);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            }
        });
        WebServer {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the thread from accept, to see that it is to stop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}
