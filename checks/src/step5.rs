//! Step 5: TLS and a bearer token. The step's server runs as a real process
//! with a fresh self-signed certificate; its client and plain clients knock.

use std::path::{Path, PathBuf};

use arrow_flight::FlightClient;
use arrow_flight::flight_service_client::FlightServiceClient;
use harness::{Output, Server};

use crate::{PAGE_CLIENT_OUTPUT, fail};

/// The token the checks give the server.
pub const TOKEN: &str = "the-self-check-token";

/// A secure server of the step on a free port, its certificate in `tls_dir`.
pub struct SecureServer {
    pub server: Server,
    pub ca_cert: PathBuf,
}

impl SecureServer {
    pub fn start(server_binary: &Path, tls_dir: &Path) -> SecureServer {
        let dir = tls_dir.to_str().expect("a UTF-8 path");
        let args = ["--host", "127.0.0.1", "--port", "0", "--tls-dir", dir];
        let server = Server::start_with_env(server_binary, &args, &[("FLIGHT_TOKEN", Some(TOKEN))])
            .unwrap_or_else(|e| fail(5, &format!("the secure server did not start: {e:#}")));
        SecureServer {
            server,
            ca_cert: tls_dir.join("server.crt"),
        }
    }

    pub fn tls_url(&self) -> String {
        format!("grpc+tls://localhost:{}", self.server.port)
    }

    /// Runs the step's client against this server with `token` in FLIGHT_TOKEN.
    pub fn run_client(&self, client_binary: &Path, token: Option<&str>) -> Output {
        let ca = self.ca_cert.to_str().expect("a UTF-8 path");
        let args = ["--url", &self.tls_url(), "--ca-cert", ca];
        harness::run_with_env(client_binary, &args, &[("FLIGHT_TOKEN", token)])
            .expect("the step's client runs")
    }
}

/// With TLS and the right token, the client prints the page's output.
pub fn the_right_token_reads_the_table(server: &SecureServer, client_binary: &Path) {
    let output = server.run_client(client_binary, Some(TOKEN));
    if output.code != Some(0) || output.stdout != PAGE_CLIENT_OUTPUT {
        fail(
            5,
            &format!(
                "over TLS with the right token the client should print the page's output; it printed:\n{}",
                output.transcript()
            ),
        );
    }
}

/// A wrong token is refused with UNAUTHENTICATED.
pub fn a_wrong_token_is_refused(server: &SecureServer, client_binary: &Path) {
    let output = server.run_client(client_binary, Some("not-the-token"));
    if output.code != Some(1) || !output.stderr.contains("Unauthenticated") {
        fail(
            5,
            &format!(
                "a wrong token should be refused with Unauthenticated; the client printed:\n{}",
                output.transcript()
            ),
        );
    }
}

/// A client that sends no token is refused too.
pub fn no_token_is_refused(server: &SecureServer) {
    let ca_pem = std::fs::read_to_string(&server.ca_cert).expect("the server's certificate");
    let status = tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async {
            let endpoint = flight_client::tls_endpoint(&server.tls_url()).expect("a URL");
            let tls = tonic::transport::ClientTlsConfig::new()
                .ca_certificate(tonic::transport::Certificate::from_pem(ca_pem))
                .domain_name("localhost");
            let channel = endpoint
                .tls_config(tls)
                .expect("TLS")
                .connect()
                .await
                .expect("connect");
            let mut client = FlightClient::new_from_inner(FlightServiceClient::new(channel));
            match client.do_get(arrow_flight::Ticket::new("dataset")).await {
                Err(arrow_flight::error::FlightError::Tonic(status)) => Some(status.code()),
                _ => None,
            }
        });
    if status != Some(tonic::Code::Unauthenticated) {
        fail(
            5,
            &format!(
                "a call without a token should be refused with Unauthenticated; got {status:?}"
            ),
        );
    }
}

/// A plaintext client cannot read the table.
pub fn plaintext_is_refused(server: &SecureServer) {
    let url = format!("grpc://127.0.0.1:{}", server.server.port);
    let read = tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async {
            let mut client = flight_client::connect(&url).await?;
            flight_client::read_table(&mut client, "dataset").await
        });
    if read.is_ok() {
        fail(
            5,
            "a plaintext client read the table: the server is not using TLS",
        );
    }
}
