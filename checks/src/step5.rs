//! Step 5: TLS and a bearer token. The step's server runs as a real process
//! with a fresh self-signed certificate; the checks' own TLS client knocks
//! with the right token, a wrong one, none, and tokens that only resemble it;
//! the step's client reads the table; a plaintext client is turned away.
//!
//! The checks' client comes first, so that a mistake is put where it is: a
//! table it reads proves the server's TLS and token check right, and then a
//! failure of the step's client is the client's TLS settings. Whether the
//! token is compared in constant time cannot be seen from outside: it is not
//! checked.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use arrow_flight::FlightClient;
use arrow_flight::flight_service_client::FlightServiceClient;
use harness::{Output, Server};
use kit::PAGE_ROWS;
use tonic::Code;
use tonic::transport::{Certificate, ClientTlsConfig};

use crate::reference::{FetchError, Fetched, closed_port, fetch};
use crate::report::is_one_error_line;
use crate::table::{indent, rows_problem, schema_problem};
use crate::{Check, Mistake, Outcome, PAGE_CLIENT_OUTPUT, self_check};

/// The token the checks give the server.
pub const TOKEN: &str = "the-self-check-token";

const TLS: &str = "src/tls.rs";
const TOKEN_CHECK: &str = "src/token.rs";

/// How long one call of the checks' client may take before it counts as hung.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The self-check of step 5, for the crate in `crate_dir` and its two binaries.
pub fn check(crate_dir: &str, server_binary: &str, client_binary: &str) -> ExitCode {
    let server_binary = Path::new(server_binary);
    let client_binary = Path::new(client_binary);
    // A folder of its own, removed at the end; the server makes `tls/` in it,
    // with its certificate, on its first run.
    let folder = match tempfile::Builder::new()
        .prefix("flight-path-step5-")
        .tempdir()
    {
        Ok(folder) => folder,
        Err(error) => {
            eprintln!("error: cannot make a scratch folder for the check: {error}");
            return ExitCode::FAILURE;
        }
    };
    let tls = folder.path().join("tls");
    // One server, started by the first check and knocked on by the others.
    let server: RefCell<Option<SecureServer>> = RefCell::new(None);
    let with_server = |check: &dyn Fn(&SecureServer) -> Outcome| match server.borrow().as_ref() {
        Some(server) => check(server),
        None => Err(Mistake::new(TLS, "the server is not running")),
    };
    self_check(
        5,
        crate_dir,
        vec![
            Check::new("the server starts with TLS and its own certificate", || {
                *server.borrow_mut() = Some(starts(server_binary, &tls)?);
                Ok(())
            }),
            Check::new("over TLS, the right token reads the page's table", || {
                with_server(&the_right_token_reads_the_table)
            }),
            Check::new(
                "your client reads the table over TLS, with the token",
                || with_server(&|server| the_client_reads_the_table(server, client_binary)),
            ),
            Check::new(
                "your client expects the name it dials, the URL's host",
                || the_client_expects_the_urls_host(server_binary, client_binary, folder.path()),
            ),
            Check::new("a wrong token is refused with UNAUTHENTICATED", || {
                with_server(&|server| {
                    is_refused(server, Some(&bearer("not-the-token")), "a wrong token")
                })
            }),
            Check::new(
                "a call without a token is refused with UNAUTHENTICATED",
                || with_server(&|server| is_refused(server, None, "no authorization header")),
            ),
            Check::new(
                "the scheme in any case: `bearer <token>` reads the table",
                || with_server(&any_case_of_the_scheme_is_accepted),
            ),
            Check::new(
                "a wrong token is refused on every call, not only do_get",
                || with_server(&every_call_is_guarded),
            ),
            Check::new("tokens that only resemble it are refused", || {
                with_server(&look_alikes_are_refused)
            }),
            Check::new("a plaintext client (grpc://) is turned away", || {
                with_server(&plaintext_is_refused)
            }),
            Check::new(
                "no server: your client says so in one line, exit code 1",
                || with_server(&|server| no_server_is_one_line(server, client_binary)),
            ),
        ],
    )
}

/// A secure server of the step on 127.0.0.1 and a free port, its
/// certificate made in `tls_dir`, `FLIGHT_TOKEN` set to [`TOKEN`].
pub struct SecureServer {
    pub server: Server,
    /// The certificate clients trust: `tls_dir/server.crt`.
    pub ca_cert: PathBuf,
}

