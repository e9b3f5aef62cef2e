//! The window's frames go first: background work that can wait pauses while one is drawn.
//!
//! A frame is a few milliseconds of the UI thread's time, four or five times a second
//! under a stream; a recording's writer needs a third of a core, and the background
//! drain a twentieth, but neither needs promptness (the writer's channel holds what it
//! has not written yet, and the frame takes the drain's parts back without it). On two
//! cores shared with a broker and a publisher they took the UI thread's core, and the
//! X server's, in the middle of frames: recording 50k msg/s, `perf sched timehist`
//! showed frames of 7-8 ms of which half was the UI thread waiting for its turn, often
//! behind the writer, and a frame's first steps (a dozen X server round trips egui makes
//! before the window's code runs) waiting for the X server's. A nice value does not help
//! the writer: at a lower priority it lost messages whenever other programs kept the
//! cores busy ([`crate::thread_priority`]).
//!
//! So the window marks its frames: a frame asked for at a time is due then
//! ([`FrameGate::frame_due`], from the redraw grid), begins in `logic`
//! ([`FrameGate::frame_began`]) and ends when the painter reaches a callback the window
//! puts last on the screen ([`FrameGate::frame_painted`]). A thread that can wait calls
//! [`Yielding::give_way`] between small pieces of its work: two atomic loads when no
//! frame is due or drawn (a clock read when one is); from [`LEAD`] before a frame is
//! due, and while one is drawn, it parks
//! until the frame is painted, and never past [`HOLD_MAX`] from when the frame was due or
//! began. Frames that are not painted (eframe's passes while the window is minimized)
//! hold nobody after the first.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// The longest a frame holds a thread, from the frame's start (or from when it was due).
pub const HOLD_MAX: Duration = Duration::from_millis(12);
/// After giving way, how long a thread runs before it gives way again: frames asked for
/// back to back cannot starve it (it keeps at least 8 ms of every 21, a hold being at
/// most [`LEAD`] + [`HOLD_MAX`]; before work that cannot stop halfway,
/// [`Yielding::give_way_ahead`], the hold can be its lead + [`HOLD_MAX`]).
pub const FREE_AFTER: Duration = Duration::from_millis(8);
/// How long before a frame that is due threads start giving way: the frame's first
/// steps, before the window's code runs, are X server round trips (egui asks for the
/// window's size, position, state and monitor), each of which needs the X server to get
/// a core promptly.
pub const LEAD: Duration = Duration::from_millis(1);

/// Whether a frame is being drawn, shared by the UI thread and the threads that give way.
pub struct FrameGate {
    epoch: Instant,
    /// When the frame being drawn began, in microseconds since `epoch`, plus one; zero
    /// when none is.
    drawing: AtomicU64,
    /// When the next frame is due (asked for at a given time), in microseconds since
    /// `epoch`, plus one; zero when none is.
    due: AtomicU64,
    /// Frames painted so far.
    painted: AtomicU64,
    /// `painted` when the last frame began (`u64::MAX` before the first).
    last_began: AtomicU64,
    /// Threads parked until the frame is painted.
    waiting: Mutex<Vec<Thread>>,
    /// How many times a thread waited (for tests and benchmarks).
    held: AtomicU64,
}

impl std::fmt::Debug for FrameGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameGate")
            .field("drawing", &(self.drawing.load(Ordering::Relaxed) != 0))
            .finish_non_exhaustive()
    }
}

impl Default for FrameGate {
    fn default() -> Self {
        Self {
            epoch: Instant::now(),
            drawing: AtomicU64::new(0),
            due: AtomicU64::new(0),
            painted: AtomicU64::new(0),
            last_began: AtomicU64::new(u64::MAX),
            waiting: Mutex::new(Vec::new()),
            held: AtomicU64::new(0),
        }
    }
}

