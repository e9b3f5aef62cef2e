//! Applying worker events between frames, on a thread of its own.
//!
//! Events used to be applied only in a frame (`logic`), within a time budget. Under a
//! stream that made the frames long: at 50k msg/s each 250 ms frame found 12,500
//! messages waiting, spent its 10 ms budget on them and needed a catch-up frame; and
//! while a million retained topics arrived every frame was a full budget long. Between
//! two frames the UI thread only paints and waits, so when a frame ends the window lends
//! this thread the parts of its state that applying events needs (`DrainParts`: the
//! connections with their models, the charts, the publish history, the notices); the
//! thread applies events as the workers queue them, and the next frame takes the parts
//! back first. A frame then applies only what came in the last moment.
//!
//! Taking the parts back waits for the slice under way: [`SLICE`] of events, or longer
//! when one event waits (a recording's connection event waits up to 100 ms for its
//! writer, a publish outcome saves the publish history), as it held the frame before;
//! a resting or parked thread need not be scheduled first (the parts are taken from
//! under a lock the thread holds only during a slice). The thread keeps the process's
//! priority: at a lower one, a frame waited for a slice whenever other programs kept
//! the cores busy ([`crate::thread_priority`] says what was measured). After a lend it
//! first leaves the cores to the frame being painted, for as long as the last frame's
//! painting took ([`paint_rest`]).
//! A thread that cannot start, or a slice that panics, leaves the frames to apply
//! everything as before, and the parts come back. A panic caught half-way through
//! applying a batch leaves that batch half applied (before, it ended the program).
//!
//! Only the connections to brokers are drained here: an opened recording plays on the
//! clock and stays with the frames, as does the local broker's takeover feed. eframe
//! runs `logic` without `ui` while the window cannot be shown; such a pass finds the
//! parts not lent and applies events itself (`TopicscopeApp::logic`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{JoinHandle, Thread};
use std::time::{Duration, Instant};

use super::state::DrainParts;

/// The longest the thread applies events before looking whether a frame wants the
/// parts back.
pub const SLICE: Duration = Duration::from_micros(500);
/// When the thread caught up after being busy this long (a burst), the window redraws
/// at once rather than at the next tick of its grid: the burst's end is shown promptly.
const BURST: Duration = Duration::from_millis(100);
/// After a wake-up, how long events may gather before the thread applies them (the
/// window shows data 4 times a second; 60 in smooth mode).
const GATHER: Duration = Duration::from_millis(25);
/// The longest the thread leaves the cores to a frame being painted after a lend.
pub const PAINT_REST_MAX: Duration = Duration::from_millis(12);

/// How long the frame that lends the parts will still take after `ui` (tessellating and
/// painting), judged by the last frame: eframe's time of that frame (`cpu_usage`, start
/// to painted, not counting the wait for the screen) less the part up to its `ui`'s
/// end. At most [`PAINT_REST_MAX`]; nothing when unknown.
pub fn paint_rest(last_frame_secs: Option<f32>, last_ui_part: Option<Duration>) -> Duration {
    let (Some(frame), Some(ui_part)) = (last_frame_secs, last_ui_part) else {
        return Duration::ZERO;
    };
    Duration::try_from_secs_f32(frame)
        .unwrap_or(Duration::ZERO)
        .saturating_sub(ui_part)
        .min(PAINT_REST_MAX)
}

/// What the UI thread, the workers and the thread share: the lent parts behind a lock
/// the thread holds only while it applies a slice, two flags and an unpark. A worker
/// wakes the thread once per batch (thousands of times a second under a flood), so a
/// wake that finds the flag already set costs one atomic swap, and no system call.
///
/// A frame takes the parts back by taking them out from under the lock: it waits only
/// for a slice under way, not for a resting or parked thread to be scheduled (on busy
/// cores its turn may be a while coming).
#[derive(Default)]
struct Shared {
    lent: Mutex<Lent>,
    /// A frame wants the parts back.
    reclaim: AtomicBool,
    /// Events were queued since the thread last looked.
    woken: AtomicBool,
    /// The thread ended (a slice panicked) or is asked to end (the drain is dropped).
    ended: AtomicBool,
    thread: OnceLock<Thread>,
    /// The window's frames, which the slices give way to (see [`crate::frame_gate`]).
    gate: Option<Arc<crate::frame_gate::FrameGate>>,
    /// Ends a wait for a frame: set when the drain is dropped.
    stop_giving_way: Arc<AtomicBool>,
}

