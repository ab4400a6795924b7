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

use crate::tls_files::Made;

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
    /// The one this program had made there named something else
    /// (`previous`): a new certificate, for the same key; its copies on
    /// clients are no longer trusted.
    Replaced { previous: Vec<String> },
    /// Asked for (`--new-certificate`): a new key and certificate, in place
    /// of whatever was there.
    New,
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
/// and IP addresses clients will dial), else makes one for them, or a new
/// key and certificate when `new` (`--new-certificate`) asks for them.
///
/// What is there is the user's unless this program made it, as its record
/// says (see `tls_files.rs`): a certificate of ours for other names is made
/// again, for the same key; a file of the user's that does not fit (other
/// names, unreadable, alone) is refused in one line naming it, never
/// replaced, and the private key is never overwritten unless `new`.
pub fn load_or_create(
    dir: &Path,
    names: &[String],
    new: bool,
) -> anyhow::Result<(Identity, Origin)> {
    let (cert_path, key_path) = paths(dir);
    if new {
        return Ok((make(dir, names, None)?, Origin::New));
    }
    let made = Made::read(dir);
    let cert_pem = read_if_there(&cert_path)?;
    let key_pem = read_if_there(&key_path)?;
    let (cert_pem, key_pem) = match (cert_pem, key_pem) {
        (None, None) => return Ok((make(dir, names, None)?, Origin::Made)),
        (Some(cert_pem), None) => {
            return if made.wrote(&cert_path, &cert_pem) {
                Ok((make(dir, names, None)?, Origin::Made))
            } else {
                Err(yours(
                    &cert_path,
                    "has no private key beside it (server.key)",
                ))
            };
        }
        (cert_pem, Some(key_pem)) => (cert_pem, key_pem),
    };
    let key = rcgen::KeyPair::from_pem(&key_pem)
        .map_err(|error| yours(&key_path, &format!("is not a private key in PEM ({error})")))?;
    let ours = made.wrote(&key_path, &key_pem)
        && cert_pem
            .as_ref()
            .is_none_or(|pem| made.wrote(&cert_path, pem));
    let Some(cert_pem) = cert_pem else {
        return if ours {
            Ok((make(dir, names, Some(key))?, Origin::Made))
        } else {
            Err(yours(
                &key_path,
                "has no certificate beside it (server.crt)",
            ))
        };
    };
    let previous = names_in(&cert_pem).map_err(|error| {
        yours(
            &cert_path,
            &format!("cannot be read as a certificate ({error:#})"),
        )
    })?;
    if same_names(&previous, names) {
        check_pair(&cert_path, &cert_pem, &key_path, &key)?;
        warn_if_out_of_date(&cert_path, &cert_pem);
        return Ok((Identity { cert_pem, key_pem }, Origin::Reused));
    }
    if !ours {
        return Err(yours(
            &cert_path,
            &format!(
                "names {}, not {}, and this server did not make it",
                previous.join(", "),
                names.join(", ")
            ),
        ));
    }
    Ok((make(dir, names, Some(key))?, Origin::Replaced { previous }))
}

/// A file of the user's that the server cannot use: one line that names it,
/// says what is wrong, and what to do. It stays as it is.
fn yours(path: &Path, problem: &str) -> anyhow::Error {
    anyhow!(
        "{} {problem}: it stays as it is; move it away (the server then makes its own), or give \
         --new-certificate to replace the certificate and key with new ones",
        path.display()
    )
}

fn read_if_there(path: &Path) -> anyhow::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(anyhow!(
            "cannot read {} ({error}): it stays as it is; make it readable, or move it away",
            path.display()
        )),
    }
}

/// A certificate for `names`, signed with `key` (a new key if None), written
/// in `dir` with the key, and recorded as ours before it is written.
fn make(dir: &Path, names: &[String], key: Option<rcgen::KeyPair>) -> anyhow::Result<Identity> {
    let key = match key {
        Some(key) => key,
        None => rcgen::KeyPair::generate().context("cannot make a private key")?,
    };
    let cert = rcgen::CertificateParams::new(names.to_vec())
        .and_then(|params| params.self_signed(&key))
        .context("cannot make a self-signed certificate")?;
    let identity = Identity {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    };
    let (cert_path, key_path) = paths(dir);
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Made::record(
        dir,
        &[
            (&cert_path, &identity.cert_pem),
            (&key_path, &identity.key_pem),
        ],
    )?;
    // The key is written again only when it is new: the same key is left
    // untouched.
    if read_if_there(&key_path)?.as_deref() != Some(identity.key_pem.as_str()) {
        write_private(&key_path, &identity.key_pem)?;
    }
    remove_if_there(&cert_path)?;
    fs::write(&cert_path, &identity.cert_pem)
        .with_context(|| format!("cannot write {}", cert_path.display()))?;
    Ok(identity)
}

