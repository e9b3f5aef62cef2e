//! `topicscope bench e2e`: a burst of retained messages delivered by a local mosquitto on
//! subscribe, taken in by the worker + model, against `mosquitto_sub` reading the same
//! burst in the same run. Optionally with the headless window drawing meanwhile.

use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use super::measure::{Percentiles, median};
use super::model_bench::{payload, topic_name};
use super::mosquitto::{Mosquitto, RawPublisher, find_program};
use super::ui_bench::HeadlessWindow;
use crate::model::Model;
use crate::mqtt::{Command, Event, WorkerHandle};
use crate::profiles::{Profile, Subscription};

/// Filter the burst is read with.
pub(super) const FILTER: &str = "bench/#";
/// Give up on one reading after this long.
const READ_TIMEOUT: Duration = Duration::from_secs(120);

/// Starts mosquitto and stores `topics` retained messages of 100 bytes under `bench/`.
pub fn prepare(topics: usize) -> Result<Mosquitto, String> {
    let broker = Mosquitto::start()?;
    let fill = || -> std::io::Result<()> {
        let mut publisher = RawPublisher::connect(broker.addr(), "topicscope-bench-fill")?;
        for i in 0..topics {
            publisher.publish(&format!("bench/{}", topic_name(i)), &payload(i), true)?;
        }
        publisher.sync()?;
        publisher.disconnect()
    };
    fill().map_err(|e| format!("cannot fill mosquitto with {topics} retained messages: {e}"))?;
    Ok(broker)
}

/// Time for `mosquitto_sub` to connect, subscribe and print `topics` messages to /dev/null.
pub fn mosquitto_sub_time(broker: &Mosquitto, topics: usize) -> Result<Duration, String> {
    let program = find_program("mosquitto_sub").ok_or("this benchmark needs mosquitto_sub (mosquitto-clients)")?;
    let start = Instant::now();
    let status = Process::new(program)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &broker.port.to_string(),
            "-t",
            FILTER,
            "-q",
            "0",
        ])
        .args(["-C", &topics.to_string(), "-W", &READ_TIMEOUT.as_secs().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run mosquitto_sub: {e}"))?;
    let took = start.elapsed();
    if !status.success() {
        return Err(format!("mosquitto_sub did not read {topics} messages ({status})"));
    }
    Ok(took)
}

fn bench_profile(broker: &Mosquitto) -> Profile {
    let mut profile = Profile::new("bench", broker.url());
    profile.subscriptions = vec![Subscription::new(FILTER)];
    profile
}

/// Time for the worker + model, from starting the worker to `topics` messages in the model.
pub fn topicscope_time(broker: &Mosquitto, topics: usize) -> Result<Duration, String> {
    let start = Instant::now();
    let worker = WorkerHandle::spawn(None).map_err(|e| format!("cannot start the worker: {e}"))?;
    worker
        .send_blocking(Command::Connect(Box::new(bench_profile(broker))))
        .map_err(|e| e.to_string())?;
    let mut model = Model::default();
    read_into(&worker, &mut model, topics, start + READ_TIMEOUT)?;
    let took = start.elapsed();
    if model.tree().topic_count() < topics {
        return Err(format!(
            "{} topics in the tree, expected {topics}",
            model.tree().topic_count()
        ));
    }
    Ok(took)
}

/// Applies the worker's message batches to `model` until it holds `messages` messages,
/// or says how far it got by `deadline`.
pub(super) fn read_into(
    worker: &WorkerHandle,
    model: &mut Model,
    messages: usize,
    deadline: Instant,
) -> Result<(), String> {
    while (model.total_messages() as usize) < messages {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::Messages(batch)) => batch.into_iter().for_each(|m| {
                model.ingest(m);
            }),
            Ok(_) => {}
            Err(_) => {
                return Err(format!(
                    "Topicscope read {} of {messages} messages in time",
                    model.total_messages()
                ));
            }
        }
    }
    Ok(())
}