impl FrameGate {
    fn mark(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_micros()).unwrap_or(u64::MAX - 1) + 1
    }

    fn instant(&self, mark: u64) -> Instant {
        self.epoch + Duration::from_micros(mark - 1)
    }

    /// A frame begins (the UI thread, at the start of its pass). When the frame before
    /// was not painted (eframe runs a pass without painting while the window is
    /// minimized), this one holds nobody, nor do later ones until one is painted.
    pub fn frame_began(&self) {
        // egui forgets the frames asked for before a pass: this one was the frame due,
        // and the frames it asks for are due next.
        self.due.store(0, Ordering::Release);
        let painted = self.painted.load(Ordering::Acquire);
        if self.last_began.swap(painted, Ordering::AcqRel) == painted {
            self.drawing.store(0, Ordering::Release);
            return;
        }
        self.drawing.store(self.mark(Instant::now()), Ordering::Release);
    }

    /// Whether the window paints its frames: one has been painted, and the last one that
    /// began was painted or is being drawn.
    fn painting(&self) -> bool {
        let painted = self.painted.load(Ordering::Acquire);
        painted > 0 && (self.last_began.load(Ordering::Acquire) != painted || self.drawing.load(Ordering::Acquire) != 0)
    }

    /// A frame was asked for at `at` (a data redraw on the grid): threads give way from
    /// [`LEAD`] before it. Only while the window paints its frames (the gate knows they
    /// end), and the earliest of several asked for counts.
    pub fn frame_due(&self, at: Instant) {
        if !self.painting() {
            return;
        }
        let mark = self.mark(at);
        let _ = self.due.fetch_update(Ordering::AcqRel, Ordering::Acquire, |d| {
            (d == 0 || mark < d).then_some(mark)
        });
    }

    /// The frame is painted (the UI thread, from the painter): the threads waiting go on.
    pub fn frame_painted(&self) {
        self.drawing.store(0, Ordering::Release);
        self.painted.fetch_add(1, Ordering::AcqRel);
        let waiting = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|p| p.into_inner()));
        for t in waiting {
            t.unpark();
        }
    }

    /// False when no frame is being drawn or due (two relaxed atomic loads).
    fn might_hold(&self) -> bool {
        self.drawing.load(Ordering::Relaxed) != 0 || self.due.load(Ordering::Relaxed) != 0
    }

    /// Whether a frame is being drawn, or due within [`LEAD`], and holds threads still.
    #[cfg(test)]
    fn holds(&self) -> bool {
        self.hold_until(Instant::now(), LEAD).is_some()
    }

    /// Until when a thread about to work for `lead` waits, at `now`: for a frame being
    /// drawn, [`HOLD_MAX`] after it began; for one due, [`HOLD_MAX`] after it was due,
    /// from `lead` before.
    fn hold_until(&self, now: Instant, lead: Duration) -> Option<Instant> {
        let began = self.drawing.load(Ordering::Acquire);
        let until = if began != 0 {
            self.instant(began) + HOLD_MAX
        } else {
            let due = self.due.load(Ordering::Acquire);
            if due == 0 {
                return None;
            }
            let due = self.instant(due);
            if now + lead < due {
                return None;
            }
            due + HOLD_MAX
        };
        (now < until).then_some(until)
    }

    /// How many times a thread waited for a frame.
    pub fn times_held(&self) -> u64 {
        self.held.load(Ordering::Relaxed)
    }

    /// [`Self::give_way_unless`] with nothing to end the wait early.
    #[cfg(test)]
    fn give_way(&self) -> GaveWay {
        self.give_way_unless(None, LEAD)
    }

    /// Waits while a frame is being drawn, or due in less than `lead`: until a frame is
    /// painted, or [`HOLD_MAX`] after it began (or was due), or once `stop` is set (and
    /// the thread unparked). Returns at once otherwise (two atomic loads when no frame is
    /// due or drawn; a clock read when one is).
    fn give_way_unless(&self, stop: Option<&AtomicBool>, lead: Duration) -> GaveWay {
        let stopped = || stop.is_some_and(|s| s.load(Ordering::Acquire));
        if !self.might_hold() || stopped() {
            return GaveWay::No;
        }
        let painted = self.painted.load(Ordering::Acquire);
        let Some(until) = self.hold_until(Instant::now(), lead) else {
            return GaveWay::No;
        };
        self.held.fetch_add(1, Ordering::Relaxed);
        let me = std::thread::current();
        let id = me.id();
        self.waiting.lock().unwrap_or_else(|p| p.into_inner()).push(me);
        // Painted between the loads above and the push: the count says so now.
        while self.painted.load(Ordering::Acquire) == painted && !stopped() {
            let now = Instant::now();
            if now >= until {
                break;
            }
            std::thread::park_timeout(until - now);
        }
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|t| t.id() != id);
        if self.painted.load(Ordering::Acquire) == painted {
            GaveWay::UntilHoldMax
        } else {
            GaveWay::UntilPainted
        }
    }
}

/// One thread's side of a [`FrameGate`]: gives way as the gate says, then runs free for
/// [`FREE_AFTER`]; never once its stop flag is set (the thread is being ended, perhaps
/// by the frame it would wait for).
#[derive(Debug)]
pub struct Yielding {
    gate: Arc<FrameGate>,
    free_until: Option<Instant>,
    stop: Arc<AtomicBool>,
}

impl Yielding {
    /// `stop`, once set (and the thread unparked), ends a wait and every later one.
    pub fn new(gate: Arc<FrameGate>, stop: Arc<AtomicBool>) -> Self {
        Self {
            gate,
            free_until: None,
            stop,
        }
    }

