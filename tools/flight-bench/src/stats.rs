//! Median, min and max of repeated runs, and what they mean in MB/s.

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
}