impl SecureServer {
    /// Starts the server, or panics with its error (for the tests; the
    /// self-check uses [`SecureServer::launch`]).
    pub fn start(server_binary: &Path, tls_dir: &Path) -> SecureServer {
        SecureServer::launch(server_binary, tls_dir)
            .unwrap_or_else(|error| panic!("the secure server did not start: {error:#}"))
    }

    /// Starts the server and waits for its "running on port" line.
    pub fn launch(server_binary: &Path, tls_dir: &Path) -> anyhow::Result<SecureServer> {
        SecureServer::launch_with(server_binary, tls_dir, &[])
    }

    /// [`SecureServer::launch`], with more arguments (`--san 127.0.0.1`).
    fn launch_with(
        server_binary: &Path,
        tls_dir: &Path,
        more: &[&str],
    ) -> anyhow::Result<SecureServer> {
        let dir = tls_dir.to_string_lossy();
        let mut args = vec!["--host", "127.0.0.1", "--port", "0", "--tls-dir", &dir];
        args.extend(more);
        let server = Server::start_with_env(server_binary, &args, &env(Some(TOKEN)))?;
        Ok(SecureServer {
            server,
            ca_cert: tls_dir.join("server.crt"),
        })
    }

    /// `grpc+tls://localhost:PORT`: the name the certificate carries.
    pub fn tls_url(&self) -> String {
        format!("grpc+tls://localhost:{}", self.server.port)
    }

    /// Runs the step's client against this server with `token` in
    /// `FLIGHT_TOKEN` (None: unset), or panics if it cannot be run.
    pub fn run_client(&self, client_binary: &Path, token: Option<&str>) -> Output {
        self.try_run_client(client_binary, &self.tls_url(), token)
            .unwrap_or_else(|error| panic!("{error:#}"))
    }

    fn try_run_client(
        &self,
        client_binary: &Path,
        url: &str,
        token: Option<&str>,
    ) -> anyhow::Result<Output> {
        let ca = self.ca_cert.to_string_lossy();
        let args = ["--url", url, "--ca-cert", &ca];
        harness::run_with_env(client_binary, &args, &env(token))
    }
}

/// The programs' environment: `FLIGHT_TOKEN`, and no backtraces (a panic
/// is quoted in a message: its first lines say what happened).
fn env(token: Option<&str>) -> [(&'static str, Option<&str>); 3] {
    [
        ("FLIGHT_TOKEN", token),
        ("RUST_BACKTRACE", None),
        ("RUST_LIB_BACKTRACE", None),
    ]
}

/// A program's error output, for a message: without the note on how to get
/// a backtrace, and at most a dozen lines.
fn quote(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .take(12)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a server that did not start said: its `error:` lines if it printed
/// any (the harness's error is "the server did not start (STATUS): STDERR"),
/// else all of it.
fn what_it_said(error: &str) -> String {
    let stderr = error
        .strip_prefix("the server did not start (")
        .and_then(|rest| rest.split_once("): "))
        .map_or(error, |(_, stderr)| stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    if errors.is_empty() {
        // The server's own notes are not why it stopped.
        let said: Vec<&str> = stderr
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.contains("Made a self-signed"))
            .collect();
        quote(&said.join("\n"))
    } else {
        errors.join("\n")
    }
}

/// `Bearer <token>`: the value of the `authorization` header.
fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn starts(server_binary: &Path, tls_dir: &Path) -> Result<SecureServer, Mistake> {
    SecureServer::launch(server_binary, tls_dir).map_err(|error| {
        let why = what_it_said(&format!("{error:#}"));
        if let Some(mistake) = earlier_step(&why) {
            return mistake;
        }
        let advice = if why.contains("TODO(step 5)") {
            "server_tls is still the TODO: it gives the server its TLS settings, the \
             certificate it shows to clients and the private key that proves the \
             certificate is its own"
        } else if why.contains("panicked") {
            "it panicked while setting up TLS: tonic needs the server's identity (its \
             certificate and private key, both in PEM) to accept TLS connections"
        } else {
            "server_tls is given the PEM texts of the certificate and its key (made in \
             --tls-dir on the first run): the TLS settings must be built from them"
        };
        Mistake::new(
            TLS,
            format!("the server did not start:\n{}\n{advice}", indent(&why)),
        )
    })
}

/// What the checks' TLS client gets: a table, or why not.
fn knock(server: &SecureServer, authorization: Option<&str>) -> Result<Fetched, FetchError> {
    let ca_pem = std::fs::read_to_string(&server.ca_cert).map_err(|error| {
        FetchError::Connect(format!(
            "the server made no certificate to trust, {}: {error}",
            server.ca_cert.display()
        ))
    })?;
    let call = async {
        let mut client = tls_client(server, &ca_pem, authorization).await?;
        let mut stream = client
            .do_get(arrow_flight::Ticket::new(kit::TICKET))
            .await
            .map_err(flight_error)?;
        let batches = futures::TryStreamExt::try_collect(&mut stream)
            .await
            .map_err(flight_error)?;
        Ok(Fetched {
            schema: stream.schema().cloned(),
            batches,
        })
    };
    in_time(call)
}

/// The checks' TLS client for `server`, trusting `ca_pem`, sending
/// `authorization` (None: no such header) with every call.
async fn tls_client(
    server: &SecureServer,
    ca_pem: &str,
    authorization: Option<&str>,
) -> Result<FlightClient, FetchError> {
    let url = format!("grpc+tls://127.0.0.1:{}", server.server.port);
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .domain_name("localhost");
    let channel = kit::tls_endpoint(&url)
        .and_then(|endpoint| Ok(endpoint.tls_config(tls)?))
        .map_err(|e| FetchError::Connect(format!("{e:#}")))?
        .connect()
        .await
        .map_err(|e| FetchError::Connect(format!("{:#}", kit::explain_connect(&url, &e))))?;
    let inner = FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX);
    let mut client = FlightClient::new_from_inner(inner);
    if let Some(value) = authorization {
        client
            .add_header("authorization", value)
            .map_err(|e| FetchError::Other(e.to_string()))?;
    }
    Ok(client)
}

/// Runs `call` on a runtime of its own, for at most [`CALL_TIMEOUT`].
fn in_time<T>(
    call: impl std::future::Future<Output = Result<T, FetchError>>,
) -> Result<T, FetchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        tokio::time::timeout(CALL_TIMEOUT, call)
            .await
            .unwrap_or_else(|_| {
                Err(FetchError::Connect(format!(
                    "no answer in {CALL_TIMEOUT:?}"
                )))
            })
    })
}

