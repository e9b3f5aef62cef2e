//! What the window tells `topicscope bench stream` on its stdout, once a second, when
//! [`super::FRAMES_ENV`] is set: the frames drawn, each frame's time (eframe's own
//! measure: the whole frame, UI and painting, without waiting for the screen), and, when
//! [`RECORD_ENV`] made it record, the recording's counters. Nothing of this runs for
//! people: both are set only by the bench.

use std::io::Write as _;
use std::time::{Duration, Instant};

use super::AppState;
use super::recording::RecordRequest;

/// Set by `bench stream --record` to a file name: the window records its connection
/// there from the start (all topics, no size limit).
pub const RECORD_ENV: &str = "TOPICSCOPE_BENCH_RECORD";
/// Set by `bench stream --smooth`: the window redraws for data at 60 Hz, as with "Smooth
/// live updates" on (not saved in its settings).
pub const SMOOTH_ENV: &str = "TOPICSCOPE_BENCH_SMOOTH";
/// Starts the line of one second's frame times, in ms, separated by spaces.
pub const FRAME_MS_LINE: &str = "topicscope-bench: frame-ms";
/// Starts the line of one second's UI passes, in ms: from the start of `logic` to the end
/// of `ui` (the layout), before eframe tessellates and paints. `logic` applies queued
/// events, or, with the background drain, takes its parts back (waiting for its slice).
pub const UI_MS_LINE: &str = "topicscope-bench: ui-ms";
/// Starts the line of the recording's counters: `written=N dropped=N file_bytes=N`.
pub const RECORDING_LINE: &str = "topicscope-bench: recording";
/// Messages the active connection has received so far.
pub const RECEIVED_LINE: &str = "topicscope-bench: received";
/// Set by `bench peers` to a message count: the window prints [`ALL_MESSAGES_LINE`] on
/// the first frame after its connection's model holds that many messages.
pub const EXPECT_ENV: &str = "TOPICSCOPE_BENCH_EXPECT";
/// Set to list on stderr, for each frame, the places that asked egui for it.
pub const CAUSES_ENV: &str = "TOPICSCOPE_DEBUG_CAUSES";
/// What the window prints once the count in [`EXPECT_ENV`] is reached.
pub const ALL_MESSAGES_LINE: &str = "topicscope-bench: all messages";

/// The counts of the second under way.
#[derive(Debug)]
pub struct BenchReport {
    since: Instant,
    frames: u32,
    frame_ms: Vec<f32>,
    ui_ms: Vec<f32>,
    /// When this frame's `logic` began.
    pass_started: Option<Instant>,
    /// The message count still awaited (from [`EXPECT_ENV`]).
    expect: Option<u64>,
    /// [`CAUSES_ENV`] is set: say on stderr what asked for each frame.
    causes: bool,
}

impl BenchReport {
    /// Reporting, when the bench asked for it.
    pub fn from_env() -> Option<Self> {
        std::env::var_os(super::FRAMES_ENV).map(|_| Self {
            since: Instant::now(),
            frames: 0,
            frame_ms: Vec::new(),
            ui_ms: Vec::new(),
            pass_started: None,
            expect: std::env::var(EXPECT_ENV).ok().and_then(|n| n.parse().ok()),
            causes: std::env::var_os(CAUSES_ENV).is_some(),
        })
    }

    /// Redraws at 60 Hz if the bench asked for it.
    pub fn apply_smooth() {
        if std::env::var_os(SMOOTH_ENV).is_some() {
            super::redraw::set_smooth(true);
        }
    }

    /// Starts the recording the bench asked for, if it did; says why not on stderr.
    pub fn start_recording(state: &mut AppState) {
        let Some(path) = std::env::var_os(RECORD_ENV) else {
            return;
        };
        let request = RecordRequest {
            path: path.into(),
            filters: Vec::new(),
            max_size: None,
        };
        if let Err(e) = state.start_recording(&request) {
            eprintln!("topicscope-bench: cannot record: {e}");
        }
    }

    /// The frame's pass begins (the start of `logic`).
    pub fn on_pass_start(&mut self) {
        self.pass_started = Some(Instant::now());
    }

    /// Counts a frame; `previous_frame_secs` is eframe's time of the frame before.
    pub fn on_frame(&mut self, ctx: &egui::Context, previous_frame_secs: Option<f32>, state: &AppState) {
        self.frames += 1;
        if let Some(t) = self.pass_started.take() {
            self.ui_ms.push(t.elapsed().as_secs_f32() * 1000.0);
        }
        if self.causes {
            let causes: std::collections::BTreeSet<String> = ctx
                .repaint_causes()
                .iter()
                .map(|c| format!("{}:{}", c.file, c.line))
                .collect();
            eprintln!("causes {:?} {causes:?}", Instant::now());
        }
        if let Some(s) = previous_frame_secs {
            self.frame_ms.push(s * 1000.0);
        }
        if self.expect.is_some_and(|n| state.conn().model.total_messages() >= n) {
            self.expect = None;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{ALL_MESSAGES_LINE}");
            let _ = out.flush();
        }
        if self.since.elapsed() < Duration::from_secs(1) {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{} {}", super::FRAMES_LINE, self.frames);
        let times: Vec<String> = self.frame_ms.iter().map(|ms| format!("{ms:.3}")).collect();
        let _ = writeln!(out, "{FRAME_MS_LINE} {}", times.join(" "));
        let times: Vec<String> = self.ui_ms.iter().map(|ms| format!("{ms:.3}")).collect();
        let _ = writeln!(out, "{UI_MS_LINE} {}", times.join(" "));
        let _ = writeln!(out, "{RECEIVED_LINE} {}", state.conn().stats.received);
        if let Some(r) = &state.conn().recording {
            let s = r.stats();
            let _ = writeln!(
                out,
                "{RECORDING_LINE} written={} dropped={} file_bytes={}",
                s.messages, s.dropped, s.file_bytes
            );
        }
        let _ = out.flush();
        self.since = Instant::now();
        self.frames = 0;
        self.frame_ms.clear();
        self.ui_ms.clear();
    }
}
