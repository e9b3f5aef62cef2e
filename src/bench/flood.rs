//! `topicscope bench flood`: a sustained flood from a local mosquitto into the headless
//! window (worker → app state → frames at 60 Hz) with a small history budget. Prints the
//! resident memory over time, the history's peak against its budget, and frame times.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::measure::{Percentiles, rss_bytes};
use super::model_bench::{payload, topic_name};
use super::mosquitto::{Mosquitto, RawPublisher};
use super::ui_bench::HeadlessWindow;
use crate::profiles::{Profile, Subscription};

const MIB: f64 = 1024.0 * 1024.0;
/// How often the paced publisher waits for the broker to have handled what it sent.
const SYNC_EVERY: Duration = Duration::from_millis(100);

/// Publishes 100-byte messages over `topics` topics at about `rate` per second until stopped.
pub(super) fn publisher(
    broker_addr: std::net::SocketAddr,
    topics: usize,
    rate: usize,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
) {
    let Ok(mut out) = RawPublisher::connect(broker_addr, "topicscope-bench-flood") else {
        return;
    };
    let start = Instant::now();
    let mut i = 0usize;
    let names: Vec<String> = (0..topics).map(|t| format!("flood/{}", topic_name(t))).collect();
    let mut synced = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        // Send in slices of 1 ms worth, then wait for the schedule.
        let due = (start.elapsed().as_secs_f64() * rate as f64) as usize;
        if i >= due {
            // A sync is itself a message every subscriber to `#` receives: at most ten a
            // second (a sync after every 1 ms slice added ~800 msg/s to every stream).
            if synced.elapsed() >= SYNC_EVERY {
                let _ = out.sync();
                synced = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(1));
            continue;
        }
        let until = due.min(i + rate / 1000 + 1);
        while i < until {
            if out.publish(&names[i % topics], &payload(i), false).is_err() {
                return;
            }
            i += 1;
        }
        sent.store(i as u64, Ordering::Relaxed);
    }
    let _ = out.disconnect();
}

/// Runs the flood for `seconds` and prints a memory sample every `seconds / 10`.
pub fn run(seconds: u64, rate: usize, topics: usize, budget_mib: usize) -> Result<(), String> {
    let broker = Mosquitto::start()?;
    let budget = budget_mib * 1024 * 1024;
    let mut window = HeadlessWindow::new(1600.0, 1000.0)?;
    window.state.conn_mut().model.set_history_budget_bytes(budget);
    window.view.workspace.show_pane(crate::ui::Pane::Publish);
    let mut profile = Profile::new("flood", broker.url());
    profile.subscriptions = vec![Subscription::new("flood/#")];
    window.state.connect(profile);
    // Let the subscription settle before the flood starts.
    let settle = Instant::now();
    while !window.state.connection_active() && settle.elapsed() < Duration::from_secs(10) {
        window.frame_draining();
        std::thread::sleep(Duration::from_millis(16));
    }
    std::thread::sleep(Duration::from_millis(300));
    window.frame_draining();

    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let addr = broker.addr();
    let flood = {
        let (stop, sent) = (stop.clone(), sent.clone());
        std::thread::Builder::new()
            .name("bench-flood".into())
            .spawn(move || publisher(addr, topics, rate, stop, sent))
            .map_err(|e| e.to_string())?
    };
    let start = Instant::now();
    let total = Duration::from_secs(seconds);
    let sample_every = (total / 10).max(Duration::from_secs(1));
    let mut next_sample = start + sample_every;
    let (mut frames, mut peak_used, mut rss_samples) = (Vec::new(), 0usize, Vec::new());
    while start.elapsed() < total {
        let frame_start = Instant::now();
        frames.push(window.frame_draining());
        peak_used = peak_used.max(window.state.conn().model.history().used_bytes());
        if Instant::now() >= next_sample {
            next_sample += sample_every;
            let rss = rss_bytes();
            rss_samples.push(rss);
            println!(
                "flood t={:.0}s received={} sent={} rss-mib={:.1} history-mib={:.1} stored={}",
                start.elapsed().as_secs_f64(),
                window.state.conn().model.total_messages(),
                sent.load(Ordering::Relaxed),
                rss as f64 / MIB,
                window.state.conn().model.history().used_bytes() as f64 / MIB,
                window.state.conn().model.history().total_len()
            );
        }
        if let Some(rest) = Duration::from_secs_f64(1.0 / 60.0).checked_sub(frame_start.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = flood.join();
    let received = window.state.conn().model.total_messages();
    let frames = Percentiles::of(&frames).ok_or("no frames")?;
    // Memory after the first fifth (the budget filled) against the end: flat means no growth.
    let settled = rss_samples.get(1).copied().unwrap_or(0);
    let max = rss_samples.iter().copied().max().unwrap_or(0);
    let end = rss_samples.last().copied().unwrap_or(0);
    println!(
        "flood seconds={seconds} rate={rate} topics={topics} received={received} msgs/s={:.0} budget-mib={budget_mib} \
         history-peak-mib={:.2} within-budget={} rss-settled-mib={:.1} rss-max-mib={:.1} rss-end-mib={:.1} frame {frames} ms",
        received as f64 / seconds as f64,
        peak_used as f64 / MIB,
        peak_used <= budget,
        settled as f64 / MIB,
        max as f64 / MIB,
        end as f64 / MIB,
    );
    Ok(())
}
