//! The eframe application: drains worker events into the model in `logic`, lays out the
//! panels in `ui`.

pub mod background_drain;
pub mod bench_report;
mod charts;
mod connection;
mod desktop_notify;
mod device_settings;
pub mod export;
mod notice;
mod open_recording;
pub mod playback;
mod publish_history;
mod rate;
pub mod recording;
pub mod redraw;
pub mod repeats;
pub mod replay_task;
pub mod replies;
mod sending;
mod state;
pub mod sub_watch;
pub mod traffic;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use charts::{Chart, ChartLayout, Charts, PlotSeries, TimeWindow, now_secs};
pub use connection::{
    ConnId, Connection, PAUSE_BUFFER_MAX, PauseBuffer, PublishOutcome, Stats, SubscriptionStatus, push_error,
};
pub use notice::{Notice, NoticeLevel};
pub use publish_history::{MAX_RECORDS as PUBLISH_HISTORY_MAX, PublishHistory, PublishRecord};
pub use rate::RateMeter;
pub use state::{AppState, COMMAND_LINE_NAME, DEMO_NAME, LOCAL_BROKER_NAME, display_name};

use crate::model::DEFAULT_HISTORY_BUDGET_BYTES;
use crate::profiles::Profile;
use crate::ui::UiState;

/// Time spent applying worker events per frame at 60 Hz, so a burst never stalls a
/// frame: with the panels' few milliseconds it keeps a frame under 8 ms.
pub const DRAIN_BUDGET: Duration = redraw::SMOOTH_DRAIN_BUDGET;
/// When events are still queued after a frame's budget: the next frame comes at once.
const CATCH_UP_AFTER: Duration = Duration::from_millis(16);

/// Set in the environment by `topicscope bench startup`: print [`FIRST_FRAME_LINE`] after
/// the first frame, then close the window.
pub const FIRST_FRAME_ENV: &str = "TOPICSCOPE_BENCH_FIRST_FRAME";
/// What the window prints after its first frame when [`FIRST_FRAME_ENV`] is set.
pub const FIRST_FRAME_LINE: &str = "topicscope-bench: first frame";
/// Set in the environment by `topicscope bench stream`: print [`FRAMES_LINE`] and the
/// number of frames drawn, once a second, and the frames' times (see [`bench_report`]).
pub const FRAMES_ENV: &str = "TOPICSCOPE_BENCH_FRAMES";
/// What starts each frame-count line when [`FRAMES_ENV`] is set.
pub const FRAMES_LINE: &str = "topicscope-bench: frames";

/// What to connect to at start.
#[derive(Clone, Debug)]
pub enum StartConnect {
    /// A broker URL given on the command line.
    Broker(String),
    /// A saved profile by name.
    Profile(String),
    /// A ready profile (tests).
    Ready(Box<Profile>),
    /// A recording file, opened read-only (`--open`).
    Recording(PathBuf),
    /// The embedded broker with the simulated ESP32 fleet (`--demo`).
    #[cfg(feature = "broker")]
    Demo,
}

/// How the window starts.
#[derive(Clone, Debug)]
pub struct StartOptions {
    /// Where profiles and the publish history live; `None` uses [`crate::profiles::config_dir`].
    pub config_dir: Option<PathBuf>,
    pub connect: Option<StartConnect>,
    pub history_budget_bytes: usize,
    /// Apply worker events on a thread of their own between frames
    /// ([`background_drain`]); the window does, tests that step frames by hand do not.
    pub background_drain: bool,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            config_dir: None,
            connect: None,
            history_budget_bytes: DEFAULT_HISTORY_BUDGET_BYTES,
            background_drain: false,
        }
    }
}

