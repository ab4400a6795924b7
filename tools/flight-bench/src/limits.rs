//! The machine's own limits, for scale: how fast plain TCP moves the same
//! bytes over loopback, and how fast memory copies them.

use std::time::{Duration, Instant};

use anyhow::Context;
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