#[derive(Default)]
struct Lent {
    parts: Option<DrainParts>,
    /// Lent since the thread last looked, and how long it first leaves the cores to the
    /// frame being painted.
    fresh: Option<Duration>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Lent> {
        // A slice's panic is caught inside the lock, so it is never poisoned; if it
        // were, the parts in it are as whole as after any caught panic.
        self.lent.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn unpark(&self) {
        if let Some(t) = self.thread.get() {
            t.unpark();
        }
    }

    fn wake(&self) {
        if !self.woken.swap(true, Ordering::AcqRel) {
            self.unpark();
        }
    }

    fn reclaiming(&self) -> bool {
        self.reclaim.load(Ordering::Acquire)
    }

    /// Parks until `deadline`, or until a frame wants the parts back.
    fn rest_until(&self, deadline: Instant) {
        loop {
            let now = Instant::now();
            if self.reclaiming() || now >= deadline {
                return;
            }
            std::thread::park_timeout(deadline - now);
        }
    }
}

/// Wakes the background drain: called by the workers whenever they queued events.
#[derive(Clone)]
pub struct DrainWaker(Arc<Shared>);

impl DrainWaker {
    pub fn wake(&self) {
        self.0.wake();
    }
}

/// The thread, and whether it holds the parts now.
pub struct BackgroundDrain {
    shared: Arc<Shared>,
    /// Parts that could not be lent (the thread is gone): kept for the next take-back.
    kept: Option<DrainParts>,
    lent: bool,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for BackgroundDrain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundDrain")
            .field("lent", &self.lent)
            .finish_non_exhaustive()
    }
}

impl BackgroundDrain {
    /// The drain and the waker to give the workers. `ask` is called when the thread has
    /// applied what a wake-up announced, with [`Show::Now`] after a burst. `None` when the
    /// thread cannot start: the frames then apply events themselves.
    /// Between slices the thread gives way to the frames `gate` marks.
    pub fn start(
        ask: impl Fn(Show) + Send + 'static,
        gate: Option<Arc<crate::frame_gate::FrameGate>>,
    ) -> (Option<Self>, DrainWaker) {
        let shared = Arc::new(Shared {
            gate,
            ..Shared::default()
        });
        let waker = DrainWaker(Arc::clone(&shared));
        let thread = std::thread::Builder::new().name("topicscope-drain".into()).spawn({
            let shared = Arc::clone(&shared);
            move || {
                // However the thread ends (a caught panic, or one outside the slices),
                // the frames learn it and apply events themselves, starting at once.
                struct Ended<'a>(&'a Shared, &'a dyn Fn(Show));
                impl Drop for Ended<'_> {
                    fn drop(&mut self) {
                        if !self.0.ended.swap(true, Ordering::AcqRel) {
                            (self.1)(Show::Now);
                        }
                    }
                }
                let _ended = Ended(&shared, &ask);
                run(&shared, &ask);
            }
        });
        match thread {
            Ok(thread) => {
                let _ = shared.thread.set(thread.thread().clone());
                // A wake-up sent before the handle was set is not lost: the thread
                // looks at the flags before it first parks.
                shared.unpark();
                (
                    Some(Self {
                        shared,
                        kept: None,
                        lent: false,
                        thread: Some(thread),
                    }),
                    waker,
                )
            }
            Err(e) => {
                tracing::warn!("no background drain, frames apply events themselves: {e}");
                (None, waker)
            }
        }
    }

    /// Hands `parts` to the thread until [`Self::take_back`]; the thread leaves the cores
    /// to the frame being painted for `rest` before it applies events.
    pub fn lend(&mut self, parts: DrainParts, rest: Duration) {
        if !self.running() {
            self.kept = Some(parts);
            return;
        }
        {
            let mut lent = self.shared.lock();
            // Cleared before the parts are there: a thread that finds the flag clear and
            // the parts gone parks, and this lend's unpark brings it back.
            self.shared.reclaim.store(false, Ordering::Release);
            lent.parts = Some(parts);
            lent.fresh = Some(rest);
        }
        self.lent = true;
        self.shared.unpark();
    }

    /// The parts, back from the thread (waiting for its slice to end), if lent.
    pub fn take_back(&mut self) -> Option<DrainParts> {
        if let Some(parts) = self.kept.take() {
            return Some(parts);
        }
        if !self.lent {
            return None;
        }
        self.lent = false;
        self.shared.reclaim.store(true, Ordering::Release);
        // Not waited for: only so that a resting thread looks at the flag (and at the
        // next lend) as soon as it gets a turn.
        self.shared.unpark();
        let mut lent = self.shared.lock();
        lent.fresh = None;
        lent.parts.take()
    }

    /// True from [`Self::lend`] until [`Self::take_back`].
    pub fn holds_parts(&self) -> bool {
        self.lent || self.kept.is_some()
    }

    /// False once the thread is gone (then frames apply everything).
    pub fn running(&self) -> bool {
        !self.shared.ended.load(Ordering::Acquire)
    }
}

