//! A self-signed certificate for the server, made on the first run and kept
//! in a folder (`tls/` by default): `server.crt` for clients to trust,
//! `server.key` for the server alone. It names what clients dial: this
//! machine's name and addresses by default ([`default_names`]), or the names
//! given (`--san`); a certificate there for other names is replaced, and the
//! server says so.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

/// The PEM texts of a certificate and its private key.
pub struct Identity {
    pub cert_pem: String,
    pub key_pem: String,
}

/// What [`load_or_create`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Origin {
    /// The certificate in the folder names exactly the names asked for: kept.
    Reused,
    /// There was none: made.
    Made,
    /// The one there named something else (`previous`, empty if it could not
    /// be read): replaced, so its copies on clients are no longer trusted.
    Replaced { previous: Vec<String> },
}

/// Where the certificate and key live in `dir`.
pub fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("server.crt"), dir.join("server.key"))
}

// ANCHOR: default_names
/// The names clients may dial when none are given: `localhost`, `127.0.0.1`
/// and `::1` for this machine, and, for the others, its host name and every
/// address of its network interfaces (loopback and link-local ones aside: a
/// link-local address needs an interface name to be dialled).
///
/// A cloud VM's external address is not among them: it belongs to the
/// cloud's router, not to an interface of the VM. Give it with `--san`.
pub fn default_names() -> Vec<String> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    let mut add = |name: String| {
        if !names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    };
    // Neither is worth stopping the server for: what cannot be read is
    // said, and can be given with --san.
    #[cfg(unix)]
    {
        match nix::unistd::gethostname() {
            Ok(host) if !host.is_empty() => add(host.to_string_lossy().into_owned()),
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot read this machine's name: {e}"),
        }
        match interface_addresses() {
            Ok(addresses) => addresses.iter().for_each(|ip| add(ip.to_string())),
            Err(e) => tracing::warn!("cannot list this machine's addresses: {e}"),
        }
    }
    names
}

/// The addresses of this machine's network interfaces that another machine
/// may dial.
#[cfg(unix)]
fn interface_addresses() -> nix::Result<Vec<IpAddr>> {
    let interfaces = nix::ifaddrs::getifaddrs()?;
    let ips = interfaces
        .filter_map(|interface| interface.address)
        .filter_map(|address| {
            let v4 = address.as_sockaddr_in().map(|v4| IpAddr::V4(v4.ip()));
            v4.or_else(|| address.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip())))
        });
    Ok(ips.filter(|ip| dialable_from_elsewhere(*ip)).collect())
}
// ANCHOR_END: default_names

/// Not loopback, not unspecified, not link-local.
fn dialable_from_elsewhere(ip: IpAddr) -> bool {
    !ip.is_loopback()
        && !ip.is_unspecified()
        && match ip {
            IpAddr::V4(v4) => !v4.is_link_local(),
            IpAddr::V6(v6) => !v6.is_unicast_link_local(),
        }
}

/// Checks a name given with `--san`: a host name or an IP address, as a
/// client will check it against the certificate.
pub fn parse_name(name: &str) -> anyhow::Result<String> {
    rustls_pki_types::ServerName::try_from(name)
        .map(|_| name.to_string())
        .map_err(|_| anyhow!("'{name}' is neither a host name nor an IP address"))
}

/// The host names and IP addresses a PEM certificate is valid for (its
/// subject alternative names).
pub fn names_in(cert_pem: &str) -> anyhow::Result<Vec<String>> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(cert_pem.as_bytes())
        .map_err(|error| anyhow!("not a PEM certificate: {error}"))?;
    let cert = pem
        .parse_x509()
        .map_err(|error| anyhow!("not an X.509 certificate: {error}"))?;
    let Some(san) = cert
        .subject_alternative_name()
        .map_err(|error| anyhow!("its subject alternative names cannot be read: {error}"))?
    else {
        return Ok(Vec::new());
    };
    use x509_parser::extensions::GeneralName;
    let names = san
        .value
        .general_names
        .iter()
        .filter_map(|name| match *name {
            GeneralName::DNSName(name) => Some(name.to_string()),
            GeneralName::IPAddress(bytes) => {
                let ip = match bytes.len() {
                    4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
                    _ => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
                };
                ip.map(|ip| ip.to_string())
            }
            _ => None,
        });
    Ok(names.collect())
}

/// The same names, in any order and spelling (`::1` and `0:0::1`, `VM` and `vm`).
fn same_names(a: &[String], b: &[String]) -> bool {
    let key = |name: &String| match name.parse::<IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => name.to_ascii_lowercase(),
    };
    let set = |names: &[String]| {
        names
            .iter()
            .map(key)
            .collect::<std::collections::BTreeSet<_>>()
    };
    set(a) == set(b)
}

