//! `cargo run -p solution-06-datasets --bin solution-06-datasets-upload -- --name trips`:
//! uploads a table of the page's shape as a dataset.
//!
//! ```python
//! client = flight.FlightClient("grpc://127.0.0.1:8815")
//! descriptor = flight.FlightDescriptor.for_path("trips")
//! writer, _ = client.do_put(descriptor, table.schema)
//! writer.write_table(table)
//! writer.close()
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::{FlightClient, FlightDescriptor, PutResult};
use clap::Parser;
use futures::stream::{self, StreamExt, TryStreamExt};
use kit::{DEFAULT_URL, explain, explain_connect, tls_endpoint, token_from_env};
use page_table::build_table;
use secure_flight::{tls, token};

/// Upload a table of the page's shape (id, value = id * 10) to the dataset server.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = DEFAULT_URL)]
    url: String,
    /// The dataset's name: read it back with --ticket NAME.
    #[arg(long)]
    name: String,
    /// Rows in the table.
    #[arg(long, default_value_t = kit::PAGE_ROWS)]
    rows: usize,
    /// Seconds the whole upload may take.
    #[arg(long, default_value = "300", value_parser = kit::args::seconds)]
    timeout: Duration,
    /// For a grpc+tls:// URL (a server started with --secure): the certificate to trust,
    /// the server's tls/server.crt. The bearer token goes too, from FLIGHT_TOKEN.
    #[arg(long, default_value = "tls/server.crt")]
    ca_cert: PathBuf,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;
    let secure = args.url.starts_with("grpc+tls://");
    let secrets = if secure { Some(secrets(&args)?) } else { None };
    let upload = async {
        let mut client = connect(&args, secrets.as_ref()).await?;
        // The descriptor names the dataset; the encoder sends it with the
        // first message, the schema, then each batch.
        let descriptor = FlightDescriptor::new_path(vec![args.name.clone()]);
        let batches = stream::iter(table.batches.clone()).map(Ok);
        let messages = FlightDataEncoderBuilder::new()
            .with_schema(table.schema.clone())
            .with_flight_descriptor(Some(descriptor))
            .build(batches);
        let answers: Vec<PutResult> = client
            .do_put(messages)
            .await
            .map_err(explain)?
            .try_collect()
            .await
            .map_err(explain)?;
        anyhow::Ok(answers)
    };
    let answers = kit::within(args.timeout, &args.url, upload).await?;
    let (rows, name) = (table.num_rows(), &args.name);
    // What the server answered, if anything (ours: {"rows": N}; pyarrow's: nothing).
    match answers
        .first()
        .filter(|answer| !answer.app_metadata.is_empty())
    {
        Some(answer) => {
            let said = String::from_utf8_lossy(&answer.app_metadata);
            println!("Stored {rows} rows as \"{name}\" (the server says {said})");
        }
        None => println!("Stored {rows} rows as \"{name}\""),
    }
    Ok(())
}
// ANCHOR_END: run

/// For a grpc+tls:// URL: the certificate to trust (PEM) and the token.
struct Secrets {
    ca_pem: String,
    token: String,
}

fn secrets(args: &Args) -> anyhow::Result<Secrets> {
    let token = token_from_env()?;
    let ca_pem = std::fs::read_to_string(&args.ca_cert).with_context(|| {
        format!(
            "cannot read the certificate to trust, {} (the server's tls/server.crt; or give --ca-cert)",
            args.ca_cert.display()
        )
    })?;
    Ok(Secrets { ca_pem, token })
}

/// A client of --url: as the page's, or, given `secrets`, as step 5's, with
/// TLS and the bearer token. The server answers once the upload is stored:
/// the whole upload may take --timeout, not only the kit's 10 s until the
/// first answer.
async fn connect(args: &Args, secrets: Option<&Secrets>) -> anyhow::Result<FlightClient> {
    let Some(secrets) = secrets else {
        let channel = kit::endpoint(&args.url)?
            .timeout(args.timeout)
            .connect()
            .await
            .map_err(|error| explain_connect(&args.url, &error))?;
        return Ok(FlightClient::new(channel));
    };
    let endpoint = tls_endpoint(&args.url)?.timeout(args.timeout);
    // The name the certificate must carry: the URL's host, without the
    // brackets of an IPv6 address.
    let host = endpoint.uri().host().unwrap_or("localhost");
    let server_name = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let channel = endpoint
        .tls_config(tls::client_tls(&secrets.ca_pem, &server_name)?)
        .context("invalid TLS settings")?
        .connect()
        .await
        .map_err(|error| explain_connect(&args.url, &error))?;
    let mut client = FlightClient::new(channel);
    client.add_header("authorization", &token::header_value(&secrets.token))?;
    Ok(client)
}
