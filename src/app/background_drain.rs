//! Applying worker events between frames, on a thread of its own.
//!
//! Events used to be applied only in a frame (`logic`), within a time budget. Under a
//! stream that made the frames long: at 50k msg/s each 250 ms frame found 12,500
//! messages waiting, spent its 10 ms budget on them and needed a catch-up frame; and
//! while a million retained topics arrived every frame was a full budget long. Between
//! two frames the UI thread only paints and waits, so when a frame ends the window lends
//! this thread the parts of its state that applying events needs ([`DrainParts`]: the
//! connections with their models, the charts, the publish history, the notices); the
//! thread applies events as the workers queue them, and the next frame takes the parts
//! back first. A frame then applies only what came in the last moment.
//!
//! Taking the parts back waits for the slice under way: [`SLICE`] of events, or longer
//! when one event waits (a recording's connection event waits up to 100 ms for its
//! writer, a publish outcome saves the publish history), as it held the frame before.
//! A thread that cannot start, or a slice that panics, leaves the frames to apply
//! everything as before, and the parts come back. A panic caught half-way through
//! applying a batch leaves that batch half applied (before, it ended the program).
//!
//! Only the connections to brokers are drained here: an opened recording plays on the
//! clock and stays with the frames, as does the local broker's takeover feed. eframe
//! runs `logic` without `ui` while the window cannot be shown; such a pass finds the
//! parts not lent and applies events itself (`TopicscopeApp::logic`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::{JoinHandle, Thread};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

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

/// How the UI thread and the workers reach the thread: two flags and an unpark. A
/// worker wakes it once per batch (thousands of times a second under a flood), so a wake
/// that finds the flag already set costs one atomic swap, and no system call.
#[derive(Default)]
struct Signal {
    /// A frame wants the parts back.
    reclaim: AtomicBool,
    /// Events were queued since the thread last looked.
    woken: AtomicBool,
    thread: OnceLock<Thread>,
}

impl Signal {
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

    /// Parks until `deadline` (or a wake-up), unless a frame wants the parts back.
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
pub struct DrainWaker(Arc<Signal>);

impl DrainWaker {
    pub fn wake(&self) {
        self.0.wake();
    }
}

/// The thread, and whether it holds the parts now.
pub struct BackgroundDrain {
    signal: Arc<Signal>,
    lend: Option<Sender<DrainParts>>,
    back: Receiver<DrainParts>,
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
    pub fn start(ask: impl Fn(Show) + Send + 'static) -> (Option<Self>, DrainWaker) {
        let signal = Arc::new(Signal::default());
        let waker = DrainWaker(Arc::clone(&signal));
        let (lend_tx, lend_rx) = crossbeam_channel::bounded::<DrainParts>(1);
        let (back_tx, back_rx) = crossbeam_channel::bounded::<DrainParts>(1);
        let thread = std::thread::Builder::new().name("topicscope-drain".into()).spawn({
            let signal = Arc::clone(&signal);
            move || {
                crate::thread_priority::run_behind_ui();
                run(lend_rx, &back_tx, &signal, &ask)
            }
        });
        match thread {
            Ok(thread) => {
                let _ = signal.thread.set(thread.thread().clone());
                // A wake-up sent before the handle was set is not lost: the thread
                // looks at the flags before it first parks.
                signal.unpark();
                (
                    Some(Self {
                        signal,
                        lend: Some(lend_tx),
                        back: back_rx,
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

    /// Hands `parts` to the thread until [`Self::take_back`].
    pub fn lend(&mut self, parts: DrainParts) {
        let Some(tx) = &self.lend else {
            self.kept = Some(parts);
            return;
        };
        match tx.send(parts) {
            Ok(()) => self.lent = true,
            Err(crossbeam_channel::SendError(parts)) => {
                self.lend = None;
                self.kept = Some(parts);
            }
        }
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
        self.signal.reclaim.store(true, Ordering::Release);
        self.signal.unpark();
        let parts = self.back.recv().ok();
        self.signal.reclaim.store(false, Ordering::Release);
        parts
    }

    /// True from [`Self::lend`] until [`Self::take_back`].
    pub fn holds_parts(&self) -> bool {
        self.lent || self.kept.is_some()
    }

    /// False once the thread is gone (then frames apply everything).
    pub fn running(&self) -> bool {
        self.lend.is_some()
    }
}

impl Drop for BackgroundDrain {
    fn drop(&mut self) {
        // Closing the lending channel ends the thread once it has given the parts back.
        self.lend = None;
        if self.lent {
            let _ = self.take_back();
        }
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

fn run(lend: Receiver<DrainParts>, back: &Sender<DrainParts>, signal: &Signal, ask: &dyn Fn(Show)) {
    // Events announced by a wake-up and not yet applied: a frame may have taken the parts
    // back before they were, and shown the state without them (the waker's frame). So
    // once applied, after that frame, they ask for one more.
    let mut owed = false;
    while let Ok(mut parts) = lend.recv() {
        if !drain_until_reclaimed(&mut parts, signal, ask, &mut owed) {
            // Closed before the parts go back, so that no frame can lend them again
            // into a channel nobody reads.
            drop(lend);
            let _ = back.send(parts);
            return;
        }
        if back.send(parts).is_err() {
            return;
        }
    }
}

/// Applies events until a frame asks for the parts back; false when a slice panicked
/// (the parts go back as they are and the thread ends).
fn drain_until_reclaimed(parts: &mut DrainParts, signal: &Signal, ask: &dyn Fn(Show), owed: &mut bool) -> bool {
    let mut busy_since: Option<Instant> = None;
    loop {
        if signal.reclaiming() {
            return true;
        }
        let more = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parts.drain(SLICE))) {
            Ok(more) => more,
            Err(_) => {
                tracing::error!("the background drain failed; frames apply events from now on");
                return false;
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
            if signal.reclaiming() {
                return true;
            }
            if signal.woken.swap(false, Ordering::AcqRel) {
                *owed = true;
                break;
            }
            std::thread::park();
        }
        // …then let a few milliseconds of them gather, so that a steady stream wakes
        // this thread (and preempts the workers) a hundred times a second, not once per
        // batch. A frame that wants the parts back ends the wait.
        signal.rest_until(Instant::now() + GATHER);
    }
}
