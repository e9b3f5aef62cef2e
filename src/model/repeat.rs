//! When a repeated publish is due: every `interval`, `count` times or until stopped.
//!
//! The window asks once a frame and the CLI sleeps until [`Schedule::next_at`]; both ask
//! [`Schedule::due`] how many to send now. Ticks are counted from the start (send k is
//! due at `start + k × interval`), so timing does not drift with frame or sleep jitter.
//! When the sender falls behind by more than [`CATCH_UP`] (a hidden window, a stalled
//! machine), the schedule is moved later instead of sending the missed ticks in a
//! burst: a late 1 Hz TOGGLE must not toggle twice, and "60 times" still sends 60.

use std::time::{Duration, Instant};

/// How far behind the schedule may fall and still catch up by sending a burst.
pub const CATCH_UP: Duration = Duration::from_millis(100);

/// Above this many messages a second, the window asks before starting: a repeat is a
/// load generator then, and a typo in the interval must not flood a broker.
pub const CONFIRM_ABOVE_PER_SEC: f64 = 50.0;

/// The smallest interval accepted (10,000 messages a second).
pub const MIN_INTERVAL: Duration = Duration::from_micros(100);

/// A running repeat's clock.
#[derive(Clone, Debug)]
pub struct Schedule {
    interval: Duration,
    /// `None`: until stopped.
    count: Option<u64>,
    start: Instant,
    /// Ticks handed out.
    next_tick: u64,
    /// Ticks sent.
    sent: u64,
    /// How often the schedule was moved later because it had fallen behind.
    delays: u64,
}

impl Schedule {
    /// Starts at `start` (the first send is due at once). `interval` is raised to
    /// [`MIN_INTERVAL`]; a count of 0 means until stopped.
    pub fn new(interval: Duration, count: u64, start: Instant) -> Self {
        Self {
            interval: interval.max(MIN_INTERVAL),
            count: (count > 0).then_some(count),
            start,
            next_tick: 0,
            sent: 0,
            delays: 0,
        }
    }

    /// Messages a second.
    pub fn rate(&self) -> f64 {
        1.0 / self.interval.as_secs_f64()
    }

    /// How many to send at `now` (each counted as sent). More than [`CATCH_UP`] behind,
    /// it sends one and moves the rest of the schedule later.
    pub fn due(&mut self, now: Instant) -> u64 {
        if self.finished() {
            return 0;
        }
        let elapsed = now.saturating_duration_since(self.start);
        // The tick that should go out next, and how late it is.
        let next_time = self
            .interval
            .saturating_mul(u32::try_from(self.next_tick).unwrap_or(u32::MAX));
        if elapsed < next_time {
            return 0;
        }
        if elapsed - next_time > CATCH_UP {
            // Behind: this tick goes now and the ones after it keep their spacing.
            self.start = now.checked_sub(next_time).unwrap_or(now);
            self.delays += 1;
            self.next_tick += 1;
            self.sent += 1;
            return 1;
        }
        let mut due_ticks = (elapsed.as_nanos() / self.interval.as_nanos()) as u64 + 1;
        if let Some(count) = self.count {
            due_ticks = due_ticks.min(count);
        }
        let n = due_ticks.saturating_sub(self.next_tick);
        self.next_tick += n;
        self.sent += n;
        n
    }

    /// When the next send is due; `None` when finished.
    pub fn next_at(&self) -> Option<Instant> {
        if self.finished() {
            return None;
        }
        let offset = self.interval.checked_mul(u32::try_from(self.next_tick).ok()?)?;
        Some(self.start + offset)
    }

    /// True once `count` sends were handed out.
    pub fn finished(&self) -> bool {
        self.count.is_some_and(|c| self.next_tick >= c)
    }

    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// How often the schedule was moved later because it had fallen behind.
    pub fn delays(&self) -> u64 {
        self.delays
    }

    /// `None`: until stopped.
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn sends_on_each_tick_and_stops_at_the_count() {
        let t0 = Instant::now();
        let mut s = Schedule::new(1000 * MS, 3, t0);
        assert_eq!(s.due(t0), 1);
        assert_eq!(s.due(t0 + 500 * MS), 0);
        assert_eq!(s.next_at(), Some(t0 + 1000 * MS));
        assert_eq!(s.due(t0 + 1000 * MS), 1);
        assert_eq!(s.due(t0 + 2010 * MS), 1);
        assert!(s.finished());
        assert_eq!(s.next_at(), None);
        assert_eq!(s.due(t0 + 9000 * MS), 0);
        assert_eq!((s.sent(), s.delays()), (3, 0));
    }

    #[test]
    fn a_late_frame_never_doubles_a_slow_repeat_and_the_count_stays() {
        let t0 = Instant::now();
        let mut s = Schedule::new(1000 * MS, 4, t0);
        assert_eq!(s.due(t0), 1);
        // The window was hidden for 3.5 s: one send now, the rest a second apart from here.
        assert_eq!(s.due(t0 + 3500 * MS), 1);
        assert_eq!((s.sent(), s.delays()), (2, 1));
        assert_eq!(s.next_at(), Some(t0 + 4500 * MS));
        assert_eq!(s.due(t0 + 4000 * MS), 0);
        assert_eq!(s.due(t0 + 4500 * MS), 1);
        assert_eq!(s.due(t0 + 5500 * MS), 1);
        assert!(s.finished());
        assert_eq!(s.sent(), 4, "all four were sent");
    }

    #[test]
    fn a_fast_repeat_sends_what_fell_due_between_frames() {
        let t0 = Instant::now();
        // 1000 a second, frames every 16 ms.
        let mut s = Schedule::new(MS, 0, t0);
        let mut total = 0;
        for frame in 0..=62u32 {
            total += s.due(t0 + frame * 16 * MS);
        }
        assert_eq!(total, 62 * 16 + 1);
        assert_eq!(s.delays(), 0);
        // A 1 s stall: one send, then the pace of before, with nothing lost or burst.
        assert_eq!(s.due(t0 + 2000 * MS), 1);
        assert_eq!(s.due(t0 + 2016 * MS), 16);
        assert_eq!(s.delays(), 1);
    }

    #[test]
    fn the_interval_has_a_floor() {
        let s = Schedule::new(Duration::ZERO, 5, Instant::now());
        assert_eq!(s.interval(), MIN_INTERVAL);
        assert!((s.rate() - 10_000.0).abs() < 1e-6);
    }
}