fn flight_error(error: arrow_flight::error::FlightError) -> FetchError {
    match error {
        arrow_flight::error::FlightError::Tonic(status) => FetchError::Status(*status),
        other => FetchError::Other(other.to_string()),
    }
}

/// Step 5's programs are built on the learner's steps 1, 2 and 4: a
/// `TODO(step N)` of one of those is not step 5's mistake.
fn earlier_step(text: &str) -> Option<Mistake> {
    const EARLIER: [(usize, &str, &str, &str); 3] = [
        (
            1,
            "../01-build-table/src/lib.rs",
            "step-01-build-table",
            "the table",
        ),
        (
            2,
            "../02-server/src/service.rs",
            "step-02-server",
            "the Flight service",
        ),
        (4, "../04-client/src/lib.rs", "step-04-client", "read_table"),
    ];
    let (number, file, package, what) = EARLIER
        .into_iter()
        .find(|(number, ..)| text.contains(&format!("TODO(step {number})")))?;
    let line = text
        .lines()
        .find(|line| line.contains(&format!("TODO(step {number})")))
        .unwrap_or_default()
        .trim();
    Some(Mistake::new(
        file,
        format!(
            "step 5's server and client are your earlier steps with TLS and a token around \
             them: {what} is your step {number}'s, and step {number} is not finished:\n    \
             {line}\nfinish it first (`cargo test -p {package}` says what is missing), or put \
             the model answer there for now with `cargo tutor solve {number}`"
        ),
    ))
}

/// The table arrived, so TLS and the token work: whatever is wrong with it
/// comes from the steps that make and serve it.
fn table_problem(fetched: &Fetched) -> Option<Mistake> {
    let problem = match &fetched.schema {
        None => Some("the stream carried no schema".to_string()),
        Some(schema) => schema_problem(schema)
            .map(|problem| format!("its schema: {problem}"))
            .or_else(|| rows_problem(&fetched.batches, PAGE_ROWS)),
    }?;
    Some(Mistake::new(
        "../01-build-table/src/lib.rs",
        format!(
            "the table arrived over TLS with the right token, so your TLS and token check \
             work; but it is not the page's table: {problem}\nstep 5 serves the table of your \
             step 1 through the service of your step 2: check them \
             (`cargo test -p step-01-build-table`, `cargo test -p step-02-server`)"
        ),
    ))
}

