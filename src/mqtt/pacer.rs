//! Reads a steady stream in larger gulps.
//!
//! A board fleet or a publisher that sends every millisecond wakes the MQTT thread for
//! every few messages: under a steady 20k msg/s that was a thousand wake-ups a second,
//! and their kernel and scheduler cost was most of the thread's 0.09 of a core. When
//! the last socket read found the socket empty (fewer packets than rumqttc takes at
//! once) while messages arrive fast, the session waits [`GULP`] before reading again,
//! so the next read takes several milliseconds' worth at once. A flood never waits: its
//! reads come back full. Slow traffic never waits either: it is read the moment it
//! arrives. The few milliseconds are far below the window's 250 ms redraw grid.

use std::time::{Duration, Instant};

/// How long to let a fast stream pile up in the socket before reading it.
pub const GULP: Duration = Duration::from_millis(10);
/// From this rate on a stream counts as fast.
const FAST_PER_SECOND: f64 = 2_000.0;
/// The rate is taken over at least this long.
const WINDOW: Duration = Duration::from_millis(100);
/// rumqttc hands over at most this many packets from one socket read (its
/// `max_readb_count` of 10 counts from 1); fewer means the socket had nothing more.
const READ_BATCH: usize = 9;

#[derive(Debug)]
pub struct Pacer {
    window_start: Instant,
    in_window: u32,
    fast: bool,
    /// The last socket read stopped because the socket was empty.
    drained: bool,
}

impl Pacer {
    pub fn new(now: Instant) -> Self {
        Self {
            window_start: now,
            in_window: 0,
            fast: false,
            drained: false,
        }
    }

    /// One message received (no clock here: it is read once per socket read).
    pub fn message(&mut self) {
        self.in_window += 1;
    }

    /// A poll that went to the socket left `buffered` events behind it in rumqttc.
    pub fn read_done(&mut self, buffered: usize) {
        self.drained = buffered + 1 < READ_BATCH;
    }

    /// Before a poll that will go to the socket: how long to wait first, if at all.
    /// Every [`WINDOW`] or more, the rate since the last look decides whether the
    /// stream is fast; after a pause that rate is low, so a stream that stopped is not.
    pub fn wait_before_read(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.window_start);
        if elapsed >= WINDOW {
            self.fast = f64::from(self.in_window) / elapsed.as_secs_f64() >= FAST_PER_SECOND;
            self.in_window = 0;
            self.window_start = now;
        }
        (self.fast && self.drained).then_some(GULP)
    }

    /// A new network connection starts without a rate.
    pub fn reset(&mut self, now: Instant) {
        *self = Self::new(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `per_second` messages for `ms`, each socket read taking `per_read` of them;
    /// returns the moment after and what the last look before a read said.
    fn stream(p: &mut Pacer, start: Instant, per_second: u32, ms: u64, per_read: u32) -> (Instant, Option<Duration>) {
        let step = Duration::from_secs(1) / per_second;
        let mut now = start;
        let mut said = None;
        while now < start + Duration::from_millis(ms) {
            said = p.wait_before_read(now);
            for _ in 0..per_read {
                p.message();
                now += step;
            }
            p.read_done(per_read.saturating_sub(1) as usize);
        }
        (now, said)
    }

    #[test]
    fn a_fast_stream_read_to_the_end_waits_before_the_next_read() {
        let t0 = Instant::now();
        let mut p = Pacer::new(t0);
        let (now, _) = stream(&mut p, t0, 20_000, 250, 3);
        assert_eq!(p.wait_before_read(now), Some(GULP));
    }

    #[test]
    fn a_flood_whose_reads_come_back_full_never_waits() {
        let t0 = Instant::now();
        let mut p = Pacer::new(t0);
        let (now, said) = stream(&mut p, t0, 200_000, 250, READ_BATCH as u32);
        assert_eq!(said, None);
        assert_eq!(p.wait_before_read(now), None);
    }

    #[test]
    fn slow_traffic_is_read_at_once() {
        let t0 = Instant::now();
        let mut p = Pacer::new(t0);
        let (now, said) = stream(&mut p, t0, 500, 1_000, 1);
        assert_eq!(said, None);
        assert_eq!(p.wait_before_read(now), None);
    }

    #[test]
    fn a_stream_that_stopped_is_no_longer_fast() {
        let t0 = Instant::now();
        let mut p = Pacer::new(t0);
        let (now, _) = stream(&mut p, t0, 20_000, 250, 3);
        assert_eq!(p.wait_before_read(now + Duration::from_secs(1)), None);
        p.reset(now);
        assert_eq!(p.wait_before_read(now), None);
    }
}