/// The same burst read by the headless window (worker → `AppState` → frames at 60 Hz).
/// Returns the time until all messages were in the model, the frame times from the first
/// message on (and 60 frames after the last), and the longest frame before the first
/// message (the window starting: fonts, first layout).
pub fn window_time(broker: &Mosquitto, topics: usize) -> Result<(Duration, Percentiles, Duration), String> {
    let mut window = HeadlessWindow::new(1600.0, 1000.0)?;
    window.view.workspace.show_pane(crate::ui::Pane::Publish);
    let start = Instant::now();
    window.state.connect(bench_profile(broker));
    let mut frames = Vec::new();
    let mut startup = Duration::ZERO;
    let frame_period = Duration::from_secs_f64(1.0 / 60.0);
    while (window.state.conn().model.total_messages() as usize) < topics {
        if start.elapsed() > READ_TIMEOUT {
            return Err(format!(
                "the window read {} of {topics} messages within {} s",
                window.state.conn().model.total_messages(),
                READ_TIMEOUT.as_secs()
            ));
        }
        let frame_start = Instant::now();
        let frame = window.frame_draining();
        // Frames before the first message are the window starting (fonts, first layout):
        // reported apart, since the target is the frames while the topics arrive.
        if window.state.conn().model.total_messages() == 0 {
            startup = startup.max(frame);
        } else {
            frames.push(frame);
        }
        if let Some(rest) = frame_period.checked_sub(frame_start.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let took = start.elapsed();
    // Expand the burst's top level, as a person looking at it would, and draw a while.
    if let Some(top) = window.state.conn().model.tree().find("bench") {
        window
            .view
            .conn_view(window.state.conn().id)
            .tree
            .set_expanded(top, true);
    }
    for _ in 0..60 {
        frames.push(window.frame_draining());
    }
    let p = Percentiles::of(&frames).ok_or("no frames")?;
    Ok((took, p, startup))
}

/// Runs `runs` alternating readings of each and prints the medians and their ratio.
pub fn run(topics: usize, runs: usize, with_window: bool) -> Result<(), String> {
    let fill_start = Instant::now();
    let broker = prepare(topics)?;
    println!(
        "e2e fill topics={topics} seconds={:.2}",
        fill_start.elapsed().as_secs_f64()
    );
    let (mut theirs, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        theirs.push(mosquitto_sub_time(&broker, topics)?);
        ours.push(topicscope_time(&broker, topics)?);
    }
    let (theirs, ours) = (median(&theirs), median(&ours));
    println!(
        "e2e topics={topics} mosquitto_sub={:.3}s topicscope={:.3}s ratio={:.2}",
        theirs.as_secs_f64(),
        ours.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    if with_window {
        let (took, frames, startup) = window_time(&broker, topics)?;
        println!(
            "e2e-window topics={topics} seconds={:.3} ratio={:.2} frame {frames} ms startup-frame={:.2} ms",
            took.as_secs_f64(),
            took.as_secs_f64() / theirs.as_secs_f64(),
            startup.as_secs_f64() * 1000.0
        );
        // The real window (a child process, software rendering): what a person waits for
        // and the memory it takes, the figures of issue 19's 1M-topic targets.
        if super::window::require_display().is_ok() {
            let fill = super::peers::window_fill(&broker, topics, READ_TIMEOUT, Some(Duration::from_secs(3)))?;
            let took = fill.took.ok_or_else(|| {
                format!(
                    "the real window did not show {topics} messages within {} s",
                    READ_TIMEOUT.as_secs()
                )
            })?;
            let shown = |p: Option<super::measure::Percentiles>| p.map_or("none".to_owned(), |p| p.to_string());
            println!(
                "e2e-real-window topics={topics} seconds={:.3} ratio={:.2} peak-rss-mib={:.1} rss-3s-later-mib={:.1} \
                 frame {} ms ui-part {} ms",
                took.as_secs_f64(),
                took.as_secs_f64() / theirs.as_secs_f64(),
                fill.peak_rss_bytes as f64 / (1024.0 * 1024.0),
                fill.settled_rss_bytes as f64 / (1024.0 * 1024.0),
                shown(fill.frames),
                shown(fill.ui_parts)
            );
        } else {
            println!("e2e-real-window skipped: no display (run under `xvfb-run -a`)");
        }
    }
    Ok(())
}
