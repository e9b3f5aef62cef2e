//! How often incoming data redraws the window.
//!
//! Under a stream every batch could ask for a frame, and each frame costs a full
//! tessellation and, without a GPU, several milliseconds of software rasterizing: 60 Hz
//! of that took half a core at 20k msg/s. A person reads values a few times a second
//! (MQTT Viewer batches its updates every 300 ms), so by default data redraws on a
//! 250 ms grid; input, animations the user started and "smooth" mode still get 60 Hz.
//!
//! Every redraw that time asks for (data that arrived, a rate that falls, a clock that
//! moves on, a glow that fades) is moved to the next tick of that one grid with
//! [`after`]: egui keeps the earliest request, so the status bar's one-second rate, the
//! sparklines and the data all share a frame instead of each adding its own.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Between data-driven frames by default: the grid every timed redraw is moved to
/// (a divisor of a second, so once-a-second clocks land on it).
pub const LIGHT_INTERVAL: Duration = Duration::from_millis(250);
/// Between data-driven frames in smooth mode (one frame at 60 Hz).
pub const SMOOTH_INTERVAL: Duration = Duration::from_millis(16);
/// Time spent applying queued events per frame in smooth mode: with the panels' few
/// milliseconds a frame stays under 8 ms.
pub const SMOOTH_DRAIN_BUDGET: Duration = Duration::from_millis(4);
/// Per frame by default: frames are 12× rarer, so each may apply more, rather than
/// asking for catch-up frames that each cost a full redraw.
pub const LIGHT_DRAIN_BUDGET: Duration = Duration::from_millis(10);

/// The window-wide choice (one window per process; the UI settings set it at start and
/// when changed, the worker's waker reads it from its own thread).
static SMOOTH: AtomicBool = AtomicBool::new(false);

/// Redraw for data at 60 Hz (`true`) or 4 Hz.
pub fn set_smooth(smooth: bool) {
    SMOOTH.store(smooth, Ordering::Relaxed);
}

pub fn smooth() -> bool {
    SMOOTH.load(Ordering::Relaxed)
}

/// How long to wait before redrawing for data that arrived (or a glow that fades).
pub fn interval() -> Duration {
    if smooth() { SMOOTH_INTERVAL } else { LIGHT_INTERVAL }
}

/// Asks for a frame `delay` from now; unless smooth, moved later to the next tick of
/// the grid, so requests from different places share one frame.
pub fn after(ctx: &egui::Context, delay: Duration) {
    ctx.request_repaint_after(aligned(Instant::now(), delay, smooth()));
}

/// Asks for the frame that shows data that just arrived (the worker's waker).
pub fn for_data(ctx: &egui::Context) {
    after(ctx, if smooth() { SMOOTH_INTERVAL } else { MIN_DELAY });
}

/// Never zero: egui draws twice for a zero delay.
const MIN_DELAY: Duration = Duration::from_millis(1);

/// The delay from `now` to the first grid tick at least `delay` away (the delay itself
/// when smooth).
fn aligned(now: Instant, delay: Duration, smooth: bool) -> Duration {
    if smooth {
        return delay;
    }
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let epoch = *EPOCH.get_or_init(|| now);
    let since = now.saturating_duration_since(epoch) + delay.max(MIN_DELAY);
    let grid = LIGHT_INTERVAL.as_nanos();
    let ticks = since.as_nanos().div_ceil(grid);
    let target = Duration::from_nanos(u64::try_from(ticks * grid).unwrap_or(u64::MAX));
    target
        .saturating_sub(now.saturating_duration_since(epoch))
        .max(MIN_DELAY)
}

/// How long one frame may spend applying queued events.
pub fn drain_budget() -> Duration {
    if smooth() {
        SMOOTH_DRAIN_BUDGET
    } else {
        LIGHT_DRAIN_BUDGET
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_mode_redraws_four_times_a_second_and_smooth_at_sixty() {
        set_smooth(false);
        assert_eq!(interval(), Duration::from_millis(250));
        assert!(drain_budget() > SMOOTH_DRAIN_BUDGET);
        set_smooth(true);
        assert_eq!(interval(), Duration::from_millis(16));
        assert_eq!(drain_budget(), Duration::from_millis(4));
        set_smooth(false);
    }

    #[test]
    fn timed_redraws_from_anywhere_land_on_the_same_tick() {
        let t0 = Instant::now();
        // Pin the grid's epoch at t0 (a test elsewhere may have set it: measure from it).
        let first = t0 + aligned(t0, Duration::ZERO, false);
        // Data 3 ms later, a one-second clock 40 ms later, a rate 110 ms later: the
        // requests made between two ticks all name the same instant.
        for (at, delay) in [(3u64, 1u64), (40, 0), (110, 16)] {
            let now = t0 + Duration::from_millis(at);
            if now + Duration::from_millis(delay) < first {
                let when = now + aligned(now, Duration::from_millis(delay), false);
                let off = when.max(first) - when.min(first);
                assert!(
                    off < Duration::from_micros(5),
                    "{at} ms + {delay} ms lands {off:?} off the tick"
                );
            }
        }
        // A delay of a second lands on a tick a second or a little more away.
        let d = aligned(t0, Duration::from_secs(1), false);
        assert!(
            d >= Duration::from_secs(1) && d < Duration::from_secs(1) + LIGHT_INTERVAL,
            "{d:?}"
        );
        // Never zero (egui would draw twice), never past one grid step for data.
        let d = aligned(t0, Duration::ZERO, false);
        assert!(d >= MIN_DELAY && d <= LIGHT_INTERVAL + MIN_DELAY, "{d:?}");
        // Smooth mode keeps the delay as asked.
        assert_eq!(aligned(t0, Duration::from_millis(16), true), Duration::from_millis(16));
    }
}