fn the_right_token_reads_the_table(server: &SecureServer) -> Outcome {
    let error = match knock(server, Some(&bearer(TOKEN))) {
        Ok(fetched) => return table_problem(&fetched).map_or(Ok(()), Err),
        Err(error) => error,
    };
    let header = format!("authorization: {}", bearer(TOKEN));
    match error {
        FetchError::Status(status) => {
            let said = format!("{:?}: \"{}\"", status.code(), status.message());
            if let Some(mistake) = earlier_step(status.message()) {
                return Err(mistake);
            }
            let advice = if status.message().contains("TODO(step 5)") {
                "token::check is still the TODO: it runs before every call, and lets through the \
                 calls that carry the right token"
                    .to_string()
            } else if matches!(
                status.code(),
                Code::Unauthenticated | Code::PermissionDenied
            ) {
                format!(
                    "the client sends the header `{header}` (token::header_value), and the \
                     server expects the token \"{TOKEN}\" (from FLIGHT_TOKEN): check must let \
                     exactly that through"
                )
            } else {
                "if this answer is your token check's, it must let the right token through; \
                 if it is do_get's, see step 2 (`cargo test -p step-02-server`)"
                    .to_string()
            };
            Err(Mistake::new(
                TOKEN_CHECK,
                format!(
                    "a TLS client sending `{header}`, the right token, was refused:\n    \
                     {said}\n{advice}"
                ),
            ))
        }
        FetchError::Connect(why) => {
            let plain = format!("grpc://127.0.0.1:{}", server.server.port);
            if let Some(answer) = plaintext_answer(&fetch(&plain, kit::TICKET.as_bytes())) {
                return Err(Mistake::new(
                    "src/bin/server.rs",
                    format!(
                        "the server does not use TLS: a TLS client could not connect ({why}), \
                         and a plaintext client ({plain}) {answer}\nthe server must be given \
                         server_tls's settings (Server::builder().tls_config(...), in \
                         src/bin/server.rs)"
                    ),
                ));
            }
            Err(Mistake::new(
                TLS,
                format!(
                    "a TLS client that trusts the server's certificate ({}) and expects the \
                     name localhost could not connect:\n    {why}\nthe server must present \
                     the certificate and the private key it is given, and no other",
                    server.ca_cert.display()
                ),
            ))
        }
        FetchError::Other(why) => Err(Mistake::new(
            "../02-server/src/service.rs",
            format!(
                "over TLS with the right token, the stream could not be read: {why}\n\
                 TLS and the token work; the stream is your step 2's: \
                 `cargo test -p step-02-server` says what is wrong"
            ),
        )),
    }
}

fn the_client_reads_the_table(server: &SecureServer, client_binary: &Path) -> Outcome {
    let output = server
        .try_run_client(client_binary, &server.tls_url(), Some(TOKEN))
        .map_err(|error| Mistake::new(TLS, format!("{error:#}")))?;
    if output.code == Some(0) && output.stdout == PAGE_CLIENT_OUTPUT {
        return Ok(());
    }
    if let Some(mistake) = earlier_step(&output.stderr) {
        return Err(mistake);
    }
    let (file, advice) = if output.stderr.contains("TODO(step 5)") {
        (
            TLS,
            "client_tls is still the TODO: it gives the client its TLS settings, which \
             certificate to trust and which name the server's certificate must carry",
        )
    } else if output.stderr.contains("Unauthenticated") {
        (
            TOKEN_CHECK,
            "the server refused your client's token: the client must send the header \
             `authorization: Bearer <token>` (token::header_value)",
        )
    } else if output.stderr.contains("panicked") {
        (
            TLS,
            "your client panicked: client_tls returns its errors (anyhow::Result), and the \
             program prints them as one line",
        )
    } else if output.code != Some(0) {
        (
            TLS,
            "the checks' own TLS client reads the table from this server, so the server is \
             right; your client's TLS settings must trust the certificate it is given \
             (--ca-cert, the server's server.crt: self-signed, it is its own authority) and \
             expect the name of the server it dials (localhost here)",
        )
    } else {
        (
            TLS,
            "it connected, but did not print the page's output: the checks' own client reads \
             the right table from this server",
        )
    };
    Err(Mistake::new(
        file,
        format!(
            "over TLS with the right token ({}), your client should print:\n{}\n\
             it printed:\n{}\n{advice}",
            server.tls_url(),
            indent(PAGE_CLIENT_OUTPUT),
            indent(&output.transcript())
        ),
    ))
}

