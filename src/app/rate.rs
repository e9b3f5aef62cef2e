//! Messages-per-second meter over a sliding window of one-second buckets.

use std::time::{Duration, Instant};

/// Seconds averaged for the displayed rate.
const WINDOW_SECS: usize = 3;

/// Counts events and reports their rate over the last few whole seconds.
#[derive(Debug)]
pub struct RateMeter {
    start: Instant,
    buckets: [u64; WINDOW_SECS + 1],
    current_sec: u64,
}

impl RateMeter {
    pub fn new(now: Instant) -> Self {
        Self {
            start: now,
            buckets: [0; WINDOW_SECS + 1],
            current_sec: 0,
        }
    }

    fn advance(&mut self, now: Instant) {
        let sec = now.saturating_duration_since(self.start).as_secs();
        while self.current_sec < sec {
            self.current_sec += 1;
            self.buckets[(self.current_sec as usize) % self.buckets.len()] = 0;
            if sec - self.current_sec > self.buckets.len() as u64 {
                self.buckets = [0; WINDOW_SECS + 1];
                self.current_sec = sec;
            }
        }
    }

    /// Records `n` events at `now`.
    pub fn add(&mut self, n: u64, now: Instant) {
        self.advance(now);
        let len = self.buckets.len();
        self.buckets[(self.current_sec as usize) % len] += n;
    }

    /// Events per second over the last complete seconds.
    pub fn per_sec(&mut self, now: Instant) -> f64 {
        self.advance(now);
        let len = self.buckets.len();
        let complete: u64 = (1..=WINDOW_SECS)
            .filter(|back| self.current_sec >= *back as u64)
            .map(|back| self.buckets[(self.current_sec as usize + len - back) % len])
            .sum();
        let secs = WINDOW_SECS.min(self.current_sec as usize).max(1);
        complete as f64 / secs as f64
    }

    /// When the displayed rate next changes (the next second boundary).
    pub fn next_change_in(&self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.start);
        Duration::from_secs(elapsed.as_secs() + 1).saturating_sub(elapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_over_complete_seconds_and_decays_to_zero() {
        let t0 = Instant::now();
        let mut m = RateMeter::new(t0);
        for s in 0..3 {
            m.add(100, t0 + Duration::from_millis(s * 1000 + 500));
        }
        assert_eq!(m.per_sec(t0 + Duration::from_millis(3100)), 100.0);
        assert_eq!(m.per_sec(t0 + Duration::from_secs(20)), 0.0);
    }
}
