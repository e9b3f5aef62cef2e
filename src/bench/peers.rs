//! `topicscope bench peers --mqttui PATH`: Topicscope beside mqttui and mosquitto_sub on
//! the same workloads, from one local mosquitto, runs interleaved, medians printed as
//! one `key=value` line a workload (issue 19):
//!
//! - burst: a retained burst, time from starting each command-line reader until it has
//!   read every message;
//! - live: live messages published as fast as the broker takes them, the same readers,
//!   and the publisher's own time with each;
//! - stream: the interactive viewers (Topicscope's window, mqttui's TUI in a 160×48
//!   tmux terminal, `mosquitto_sub` to /dev/null as the floor) under a steady stream:
//!   whole-process CPU and resident memory;
//! - viewer: a million retained topics into the interactive viewers: time until each
//!   shows them all (Topicscope: the window's own report on the frame after its model
//!   holds them; mqttui: the count in its overview's title, read from the screen every
//!   250 ms), capped, and the peak resident memory.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::flood::publisher;
use super::measure::{Percentiles, median, process_cpu_time, process_peak_rss_bytes, process_rss_bytes};
use super::mosquitto::Mosquitto;
use super::peer_readers::{MqttuiTui, Reader, mosquitto_sub_all, spawn, topics_on_screen};
use super::window::{WindowProcess, require_display};
use super::window_lines::WindowLines;
use super::{e2e, e2e_live, window_stream};
use crate::app::FRAMES_ENV;
use crate::app::bench_report::{ALL_MESSAGES_LINE, EXPECT_ENV};

const MIB: f64 = 1024.0 * 1024.0;
/// Give up on one command-line reading after this long.
const READ_CAP: Duration = Duration::from_secs(120);
/// mosquitto_sub and mqttui log say nothing when subscribed; ample on this machine.
const SUBSCRIBE_GRACE: Duration = Duration::from_secs(1);
/// mqttui's terminal.
const COLUMNS: u16 = 160;
const ROWS: u16 = 48;

/// The workloads' sizes.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    burst_topics: usize,
    live_messages: usize,
    live_topics: usize,
    stream_rate: usize,
    stream_topics: usize,
    stream_seconds: u64,
    stream_settle: u64,
    viewer_topics: usize,
    viewer_cap: Duration,
}

impl Sizes {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                burst_topics: 20_000,
                live_messages: 30_000,
                live_topics: 1_000,
                stream_rate: 20_000,
                stream_topics: 2_000,
                stream_seconds: 3,
                stream_settle: 1,
                viewer_topics: 50_000,
                viewer_cap: Duration::from_secs(30),
            }
        } else {
            Self {
                burst_topics: 200_000,
                live_messages: 300_000,
                live_topics: 10_000,
                stream_rate: 20_000,
                stream_topics: 20_000,
                stream_seconds: 15,
                stream_settle: 3,
                viewer_topics: 1_000_000,
                viewer_cap: Duration::from_secs(90),
            }
        }
    }
}

/// The four workloads, for `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    Burst,
    Live,
    Stream,
    Viewer,
}

