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
    /// Folder of the self-signed certificate, made there on the first run.
    #[arg(long, default_value = "tls")]
    tls_dir: PathBuf,
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
    let service = FlightServiceServer::with_interceptor(TableService::new(table), move |request| {
        token::check(&expected, &request)?;
        Ok(request)
    });
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

/// The certificate in --tls-dir, made on the first run for the names clients dial.
fn self_signed(args: &Args) -> anyhow::Result<certificate::Identity> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    if !["0.0.0.0", "::", "localhost", "127.0.0.1"].contains(&args.host.as_str()) {
        names.push(args.host.clone());
    }
    let (identity, created) = certificate::load_or_create(&args.tls_dir, &names)?;
    if created {
        let (cert, _) = certificate::paths(&args.tls_dir);
        tracing::info!(
            "Made a self-signed certificate for {} in {}: clients trust it with --ca-cert {}",
            names.join(", "),
            args.tls_dir.display(),
            cert.display()
        );
    }
    Ok(identity)
}
