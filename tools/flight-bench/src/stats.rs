//! Median, min and max of repeated runs, and what they mean in MB/s;
//! percentiles of round trips; rates of clients reading at once; costs per
//! gigabyte and per fetch.

use std::time::Duration;

/// The timings of one measured pair.
#[derive(Debug, Clone)]
pub struct Stats {
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
}

impl Stats {
    /// From at least one run.
    pub fn of(mut runs: Vec<Duration>) -> Stats {
        assert!(!runs.is_empty(), "no runs to summarise");
        runs.sort();
        let middle = runs.len() / 2;
        let median = if runs.len() % 2 == 1 {
            runs[middle]
        } else {
            (runs[middle - 1] + runs[middle]) / 2
        };
        Stats {
            median,
            min: runs[0],
            max: runs[runs.len() - 1],
        }
    }

    /// Megabytes (10^6 bytes) per second at the median.
    pub fn mb_per_s(&self, bytes: u64) -> f64 {
        bytes as f64 / 1e6 / self.median.as_secs_f64()
    }

    pub fn rows_per_s(&self, rows: usize) -> f64 {
        rows as f64 / self.median.as_secs_f64()
    }
}

/// The `p`th percentile (0 < p <= 100) of some times, by the nearest-rank
/// method: the smallest time that at least `p` percent of them do not exceed.
pub fn percentile(times: &[Duration], p: f64) -> Duration {
    assert!(!times.is_empty(), "no times to rank");
    let mut sorted = times.to_vec();
    sorted.sort();
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Round trips of a small table: the median and the 99th percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundTrip {
    pub p50: Duration,
    pub p99: Duration,
}

impl RoundTrip {
    /// From at least one round trip.
    pub fn of(times: &[Duration]) -> RoundTrip {
        RoundTrip {
            p50: percentile(times, 50.0),
            p99: percentile(times, 99.0),
        }
    }
}

/// MB/s of clients reading at the same time: `bytes` read by all of them
/// together, over the time from the first one's start to the last one's end
/// (`(started_ns, ended_ns)` each, Unix time). None without clients or time.
pub fn aggregate_mb_per_s(windows: &[(u64, u64)], bytes: u64) -> Option<f64> {
    let start = windows.iter().map(|&(started, _)| started).min()?;
    let end = windows.iter().map(|&(_, ended)| ended).max()?;
    let seconds = end.checked_sub(start).filter(|&ns| ns > 0)? as f64 / 1e9;
    Some(bytes as f64 / 1e6 / seconds)
}

/// Seconds of CPU per gigabyte (10^9 bytes) moved, when something was moved.
pub fn per_gb(cpu_seconds: f64, bytes: u64) -> Option<f64> {
    (bytes > 0).then(|| cpu_seconds / (bytes as f64 / 1e9))
}

/// A count per fetch, when there were fetches.
pub fn per_fetch(count: u64, fetches: u64) -> Option<f64> {
    (fetches > 0).then(|| count as f64 / fetches as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let odd = Stats::of(ms(&[30, 10, 20]));
        assert_eq!(
            (odd.median, odd.min, odd.max),
            (ms(&[20])[0], ms(&[10])[0], ms(&[30])[0])
        );
        assert_eq!(
            Stats::of(ms(&[10, 20, 30, 40])).median,
            Duration::from_millis(25)
        );
    }

    #[test]
    fn throughput_is_in_megabytes_per_second() {
        let stats = Stats::of(vec![Duration::from_millis(100)]);
        assert!((stats.mb_per_s(160_000_000) - 1600.0).abs() < 1e-9);
        assert!((stats.rows_per_s(1000) - 10_000.0).abs() < 1e-9);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let us = |v: u64| Duration::from_micros(v);
        // 1..=200 microseconds, shuffled: p50 is the 100th, p99 the 198th.
        let times: Vec<_> = (1..=200).rev().map(us).collect();
        assert_eq!(percentile(&times, 50.0), us(100));
        assert_eq!(percentile(&times, 99.0), us(198));
        assert_eq!(percentile(&times, 100.0), us(200));
        assert_eq!(
            RoundTrip::of(&times),
            RoundTrip {
                p50: us(100),
                p99: us(198)
            }
        );
        // One time is every percentile; with three, p50 is the middle one.
        assert_eq!(
            RoundTrip::of(&[us(7)]),
            RoundTrip {
                p50: us(7),
                p99: us(7)
            }
        );
        assert_eq!(percentile(&[us(3), us(1), us(2)], 50.0), us(2));
        assert_eq!(percentile(&[us(3), us(1), us(2)], 99.0), us(3));
        assert_eq!(percentile(&[us(3), us(1), us(2)], 0.0), us(1));
    }

    #[test]
    fn clients_at_once_are_timed_from_the_first_start_to_the_last_end() {
        // Four clients over 0.5 s in all (the first starts at 1.0 s, the
        // last ends at 1.5 s), 4 x 2 reads of 100 MB: 800 MB in 0.5 s.
        let windows = [
            (1_000_000_000, 1_400_000_000),
            (1_100_000_000, 1_500_000_000),
            (1_050_000_000, 1_300_000_000),
            (1_200_000_000, 1_450_000_000),
        ];
        let rate = aggregate_mb_per_s(&windows, 4 * 2 * 100_000_000).expect("a rate");
        assert!((rate - 1600.0).abs() < 1e-6, "{rate}");
        assert_eq!(aggregate_mb_per_s(&[], 1), None);
        assert_eq!(aggregate_mb_per_s(&[(5, 5)], 1), None);
        assert_eq!(aggregate_mb_per_s(&[(6, 5)], 1), None);
    }

    #[test]
    fn costs_are_per_gigabyte_and_per_fetch() {
        // 0.4 s of CPU for 8 reads of 160 MB (1.28 GB): 0.3125 s/GB.
        let cpu = per_gb(0.4, 8 * 160_000_000).expect("bytes moved");
        assert!((cpu - 0.3125).abs() < 1e-12, "{cpu}");
        assert_eq!(per_gb(1.0, 0), None);
        assert_eq!(per_fetch(300, 8), Some(37.5));
        assert_eq!(per_fetch(300, 0), None);
    }
}