pub fn run(
    mqttui: &Path,
    runs: usize,
    quick: bool,
    only: &[Workload],
    viewer_cap: Option<Duration>,
) -> Result<(), String> {
    require_display()?;
    let version = Command::new(mqttui)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run mqttui at {}: {e}", mqttui.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().replace(' ', "-");
    let (mut sizes, runs) = (Sizes::new(quick), runs.max(1));
    if let Some(cap) = viewer_cap {
        sizes.viewer_cap = cap;
    }
    println!("peers mqttui={version} runs={runs} quick={quick}");
    let wanted = |w: Workload| only.is_empty() || only.contains(&w);
    if wanted(Workload::Burst) {
        burst(mqttui, sizes, runs)?;
    }
    if wanted(Workload::Live) {
        live(mqttui, sizes, runs)?;
    }
    if wanted(Workload::Stream) {
        stream(mqttui, sizes, runs)?;
    }
    if wanted(Workload::Viewer) {
        viewer(mqttui, sizes, runs)?;
    }
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The burst: each reader from its start to its last retained message.
fn burst(mqttui: &Path, sizes: Sizes, runs: usize) -> Result<(), String> {
    let n = sizes.burst_topics;
    let broker = e2e::prepare(n)?;
    let mut took: [Vec<Duration>; 3] = Default::default();
    for _ in 0..runs {
        for (i, reader) in Reader::ALL.into_iter().enumerate() {
            let start = Instant::now();
            let done = spawn(reader, mqttui, &broker, e2e::FILTER, n)?.finished(start + READ_CAP)?;
            took[i].push(done - start);
        }
    }
    let [theirs, ours, mqttui] = took.map(|t| median(&t));
    println!(
        "peers-burst topics={n} mosquitto_sub={:.3}s topicscope-sub={:.3}s mqttui-log={:.3}s \
         topicscope-sub-ratio={:.2} mqttui-log-ratio={:.2}",
        secs(theirs),
        secs(ours),
        secs(mqttui),
        secs(ours) / secs(theirs),
        secs(mqttui) / secs(theirs),
    );
    Ok(())
}

/// Live messages: each reader from the first publish to its last message, and how long
/// the publisher needed meanwhile.
fn live(mqttui: &Path, sizes: Sizes, runs: usize) -> Result<(), String> {
    let (n, topics) = (sizes.live_messages, sizes.live_topics);
    let broker = Mosquitto::start()?;
    let (mut took, mut published): ([Vec<Duration>; 3], [Vec<Duration>; 3]) = Default::default();
    for _ in 0..runs {
        for (i, reader) in Reader::ALL.into_iter().enumerate() {
            let running = spawn(reader, mqttui, &broker, e2e_live::FILTER, n)?;
            std::thread::sleep(SUBSCRIBE_GRACE);
            let start = Instant::now();
            let publisher = e2e_live::publish_all(broker.addr(), n, topics).map_err(|e| format!("publishing: {e}"))?;
            let done = running.finished(start + READ_CAP)?;
            took[i].push(done - start);
            published[i].push(publisher);
        }
    }
    let [theirs, ours, mqttui] = took.map(|t| median(&t));
    let [p_theirs, p_ours, p_mqttui] = published.map(|t| median(&t));
    println!(
        "peers-live messages={n} topics={topics} mosquitto_sub={:.3}s topicscope-sub={:.3}s mqttui-log={:.3}s \
         topicscope-sub-ratio={:.2} mqttui-log-ratio={:.2} publisher-with-mosquitto_sub={:.3}s \
         publisher-with-topicscope-sub={:.3}s publisher-with-mqttui-log={:.3}s",
        secs(theirs),
        secs(ours),
        secs(mqttui),
        secs(ours) / secs(theirs),
        secs(mqttui) / secs(theirs),
        secs(p_theirs),
        secs(p_ours),
        secs(p_mqttui),
    );
    Ok(())
}

/// What one viewer used under the stream.
#[derive(Debug, Clone, Copy, Default)]
struct Use {
    cores: f64,
    rss_bytes: u64,
    sent_per_second: f64,
}

/// The process `pid` under the stream, measured as `window_stream::stream` measures the
/// window: 3 s to open and subscribe, `settle` s of stream, then `seconds` measured.
fn process_under_stream(broker: &Mosquitto, pid: u32, sizes: Sizes) -> Result<Use, String> {
    std::thread::sleep(Duration::from_secs(3));
    let (stop, sent) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    let feeder = {
        let (stop, sent, addr) = (stop.clone(), sent.clone(), broker.addr());
        let (topics, rate) = (sizes.stream_topics, sizes.stream_rate);
        std::thread::Builder::new()
            .name("bench-peers-stream".into())
            .spawn(move || publisher(addr, topics, rate, stop, sent))
            .map_err(|e| e.to_string())?
    };
    std::thread::sleep(Duration::from_secs(sizes.stream_settle));
    let before = process_cpu_time(pid);
    let (start, sent_before) = (Instant::now(), sent.load(Ordering::Relaxed));
    std::thread::sleep(Duration::from_secs(sizes.stream_seconds));
    let (after, rss) = (process_cpu_time(pid), process_rss_bytes(pid));
    let elapsed = start.elapsed().as_secs_f64();
    let sent_during = sent.load(Ordering::Relaxed) - sent_before;
    stop.store(true, Ordering::Relaxed);
    let _ = feeder.join();
    let (Some(before), Some(after), Some(rss_bytes)) = (before, after, rss) else {
        return Err(format!("process {pid} exited during the stream"));
    };
    Ok(Use {
        cores: after.saturating_sub(before).as_secs_f64() / elapsed,
        rss_bytes,
        sent_per_second: sent_during as f64 / elapsed,
    })
}

/// The interactive viewers under a steady stream, each against its own fresh broker.
fn stream(mqttui: &Path, sizes: Sizes, runs: usize) -> Result<(), String> {
    let mut uses: [Vec<Use>; 3] = Default::default();
    for _ in 0..runs {
        let ours = window_stream::stream(
            sizes.stream_rate,
            sizes.stream_topics,
            sizes.stream_seconds,
            sizes.stream_settle,
            false,
            false,
            0,
        )?;
        uses[0].push(Use {
            cores: ours.cores.total,
            rss_bytes: ours.rss_bytes,
            sent_per_second: ours.sent_per_second as f64,
        });
        let broker = Mosquitto::start()?;
        let tui = MqttuiTui::start(mqttui, &broker, COLUMNS, ROWS)?;
        uses[1].push(process_under_stream(&broker, tui.pid, sizes)?);
        drop((tui, broker));
        let broker = Mosquitto::start()?;
        let floor = mosquitto_sub_all(&broker)?;
        uses[2].push(process_under_stream(&broker, floor.0.id(), sizes)?);
    }
    let mid = |u: &[Use], f: fn(&Use) -> f64| {
        let mut v: Vec<f64> = u.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [ours, theirs, floor] = [&uses[0], &uses[1], &uses[2]];
    let cores = |u: &[Use]| mid(u, |u| u.cores);
    let rss = |u: &[Use]| mid(u, |u| u.rss_bytes as f64) / MIB;
    let sent = |u: &[Use]| mid(u, |u| u.sent_per_second);
    println!(
        "peers-stream rate={} topics={} seconds={} topicscope-window-cores={:.3} mqttui-tui-cores={:.3} \
         mosquitto_sub-cores={:.3} topicscope-window-rss-mib={:.1} mqttui-tui-rss-mib={:.1} mosquitto_sub-rss-mib={:.1} \
         sent-per-s-with-topicscope-window={:.0} sent-per-s-with-mqttui-tui={:.0} sent-per-s-with-mosquitto_sub={:.0}",
        sizes.stream_rate,
        sizes.stream_topics,
        sizes.stream_seconds,
        cores(ours),
        cores(theirs),
        cores(floor),
        rss(ours),
        rss(theirs),
        rss(floor),
        sent(ours),
        sent(theirs),
        sent(floor),
    );
    Ok(())
}

/// One viewer's fill: the time it showed every topic (`None`: not within the cap), its
/// peak resident memory, and how many topics it showed by then.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fill {
    pub(super) took: Option<Duration>,
    pub(super) peak_rss_bytes: u64,
    /// Resident memory once all were shown and the window had `settle` to rest (0 when
    /// not asked for, or not done).
    pub(super) settled_rss_bytes: u64,
    shown: u64,
    /// The window's frames (eframe's time: UI and painting) from its second frame until
    /// it showed them all, and the UI thread's part of each (events applied or taken back, and layout).
    pub(super) frames: Option<Percentiles>,
    pub(super) ui_parts: Option<Percentiles>,
}

/// The real window, from its start until it reports its model holds `n` messages; then,
/// if `settle` is given, its resident memory after that long.
pub(super) fn window_fill(
    broker: &Mosquitto,
    n: usize,
    cap: Duration,
    settle: Option<Duration>,
) -> Result<Fill, String> {
    let start = Instant::now();
    let envs = [(FRAMES_ENV, "1".into()), (EXPECT_ENV, n.to_string().into())];
    let mut window = WindowProcess::spawn_with_env(&["--broker".into(), broker.url()], &envs)?;
    let pid = window.child.id();
    let stdout = window.child.stdout.take().ok_or("no stdout from the window")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let lines: Arc<Mutex<WindowLines>> = Arc::default();
    // Reads to the end, so the window never blocks on a full pipe.
    let reader = std::thread::spawn({
        let lines = lines.clone();
        move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == ALL_MESSAGES_LINE {
                    let _ = tx.send(Instant::now());
                }
                lines
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take(Instant::now(), &line);
            }
        }
    });
    let shown_at = rx.recv_timeout(cap).ok();
    let took = shown_at.map(|at| at - start);
    let settled_rss_bytes = match (took, settle) {
        (Some(_), Some(rest)) => {
            std::thread::sleep(rest);
            process_rss_bytes(pid).unwrap_or(0)
        }
        _ => 0,
    };
    let peak_rss_bytes = process_peak_rss_bytes(pid).unwrap_or(0);
    drop(window);
    let _ = reader.join();
    let lines = lines.lock().unwrap_or_else(|p| p.into_inner());
    // The frame that saw them all is reported with its second, up to a second later.
    let span = (
        start,
        shown_at.unwrap_or_else(Instant::now) + Duration::from_millis(1100),
    );
    // The first frame (fonts, first layout) is the startup's, not the fill's.
    let skip_first = |mut times: Vec<Duration>| {
        if !times.is_empty() {
            times.remove(0);
        }
        Percentiles::of(&times)
    };
    Ok(Fill {
        took,
        peak_rss_bytes,
        settled_rss_bytes,
        shown: if took.is_some() { n as u64 } else { 0 },
        frames: skip_first(lines.times_in(span)),
        ui_parts: skip_first(lines.ui_times_in(span)),
    })
}