/// The application.
pub struct TopicscopeApp {
    pub state: AppState,
    pub ui: UiState,
    /// `bench startup` asked to be told of the first frame (then the window closes).
    report_first_frame: bool,
    /// `bench stream` asked for frames per second and frame times.
    bench_report: Option<bench_report::BenchReport>,
    /// Applies events between frames, holding the state's draining parts meanwhile.
    background: Option<background_drain::BackgroundDrain>,
    /// The workers' and the drain's requests for frames that show new data.
    data_redraw: Arc<redraw::DataRedraw>,
    /// When this frame's pass began (`logic`), and how long the last frame took from
    /// then to the end of its `ui`: what is left of eframe's frame time is painting.
    pass_started: Option<std::time::Instant>,
    last_ui_part: Option<Duration>,
}

impl std::fmt::Debug for TopicscopeApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TopicscopeApp").finish_non_exhaustive()
    }
}

impl TopicscopeApp {
    /// Builds the app, starts the worker and connects if asked.
    pub fn new(cc: &eframe::CreationContext<'_>, opts: StartOptions) -> Self {
        egui_extras::install_image_loaders(&cc.egui_ctx);
        crate::ui::fonts::install(&cc.egui_ctx);
        let ctx = cc.egui_ctx.clone();
        let frame_gate = Arc::new(crate::frame_gate::FrameGate::default());
        let data_redraw = Arc::new(redraw::DataRedraw::with_gate(Arc::clone(&frame_gate)));
        data_redraw.install(&cc.egui_ctx);
        let (background, drain_waker) = if opts.background_drain {
            let ctx = cc.egui_ctx.clone();
            let data_redraw = Arc::clone(&data_redraw);
            let (drain, waker) = background_drain::BackgroundDrain::start(
                move |show| match show {
                    background_drain::Show::Now => ctx.request_repaint(),
                    background_drain::Show::NextTick => data_redraw.ask(&ctx),
                },
                Some(Arc::clone(&frame_gate)),
            );
            (drain, Some(waker))
        } else {
            (None, None)
        };
        // Called by the worker thread whenever it queued events: a stream redraws once per
        // tick of `redraw`'s grid, and asks egui once per tick.
        let waker: crate::mqtt::Waker = Arc::new({
            let data_redraw = Arc::clone(&data_redraw);
            move || {
                if let Some(w) = &drain_waker {
                    w.wake();
                }
                data_redraw.ask(&ctx);
            }
        });
        let (config_dir, dir_error) = match opts.config_dir.clone() {
            Some(d) => (d, None),
            None => match crate::profiles::config_dir() {
                Ok(d) => (d, None),
                Err(e) => (std::env::temp_dir().join("topicscope"), Some(e.to_string())),
            },
        };
        let mut state = AppState::new(Some(waker), config_dir, opts.history_budget_bytes);
        state.frame_gate = frame_gate;
        if let Some(e) = dir_error {
            state.error(crate::tr!("chrome-temporary-config-dir", error = e));
        }
        let mut ui = UiState::new(cc.storage, &state);
        match opts.connect {
            Some(StartConnect::Broker(url)) => state.connect(Profile::new(COMMAND_LINE_NAME, &url)),
            Some(StartConnect::Profile(name)) => match state.profiles.get(&name).cloned() {
                Some(p) => state.connect(p),
                None => {
                    state.notice(crate::tr!("chrome-no-such-profile", name = name.as_str()));
                    ui.open_connection_dialog(&state);
                }
            },
            Some(StartConnect::Ready(p)) => state.connect(*p),
            Some(StartConnect::Recording(path)) => {
                if let Err(e) = state.open_recording(&path) {
                    state.error(e);
                    ui.open_connection_dialog(&state);
                }
            }
            #[cfg(feature = "broker")]
            Some(StartConnect::Demo) => {
                if let Err(e) = state.start_local(true) {
                    state.error(e);
                    ui.open_connection_dialog(&state);
                } else {
                    // Expanded, with a sensor selected and its charts open: the fleet at a glance.
                    let view = ui.conn_view(state.conn().id);
                    view.tree.expand_on_arrival = true;
                    view.tree.reveal_when_present = Some("tele/tasmota_5C3F21/SENSOR".into());
                }
            }
            None => ui.open_connection_dialog(&state),
        }
        let report_first_frame = std::env::var_os(FIRST_FRAME_ENV).is_some();
        let bench_report = bench_report::BenchReport::from_env();
        if bench_report.is_some() {
            bench_report::BenchReport::apply_smooth();
            bench_report::BenchReport::start_recording(&mut state);
        }
        Self {
            state,
            ui,
            report_first_frame,
            bench_report,
            background,
            data_redraw,
            pass_started: None,
            last_ui_part: None,
        }
    }

