//! `topicscope bench ui`: frames of the full window, headless (the real panel code and
//! tessellation; no GPU), while messages are ingested the way `App::logic` does.
//! Frame time is the UI thread's CPU time for ingest + layout + tessellation.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::measure::{Percentiles, thread_cpu_time};
use super::model_bench::{message, topic_name};
use crate::app::{AppState, TimeWindow, now_secs};
use crate::model::series::{Extractor, SeriesSpec};
use crate::model::{Message, NodeId};
use crate::mqtt::Event;
use crate::ui::{PayloadView, UiState};

/// Frames per second the ingest rate is spread over.
const FPS: f64 = 60.0;
/// Frames run before measuring (font atlas, caches).
const WARMUP_FRAMES: usize = 10;
/// Size of the big payload scenario.
pub const BIG_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// What is on screen besides the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// The tree with about 1,000 rows expanded and a JSON message selected.
    Tree,
    /// Plus a chart of 10 series × 100k points (1 h window).
    Plot,
    /// A 10 MiB text payload selected, shown as text.
    PayloadText,
    /// The same payload shown as hex.
    PayloadHex,
    /// The Traffic pane (its once-a-second scan of every topic shows in the max).
    Traffic,
    /// The Devices pane, the flood on a mixed fleet's topics (one device per 10).
    Devices,
    /// A Sparkplug B DATA message of 20 alias-only metrics selected, a new one every
    /// frame, decoded and named from its birth in the inspector.
    Sparkplug,
    /// A recording of every message running while the flood arrives.
    Recording,
}

impl Scenario {
    pub const ALL: [Scenario; 8] = [
        Self::Tree,
        Self::Plot,
        Self::PayloadText,
        Self::PayloadHex,
        Self::Traffic,
        Self::Devices,
        Self::Sparkplug,
        Self::Recording,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Tree => "tree",
            Self::Plot => "plot",
            Self::PayloadText => "payload-text",
            Self::PayloadHex => "payload-hex",
            Self::Traffic => "traffic",
            Self::Devices => "devices",
            Self::Sparkplug => "sparkplug",
            Self::Recording => "recording",
        }
    }
}

/// Frame times of one scenario.
#[derive(Clone, Copy, Debug)]
pub struct FrameTimes {
    /// The first measured frame after the scene was set up (caches cold).
    pub first: Duration,
    pub percentiles: Percentiles,
}

/// A headless window: egui context, app state and view state.
pub struct HeadlessWindow {
    ctx: egui::Context,
    pub state: AppState,
    pub view: UiState,
    time: f64,
    size: egui::Vec2,
    _config_dir: TempDir,
}

impl HeadlessWindow {
    pub fn new(width: f32, height: f32) -> Result<Self, String> {
        let dir = TempDir::new()?;
        let state = AppState::new(None, dir.0.clone(), crate::model::DEFAULT_HISTORY_BUDGET_BYTES);
        let view = UiState::new(None, &state);
        let ctx = egui::Context::default();
        egui_extras::install_image_loaders(&ctx);
        Ok(Self {
            ctx,
            state,
            view,
            time: 0.0,
            size: egui::vec2(width, height),
            _config_dir: dir,
        })
    }

    /// One frame: apply `events` as `App::logic` would, lay out, tessellate. Returns the
    /// UI thread's CPU time for all of it.
    pub fn frame(&mut self, events: Vec<Event>) -> Duration {
        self.frame_with(|state| events.into_iter().for_each(|ev| state.apply(ev)))
    }

    /// One frame that drains the worker's events first, with the app's time budget.
    pub fn frame_draining(&mut self) -> Duration {
        self.frame_with(|state| {
            state.drain_events(crate::app::DRAIN_BUDGET);
        })
    }

    fn frame_with(&mut self, logic: impl FnOnce(&mut AppState)) -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, self.size)),
            time: Some(self.time),
            predicted_dt: (1.0 / FPS) as f32,
            ..Default::default()
        };
        self.time += 1.0 / FPS;
        let start = thread_cpu_time();
        logic(&mut self.state);
        let (state, view) = (&mut self.state, &mut self.view);
        let mut output = self.ctx.run_ui(input, |ui| crate::ui::app_ui(ui, state, view));
        // No GPU to upload the font atlas to: drop the texture changes deliberately.
        output.textures_delta.clear();
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        thread_cpu_time().saturating_sub(start)
    }
}

/// A private directory under the system temp dir, removed on drop (the profiles and
/// publish history of a benchmark must not touch the user's).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("topicscope-bench-{}-{}", std::process::id(), now_secs()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fills the tree with `topics` topics and opens `fleet`, so about `topics / 100` device
/// rows are expanded; selects the first sensor.
fn fill_tree(w: &mut HeadlessWindow, topics: usize) -> Option<NodeId> {
    fill_topics(w, topics, topic_name);
    select_first(w)
}