/// mqttui's TUI, from its start until its overview's title counts `n` topics.
fn mqttui_fill(mqttui: &Path, broker: &Mosquitto, n: usize, cap: Duration) -> Result<Fill, String> {
    let start = Instant::now();
    let tui = MqttuiTui::start(mqttui, broker, COLUMNS, ROWS)?;
    let mut shown = 0;
    while start.elapsed() < cap {
        shown = topics_on_screen(&tui.screen()?).unwrap_or(shown);
        if shown >= n as u64 {
            let took = start.elapsed();
            let peak_rss_bytes = process_peak_rss_bytes(tui.pid).unwrap_or(0);
            return Ok(Fill {
                took: Some(took),
                peak_rss_bytes,
                settled_rss_bytes: 0,
                shown,
                frames: None,
                ui_parts: None,
            });
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Ok(Fill {
        took: None,
        peak_rss_bytes: process_peak_rss_bytes(tui.pid).unwrap_or(0),
        settled_rss_bytes: 0,
        shown,
        frames: None,
        ui_parts: None,
    })
}

/// The middle fill, a fill within the cap counting as faster than one that was not, and
/// among those not done, one that showed more as faster.
fn median_fill(fills: &[Fill]) -> Fill {
    let mut sorted = fills.to_vec();
    sorted.sort_by_key(|f| (f.took.is_none(), f.took, std::cmp::Reverse(f.shown)));
    sorted[sorted.len() / 2]
}

fn shown_time(fill: Fill) -> String {
    fill.took
        .map_or_else(|| "not-done".to_owned(), |t| format!("{:.2}s", t.as_secs_f64()))
}

/// A big retained set into the interactive viewers.
fn viewer(mqttui: &Path, sizes: Sizes, runs: usize) -> Result<(), String> {
    let n = sizes.viewer_topics;
    let fill_start = Instant::now();
    let broker = e2e::prepare(n)?;
    println!(
        "peers-viewer fill topics={n} seconds={:.2}",
        fill_start.elapsed().as_secs_f64()
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(window_fill(&broker, n, sizes.viewer_cap, None)?);
        theirs.push(mqttui_fill(mqttui, &broker, n, sizes.viewer_cap)?);
    }
    let done = |f: &[Fill]| f.iter().filter(|f| f.took.is_some()).count();
    let peak = |f: &[Fill]| {
        let mut v: Vec<u64> = f.iter().map(|f| f.peak_rss_bytes).collect();
        v.sort_unstable();
        v[v.len() / 2] as f64 / MIB
    };
    let (o, t) = (median_fill(&ours), median_fill(&theirs));
    println!(
        "peers-viewer topics={n} cap-s={} topicscope-window={} mqttui-tui={} topicscope-window-done={}/{runs} \
         mqttui-tui-done={}/{runs} mqttui-tui-shown={} topicscope-window-peak-rss-mib={:.1} mqttui-tui-peak-rss-mib={:.1}",
        sizes.viewer_cap.as_secs(),
        shown_time(o),
        shown_time(t),
        done(&ours),
        done(&theirs),
        t.shown,
        peak(&ours),
        peak(&theirs),
    );
    Ok(())
}
