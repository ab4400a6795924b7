//! `cargo run -p step-05-secure --bin step-05-secure-client`: the
//! page's client over TLS, sending the bearer token (from `FLIGHT_TOKEN`).
//!
//! Given: `read_table` of your step 4, over a connection with your TLS
//! settings (`src/tls.rs`). The model answer's program is the same.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use arrow_flight::FlightClient;
use arrow_flight::flight_service_client::FlightServiceClient;
use clap::Parser;
use flight_client::read_table;
use kit::token_from_env;
use kit::{PyArrowSchema, TICKET, explain_connect, tls_endpoint};
use step_05_secure::{tls, token};

/// Read the table from an Arrow Flight server over TLS, with the bearer token.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "grpc+tls://localhost:8815")]
    url: String,
    /// The certificate to trust: the server's tls/server.crt.
    #[arg(long, default_value = "tls/server.crt")]
    ca_cert: PathBuf,
    /// Which data to ask for.
    #[arg(long, default_value = TICKET)]
    ticket: String,
    /// Seconds the whole read may take.
    #[arg(long, default_value = "30", value_parser = kit::args::seconds)]
    timeout: Duration,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let token = token_from_env()?;
    let ca_pem = std::fs::read_to_string(&args.ca_cert).with_context(|| {
        format!(
            "cannot read the certificate to trust, {} (the server's tls/server.crt; or give --ca-cert)",
            args.ca_cert.display()
        )
    })?;
    let read = async {
        let endpoint = tls_endpoint(&args.url)?;
        // The name the certificate must carry: the URL's host, an IPv6
        // address without its brackets ([::1] is ::1 in the certificate).
        let host = endpoint.uri().host().unwrap_or("localhost");
        let server_name = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let channel = endpoint
            .tls_config(tls::client_tls(&ca_pem, &server_name)?)
            .context("invalid TLS settings")?
            .connect()
            .await
            .map_err(|error| explain_connect(&args.url, &error))?;
        // Step 4's connect() takes a plain grpc:// URL (the page's); this
        // channel is a TLS one, so the client is made here, the same way.
        let inner = FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX);
        let mut client = FlightClient::new_from_inner(inner);
        client.add_header("authorization", &token::header_value(&token))?;
        read_table(&mut client, &args.ticket).await
    };
    // At most --timeout, as the client of step 4.
    let table = kit::within(args.timeout, &args.url, read).await?;
    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());
    Ok(())
}
// ANCHOR_END: run