    /// Takes back the parts lent to the background drain, if they are out (each frame
    /// does first; tests that read the state between frames do too).
    pub fn take_back_parts(&mut self) {
        let Some(drain) = &mut self.background else { return };
        if !drain.holds_parts() {
            return;
        }
        match drain.take_back() {
            Some(parts) => self.state.return_drain_parts(parts),
            None => self.state.recover_lost_drain_parts(),
        }
    }

    /// Lends the draining parts to the background drain until the next frame (each frame
    /// does last).
    pub fn lend_parts(&mut self) {
        self.lend_parts_after(Duration::ZERO);
    }

    /// As [`Self::lend_parts`], the thread starting after `rest`.
    fn lend_parts_after(&mut self, rest: Duration) {
        if let Some(drain) = &mut self.background
            && drain.running()
        {
            drain.lend(self.state.lend_drain_parts(), rest);
        }
    }
}

/// Puts a paint callback last on the screen (the debug layer, one pixel) that tells
/// `gate` the frame is painted. Only eframe's OpenGL painter runs it; elsewhere (tests
/// paint with wgpu) frames are not marked at all.
fn mark_painted_last(ctx: &egui::Context, frame: &eframe::Frame, gate: &Arc<crate::frame_gate::FrameGate>) {
    if frame.gl().is_none() {
        return;
    }
    let gate = Arc::clone(gate);
    let callback = eframe::egui_glow::CallbackFn::new(move |_info, _painter| gate.frame_painted());
    ctx.layer_painter(egui::LayerId::debug()).add(egui::PaintCallback {
        rect: egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1.0, 1.0)),
        callback: Arc::new(callback),
    });
}