/// One retained-looking message on each of `topics` topics named by `name`.
fn fill_topics(w: &mut HeadlessWindow, topics: usize, name: fn(usize) -> String) {
    let now = SystemTime::now();
    for chunk_start in (0..topics).step_by(10_000) {
        let batch = (chunk_start..(chunk_start + 10_000).min(topics))
            .map(|i| Message {
                retain: i % 3 == 0,
                ..message(name(i), i, now)
            })
            .collect();
        w.state.apply(Event::Messages(batch));
    }
}

/// Expands the bench fleet's first device and selects its first sensor.
fn select_first(w: &mut HeadlessWindow) -> Option<NodeId> {
    let tree = w.state.conn().model.tree();
    let fleet = tree.find("fleet")?;
    w.view.conn_view(w.state.conn().id).tree.set_expanded(fleet, true);
    let first = tree.find(&topic_name(0));
    if let Some(dev) = tree.find("fleet/dev00000") {
        w.view.conn_view(w.state.conn().id).tree.set_expanded(dev, true);
    }
    w.view.conn_view(w.state.conn().id).tree.selected = first;
    first
}

fn add_big_chart(w: &mut HeadlessWindow) {
    w.view.workspace.show_pane(crate::ui::Pane::Charts);
    let home = w.state.conn().name.clone();
    let charts = &mut w.state.charts;
    let chart = charts.add_chart(&home);
    for s in 0..10 {
        let spec = SeriesSpec {
            topic: format!("bench/series{s}"),
            extractor: Extractor::Whole,
            connection: None,
        };
        charts.add_series(Some(chart), &home, spec, &w.state.connections[0].model);
    }
    charts.charts[chart].window = TimeWindow::Hour1;
    let now = now_secs();
    for (s, series) in charts.charts[chart].series.iter_mut().enumerate() {
        for i in 0..100_000 {
            let x = now - 3600.0 + f64::from(i) * 0.036;
            series.push(x, (f64::from(i) * 0.001 + s as f64).sin() * 10.0 + s as f64);
        }
    }
}

/// A text payload of log-like lines.
pub fn big_text_payload(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 100);
    let mut line = 0u64;
    while out.len() < bytes {
        let text = format!(
            "{line:08} I (12345) wifi: sta rssi=-{} channel={} heap={}\n",
            line % 90,
            line % 13,
            200_000 - line % 5000
        );
        out.extend_from_slice(text.as_bytes());
        line += 1;
    }
    out.truncate(bytes);
    out
}

fn select_big_payload(w: &mut HeadlessWindow, view: PayloadView) {
    let msg = Message::new("bench/big", big_text_payload(BIG_PAYLOAD_BYTES), 0, false);
    w.state.apply(Event::Messages(vec![msg]));
    w.view.conn_view(w.state.conn().id).tree.selected = w.state.conn().model.tree().find("bench/big");
    w.view.conn_view(w.state.conn().id).inspector.view = view;
}

/// A Sparkplug B edge node of 20 Float metrics: its birth, then one alias-only DATA
/// message a frame, which the inspector decodes and names.
#[derive(Default)]
struct SparkplugFeed {
    seq: u64,
}

impl SparkplugFeed {
    const BIRTH: &str = "spBv1.0/bench/NBIRTH/edge";
    const DATA: &str = "spBv1.0/bench/NDATA/edge";

    fn payload(&self, named: bool) -> Vec<u8> {
        use crate::model::decode::sparkplug::{Metric, MetricValue, encode};
        let metrics: Vec<Metric> = (0..20u64)
            .map(|i| Metric {
                name: named.then(|| format!("sensor {i}")),
                alias: Some(i),
                value: MetricValue::Float(20.0 + i as f32 + (self.seq % 10) as f32 * 0.1),
            })
            .collect();
        // Our own schema and values: encoding cannot fail, and an empty payload would
        // only show as an error in the inspector, not end the benchmark.
        encode(1_700_000_000_000 + self.seq, Some(self.seq), &metrics).unwrap_or_default()
    }

    /// Sends the birth and a first DATA message, and selects the DATA topic.
    fn start(&mut self, w: &mut HeadlessWindow) -> Result<(), String> {
        let birth = Message::new(Self::BIRTH, self.payload(true), 0, false);
        let data = self.next();
        w.state.apply(Event::Messages(vec![birth, data]));
        let id = w.state.conn().id;
        let found = w.state.conn().model.tree().find(Self::DATA);
        w.view.conn_view(id).tree.selected = Some(found.ok_or("the Sparkplug topic is not in the tree")?);
        Ok(())
    }