/// Reads the certificate in `dir` if it names exactly `names` (host names
/// and IP addresses clients will dial); otherwise makes one for them and
/// saves it there, in place of the one that was there.
pub fn load_or_create(dir: &Path, names: &[String]) -> anyhow::Result<(Identity, Origin)> {
    let (cert_path, key_path) = paths(dir);
    let mut origin = Origin::Made;
    if cert_path.exists() && key_path.exists() {
        let identity = load(&cert_path, &key_path)?;
        let previous = names_in(&identity.cert_pem).unwrap_or_default();
        if same_names(&previous, names) {
            return Ok((identity, Origin::Reused));
        }
        origin = Origin::Replaced { previous };
    }
    let certified = rcgen::generate_simple_self_signed(names.to_vec())
        .context("cannot make a self-signed certificate")?;
    let identity = Identity {
        cert_pem: certified.cert.pem(),
        key_pem: certified.signing_key.serialize_pem(),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // The old certificate goes first: interrupted at any point, the folder
    // holds no certificate beside a key that is not its own, and the next
    // run makes a new pair.
    remove_if_there(&cert_path)?;
    write_private(&key_path, &identity.key_pem)?;
    fs::write(&cert_path, &identity.cert_pem)
        .with_context(|| format!("cannot write {}", cert_path.display()))?;
    Ok((identity, origin))
}

fn remove_if_there(path: &Path) -> anyhow::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot replace {}", path.display()))
        }
        _ => Ok(()),
    }
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
    // A key left without its certificate (an interrupted run), or the key of
    // a certificate being replaced.
    remove_if_there(path)?;
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
    fn scratch(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("flight-path-certificate-{name}-"))
            .tempdir()
            .unwrap()
    }

    fn names() -> Vec<String> {
        vec!["localhost".to_string(), "127.0.0.1".to_string()]
    }

    #[test]
    fn the_first_run_makes_a_certificate_and_the_next_ones_read_it() {
        let dir = scratch("reuse");
        let (made, origin) = load_or_create(dir.path(), &names()).unwrap();
        assert_eq!(origin, Origin::Made);
        assert!(made.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(made.key_pem.contains("PRIVATE KEY-----"));
        // The same names, in another order and spelling: the same certificate.
        let again = ["127.0.0.1".to_string(), "LOCALHOST".to_string()];
        let (read, origin) = load_or_create(dir.path(), &again).unwrap();
        assert_eq!(origin, Origin::Reused);
        assert_eq!(read.cert_pem, made.cert_pem);
        assert_eq!(read.key_pem, made.key_pem);
    }

    #[test]
    fn other_names_replace_the_certificate_and_say_what_it_named() {
        let dir = scratch("replace");
        let (first, _) = load_or_create(dir.path(), &names()).unwrap();
        let asked = vec!["vm.example".to_string(), "203.0.113.7".to_string()];
        let (second, origin) = load_or_create(dir.path(), &asked).unwrap();
        assert_eq!(origin, Origin::Replaced { previous: names() });
        assert_ne!(second.cert_pem, first.cert_pem);
        assert_ne!(second.key_pem, first.key_pem);
        // Exactly the names asked for, and the files are the new pair.
        assert_eq!(names_in(&second.cert_pem).unwrap(), asked);
        let (cert_path, key_path) = paths(dir.path());
        assert_eq!(fs::read_to_string(cert_path).unwrap(), second.cert_pem);
        assert_eq!(fs::read_to_string(&key_path).unwrap(), second.key_pem);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the new server.key has mode {mode:o}");
        }
    }

    #[test]
    fn a_certificate_that_cannot_be_read_is_replaced() {
        let dir = scratch("unreadable");
        let (cert_path, key_path) = paths(dir.path());
        fs::write(&cert_path, "not a certificate").unwrap();
        fs::write(&key_path, "not a key").unwrap();
        let (identity, origin) = load_or_create(dir.path(), &names()).unwrap();
        assert_eq!(origin, Origin::Replaced { previous: vec![] });
        assert_eq!(names_in(&identity.cert_pem).unwrap(), names());
    }

    #[test]
    fn names_in_reads_host_names_and_both_kinds_of_address() {
        let asked: Vec<String> = ["vm", "vm.example", "192.0.2.2", "::1", "fd00::2"]
            .map(String::from)
            .into();
        let certified = rcgen::generate_simple_self_signed(asked.clone()).unwrap();
        assert_eq!(names_in(&certified.cert.pem()).unwrap(), asked);
        assert!(names_in("no certificate here").is_err());
    }

    #[test]
    fn the_default_names_are_this_machine_and_its_addresses() {
        let names = default_names();
        assert_eq!(names[..3], ["localhost", "127.0.0.1", "::1"]);
        for name in &names[3..] {
            if let Ok(ip) = name.parse::<IpAddr>() {
                assert!(dialable_from_elsewhere(ip), "{ip} in {names:?}");
            }
        }
        #[cfg(unix)]
        {
            let host = nix::unistd::gethostname().unwrap();
            let host = host.to_str().unwrap();
            assert!(
                names.iter().any(|name| name.eq_ignore_ascii_case(host)),
                "{host} not in {names:?}"
            );
        }
    }

    #[test]
    fn loopback_and_link_local_addresses_are_left_out() {
        for ip in ["127.0.0.2", "::1", "0.0.0.0", "169.254.1.1", "fe80::1"] {
            assert!(!dialable_from_elsewhere(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["192.0.2.2", "10.128.0.5", "fd00::2", "2001:db8::1"] {
            assert!(dialable_from_elsewhere(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_san_is_a_host_name_or_an_ip_address() {
        for good in ["vm.example", "localhost", "34.1.2.3", "::1", "arrow-flight"] {
            assert_eq!(parse_name(good).unwrap(), good);
        }
        for bad in ["", "two words", "grpc+tls://vm:8815", "vm:8815"] {
            let error = parse_name(bad).unwrap_err().to_string();
            assert!(
                error.contains("neither a host name nor an IP address"),
                "{error}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_private_key_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let (_, key_path) = paths(dir.path());
        // A key left by an interrupted run, readable by all: it is replaced,
        // not reused with its permissions.
        fs::write(&key_path, "stale").unwrap();
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o644)).unwrap();

        let (identity, origin) = load_or_create(dir.path(), &names()).unwrap();
        assert_eq!(origin, Origin::Made);
        let mode = fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "server.key has mode {mode:o}");
        assert_eq!(fs::read_to_string(&key_path).unwrap(), identity.key_pem);
    }
}
