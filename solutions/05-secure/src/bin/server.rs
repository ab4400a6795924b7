//! `cargo run -p solution-05-secure --bin solution-05-secure-server`: the
//! page's server, with TLS and a bearer token (from `FLIGHT_TOKEN`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arrow_flight::flight_service_server::FlightServiceServer;
use clap::Parser;
use flight_server::TableService;
use kit::{DEFAULT_PORT, PAGE_ROWS};
use kit::{certificate, token_from_env};
use page_table::build_table;
use solution_05_secure::{tls, token};
use tonic::{Request, Status};

// Its own flags rather than kit's ServerArgs: the default address differs
// (127.0.0.1: a secure server is opened to other machines on purpose, with
// --host 0.0.0.0), and the certificate flags are this server's alone.

/// Serve the page's table over Arrow Flight with TLS, to clients that send the token.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on. 127.0.0.1 (this machine only) unless you mean to
    /// serve other machines: then 0.0.0.0.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Rows in the served table.
    #[arg(long, default_value_t = PAGE_ROWS)]
    rows: usize,
    /// Folder of the self-signed certificate, made there on the first run, and made again
    /// when the names it must carry change.
    #[arg(long, default_value = "tls")]
    tls_dir: PathBuf,
    /// A name or address clients dial, for the self-signed certificate; repeat it for more
    /// (--san 203.0.113.7 --san localhost). Without it: this machine's name and addresses,
    /// localhost, 127.0.0.1 and ::1.
    #[arg(long = "san", value_name = "NAME", value_parser = certificate::parse_name)]
    san: Vec<String>,
    /// Make a new key and self-signed certificate in --tls-dir, in place of those there,
    /// even if you put them there: without it, the server never replaces a file it did
    /// not make, nor a private key.
    #[arg(long, conflicts_with = "cert")]
    new_certificate: bool,
    /// Your own certificate (PEM), instead of the self-signed one.
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// The private key (PEM) of --cert.
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
    #[command(flatten)]
    limits: kit::args::Limits,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    kit::init_logging();
    kit::exit_code(run(args).await)
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let expected = token_from_env()?;
    let identity = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => certificate::load(cert, key)?,
        _ => self_signed(&args)?,
    };
    let table = build_table(args.rows).context("cannot build the table")?;
    // The token is checked before every call reaches the service.
    let check_token = move |request: Request<()>| -> Result<Request<()>, Status> {
        token::check(&expected, &request)?;
        Ok(request)
    };
    let service = TableService::new(table);
    let service = FlightServiceServer::with_interceptor(service, check_token);
    // A TLS handshake must end within --handshake-timeout too: a client that
    // starts one and stalls would otherwise keep its connection.
    let tls = tls::server_tls(&identity.cert_pem, &identity.key_pem)?
        .timeout(args.limits.handshake_timeout);
    let router = kit::server_builder()
        .tls_config(tls)
        .context("the certificate or key is not usable")?
        .add_service(service);

    let shutdown = kit::shutdown_signal().context("cannot watch for Ctrl-C")?;
    let listener = kit::listen(&args.host, args.port).await?;
    let port = listener
        .local_addr()
        .context("cannot read the port")?
        .port();
    println!("Arrow Flight server running on port {port}");
    std::io::stdout()
        .flush()
        .context("cannot write to stdout")?;
    tracing::info!("TLS is on, and every call needs the bearer token");
    kit::serve_with_limits(router, listener, args.limits, shutdown).await
}
// ANCHOR_END: run

// ANCHOR: self_signed
/// The certificate in --tls-dir, for the names clients dial: those of --san,
/// or else this machine's. Made on the first run, and made again for the same
/// key (said in one line) when the one this server made names something else;
/// files the server did not make are refused, not replaced.
fn self_signed(args: &Args) -> anyhow::Result<certificate::Identity> {
    let mut names = if args.san.is_empty() {
        certificate::default_names()
    } else {
        args.san.clone()
    };
    let wildcard = ["0.0.0.0", "::", "[::]"].contains(&args.host.as_str());
    if args.san.is_empty() && !wildcard && !names.contains(&args.host) {
        names.push(args.host.clone());
    }
    let (identity, origin) =
        certificate::load_or_create(&args.tls_dir, &names, args.new_certificate)?;
    let (cert, _) = certificate::paths(&args.tls_dir);
    let (dir, cert) = (args.tls_dir.display(), cert.display());
    let names = names.join(", ");
    match origin {
        certificate::Origin::Reused => {}
        certificate::Origin::Made => tracing::info!(
            "Made a self-signed certificate for {names} in {dir}: \
             clients trust it with --ca-cert {cert}"
        ),
        certificate::Origin::Replaced { previous } => tracing::warn!(
            "Made a self-signed certificate for {names} in {dir}, for the same key, \
             in place of the one for {}: clients trust it with --ca-cert {cert} \
             (copy it to them again)",
            previous.join(", ")
        ),
        certificate::Origin::New => tracing::warn!(
            "Made a new key and self-signed certificate for {names} in {dir}, \
             as --new-certificate asked: clients trust it with --ca-cert {cert} \
             (copy it to them again)"
        ),
    }
    Ok(identity)
}
// ANCHOR_END: self_signed
