//! A self-signed certificate for the server, made on the first run and kept
//! in a folder (`tls/` by default): `server.crt` for clients to trust,
//! `server.key` for the server alone.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The PEM texts of a certificate and its private key.
pub struct Identity {
    pub cert_pem: String,
    pub key_pem: String,
}

/// Where the certificate and key live in `dir`.
pub fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("server.crt"), dir.join("server.key"))
}

/// Reads the certificate in `dir`, or makes one valid for `names` (host
/// names and IP addresses clients will dial) and saves it there.
pub fn load_or_create(dir: &Path, names: &[String]) -> anyhow::Result<(Identity, bool)> {
    let (cert_path, key_path) = paths(dir);
    if cert_path.exists() && key_path.exists() {
        return Ok((load(&cert_path, &key_path)?, false));
    }
    let certified = rcgen::generate_simple_self_signed(names.to_vec())
        .context("cannot make a self-signed certificate")?;
    let identity = Identity {
        cert_pem: certified.cert.pem(),
        key_pem: certified.signing_key.serialize_pem(),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    fs::write(&cert_path, &identity.cert_pem)
        .with_context(|| format!("cannot write {}", cert_path.display()))?;
    write_private(&key_path, &identity.key_pem)?;
    Ok((identity, true))
}

/// Reads a certificate and key given as files.
pub fn load(cert_path: &Path, key_path: &Path) -> anyhow::Result<Identity> {
    let read = |path: &Path| {
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    Ok(Identity {
        cert_pem: read(cert_path)?,
        key_pem: read(key_path)?,
    })
}

/// The private key is readable by its owner only.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    Ok(())
}