    /// Waits for a frame as the gate says, unless this thread gave way less than
    /// [`FREE_AFTER`] ago or was told to stop: between two small pieces of work.
    pub fn give_way(&mut self) -> GaveWay {
        self.give_way_ahead(LEAD)
    }

    /// [`Self::give_way`] before a piece of work that takes about `lead` and cannot stop
    /// halfway (a commit, a checkpoint): it also waits for a frame due within `lead`, so
    /// the work starts once that frame is painted instead of running through it.
    pub fn give_way_ahead(&mut self, lead: Duration) -> GaveWay {
        if !self.gate.might_hold() {
            return GaveWay::No;
        }
        if let Some(t) = self.free_until {
            if Instant::now() < t {
                return GaveWay::No;
            }
            self.free_until = None;
        }
        let gave_way = self.gate.give_way_unless(Some(&self.stop), lead.max(LEAD));
        if gave_way != GaveWay::No {
            self.free_until = Some(Instant::now() + FREE_AFTER);
        }
        gave_way
    }
}

/// What [`Yielding::give_way`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GaveWay {
    /// No frame was being drawn or due within the lead ([`LEAD`], or the one given to
    /// [`Yielding::give_way_ahead`]) (or it had held threads for
    /// [`HOLD_MAX`] already), or the thread had given way less than [`FREE_AFTER`] ago.
    No,
    /// Waited until the frame was painted.
    UntilPainted,
    /// Waited [`HOLD_MAX`] from the frame's start; it was not painted by then.
    UntilHoldMax,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `gate` holds threads at `at` (an instant taken before the marks, so that a
    /// test descheduled for a while still asks about the moment it means).
    fn holds_at(gate: &FrameGate, at: Instant) -> bool {
        gate.hold_until(at, LEAD).is_some()
    }

    fn yielding(gate: &Arc<FrameGate>) -> Yielding {
        Yielding::new(Arc::clone(gate), Arc::default())
    }

    #[test]
    fn no_frame_holds_nobody() {
        let gate = FrameGate::default();
        assert_eq!(gate.give_way(), GaveWay::No);
        assert!(!gate.holds());
        let t = Instant::now();
        gate.frame_began();
        assert!(holds_at(&gate, t));
        gate.frame_painted();
        assert!(!gate.holds());
        assert_eq!(gate.give_way(), GaveWay::No);
        assert!(gate.waiting.lock().unwrap().is_empty());
        assert_eq!(gate.times_held(), 0);
    }

    #[test]
    fn a_frame_holds_a_thread_until_it_is_painted() {
        let gate = Arc::new(FrameGate::default());
        let began = Instant::now();
        gate.frame_began();
        let g = Arc::clone(&gate);
        let waiter = std::thread::spawn(move || g.give_way());
        // Painted once the waiter waits (it is in the list), or whatever came first on
        // cores too busy for it to get there within the frame's hold.
        while gate.waiting.lock().unwrap().is_empty() && !waiter.is_finished() {
            std::thread::yield_now();
        }
        let parked = !waiter.is_finished();
        gate.frame_painted();
        let painted_after = began.elapsed();
        let gave_way = waiter.join().unwrap();
        if parked && painted_after < HOLD_MAX {
            assert_eq!(gave_way, GaveWay::UntilPainted);
            assert_eq!(gate.times_held(), 1);
        } else {
            assert_ne!(gave_way, GaveWay::UntilPainted);
        }
        assert!(gate.waiting.lock().unwrap().is_empty());
    }

    #[test]
    fn a_frame_due_holds_from_shortly_before_until_the_next_frame_is_painted() {
        let gate = FrameGate::default();
        // Nothing is due before frames are painted (tests paint with wgpu: never).
        gate.frame_due(Instant::now());
        assert!(!gate.holds());
        gate.frame_began();
        gate.frame_painted();
        let t = Instant::now();
        gate.frame_due(t + Duration::from_secs(60));
        assert!(!holds_at(&gate, t), "a minute early");
        // The earlier of two counts.
        gate.frame_due(t + LEAD / 2);
        assert!(holds_at(&gate, t));
        // The frame comes (egui forgets what was asked for before it): held while drawn,
        // free once painted.
        let t = Instant::now();
        gate.frame_began();
        assert!(holds_at(&gate, t));
        gate.frame_painted();
        assert!(!gate.holds());
        // What that frame asked for is due next.
        let t = Instant::now();
        gate.frame_due(t);
        assert!(holds_at(&gate, t));
    }

    #[test]
    fn work_that_cannot_stop_halfway_waits_for_a_frame_due_within_its_length() {
        let gate = Arc::new(FrameGate::default());
        gate.frame_began();
        gate.frame_painted();
        let t = Instant::now();
        let due = t + Duration::from_millis(50);
        gate.frame_due(due);
        // A message's worth of work goes on; a commit of about 80 ms waits for the frame.
        assert_eq!(gate.hold_until(t, LEAD), None);
        let until = gate.hold_until(t, Duration::from_millis(80)).expect("held");
        // (The gate keeps whole microseconds.)
        assert!(until <= due + HOLD_MAX && until + Duration::from_micros(1) >= due + HOLD_MAX);
        assert_eq!(gate.hold_until(t, Duration::from_millis(40)), None);
        // That frame comes. A thread about to do 3 s of such work parks for the next,
        // due in 2 s, until it is painted (far enough that a descheduled test thread
        // cannot outlast the hold).
        gate.frame_began();
        gate.frame_painted();
        gate.frame_due(Instant::now() + Duration::from_secs(2));
        let mut committer = yielding(&gate);
        let waiter = std::thread::spawn(move || committer.give_way_ahead(Duration::from_secs(3)));
        while gate.waiting.lock().unwrap().is_empty() {
            assert!(!waiter.is_finished(), "went on: {:?}", waiter.join());
            std::thread::yield_now();
        }
        gate.frame_began();
        gate.frame_painted();
        assert_eq!(waiter.join().unwrap(), GaveWay::UntilPainted);
        assert_eq!(gate.times_held(), 1);
    }

    #[test]
    fn frames_that_are_not_painted_hold_nobody_after_the_first() {
        let gate = FrameGate::default();
        gate.frame_began();
        gate.frame_painted();
        let t = Instant::now();
        gate.frame_began();
        assert!(holds_at(&gate, t));
        // Not painted (a minimized window's pass): the next holds nobody, nor does a due
        // frame, nor the ones after.
        for _ in 0..3 {
            let t = Instant::now();
            gate.frame_began();
            assert!(!holds_at(&gate, t));
            assert_eq!(gate.give_way(), GaveWay::No);
            gate.frame_due(t);
            assert!(!holds_at(&gate, t));
        }
        assert_eq!(gate.times_held(), 0);
        // Painted again: the next frame holds.
        gate.frame_painted();
        let t = Instant::now();
        gate.frame_began();
        assert!(holds_at(&gate, t));
    }

    #[test]
    fn a_thread_that_gave_way_runs_free_for_a_while_and_none_once_stopped() {
        let gate = Arc::new(FrameGate::default());
        let mut me = yielding(&gate);
        assert_eq!(me.give_way(), GaveWay::No);
        gate.frame_began();
        gate.frame_painted();
        // A frame due at once, and never drawn: held until its hold runs out…
        let t = Instant::now();
        gate.frame_due(t);
        let first = me.give_way();
        // (`No` only when this thread lost its core for the whole hold before asking.)
        assert!(first == GaveWay::UntilHoldMax || first == GaveWay::No && t.elapsed() >= HOLD_MAX);
        // …then, with the next frame already drawn, free for a while.
        let start = Instant::now();
        gate.frame_began();
        assert!(holds_at(&gate, start));
        let again = me.give_way();
        if first != GaveWay::No && start.elapsed() < FREE_AFTER / 2 {
            assert_eq!(again, GaveWay::No);
        }
        // A thread told to stop is held by nobody, and a waiting one goes on.
        let stop = Arc::new(AtomicBool::new(false));
        let mut other = Yielding::new(Arc::clone(&gate), Arc::clone(&stop));
        let began = Instant::now();
        gate.frame_painted();
        gate.frame_began();
        let waiter = std::thread::spawn(move || other.give_way());
        while gate.waiting.lock().unwrap().is_empty() && !waiter.is_finished() {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::Release);
        waiter.thread().unpark();
        let gave_way = waiter.join().unwrap();
        // Ended by the stop (not painted), or by the hold on cores too busy to get there.
        assert_ne!(gave_way, GaveWay::UntilPainted);
        assert!(gave_way == GaveWay::UntilHoldMax || began.elapsed() < HOLD_MAX || gave_way == GaveWay::No);
        let mut stopped = Yielding::new(Arc::clone(&gate), stop);
        assert_eq!(stopped.give_way(), GaveWay::No);
        gate.frame_painted();
    }

    #[test]
    fn a_frame_never_painted_holds_for_at_most_hold_max() {
        let gate = FrameGate::default();
        let t = Instant::now();
        gate.frame_began();
        let gave_way = gate.give_way();
        let waited = t.elapsed();
        // (`No` only when this thread lost its core for the whole hold before asking.)
        assert!(gave_way == GaveWay::UntilHoldMax || gave_way == GaveWay::No && waited >= HOLD_MAX);
        assert!(waited >= HOLD_MAX - Duration::from_millis(1), "waited only {waited:?}");
        // Past its hold the same frame lets everyone through at once.
        assert!(!gate.holds());
        assert_eq!(gate.give_way(), GaveWay::No);
        assert!(gate.waiting.lock().unwrap().is_empty());
    }
}