/// A server whose certificate names 127.0.0.1 alone (`--san 127.0.0.1`),
/// dialled as `grpc+tls://127.0.0.1:PORT`: a client that expects the host of
/// its URL reads the table; one that expects a name of its own (`localhost`)
/// refuses the certificate.
fn the_client_expects_the_urls_host(
    server_binary: &Path,
    client_binary: &Path,
    scratch: &Path,
) -> Outcome {
    let tls = scratch.join("tls-127.0.0.1");
    let server = SecureServer::launch_with(server_binary, &tls, &["--san", "127.0.0.1"]).map_err(
        |error| {
            Mistake::new(
                TLS,
                format!(
                    "the server did not start with `--san 127.0.0.1`:
{}",
                    indent(&what_it_said(&format!("{error:#}")))
                ),
            )
        },
    )?;
    let url = format!("grpc+tls://127.0.0.1:{}", server.server.port);
    let output = server
        .try_run_client(client_binary, &url, Some(TOKEN))
        .map_err(|error| Mistake::new(TLS, format!("{error:#}")))?;
    if output.code == Some(0) && output.stdout == PAGE_CLIENT_OUTPUT {
        return Ok(());
    }
    Err(Mistake::new(
        TLS,
        format!(
            "against a server whose certificate names 127.0.0.1 and nothing else, your client, \
             dialling {url}, should print the page's output; it printed:\n{}\n\
             a client must expect the name of the server it dials, the host in its URL \
             (client_tls's server_name), not a name of its own: a certificate proves who the \
             server is only for the name the client checks",
            indent(&output.transcript())
        ),
    ))
}

/// A call with `authorization` (None: no such header) must be UNAUTHENTICATED.
fn is_refused(server: &SecureServer, authorization: Option<&str>, what: &str) -> Outcome {
    let sent = match authorization {
        Some(value) => format!("with the header `authorization: {value}` ({what})"),
        None => format!("with {what}"),
    };
    match knock(server, authorization) {
        Err(FetchError::Status(status)) if status.code() == Code::Unauthenticated => Ok(()),
        Ok(fetched) => {
            let rows: usize = fetched.batches.iter().map(|b| b.num_rows()).sum();
            let advice = if authorization.is_none() {
                "a call that carries no token must be refused too, saying what to send: \
                 `authorization: Bearer <token>`"
            } else {
                "the server must compare the token it receives with the one it expects \
                 (FLIGHT_TOKEN), the whole of it, and refuse any other"
            };
            Err(Mistake::new(
                TOKEN_CHECK,
                format!(
                    "a call {sent} read the table ({rows} rows), and so could anyone who \
                     finds the port\n{advice}, with UNAUTHENTICATED"
                ),
            ))
        }
        Err(FetchError::Status(status)) => Err(Mistake::new(
            TOKEN_CHECK,
            format!(
                "a call {sent} was refused, but with {:?} (\"{}\"), not UNAUTHENTICATED\n\
                 UNAUTHENTICATED means \"who are you?\": the credentials are missing or \
                 wrong, as here; PERMISSION_DENIED is for a caller the server knows but \
                 does not allow; clients (pyarrow's too) tell them apart",
                status.code(),
                status.message()
            ),
        )),
        Err(FetchError::Connect(why) | FetchError::Other(why)) => Err(Mistake::new(
            TOKEN_CHECK,
            format!(
                "a call {sent} broke the connection instead of being answered \
                 UNAUTHENTICATED: {why}"
            ),
        )),
    }
}

/// HTTP's authentication schemes are case-insensitive (RFC 9110, section
/// 11.1): `bearer` and `BEARER` are `Bearer`, and some clients send them so.
fn any_case_of_the_scheme_is_accepted(server: &SecureServer) -> Outcome {
    for scheme in ["bearer", "BEARER"] {
        let value = format!("{scheme} {TOKEN}");
        if let Err(error) = knock(server, Some(&value)) {
            let said = match error {
                FetchError::Status(status) => {
                    format!("{:?}: \"{}\"", status.code(), status.message())
                }
                FetchError::Connect(why) | FetchError::Other(why) => why,
            };
            return Err(Mistake::new(
                TOKEN_CHECK,
                format!(
                    "a call with the header `authorization: {value}` (the right token) was \
                     refused ({said}): HTTP's authentication schemes are case-insensitive \
                     (RFC 9110, section 11.1), and some clients write `bearer`; accept the \
                     scheme in any case, the token exactly"
                ),
            ));
        }
    }
    Ok(())
}

