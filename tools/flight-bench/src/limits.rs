//! The machine's own limits, for scale: how fast plain TCP moves the same
//! bytes over loopback (our own sockets, and iperf3 when it is installed),
//! and how fast memory copies them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CHUNK: usize = 1 << 20;

/// Sends `bytes` from one socket to another on 127.0.0.1, `runs` times.
pub async fn loopback_tcp(bytes: u64, runs: usize) -> anyhow::Result<Vec<Duration>> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("bind loopback")?;
    let address = listener.local_addr()?;
    let sender = tokio::spawn(async move {
        let chunk = vec![7u8; CHUNK];
        for _ in 0..runs {
            let (mut socket, _) = listener.accept().await?;
            let mut left = bytes;
            while left > 0 {
                let n = left.min(CHUNK as u64) as usize;
                socket.write_all(&chunk[..n]).await?;
                left -= n as u64;
            }
        }
        anyhow::Ok(())
    });
    let mut times = Vec::with_capacity(runs);
    let mut buffer = vec![0u8; CHUNK];
    for _ in 0..runs {
        let start = Instant::now();
        let mut socket = TcpStream::connect(address).await?;
        let mut received = 0u64;
        while received < bytes {
            let n = socket.read(&mut buffer).await?;
            anyhow::ensure!(n > 0, "the sender closed early");
            received += n as u64;
        }
        times.push(start.elapsed());
    }
    sender.await.context("the sender")??;
    Ok(times)
}

/// Copies `bytes` from one buffer to another, `runs` times.
pub fn memcpy(bytes: u64, runs: usize) -> Vec<Duration> {
    let source = vec![1u8; bytes as usize];
    let mut target = vec![0u8; bytes as usize];
    target.copy_from_slice(&source); // touch every page once before timing
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            target.copy_from_slice(std::hint::black_box(&source));
            std::hint::black_box(&target);
            start.elapsed()
        })
        .collect()
}

/// How long `iperf3 -s` may take to listen.
const IPERF3_START: Duration = Duration::from_secs(10);

/// iperf3's loopback rate in MB/s, sending `bytes` in 1 MiB writes; None
/// when no `iperf3` is on the PATH.
pub fn iperf3(bytes: u64) -> anyhow::Result<Option<f64>> {
    let Some(program) = on_path("iperf3") else {
        return Ok(None);
    };
    let port = free_port()?;
    let port_arg = port.to_string();
    // One test (-1), then the server exits by itself.
    let mut server = Running(
        Command::new(&program)
            .args(["-s", "-1", "-p", &port_arg])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {} -s", program.display()))?,
    );
    wait_listening(&mut server.0, port, IPERF3_START)?;
    let output = harness::run(
        &program,
        &[
            "-c",
            "127.0.0.1",
            "-p",
            &port_arg,
            "-n",
            &bytes.to_string(),
            "-l",
            "1M",
            "-J",
        ],
    )?;
    let rate = iperf3_mb_per_s(&output.stdout).with_context(|| {
        format!(
            "iperf3 -c (exit code {:?}): {}",
            output.code,
            output.stderr.trim()
        )
    })?;
    Ok(Some(rate))
}

/// MB/s from `iperf3 -J`'s report: what the receiver counted.
fn iperf3_mb_per_s(report: &str) -> anyhow::Result<f64> {
    let json: Value = serde_json::from_str(report).context("no JSON report")?;
    if let Some(error) = json["error"].as_str() {
        bail!("{error}");
    }
    let bits = json["end"]["sum_received"]["bits_per_second"]
        .as_f64()
        .context("no end.sum_received.bits_per_second in its report")?;
    Ok(bits / 8.0 / 1e6)
}

/// A program we started, killed (if still running) and reaped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Waits until something listens on TCP `port`, as the kernel's socket
/// tables say. Not by connecting: `iperf3 -s -1` would take a probe for its
/// one test, fail it, and exit.
fn wait_listening(server: &mut Child, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if listening(port) {
            return Ok(());
        }
        if let Some(status) = server.try_wait()? {
            bail!("iperf3 -s ended ({status}) before it listened on port {port}");
        }
        if Instant::now() >= deadline {
            bail!("iperf3 -s did not listen on port {port} within {timeout:?}");
        }
        // Polling: the kernel tells no one when a socket starts listening.
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a socket listens on TCP `port` (IPv4 or IPv6, any address).
fn listening(port: u16) -> bool {
    use procfs::net::TcpState;
    [procfs::net::tcp(), procfs::net::tcp6()]
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.state == TcpState::Listen && entry.local_address.port() == port)
}

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("bind loopback")?;
    Ok(listener.local_addr()?.port())
}

/// The executable called `name` in a directory of the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |path: &Path| {
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| executable(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iperf3_reports_are_read_in_megabytes_per_second() {
        let report = r#"{"start": {}, "end": {"sum_sent": {"bits_per_second": 9e10},
            "sum_received": {"bits_per_second": 8e10}}}"#;
        let rate = iperf3_mb_per_s(report).expect("a rate");
        assert!((rate - 10_000.0).abs() < 1e-9, "{rate}");
        let failed = r#"{"start": {}, "end": {}, "error": "unable to connect to server"}"#;
        let error = iperf3_mb_per_s(failed).unwrap_err();
        assert_eq!(error.to_string(), "unable to connect to server");
        assert!(iperf3_mb_per_s("iperf3: error").is_err());
    }

    #[test]
    fn programs_are_found_on_the_path() {
        assert!(on_path("sh").is_some());
        assert_eq!(on_path("no-such-program-flight-bench"), None);
    }

    #[test]
    fn a_listening_port_is_seen_in_the_socket_tables() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(listening(port));
        // A connected socket's port is in the tables too, but not listening.
        // (Not a closed listener's: a process that another test forks at that
        // moment holds the listener open until it runs its program.)
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        assert!(!listening(client.local_addr().unwrap().port()));
    }
}
