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

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
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
/// the grid, so requests from different places share one frame (and, in a window with a
/// [`DataRedraw`], reach egui once per tick).
pub fn after(ctx: &egui::Context, delay: Duration) {
    if smooth() {
        ctx.request_repaint_after(delay);
        return;
    }
    match ctx.data(|d| d.get_temp::<Arc<DataRedraw>>(egui::Id::unique(DATA_REDRAW_KEY))) {
        Some(asks) => asks.at_tick(ctx, delay),
        None => ctx.request_repaint_after(aligned(Instant::now(), delay, false)),
    }
}

const DATA_REDRAW_KEY: &str = "topicscope-redraw-asks";

/// Passes a window's requests for frames on to egui once per tick of the grid.
///
/// The workers' waker asks for a frame for every batch they queue, hundreds of times a
/// second under a stream, and the panes ask for their clocks' ticks in every frame. Each
/// request egui passes on costs a message through the event loop and, in eframe 0.37, an
/// X server round trip (it asks whether the window is minimized): a third of the UI
/// thread's time while recording 50k msg/s. egui passes a request on whenever its delay
/// is shorter than any since the pass began, and the delay to a given tick shrinks with
/// every call; so a request for a tick no earlier than one already asked for since the
/// pass began is not passed on (that tick's pass asks again for what it still needs).
#[derive(Debug)]
pub struct DataRedraw {
    /// The earliest grid tick (counted from the grid's epoch) asked for since the last
    /// pass began; `u64::MAX` for none.
    asked_tick: AtomicU64,
    /// Told when each frame asked for is due, so that background work gives way.
    gate: Option<Arc<crate::frame_gate::FrameGate>>,
}

impl Default for DataRedraw {
    fn default() -> Self {
        Self {
            asked_tick: AtomicU64::new(u64::MAX),
            gate: None,
        }
    }
}

impl DataRedraw {
    /// Tells `gate` when the frames it asks for are due.
    pub fn with_gate(gate: Arc<crate::frame_gate::FrameGate>) -> Self {
        Self {
            gate: Some(gate),
            ..Self::default()
        }
    }

    /// Serves [`after`] for `ctx` from now on.
    pub fn install(self: &Arc<Self>, ctx: &egui::Context) {
        ctx.data_mut(|d| d.insert_temp(egui::Id::unique(DATA_REDRAW_KEY), Arc::clone(self)));
    }

    /// Data arrived: asks for the frame that shows it.
    pub fn ask(&self, ctx: &egui::Context) {
        if smooth() {
            // The same delay each time: egui passes on only the first.
            ctx.request_repaint_after(SMOOTH_INTERVAL);
        } else {
            self.at_tick(ctx, MIN_DELAY);
        }
    }

    /// A pass began: egui forgot the requests made before it, so the next ones go on.
    pub fn pass_began(&self) {
        self.asked_tick.store(u64::MAX, Ordering::Relaxed);
    }

    fn at_tick(&self, ctx: &egui::Context, delay: Duration) {
        let now = Instant::now();
        let (tick, delay) = next_tick(now, delay);
        if self.first_ask_for(tick) {
            ctx.request_repaint_after(delay);
            if let Some(gate) = &self.gate {
                gate.frame_due(now + delay);
            }
        }
    }

    /// True when `tick` is earlier than every tick asked for since the last pass began.
    fn first_ask_for(&self, tick: u64) -> bool {
        self.asked_tick.fetch_min(tick, Ordering::Relaxed) > tick
    }
}

/// The instant the grid's ticks are counted from (the first request).
static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Never zero: egui draws twice for a zero delay.
const MIN_DELAY: Duration = Duration::from_millis(1);

/// The delay from `now` to the first grid tick at least `delay` away (the delay itself
/// when smooth).
fn aligned(now: Instant, delay: Duration, smooth: bool) -> Duration {
    if smooth {
        return delay;
    }
    next_tick(now, delay).1
}

/// The first grid tick at least `delay` from `now`: its number (counted from the grid's
/// epoch) and the delay to it.
fn next_tick(now: Instant, delay: Duration) -> (u64, Duration) {
    let elapsed = now.saturating_duration_since(*EPOCH.get_or_init(|| now));
    let grid = LIGHT_INTERVAL.as_nanos();
    let ticks = (elapsed + delay.max(MIN_DELAY)).as_nanos().div_ceil(grid);
    let target = Duration::from_nanos(u64::try_from(ticks * grid).unwrap_or(u64::MAX));
    let tick = u64::try_from(ticks).unwrap_or(u64::MAX - 1);
    (tick, target.saturating_sub(elapsed).max(MIN_DELAY))
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

    /// The tests that set the window-wide mode take turns.
    static MODE: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn mode_lock() -> std::sync::MutexGuard<'static, ()> {
        MODE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[test]
    fn light_mode_redraws_four_times_a_second_and_smooth_at_sixty() {
        let _mode = mode_lock();
        set_smooth(false);
        assert_eq!(interval(), Duration::from_millis(250));
        assert!(drain_budget() > SMOOTH_DRAIN_BUDGET);
        set_smooth(true);
        assert_eq!(interval(), Duration::from_millis(16));
        assert_eq!(drain_budget(), Duration::from_millis(4));
        set_smooth(false);
    }

    #[test]
    fn each_tick_reaches_egui_once_per_pass() {
        let ctx = egui::Context::default();
        let asks = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&asks);
        ctx.set_request_repaint_callback(move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
        });
        let _mode = mode_lock();
        set_smooth(false);
        let data = Arc::new(DataRedraw::default());
        data.install(&ctx);
        // A stream's batches between two passes, and a pane's one-second clock asked for
        // in each of them: one request for the coming tick (a later tick, once the clock
        // passed it, is not asked for either: that tick's pass asks), not one per batch.
        for _ in 0..1000 {
            data.ask(&ctx);
            after(&ctx, Duration::from_secs(1));
        }
        let between = asks.load(Ordering::Relaxed);
        assert_eq!(between, 1, "{between} requests for 1000 batches");
        // An earlier tick than any asked for still goes on: a pass began, egui forgot the
        // requests, the next batch asks again.
        // (egui's first passes ask for more passes: run them out.)
        for _ in 0..10 {
            data.pass_began();
            ctx.run_ui(egui::RawInput::default(), |_| {}).textures_delta.clear();
            if !ctx.has_requested_repaint() {
                break;
            }
        }
        assert!(!ctx.has_requested_repaint());
        asks.store(0, Ordering::Relaxed);
        after(&ctx, Duration::from_secs(1));
        data.ask(&ctx);
        assert_eq!(
            asks.load(Ordering::Relaxed),
            2,
            "the clock's and then the data's earlier tick"
        );
        // Without a `DataRedraw` every request reaches egui, as before.
        let plain = egui::Context::default();
        let count = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&count);
        plain.set_request_repaint_callback(move |_| {
            c.fetch_add(1, Ordering::Relaxed);
        });
        after(&plain, Duration::from_millis(300));
        assert_eq!(count.load(Ordering::Relaxed), 1);
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
