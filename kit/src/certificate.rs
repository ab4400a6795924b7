//! A self-signed certificate for the server, made on the first run and kept
//! in a folder (`tls/` by default): `server.crt` for clients to trust,
//! `server.key` for the server alone.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
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
    write_private(&key_path, &identity.key_pem)?;
    fs::write(&cert_path, &identity.cert_pem)
        .with_context(|| format!("cannot write {}", cert_path.display()))?;
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

/// Writes the private key to a new file that only its owner can read, from
/// the moment it exists: never a file that is readable by others while the key
/// is written, and never a file that was already there (or a link someone put
/// in its place).
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    // A key left without its certificate (an interrupted first run) is replaced.
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            return Err(error).with_context(|| format!("cannot replace {}", path.display()));
        }
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "flight-path-certificate-{name}-{}",
                std::process::id()
            ));
            fs::remove_dir_all(&dir).ok();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            fs::remove_dir_all(&self.0).ok();
        }
    }

    fn names() -> Vec<String> {
        vec!["localhost".to_string(), "127.0.0.1".to_string()]
    }

    #[test]
    fn the_first_run_makes_a_certificate_and_the_next_ones_read_it() {
        let dir = TempDir::new("reuse");
        let (made, created) = load_or_create(&dir.0, &names()).unwrap();
        assert!(created);
        assert!(made.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(made.key_pem.contains("PRIVATE KEY-----"));
        let (read, created) = load_or_create(&dir.0, &names()).unwrap();
        assert!(!created);
        assert_eq!(read.cert_pem, made.cert_pem);
        assert_eq!(read.key_pem, made.key_pem);
    }

    #[cfg(unix)]
    #[test]
    fn the_private_key_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new("mode");
        fs::create_dir_all(&dir.0).unwrap();
        let (_, key_path) = paths(&dir.0);
        // A key left by an interrupted run, readable by all: it is replaced,
        // not reused with its permissions.
        fs::write(&key_path, "stale").unwrap();
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o644)).unwrap();

        let (identity, created) = load_or_create(&dir.0, &names()).unwrap();
        assert!(created);
        let mode = fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "server.key has mode {mode:o}");
        assert_eq!(fs::read_to_string(&key_path).unwrap(), identity.key_pem);
    }
}
