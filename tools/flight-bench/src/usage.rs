//! What a process has cost so far, from /proc (Linux only): CPU time,
//! minor page faults and peak resident memory.

use anyhow::Context;
use procfs::process::Process;

/// CPU time (user + sys, every thread) and minor page faults of a process
/// since it started; the difference of two readings is what it spent between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub cpu_seconds: f64,
    pub minor_faults: u64,
}

impl Usage {
    /// This process, so far.
    pub fn of_self() -> anyhow::Result<Usage> {
        Self::of(&Process::myself().context("cannot read /proc/self")?)
    }

    /// Process `pid`, so far.
    pub fn of_process(pid: u32) -> anyhow::Result<Usage> {
        let id = i32::try_from(pid).context("not a process id")?;
        Self::of(&Process::new(id).with_context(|| format!("cannot read /proc/{pid}"))?)
    }

    fn of(process: &Process) -> anyhow::Result<Usage> {
        let stat = process.stat().context("cannot read a process's stat")?;
        Ok(Usage {
            cpu_seconds: (stat.utime + stat.stime) as f64 / procfs::ticks_per_second() as f64,
            minor_faults: stat.minflt,
        })
    }

    /// What was spent between `earlier` and this reading.
    pub fn since(self, earlier: Usage) -> Usage {
        Usage {
            cpu_seconds: (self.cpu_seconds - earlier.cpu_seconds).max(0.0),
            minor_faults: self.minor_faults.saturating_sub(earlier.minor_faults),
        }
    }
}

/// A process's peak resident memory in bytes (`VmHWM` in /proc).
pub fn peak_rss(pid: u32) -> Option<u64> {
    let process = Process::new(i32::try_from(pid).ok()?).ok()?;
    let kib = process.status().ok()?.vmhwm?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_rss_is_read_from_proc() {
        let bytes = peak_rss(std::process::id()).expect("VmHWM of this process");
        assert!(bytes >= 1 << 20, "{bytes} bytes");
        assert_eq!(peak_rss(u32::MAX), None);
    }

    #[test]
    fn usage_grows_with_work_and_differences_are_never_negative() {
        let before = Usage::of_process(std::process::id()).expect("this process by id");
        // Touch 64 MiB of fresh pages: at least a fault per 2 MiB (huge pages), usually per 4 KiB.
        let pages = std::hint::black_box(vec![1u8; 64 << 20]);
        let after = Usage::of_self().expect("this process");
        drop(pages);
        let spent = after.since(before);
        assert!(spent.minor_faults >= 32, "{spent:?}");
        assert!(spent.cpu_seconds >= 0.0);
        assert_eq!(
            before.since(after),
            Usage {
                cpu_seconds: 0.0,
                minor_faults: 0
            }
        );
        assert!(Usage::of_process(u32::MAX).is_err());
    }
}
