//! TLS for tonic, through rustls. Yours to write (TODO(step 5)).
//!
//! What TLS gives: the connection is encrypted, so no one on the way reads
//! the table or the token; and the client knows it talks to the server it
//! meant, the one that holds the private key of the certificate it trusts,
//! before it sends anything.

use anyhow::{Result, bail};
use tonic::transport::{ClientTlsConfig, ServerTlsConfig};

// ANCHOR: server_tls
/// The server's side: its certificate and private key, in PEM.
pub fn server_tls(cert_pem: &str, key_pem: &str) -> Result<ServerTlsConfig> {
    // TODO(step 5): the server's TLS settings. In the handshake the server
    // shows its certificate (cert_pem: its names and public key) and proves,
    // with the private key (key_pem), that the certificate is its own. Both
    // are PEM texts, read from (or made in) tls/ by the given code.
    // Docs: https://docs.rs/tonic/0.14/tonic/transport/struct.ServerTlsConfig.html
    //       https://docs.rs/tonic/0.14/tonic/transport/struct.Identity.html
    let _ = (cert_pem, key_pem);
    bail!("TODO(step 5): the server's TLS settings (steps/05-secure/src/tls.rs)")
}
// ANCHOR_END: server_tls

// ANCHOR: client_tls
/// The client's side: the certificate to trust, and the name the server's
/// certificate must carry (the host in the URL).
pub fn client_tls(ca_pem: &str, server_name: &str) -> Result<ClientTlsConfig> {
    // TODO(step 5): the client's TLS settings. The client accepts a server
    // whose certificate it trusts, issued for the name it dialled. The
    // server's certificate is self-signed: it is its own authority, so
    // trusting it (ca_pem) means trusting that one server and no other. The
    // name (server_name, "localhost" for grpc+tls://localhost:8815) must be
    // one the certificate carries.
    // Docs: https://docs.rs/tonic/0.14/tonic/transport/struct.ClientTlsConfig.html
    //       https://docs.rs/tonic/0.14/tonic/transport/struct.Certificate.html
    let _ = (ca_pem, server_name);
    bail!("TODO(step 5): the client's TLS settings (steps/05-secure/src/tls.rs)")
}
// ANCHOR_END: client_tls
