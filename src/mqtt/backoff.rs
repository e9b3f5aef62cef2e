//! Exponential reconnect backoff with jitter.
//!
//! rumqttc retries immediately when polled after an error (tens of thousands of attempts
//! per second against a closed port), so the worker waits between attempts itself.

use std::time::Duration;

use rand::Rng;

/// Delay before the next reconnect attempt: doubles from `initial` up to `max`, with ±20 % jitter
/// so a fleet of explorers does not reconnect in lockstep after a broker restart.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial_ms: u64,
    max_ms: u64,
    attempt: u32,
}

impl Backoff {
    /// A backoff starting at `initial` and capped at `max`.
    pub fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial_ms: initial.as_millis().max(1) as u64,
            max_ms: max.as_millis().max(1) as u64,
            attempt: 0,
        }
    }

    /// The delay before the next attempt; each call counts one failed attempt.
    pub fn next_delay(&mut self) -> Duration {
        let base_ms = self
            .initial_ms
            .saturating_mul(1u64 << self.attempt.min(20))
            .min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        let jitter = rand::rng().random_range(0.8..=1.2);
        Duration::from_millis(((base_ms as f64) * jitter) as u64).min(Duration::from_millis(self.max_ms))
    }

    /// Failed attempts since the last success.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// Call after a successful connection.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_millis(500), Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_and_is_capped() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<u64> = (0..8).map(|_| b.next_delay().as_millis() as u64).collect();
        assert!((80..=120).contains(&delays[0]), "{delays:?}");
        assert!((160..=240).contains(&delays[1]), "{delays:?}");
        assert!((320..=480).contains(&delays[2]), "{delays:?}");
        assert!(delays[7] <= 2000 && delays[7] >= 1600, "{delays:?}");
        assert_eq!(b.attempts(), 8);
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(120));
    }
}