impl eframe::App for TopicscopeApp {
    /// The panels' own colour: the window's background is painted by clearing the frame,
    /// not by a full-window rectangle under the workspace. Without a GPU that rectangle
    /// was a third of the software rasteriser's work per frame.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        if let Some(report) = &mut self.bench_report {
            report.on_pass_start();
        }
        if frame.gl().is_some() && ctx.current_pass_index() == 0 {
            // Painted by OpenGL: `mark_painted_last` ends the frame for the gate. (egui
            // may run a second pass before painting, as for a new grid: same frame.)
            self.state.frame_gate.frame_began();
        }
        // egui forgot the frames asked for before this pass.
        self.data_redraw.pass_began();
        self.pass_started = Some(std::time::Instant::now());
        // Lent by the last `ui`, so the thread applied the events since. eframe runs
        // `logic` alone while the window cannot be shown (minimized): nothing was lent,
        // and such a pass applies events itself.
        let lent = self.background.as_ref().is_some_and(|d| d.running() && d.holds_parts());
        self.take_back_parts();
        // (A drain that ended while this frame took the parts back applied nothing since.)
        let drained_meanwhile = lent && self.background.as_ref().is_some_and(|d| d.running());
        // What merging another window's profile changes did, in words.
        for n in self.state.profiles.take_notices() {
            self.state.notice(n);
        }
        if drained_meanwhile {
            // The background drain applies the brokers' events (what came since it gave
            // the state back waits the few milliseconds until this frame ends). The
            // workers' waker asks for the frames that show them, and the drain for one
            // when it has caught up with a burst. An opened recording plays on the clock,
            // here, at frame rate as before.
            if self.state.frame_upkeep(redraw::drain_budget()) {
                ctx.request_repaint_after(CATCH_UP_AFTER);
            }
        } else if self.state.drain_events(redraw::drain_budget()) {
            // More is queued: come back next frame rather than stall this one. Not on the
            // grid: a backlog (1M retained topics) drains at frame rate, not 4 Hz.
            ctx.request_repaint_after(CATCH_UP_AFTER);
        }
        // Repeats send and reply waits run out on time even with nothing else to draw.
        let now = std::time::Instant::now();
        if let Some(next) = self.state.tick(now) {
            redraw::after(ctx, next.saturating_duration_since(now));
        }
        if self.state.check_replays() {
            // The replay's progress bar moves on without other traffic.
            redraw::after(ctx, Duration::from_millis(250));
        }
        if self.state.check_recordings() {
            // The recording indicator's size and rate move on without other traffic.
            redraw::after(ctx, Duration::from_millis(500));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        // `logic` took them back; this is for a pass that skipped it.
        self.take_back_parts();
        for c in &self.state.connections {
            if let Some(tick) = c.countdown_tick() {
                // A reconnect countdown must tick even with no traffic.
                redraw::after(ui.ctx(), tick);
            }
        }
        crate::ui::app_ui(ui, &mut self.state, &mut self.ui);
        if std::mem::take(&mut self.ui.settings_changed)
            && let Some(storage) = frame.storage_mut()
        {
            self.ui.save(storage);
            storage.flush();
        }
        if let Some(report) = &mut self.bench_report {
            report.on_frame(ui.ctx(), frame.info().cpu_usage, &self.state);
        }
        if std::mem::take(&mut self.report_first_frame) {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", FIRST_FRAME_LINE);
            let _ = out.flush();
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        mark_painted_last(ui.ctx(), frame, &self.state.frame_gate);
        // Until the next frame the state's events are applied on the background thread.
        // The drain thread starts when this frame is likely painted.
        let rest = background_drain::paint_rest(frame.info().cpu_usage, self.last_ui_part);
        self.last_ui_part = self.pass_started.map(|t| t.elapsed());
        self.lend_parts_after(rest);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.ui.save(storage);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.take_back_parts();
        // Every recording gets its last commit and its WAL folded into the file.
        self.state.stop_all_recordings();
    }
}

/// The window's icon, when it decodes (it is embedded, so it always should).
fn with_icon(viewport: egui::ViewportBuilder) -> egui::ViewportBuilder {
    match crate::desktop::window_icon() {
        Some(icon) => viewport.with_icon(std::sync::Arc::new(icon)),
        None => viewport,
    }
}

/// Where eframe keeps the window's state. eframe names the folder after the app id;
/// the app id became reverse-DNS (to match the `.desktop` file), so name the folder as
/// before and keep the layouts and settings saved by earlier versions.
fn persistence_path() -> Option<PathBuf> {
    let dir = eframe::storage_dir("topicscope")?;
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("app.ron"))
}

/// Opens the window; returns the process exit code.
pub fn run_gui(opts: StartOptions) -> i32 {
    let opts = StartOptions {
        background_drain: true,
        ..opts
    };
    let native = eframe::NativeOptions {
        viewport: with_icon(
            egui::ViewportBuilder::default()
                .with_title("Topicscope")
                .with_app_id(crate::desktop::APP_ID)
                .with_inner_size([1280.0, 800.0])
                .with_min_inner_size([640.0, 400.0]),
        ),
        persist_window: true,
        // Our own provider (ui::fonts) finds fonts for every script, bundled or installed.
        system_font_fallback: false,
        persistence_path: persistence_path(),
        // Dithering adds a noise computation to every pixel's shader against banding in
        // gradients, which this interface does not draw; without a GPU it is CPU time.
        dithering: false,
        ..Default::default()
    };
    match eframe::run_native(
        "Topicscope",
        native,
        Box::new(|cc| Ok(Box::new(TopicscopeApp::new(cc, opts)))),
    ) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("topicscope: cannot open the window: {e}");
            1
        }
    }
}