    fn next(&mut self) -> Message {
        self.seq = self.seq % 255 + 1;
        Message::new(Self::DATA, self.payload(false), 0, false)
    }
}

/// Runs one scenario for `frames` measured frames while `rate` messages per second
/// arrive on the `topics` topics.
pub fn run_scenario(scenario: Scenario, topics: usize, rate: usize, frames: usize) -> Result<FrameTimes, String> {
    let mut w = HeadlessWindow::new(1600.0, 1000.0)?;
    w.view.workspace.show_pane(crate::ui::Pane::Publish);
    fill_tree(&mut w, topics);
    for _ in 0..WARMUP_FRAMES {
        w.frame(Vec::new());
    }
    let mut sparkplug = SparkplugFeed::default();
    match scenario {
        Scenario::Tree => {}
        Scenario::Plot => add_big_chart(&mut w),
        Scenario::PayloadText => select_big_payload(&mut w, PayloadView::Text),
        Scenario::PayloadHex => select_big_payload(&mut w, PayloadView::Hex),
        Scenario::Traffic => w.view.workspace.show_pane(crate::ui::Pane::Traffic),
        Scenario::Devices => {
            fill_topics(&mut w, topics, super::devices_bench::fleet_topic);
            w.view.workspace.show_pane(crate::ui::Pane::Devices);
        }
        Scenario::Sparkplug => sparkplug.start(&mut w)?,
        Scenario::Recording => {
            let path = w._config_dir.0.join("bench.tsrec");
            let request = crate::app::recording::RecordRequest {
                path,
                filters: Vec::new(),
                max_size: None,
            };
            w.state.start_recording(&request)?;
        }
    }
    let flood_topic: fn(usize) -> String = match scenario {
        Scenario::Devices => super::devices_bench::fleet_topic,
        _ => topic_name,
    };
    let per_frame = (rate as f64 / FPS).round() as usize;
    let mut seq = topics;
    let mut samples = Vec::with_capacity(frames);
    let now = SystemTime::now();
    for _ in 0..frames + 1 {
        let batch: Vec<Message> = (0..per_frame)
            .map(|k| {
                seq += 1;
                message(flood_topic((seq.wrapping_mul(7919) + k) % topics.max(1)), seq, now)
            })
            .chain((scenario == Scenario::Sparkplug).then(|| sparkplug.next()))
            .collect();
        let events = if batch.is_empty() {
            Vec::new()
        } else {
            vec![Event::Messages(batch)]
        };
        samples.push(w.frame(events));
    }
    if scenario == Scenario::Recording {
        let written = w.state.conn().recording.as_ref().map(|r| r.stats());
        w.state.stop_all_recordings();
        // Every message offered reached the writer (none dropped for a slow disk).
        if let Some(stats) = written
            && stats.dropped > 0
        {
            eprintln!("bench: the recording dropped {} messages", stats.dropped);
        }
    }
    let first = samples.remove(0);
    let percentiles = Percentiles::of(&samples).ok_or("no frames measured")?;
    Ok(FrameTimes { first, percentiles })
}

/// Runs the scenarios and prints one line each.
pub fn run(scenarios: &[Scenario], topics: usize, rate: usize, frames: usize) -> Result<(), String> {
    for &scenario in scenarios {
        let t = run_scenario(scenario, topics, rate, frames)?;
        println!(
            "frame scenario={} topics={topics} rate={rate} frames={frames} first={:.2} {} ms",
            scenario.name(),
            t.first.as_secs_f64() * 1000.0,
            t.percentiles
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_devices_sparkplug_and_recording_scenarios_set_up_and_run() {
        for scenario in [Scenario::Devices, Scenario::Sparkplug, Scenario::Recording] {
            let t = run_scenario(scenario, 2_000, 600, 3).unwrap_or_else(|e| panic!("{}: {e}", scenario.name()));
            assert!(t.percentiles.max_ms > 0.0, "{}", scenario.name());
        }
    }

    #[test]
    fn a_small_tree_scenario_runs_and_shows_rows() {
        let t = run_scenario(Scenario::Tree, 2_000, 600, 5).expect("scenario");
        assert!(t.percentiles.max_ms > 0.0);
        let mut w = HeadlessWindow::new(1200.0, 800.0).expect("window");
        let selected = fill_tree(&mut w, 2_000);
        assert!(selected.is_some());
        w.frame(Vec::new());
        // 20 devices under the open `fleet`, 100 sensors under the open first device.
        assert!(
            w.view.conn_view(w.state.conn().id).tree.rows().len() > 100,
            "{} rows",
            w.view.conn_view(w.state.conn().id).tree.rows().len()
        );
    }

    #[test]
    fn big_text_payload_has_the_asked_size() {
        assert_eq!(big_text_payload(10_000).len(), 10_000);
    }
}
