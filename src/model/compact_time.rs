//! A point in time in 8 bytes instead of `SystemTime`'s 16 (or `Option<SystemTime>`'s):
//! nanoseconds from 1970, negative before. Every stored message and every tree node
//! carries one, so a million topics save 16 MB.

use std::time::{Duration, SystemTime};

/// Nanoseconds from 1970 (negative before); `i64::MIN` is "never". Times beyond the
/// year 2262 (or before 1678) are held at the end of the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CompactTime(i64);

impl CompactTime {
    pub const NEVER: CompactTime = CompactTime(i64::MIN);

    pub fn at(time: SystemTime) -> Self {
        let ns = match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN + 1, |ns| -ns),
        };
        Self(ns.max(i64::MIN + 1))
    }

    /// `None` for [`Self::NEVER`].
    pub fn get(self) -> Option<SystemTime> {
        if self == Self::NEVER {
            return None;
        }
        let magnitude = Duration::from_nanos(self.0.unsigned_abs());
        if self.0 >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(magnitude)
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(magnitude)
        }
    }

    /// Milliseconds since 1970, 0 before it (as [`super::rate::epoch_ms`] reads the same
    /// time, in one division); `None` for [`Self::NEVER`].
    pub fn epoch_ms(self) -> Option<u64> {
        (self != Self::NEVER).then(|| self.0.max(0).unsigned_abs() / 1_000_000)
    }

    /// The time; 1970 for [`Self::NEVER`].
    pub fn time(self) -> SystemTime {
        self.get().unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_to_the_nanosecond_and_never_is_none() {
        assert_eq!(CompactTime::NEVER.get(), None);
        let now = SystemTime::now();
        assert_eq!(CompactTime::at(now).get(), Some(now));
        let before_1970 = SystemTime::UNIX_EPOCH - Duration::new(86_400 * 365, 123);
        assert_eq!(CompactTime::at(before_1970).get(), Some(before_1970));
        assert_eq!(CompactTime::at(SystemTime::UNIX_EPOCH).time(), SystemTime::UNIX_EPOCH);
        // Far in the future: held at the end of the range, still a time.
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(400 * 365 * 86_400);
        assert!(CompactTime::at(far).get().is_some_and(|t| t < far));
        assert!(CompactTime::at(before_1970) < CompactTime::at(now));
    }

    #[test]
    fn epoch_ms_reads_as_the_rate_windows_read_a_time() {
        use super::super::rate::epoch_ms;
        assert_eq!(CompactTime::NEVER.epoch_ms(), None);
        let now = SystemTime::now();
        for t in [
            now,
            SystemTime::UNIX_EPOCH,
            SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 999_999_999),
            SystemTime::UNIX_EPOCH + Duration::from_nanos(1_999_999),
            SystemTime::UNIX_EPOCH - Duration::new(86_400, 5),
            SystemTime::UNIX_EPOCH + Duration::from_secs(400 * 365 * 86_400),
        ] {
            let compact = CompactTime::at(t);
            assert_eq!(compact.epoch_ms(), Some(epoch_ms(compact.time())), "{t:?}");
        }
    }
}