/// The calls that describe the table, with a wrong token: each must be
/// UNAUTHENTICATED, as do_get is. The flights' names are worth guarding too.
fn every_call_is_guarded(server: &SecureServer) -> Outcome {
    let ca_pem = std::fs::read_to_string(&server.ca_cert)
        .map_err(|error| Mistake::new(TLS, format!("cannot read the certificate: {error}")))?;
    let wrong = bearer("not-the-token");
    let descriptor = arrow_flight::FlightDescriptor::new_path(vec![kit::TICKET.to_string()]);
    let answers = in_time(async {
        let mut client = tls_client(server, &ca_pem, Some(&wrong)).await?;
        let listed = match client.list_flights(Vec::new()).await {
            Ok(stream) => futures::TryStreamExt::try_collect::<Vec<_>>(stream)
                .await
                .map(|_| ()),
            Err(error) => Err(error),
        };
        let info = client.get_flight_info(descriptor.clone()).await.map(|_| ());
        let schema = client.get_schema(descriptor).await.map(|_| ());
        Ok([
            ("list_flights", listed),
            ("get_flight_info", info),
            ("get_schema", schema),
        ])
    })
    .map_err(|error| match error {
        FetchError::Status(status) => Mistake::new(TLS, status.message().to_string()),
        FetchError::Connect(why) | FetchError::Other(why) => Mistake::new(TLS, why),
    })?;
    for (call, answer) in answers {
        let refused = matches!(
            &answer,
            Err(arrow_flight::error::FlightError::Tonic(status))
                if status.code() == Code::Unauthenticated
        );
        if !refused {
            let got = match answer {
                Ok(()) => "an answer".to_string(),
                Err(error) => error.to_string(),
            };
            return Err(Mistake::new(
                TOKEN_CHECK,
                format!(
                    "{call} with a wrong token got {got}, not UNAUTHENTICATED: the check must \
                     guard every call of the server, not do_get alone (a tonic interceptor \
                     runs before each call of the service it wraps)"
                ),
            ));
        }
    }
    Ok(())
}

fn look_alikes_are_refused(server: &SecureServer) -> Outcome {
    let cut = &TOKEN[..TOKEN.len() - 1];
    let longer = format!("{TOKEN}-and-more");
    let cases = [
        (bearer(cut), "the token cut short by one character"),
        (bearer(&longer), "the token with more after it"),
        (bearer(""), "an empty token"),
    ];
    for (value, what) in &cases {
        is_refused(server, Some(value), what)?;
    }
    Ok(())
}

fn plaintext_is_refused(server: &SecureServer) -> Outcome {
    let url = format!("grpc://127.0.0.1:{}", server.server.port);
    match plaintext_answer(&fetch(&url, kit::TICKET.as_bytes())) {
        None => Ok(()),
        Some(answer) => Err(Mistake::new(
            TLS,
            format!(
                "a plaintext client ({url}) {answer}: what crosses the network in plaintext, \
                 the token and the table, anyone on the way can read\nthe server must speak \
                 TLS only"
            ),
        )),
    }
}

/// What a plaintext client got that only a server speaking plaintext gRPC
/// gives: the table, or a status the server sent. None when the connection
/// failed, as it does against a TLS server (tonic then reports a status
/// too, but one caused by a transport error).
fn plaintext_answer(result: &Result<Fetched, FetchError>) -> Option<String> {
    match result {
        Ok(_) => Some("read the table".to_string()),
        Err(FetchError::Status(status)) if std::error::Error::source(status).is_none() => {
            Some(format!(
                "was answered {:?} (\"{}\")",
                status.code(),
                status.message()
            ))
        }
        Err(_) => None,
    }
}

fn no_server_is_one_line(server: &SecureServer, client_binary: &Path) -> Outcome {
    let url = format!("grpc+tls://localhost:{}", closed_port());
    let output = server
        .try_run_client(client_binary, &url, Some(TOKEN))
        .map_err(|error| Mistake::new(TLS, format!("{error:#}")))?;
    if is_one_error_line(&output, "cannot connect") {
        return Ok(());
    }
    let mut problem = format!(
        "with no server listening ({url}), the client should exit with code 1 after one \
         line on stderr, \"error: cannot connect ...\"; it printed:\n{}",
        indent(&output.transcript())
    );
    if output.stderr.contains("panicked") {
        problem.push_str("\nit panicked: return errors from client_tls (anyhow::Result) instead");
    }
    Err(Mistake::new(TLS, problem))
}