impl Drop for BackgroundDrain {
    fn drop(&mut self) {
        // The parts hold the workers, whose wakers hold the shared lock: taken out and
        // dropped here, so nothing keeps them alive.
        drop(self.take_back());
        self.shared.ended.store(true, Ordering::Release);
        self.shared.reclaim.store(true, Ordering::Release);
        self.shared.stop_giving_way.store(true, Ordering::Release);
        self.shared.unpark();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// When the window should show what the thread applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// At the next tick of the redraw grid, as the workers' waker asked.
    NextTick,
    /// At once: the end of a burst.
    Now,
}

fn run(shared: &Shared, ask: &dyn Fn(Show)) {
    // Events announced by a wake-up and not yet applied: a frame may have taken the parts
    // back before they were, and shown the state without them (the waker's frame). So
    // once applied, after that frame, they ask for one more.
    let mut owed = false;
    let mut yielding = shared
        .gate
        .clone()
        .map(|gate| crate::frame_gate::Yielding::new(gate, Arc::clone(&shared.stop_giving_way)));
    loop {
        // Wait for a lend.
        let rest = loop {
            if shared.ended.load(Ordering::Acquire) {
                return;
            }
            if let Some(rest) = shared.lock().fresh.take() {
                break rest;
            }
            std::thread::park();
        };
        // The frame that lent the parts is still being tessellated and painted (on the
        // CPU, without a GPU): leave it the cores for the time that took last frame.
        shared.rest_until(Instant::now() + rest);
        if !drain_until_reclaimed(shared, ask, &mut owed, &mut yielding) {
            // The parts stay under the lock, as they are, for the next frame to take;
            // from then on the frames apply events themselves (`ended` is set): one
            // now, for what is queued.
            ask(Show::Now);
            return;
        }
    }
}

/// Applies events until a frame takes the parts back; false when a slice panicked.
fn drain_until_reclaimed(
    shared: &Shared,
    ask: &dyn Fn(Show),
    owed: &mut bool,
    yielding: &mut Option<crate::frame_gate::Yielding>,
) -> bool {
    let mut busy_since: Option<Instant> = None;
    loop {
        if shared.reclaiming() {
            return true;
        }
        if let Some(y) = yielding.as_mut() {
            // A frame due or being drawn goes first (it takes the parts back from under
            // the lock, without this thread).
            y.give_way();
            if shared.reclaiming() {
                return true;
            }
        }
        let more = {
            let mut lent = shared.lock();
            if let Some(rest) = lent.fresh.take() {
                // Lent again by a frame that took the parts back while this thread was
                // resting: that frame is being painted now.
                drop(lent);
                shared.rest_until(Instant::now() + rest);
                continue;
            }
            let Some(parts) = lent.parts.as_mut() else {
                // Taken back between the look at the flag and the lock.
                return true;
            };
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parts.drain(SLICE))) {
                Ok(more) => more,
                Err(_) => {
                    tracing::error!("the background drain failed; frames apply events from now on");
                    // Set under the lock: the frame that takes these parts back already
                    // sees the thread gone, and applies what is queued itself.
                    shared.ended.store(true, Ordering::Release);
                    return false;
                }
            }
        };
        if more {
            busy_since.get_or_insert_with(Instant::now);
            continue;
        }
        if busy_since.take().is_some_and(|t| t.elapsed() >= BURST) {
            ask(Show::Now);
        } else if *owed {
            ask(Show::NextTick);
        }
        *owed = false;
        // Caught up: wait for new events or for the frame…
        loop {
            if shared.reclaiming() {
                return true;
            }
            if shared.woken.swap(false, Ordering::AcqRel) {
                *owed = true;
                break;
            }
            std::thread::park();
        }
        // …then let a few milliseconds of them gather, so that a steady stream wakes
        // this thread (and preempts the workers) forty times a second, not once per
        // batch. A frame that takes the parts back ends the wait.
        shared.rest_until(Instant::now() + GATHER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_after_a_lend_is_the_last_frames_painting() {
        let ms = Duration::from_millis;
        // A 9 ms frame whose pass took 2 ms up to the end of `ui`: 7 ms of painting.
        let rest = paint_rest(Some(0.009), Some(ms(2)));
        assert!(rest > ms(6) && rest < ms(8), "{rest:?}");
        // Never longer than the cap, never negative, nothing when unknown.
        assert_eq!(paint_rest(Some(0.5), Some(ms(1))), PAINT_REST_MAX);
        assert_eq!(paint_rest(Some(0.001), Some(ms(3))), Duration::ZERO);
        assert_eq!(paint_rest(None, Some(ms(3))), Duration::ZERO);
        assert_eq!(paint_rest(Some(0.009), None), Duration::ZERO);
        assert_eq!(paint_rest(Some(f32::NAN), Some(ms(1))), Duration::ZERO);
    }

    use std::sync::mpsc;

    /// A drain over a fresh window state, and what it asked for.
    fn drain() -> (
        BackgroundDrain,
        DrainWaker,
        mpsc::Receiver<Show>,
        crate::app::state::AppState,
        tempfile::TempDir,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::app::state::AppState::new(None, dir.path().to_owned(), 1 << 20);
        let (tx, rx) = mpsc::channel();
        let (drain, waker) = BackgroundDrain::start(
            move |show| {
                let _ = tx.send(show);
            },
            None,
        );
        (drain.expect("the thread starts"), waker, rx, state, dir)
    }

    const WAIT: Duration = Duration::from_secs(5);

    #[test]
    fn a_wake_up_asks_for_a_frame_once_applied_even_after_the_frame_took_the_parts_back() {
        let (mut drain, waker, asks, mut state, _dir) = drain();
        assert!(drain.running());
        // Lent and woken: once applied (after the 25 ms gathering), one frame is asked for.
        drain.lend(state.lend_drain_parts(), Duration::ZERO);
        waker.wake();
        assert_eq!(asks.recv_timeout(WAIT), Ok(Show::NextTick));
        // Woken, and the parts taken back at once (a frame, before the gathering ended):
        // nothing applied, so nothing asked yet…
        waker.wake();
        std::thread::sleep(Duration::from_millis(2));
        state.return_drain_parts(drain.take_back().expect("lent parts come back"));
        assert!(
            asks.recv_timeout(Duration::from_millis(100)).is_err(),
            "asked before applying"
        );
        // …and once lent again and applied, the frame that shows it is asked for.
        drain.lend(state.lend_drain_parts(), Duration::ZERO);
        assert_eq!(asks.recv_timeout(WAIT), Ok(Show::NextTick));
        state.return_drain_parts(drain.take_back().expect("lent parts come back"));
    }

    #[test]
    fn lends_and_take_backs_in_quick_succession_never_leave_the_thread_asleep() {
        let (mut drain, waker, asks, mut state, _dir) = drain();
        for round in 0..300 {
            drain.lend(state.lend_drain_parts(), Duration::ZERO);
            if round % 3 == 0 {
                std::thread::yield_now();
            }
            state.return_drain_parts(drain.take_back().expect("lent parts come back"));
            assert!(!drain.holds_parts());
        }
        // After all that the thread still serves a lend: a wake-up is applied and asked for.
        while asks.try_recv().is_ok() {}
        drain.lend(state.lend_drain_parts(), Duration::ZERO);
        waker.wake();
        assert_eq!(
            asks.recv_timeout(WAIT),
            Ok(Show::NextTick),
            "the thread slept through the lend"
        );
        // Dropping the drain while it holds the parts ends the thread (the test returns).
        drop(drain);
    }

    #[test]
    fn the_paint_rest_holds_the_thread_back_unless_a_frame_wants_the_parts() {
        let (mut drain, waker, asks, mut state, _dir) = drain();
        // Lent with a long rest (longer than any frame's): a wake-up is not applied
        // before the rest is over…
        let start = Instant::now();
        drain.lend(state.lend_drain_parts(), Duration::from_millis(400));
        waker.wake();
        assert_eq!(asks.recv_timeout(WAIT), Ok(Show::NextTick));
        assert!(start.elapsed() >= Duration::from_millis(400), "applied during the rest");
        // …and a frame taking the parts back does not wait for the rest.
        drain
            .take_back()
            .map(|p| state.return_drain_parts(p))
            .expect("lent parts come back");
        drain.lend(state.lend_drain_parts(), Duration::from_secs(30));
        let start = Instant::now();
        state.return_drain_parts(drain.take_back().expect("lent parts come back"));
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
