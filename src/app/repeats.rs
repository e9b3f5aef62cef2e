//! Repeated publishes: a command sent every interval, a number of times or until
//! stopped, on one connection, with the counts sent, acknowledged and failed. With a
//! payload size it is a small load generator (a numbered ASCII payload of that size).
//!
//! The window ticks the repeats once a frame ([`super::AppState::tick`]); the
//! [`Schedule`] decides how many are due, so a 1 Hz repeat sends once a second whatever
//! the frame rate, and a hidden window skips ticks rather than bursting them.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::model::repeat::Schedule;
use crate::model::saved_command::SavedCommand;
use crate::mqtt::PublishId;

/// Identifies a repeat for as long as the window runs.
pub type RepeatId = u64;

/// Sends a repeat may have in flight before it waits: a broker that stops acknowledging
/// must not make the window queue publishes without bound.
pub const MAX_IN_FLIGHT: u64 = 2_000;

/// What to repeat.
#[derive(Clone, Debug)]
pub struct RepeatSpec {
    /// The command (a saved one, or the publish form as one).
    pub command: SavedCommand,
    /// Values of its user variables.
    pub values: BTreeMap<String, String>,
    pub interval: Duration,
    /// 0: until stopped.
    pub count: u64,
    /// Load test: send a numbered payload of this many bytes instead of the command's.
    pub payload_size: Option<usize>,
}

/// A running (or finished) repeat.
#[derive(Debug)]
pub struct Repeat {
    pub id: RepeatId,
    pub spec: RepeatSpec,
    pub schedule: Schedule,
    pub acknowledged: u64,
    pub failed: u64,
    /// Sends the worker had no room for (counted, not retried).
    pub busy: u64,
    /// Messages made so far (the last one's `{{counter}}`).
    pub sends: u64,
    /// Replies to its sends, when it waits for them.
    pub replies: ReplyStats,
    /// Why it stopped early (a variable without a value, a refused topic…).
    pub error: Option<String>,
    pub stopped: bool,
    pub started: Instant,
    /// When it ended (finished, stopped or failed).
    pub ended: Option<Instant>,
}

impl Repeat {
    pub fn new(id: RepeatId, spec: RepeatSpec, now: Instant) -> Self {
        let schedule = Schedule::new(spec.interval, spec.count, now);
        Self {
            id,
            spec,
            schedule,
            acknowledged: 0,
            failed: 0,
            busy: 0,
            sends: 0,
            replies: ReplyStats::default(),
            error: None,
            stopped: false,
            started: now,
            ended: None,
        }
    }

    /// Still sending.
    pub fn running(&self) -> bool {
        self.ended.is_none()
    }

    /// Sends handed to the worker whose outcome is not known yet.
    pub fn in_flight(&self) -> u64 {
        self.schedule
            .sent()
            .saturating_sub(self.acknowledged + self.failed + self.busy)
    }

    /// Marks it ended at `now` (once).
    pub fn end(&mut self, now: Instant, error: Option<String>) {
        if self.ended.is_none() {
            self.ended = Some(now);
            if error.is_some() {
                self.error = error;
            }
        }
    }
}

/// Round trips of a repeat's replies.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReplyStats {
    pub replies: u64,
    pub timeouts: u64,
    pub min: Option<Duration>,
    pub max: Option<Duration>,
    total: Duration,
}

impl ReplyStats {
    /// Counts one outcome (`None`: no reply in time).
    pub fn add(&mut self, rtt: Option<Duration>) {
        match rtt {
            Some(d) => {
                self.replies += 1;
                self.total += d;
                self.min = Some(self.min.map_or(d, |m| m.min(d)));
                self.max = Some(self.max.map_or(d, |m| m.max(d)));
            }
            None => self.timeouts += 1,
        }
    }

    /// The mean round trip, once there was a reply.
    pub fn mean(&self) -> Option<Duration> {
        u32::try_from(self.replies)
            .ok()
            .filter(|n| *n > 0)
            .map(|n| self.total / n)
    }
}

/// The load-test payload for send number `n`: `#<n> ` then `0123456789…` to exactly
/// `size` bytes (plain ASCII, so any subscriber can show and count it).
pub fn load_payload(n: u64, size: usize) -> Bytes {
    let mut out = format!("#{n} ").into_bytes();
    let mut digit = b'0';
    while out.len() < size {
        out.push(digit);
        digit = if digit == b'9' { b'0' } else { digit + 1 };
    }
    out.truncate(size);
    Bytes::from(out)
}

/// Which repeat each in-flight publish belongs to.
#[derive(Debug, Default)]
pub struct RepeatIds {
    map: std::collections::HashMap<PublishId, RepeatId>,
}

impl RepeatIds {
    pub fn insert(&mut self, publish: PublishId, repeat: RepeatId) {
        self.map.insert(publish, repeat);
    }

    /// The repeat a publish outcome belongs to; a final outcome (acknowledged, failed)
    /// forgets the publish.
    pub fn take(&mut self, publish: PublishId, last: bool) -> Option<RepeatId> {
        if last {
            self.map.remove(&publish)
        } else {
            self.map.get(&publish).copied()
        }
    }

    pub fn forget_repeat(&mut self, repeat: RepeatId) {
        self.map.retain(|_, r| *r != repeat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_stats_keep_min_max_and_mean() {
        let mut s = ReplyStats::default();
        assert_eq!(s.mean(), None);
        for ms in [30, 10, 20] {
            s.add(Some(Duration::from_millis(ms)));
        }
        s.add(None);
        assert_eq!((s.replies, s.timeouts), (3, 1));
        assert_eq!(
            (s.min, s.max),
            (Some(Duration::from_millis(10)), Some(Duration::from_millis(30)))
        );
        assert_eq!(s.mean(), Some(Duration::from_millis(20)));
    }

    #[test]
    fn load_payloads_have_the_size_asked_and_their_number() {
        assert_eq!(&load_payload(7, 16)[..], b"#7 0123456789012");
        assert_eq!(load_payload(123_456, 1000).len(), 1000);
        assert_eq!(&load_payload(12, 2)[..], b"#1");
        assert!(load_payload(0, 0).is_empty());
    }
}
