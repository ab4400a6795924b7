//! TLS for tonic, through rustls: the server presents its certificate; the
//! client trusts that one certificate (a self-signed one is its own authority).

use anyhow::Result;
use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

// ANCHOR: server_tls
/// The server's side: its certificate and private key, in PEM.
pub fn server_tls(cert_pem: &str, key_pem: &str) -> Result<ServerTlsConfig> {
    Ok(ServerTlsConfig::new().identity(Identity::from_pem(cert_pem, key_pem)))
}
// ANCHOR_END: server_tls

// ANCHOR: client_tls
/// The client's side: the certificate to trust, and the name the server's
/// certificate must carry (the host in the URL).
pub fn client_tls(ca_pem: &str, server_name: &str) -> Result<ClientTlsConfig> {
    Ok(ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .domain_name(server_name))
}
// ANCHOR_END: client_tls
