//! When the reconnect backoff starts over, and how a failure that keeps repeating is said.
//!
//! A ConnAck alone proves nothing: a broker that accepts the connection and drops it at
//! once (a packet it cannot take, a message larger than we accept, a misbehaving server)
//! would otherwise be retried twice a second for ever. The backoff starts over only after
//! the connection stayed up a while or actually carried messages.

use std::time::{Duration, Instant};

use super::backoff::Backoff;

/// A connection that stayed up this long was healthy, whatever it carried.
pub const HEALTHY_AFTER: Duration = Duration::from_secs(10);

/// The backoff plus what the last failures were.
#[derive(Debug, Default)]
pub struct Health {
    backoff: Backoff,
    connected_at: Option<Instant>,
    /// The broker delivered a message on the current connection.
    exchanged: bool,
    last_failure: Option<String>,
    repeats: u32,
}

/// What to do after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub delay: Duration,
    /// The failure as shown, e.g. "the same failure 5 times: connection refused".
    pub reason: String,
    /// Failed attempts since the backoff last started over.
    pub attempt: u32,
}

impl Health {
    /// The broker accepted the connection.
    pub fn connected(&mut self, now: Instant) {
        self.connected_at = Some(now);
        self.exchanged = false;
    }

    /// The broker delivered a message: the connection works.
    pub fn message_received(&mut self) {
        self.exchanged = true;
    }

    /// The connection failed with `reason` (or a connect attempt did).
    pub fn failed(&mut self, reason: &str, now: Instant) -> Retry {
        if let Some(at) = self.connected_at.take() {
            let lasted = now.saturating_duration_since(at);
            if lasted >= HEALTHY_AFTER {
                self.backoff.reset();
                self.last_failure = None;
            } else if self.exchanged {
                // Messages flowed (a broker restart mid-flood, say): retry soon, but keep
                // counting a failure that comes back identically.
                self.backoff.reset();
            }
        }
        if self.last_failure.as_deref() == Some(reason) {
            self.repeats = self.repeats.saturating_add(1);
        } else {
            self.last_failure = Some(reason.to_owned());
            self.repeats = 1;
        }
        let reason = if self.repeats >= 2 {
            crate::tr!("worker-same-failure", n = self.repeats, why = reason)
        } else {
            reason.to_owned()
        };
        Retry {
            delay: self.backoff.next_delay(),
            reason,
            attempt: self.backoff.attempts(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_dropped_right_after_the_connack_keeps_the_backoff_growing() {
        let mut h = Health::default();
        let mut now = Instant::now();
        let mut delays = Vec::new();
        for _ in 0..5 {
            h.connected(now);
            now += Duration::from_millis(50);
            let retry = h.failed("the broker closed the connection", now);
            delays.push(retry.delay);
            now += retry.delay;
        }
        assert!(delays[4] >= Duration::from_secs(6), "{delays:?}");
        let last = h.failed("the broker closed the connection", now);
        assert_eq!(
            last.reason,
            "the same failure 6 times: the broker closed the connection"
        );
    }

    #[test]
    fn a_healthy_connection_starts_the_backoff_over() {
        let mut h = Health::default();
        let now = Instant::now();
        for _ in 0..4 {
            h.failed("connection refused", now);
        }
        h.connected(now);
        let retry = h.failed("connection refused", now + HEALTHY_AFTER);
        assert_eq!(retry.attempt, 1);
        assert_eq!(retry.reason, "connection refused");
        // Messages flowing count too, but an identical failure is still counted.
        h.connected(now);
        h.message_received();
        let retry = h.failed("connection refused", now + Duration::from_secs(1));
        assert_eq!(retry.attempt, 1);
        assert_eq!(retry.reason, "the same failure 2 times: connection refused");
        assert_eq!(h.failed("host unreachable", now).reason, "host unreachable");
    }
}
