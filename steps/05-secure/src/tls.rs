//! TLS for tonic, through rustls. Yours to write (TODO(step 5)).

use anyhow::bail;
use tonic::transport::{ClientTlsConfig, ServerTlsConfig};

// ANCHOR: server_tls
/// The server's side: its certificate and private key, in PEM.
pub fn server_tls(cert_pem: &str, key_pem: &str) -> anyhow::Result<ServerTlsConfig> {
    // TODO(step 5): a ServerTlsConfig whose identity is the certificate and
    // key (tonic::transport::Identity::from_pem).
    let _ = (cert_pem, key_pem);
    bail!("TODO(step 5): give the server its certificate (steps/05-secure/src/tls.rs)")
}
// ANCHOR_END: server_tls

// ANCHOR: client_tls
/// The client's side: the certificate to trust, and the name the server's
/// certificate must carry (the host in the URL).
pub fn client_tls(ca_pem: &str, server_name: &str) -> anyhow::Result<ClientTlsConfig> {
    // TODO(step 5): a ClientTlsConfig that trusts ca_pem
    // (tonic::transport::Certificate::from_pem) and expects server_name.
    let _ = (ca_pem, server_name);
    bail!("TODO(step 5): tell the client which certificate to trust (steps/05-secure/src/tls.rs)")
}
// ANCHOR_END: client_tls
