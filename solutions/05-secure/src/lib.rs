//! Step 5: the page's server and client, safe to leave running on a VM whose
//! firewall opens port 8815: TLS encrypts the connection and proves the
//! server's identity; a bearer token, checked on every call, keeps strangers out.
//!
//! - [`tls`]: the TLS settings of the server and of the client;
//! - [`token`]: the bearer token, sent by the client, checked by the server;
//! - `kit::certificate`: a self-signed certificate, made on the first run.

pub mod tls;
pub mod token;
