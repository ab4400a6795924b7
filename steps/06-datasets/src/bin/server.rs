//! `cargo run -p step-06-datasets --bin step-06-datasets-server`:
//! the page's server, which also stores what clients upload.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arrow_flight::flight_service_server::FlightServiceServer;
use clap::Parser;
use kit::{DEFAULT_PORT, PAGE_ROWS, certificate, token_from_env};
use page_table::build_table;
use secure_flight::tls;
use step_06_datasets::limits::StoreLimits;
use step_06_datasets::store::Store;
use step_06_datasets::{DatasetService, MAX_MESSAGE_BYTES};

// Its own flags rather than kit's ServerArgs: the default address differs
// (127.0.0.1: a server that writes what it is sent to disk is opened to
// other machines on purpose, with --host 0.0.0.0, and then with --secure),
// and the data directory and its limits are this server's alone.

/// Serve the page's table and the datasets clients upload, stored as Parquet, over Arrow Flight.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on. 127.0.0.1 (this machine only) unless you mean to
    /// serve other machines: then 0.0.0.0, with --secure.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Rows in the page's table, the dataset "dataset".
    #[arg(long, default_value_t = PAGE_ROWS)]
    rows: usize,
    /// Folder of the datasets, one Parquet file each, made on the first run. It must be
    /// new or empty then: the server never writes among files it did not make.
    #[arg(long, default_value = "datasets")]
    data_dir: PathBuf,
    /// Step 5's TLS, with the self-signed certificate of --tls-dir, and its bearer token
    /// (FLIGHT_TOKEN), which uploads and drops must carry; reading needs TLS only.
    #[arg(long)]
    secure: bool,
    /// Folder of the self-signed certificate, with --secure, as step 5's server makes it.
    #[arg(long, default_value = "tls", requires = "secure")]
    tls_dir: PathBuf,
    #[command(flatten)]
    store_limits: StoreLimits,
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
    let store = Store::open(&args.data_dir, args.store_limits)?;
    let table = build_table(args.rows).context("cannot build the table")?;
    let mut service = DatasetService::new(table, store, args.store_limits);
    let mut server = kit::server_builder();
    if args.secure {
        service = service.requiring_token(token_from_env()?);
        server = server
            .tls_config(tls_settings(&args)?)
            .context("the certificate or key is not usable")?;
    }
    // pyarrow sends a table's batch as one message, often over tonic's 4 MiB.
    let service = FlightServiceServer::new(service);
    let service = service.max_decoding_message_size(MAX_MESSAGE_BYTES);
    let router = server.add_service(service);

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
    tracing::info!("Datasets are stored in {}", args.data_dir.display());
    kit::serve_with_limits(router, listener, args.limits, shutdown).await
}
// ANCHOR_END: run

/// Step 5's TLS settings, with the self-signed certificate of --tls-dir,
/// for this machine's names and --host (made on the first run).
fn tls_settings(args: &Args) -> anyhow::Result<tonic::transport::ServerTlsConfig> {
    let mut names = certificate::default_names();
    let wildcard = ["0.0.0.0", "::", "[::]"].contains(&args.host.as_str());
    if !wildcard && !names.contains(&args.host) {
        names.push(args.host.clone());
    }
    let (identity, origin) = certificate::load_or_create(&args.tls_dir, &names, false)?;
    if !matches!(origin, certificate::Origin::Reused) {
        let (cert, _) = certificate::paths(&args.tls_dir);
        tracing::info!(
            "Made a self-signed certificate for {}: clients trust it with --ca-cert {}",
            names.join(", "),
            cert.display()
        );
    }
    let settings = tls::server_tls(&identity.cert_pem, &identity.key_pem)?;
    // A TLS handshake must end within --handshake-timeout, as step 5's.
    Ok(settings.timeout(args.limits.handshake_timeout))
}
