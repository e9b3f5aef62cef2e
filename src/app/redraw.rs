//! How often incoming data redraws the window.
//!
//! Under a stream every batch could ask for a frame, and each frame costs a full
//! tessellation and, without a GPU, several milliseconds of software rasterizing: 60 Hz
//! of that took half a core at 20k msg/s. A person reads values a few times a second
//! (MQTT Viewer batches its updates every 300 ms), so by default data redraws 5 times a
//! second; input, animations the user started and "smooth" mode still get 60 Hz.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Between data-driven frames by default.
pub const LIGHT_INTERVAL: Duration = Duration::from_millis(200);
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

/// Redraw for data at 60 Hz (`true`) or 5 Hz.
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
    fn light_mode_redraws_five_times_a_second_and_smooth_at_sixty() {
        set_smooth(false);
        assert_eq!(interval(), Duration::from_millis(200));
        assert!(drain_budget() > SMOOTH_DRAIN_BUDGET);
        set_smooth(true);
        assert_eq!(interval(), Duration::from_millis(16));
        assert_eq!(drain_budget(), Duration::from_millis(4));
        set_smooth(false);
    }
}
