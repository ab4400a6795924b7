//! Logging a flood in one line. A server out of file descriptors, or at its
//! connection limit, meets the same problem thousands of times a second: the
//! operator needs to hear it once, not thousands of times.

use std::time::{Duration, Instant};

/// Events closer together than this belong to the same burst.
const QUIET: Duration = Duration::from_secs(10);

/// A run of the same event. [`Burst::starts`] says whether to log this one.
#[derive(Debug, Default)]
pub(crate) struct Burst {
    last: Option<Instant>,
    /// Events of the current burst not logged.
    unlogged: u64,
}

impl Burst {
    /// Notes an event at `now`. `Some(n)` when it starts a new burst, and
    /// should be logged (`n`: how many of the burst before went unlogged);
    /// `None` when it belongs to the current one.
    pub(crate) fn starts(&mut self, now: Instant) -> Option<u64> {
        let same_burst = self
            .last
            .is_some_and(|last| now.saturating_duration_since(last) < QUIET);
        self.last = Some(now);
        if same_burst {
            self.unlogged += 1;
            None
        } else {
            Some(std::mem::take(&mut self.unlogged))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_burst_with_the_count_of_the_burst_before() {
        let mut burst = Burst::default();
        let start = Instant::now();
        assert_eq!(burst.starts(start), Some(0));
        for ms in 1..=1000 {
            assert_eq!(burst.starts(start + Duration::from_millis(ms)), None);
        }
        let later = start + Duration::from_millis(1000) + QUIET;
        assert_eq!(burst.starts(later), Some(1000));
        assert_eq!(burst.starts(later + Duration::from_millis(1)), None);
    }
}