/// The certificate must be the key's: its public key, the key's.
fn check_pair(
    cert_path: &Path,
    cert_pem: &str,
    key_path: &Path,
    key: &rcgen::KeyPair,
) -> anyhow::Result<()> {
    use rcgen::PublicKeyData;
    let matches = x509_parser::pem::parse_x509_pem(cert_pem.as_bytes())
        .ok()
        .and_then(|(_, pem)| {
            let cert = pem.parse_x509().ok()?;
            Some(cert.public_key().subject_public_key.data.as_ref() == key.der_bytes())
        })
        .unwrap_or(false);
    if matches {
        Ok(())
    } else {
        Err(yours(
            cert_path,
            &format!("is not the certificate of {}", key_path.display()),
        ))
    }
}

/// Warns, with its dates, when the certificate is not valid now: clients
/// will refuse it.
fn warn_if_out_of_date(path: &Path, cert_pem: &str) {
    if let Some(warning) = out_of_date(path, cert_pem) {
        tracing::warn!("{warning}");
    }
}

fn out_of_date(path: &Path, cert_pem: &str) -> Option<String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(cert_pem.as_bytes()).ok()?;
    let cert = pem.parse_x509().ok()?;
    let validity = cert.validity();
    (!validity.is_valid()).then(|| {
        format!(
            "{} is valid from {} to {}, not now: clients will refuse it (give \
             --new-certificate for a new one)",
            path.display(),
            validity.not_before,
            validity.not_after
        )
    })
}

fn remove_if_there(path: &Path) -> anyhow::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot replace {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Reads a certificate and key given as files (`--cert`, `--key`): a file
/// that is not what it should be is named in one line.
pub fn load(cert_path: &Path, key_path: &Path) -> anyhow::Result<Identity> {
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let read = |path: &Path| {
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let (cert_pem, key_pem) = (read(cert_path)?, read(key_path)?);
    names_in(&cert_pem).map_err(|error| {
        anyhow!(
            "{} cannot be read as a certificate ({error:#}): give a PEM certificate with --cert",
            cert_path.display()
        )
    })?;
    PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|error| {
        anyhow!(
            "{} is not a private key in PEM ({error:?}): give the certificate's key with --key",
            key_path.display()
        )
    })?;
    warn_if_out_of_date(cert_path, &cert_pem);
    Ok(Identity { cert_pem, key_pem })
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
        let (made, origin) = load_or_create(dir.path(), &names(), false).unwrap();
        assert_eq!(origin, Origin::Made);
        assert!(made.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(made.key_pem.contains("PRIVATE KEY-----"));
        // The same names, in another order and spelling: the same certificate.
        let again = ["127.0.0.1".to_string(), "LOCALHOST".to_string()];
        let (read, origin) = load_or_create(dir.path(), &again, false).unwrap();
        assert_eq!(origin, Origin::Reused);
        assert_eq!(read.cert_pem, made.cert_pem);
        assert_eq!(read.key_pem, made.key_pem);
    }

    #[test]
    fn other_names_replace_the_certificate_and_say_what_it_named() {
        let dir = scratch("replace");
        let (first, _) = load_or_create(dir.path(), &names(), false).unwrap();
        let asked = vec!["vm.example".to_string(), "203.0.113.7".to_string()];
        let (second, origin) = load_or_create(dir.path(), &asked, false).unwrap();
        assert_eq!(origin, Origin::Replaced { previous: names() });
        assert_ne!(second.cert_pem, first.cert_pem);
        // The same key: a certificate of ours is made again, the key kept.
        assert_eq!(second.key_pem, first.key_pem);
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

    /// Runs `load_or_create` on `dir`, expecting a refusal: its message,
    /// with the folder's path taken out.
    fn refused(dir: &Path, names: &[String]) -> String {
        let error = load_or_create(dir, names, false).err().expect("a refusal");
        error
            .to_string()
            .replace(&format!("{}/", dir.display()), "")
    }

    #[test]
    fn a_users_file_is_never_replaced_nor_its_key_overwritten() {
        let dir = scratch("users");
        let (cert_path, key_path) = paths(dir.path());
        let (made, _) = load_or_create(dir.path(), &names(), false).unwrap();
        // Ours, then damaged: the user's now. Refused in one line, kept.
        fs::write(&cert_path, "not a certificate").unwrap();
        let said = refused(dir.path(), &names());
        assert!(
            said.starts_with("server.crt cannot be read as a certificate"),
            "{said}"
        );
        assert!(
            said.contains("--new-certificate") && !said.contains('\n'),
            "{said}"
        );
        assert_eq!(fs::read_to_string(&key_path).unwrap(), made.key_pem);
        assert_eq!(fs::read_to_string(&cert_path).unwrap(), "not a certificate");

        // A key of the user's alone: refused, kept.
        fs::remove_file(&cert_path).unwrap();
        let theirs = rcgen::KeyPair::generate().unwrap().serialize_pem();
        fs::write(&key_path, &theirs).unwrap();
        let said = refused(dir.path(), &names());
        assert!(
            said.starts_with("server.key has no certificate beside it"),
            "{said}"
        );
        assert_eq!(fs::read_to_string(&key_path).unwrap(), theirs);

        // A pair of the user's for other names: refused, kept.
        let other = rcgen::generate_simple_self_signed(vec!["theirs.example".into()]).unwrap();
        fs::write(&cert_path, other.cert.pem()).unwrap();
        fs::write(&key_path, other.signing_key.serialize_pem()).unwrap();
        let said = refused(dir.path(), &names());
        assert!(
            said.starts_with("server.crt names theirs.example, not localhost, 127.0.0.1"),
            "{said}"
        );
        // Theirs for these names: used as it is.
        let (used, origin) = load_or_create(dir.path(), &["theirs.example".into()], false).unwrap();
        assert_eq!((origin, used.cert_pem), (Origin::Reused, other.cert.pem()));
        // Unless asked: a new pair.
        let (new, origin) = load_or_create(dir.path(), &names(), true).unwrap();
        assert_eq!(origin, Origin::New);
        assert_ne!(new.key_pem, other.signing_key.serialize_pem());
        assert_eq!(
            load_or_create(dir.path(), &names(), false).unwrap().1,
            Origin::Reused
        );
    }

    #[test]
    fn a_key_of_ours_left_alone_by_an_interrupted_run_gets_its_certificate() {
        let dir = scratch("interrupted");
        let (cert_path, key_path) = paths(dir.path());
        let (made, _) = load_or_create(dir.path(), &names(), false).unwrap();
        fs::remove_file(&cert_path).unwrap();
        let (again, origin) = load_or_create(dir.path(), &names(), false).unwrap();
        assert_eq!(origin, Origin::Made);
        assert_eq!(again.key_pem, made.key_pem);
        assert_eq!(fs::read_to_string(&key_path).unwrap(), made.key_pem);
    }

    #[test]
    fn a_certificate_out_of_date_is_said_with_its_dates() {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(names()).unwrap();
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        let old = params.self_signed(&key).unwrap().pem();
        let said = out_of_date(Path::new("tls/server.crt"), &old).expect("out of date");
        assert!(
            said.starts_with("tls/server.crt is valid from Jan  1 00:00:00 2020"),
            "{said}"
        );
        assert!(said.contains("to Jan  1 00:00:00 2021"), "{said}");
        let fresh = rcgen::generate_simple_self_signed(names())
            .unwrap()
            .cert
            .pem();
        assert_eq!(out_of_date(Path::new("x"), &fresh), None);
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
        // A key readable by all, replaced when asked: the new one is not
        // written into the old file, with its permissions.
        fs::write(&key_path, "stale").unwrap();
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o644)).unwrap();

        let (identity, origin) = load_or_create(dir.path(), &names(), true).unwrap();
        assert_eq!(origin, Origin::New);
        let mode = fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "server.key has mode {mode:o}");
        assert_eq!(fs::read_to_string(&key_path).unwrap(), identity.key_pem);
    }
}
