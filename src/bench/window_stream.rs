//! `topicscope bench stream`: the real window (a child process, under Xvfb in CI) connected
//! to a local mosquitto that a publisher feeds at a steady rate. Prints the CPU of the whole
//! window process in cores, split into its UI thread, its MQTT thread and the software
//! rasterizer's threads (Mesa's llvmpipe, which `bench ui` cannot see), plus the rest.

use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::flood::publisher;
use super::measure::{ThreadCpu, process_rss_bytes, process_thread_cpu_times};
use super::mosquitto::Mosquitto;
use super::window::{WindowProcess, require_display};
use crate::app::{FRAMES_ENV, FRAMES_LINE};

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct StreamFigures {
    pub cores: CpuSplit,
    pub frames_per_second: f64,
    pub rss_bytes: u64,
    pub sent_per_second: u64,
}

/// CPU seconds of a window process, by kind of thread.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct CpuSplit {
    pub total: f64,
    pub ui: f64,
    pub mqtt: f64,
    pub raster: f64,
}

impl CpuSplit {
    /// What each kind of thread used between two readings of one process. Threads that
    /// came and went between them are missed, which the total from the same readings shows.
    fn between(pid: u32, before: &[ThreadCpu], after: &[ThreadCpu]) -> Self {
        let mut split = CpuSplit::default();
        for t in after {
            let start = before.iter().find(|b| b.tid == t.tid).map_or(Duration::ZERO, |b| b.cpu);
            let used = t.cpu.saturating_sub(start).as_secs_f64();
            split.total += used;
            if t.tid == pid {
                split.ui += used;
            } else if t.name.starts_with("topicscope-mqtt") {
                split.mqtt += used;
            } else if t.name.starts_with("llvmpipe") {
                split.raster += used;
            }
        }
        split
    }

    fn per_second(self, seconds: f64) -> Self {
        Self {
            total: self.total / seconds,
            ui: self.ui / seconds,
            mqtt: self.mqtt / seconds,
            raster: self.raster / seconds,
        }
    }
}

/// Runs the window against `rate` messages a second over `topics` topics and measures
/// `seconds` of it after `settle` seconds of the stream.
pub fn stream(rate: usize, topics: usize, seconds: u64, settle: u64) -> Result<StreamFigures, String> {
    require_display()?;
    let broker = Mosquitto::start()?;
    let mut window = WindowProcess::spawn_with(&["--broker".into(), broker.url()], Some(FRAMES_ENV))?;
    let pid = window.child.id();
    // The window prints its frames per second; keep each count with when it came.
    let counts: Arc<Mutex<Vec<(Instant, u32)>>> = Arc::default();
    let stdout = window.child.stdout.take().ok_or("no stdout from the window")?;
    let reader = {
        let counts = counts.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix(FRAMES_LINE).and_then(|n| n.trim().parse().ok()) {
                    counts
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((Instant::now(), n));
                }
            }
        })
    };
    // Let the window open and subscribe before the stream starts.
    std::thread::sleep(Duration::from_secs(3));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let addr = broker.addr();
    let feeder = {
        let (stop, sent) = (stop.clone(), sent.clone());
        std::thread::Builder::new()
            .name("bench-stream".into())
            .spawn(move || publisher(addr, topics, rate, stop, sent))
            .map_err(|e| e.to_string())?
    };
    std::thread::sleep(Duration::from_secs(settle));
    let before = process_thread_cpu_times(pid);
    let start = Instant::now();
    let sent_before = sent.load(Ordering::Relaxed);
    std::thread::sleep(Duration::from_secs(seconds));
    let after = process_thread_cpu_times(pid);
    let elapsed = start.elapsed().as_secs_f64();
    let sent_during = sent.load(Ordering::Relaxed) - sent_before;
    stop.store(true, Ordering::Relaxed);
    let _ = feeder.join();
    if after.is_empty() {
        return Err("the window exited during the stream".into());
    }
    let rss = process_rss_bytes(pid).unwrap_or(0);
    let cores = CpuSplit::between(pid, &before, &after).per_second(elapsed);
    drop(window);
    let _ = reader.join();
    let counts = counts.lock().unwrap_or_else(|p| p.into_inner());
    // The one-second counts that ended inside the measured span.
    let inside: Vec<u32> = counts
        .iter()
        .filter(|(at, _)| *at > start && *at <= start + Duration::from_secs_f64(elapsed))
        .map(|(_, n)| *n)
        .collect();
    if inside.is_empty() {
        return Err("the window reported no frames while measured".into());
    }
    Ok(StreamFigures {
        cores,
        frames_per_second: inside.iter().map(|&n| f64::from(n)).sum::<f64>() / inside.len() as f64,
        rss_bytes: rss,
        sent_per_second: (sent_during as f64 / elapsed) as u64,
    })
}

pub fn run(rate: usize, topics: usize, seconds: u64) -> Result<(), String> {
    let figures = stream(rate, topics, seconds, 3)?;
    let cores = figures.cores;
    println!(
        "stream rate={rate} topics={topics} seconds={seconds} sent-per-s={} frames-per-s={:.1} cores={:.3} \
         ui-thread={:.3} mqtt-thread={:.3} rasterizer={:.3} other={:.3} rss-mib={:.1}",
        figures.sent_per_second,
        figures.frames_per_second,
        cores.total,
        cores.ui,
        cores.mqtt,
        cores.raster,
        (cores.total - cores.ui - cores.mqtt - cores.raster).max(0.0),
        figures.rss_bytes as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(tid: u32, name: &str, ms: u64) -> ThreadCpu {
        ThreadCpu {
            tid,
            name: name.into(),
            cpu: Duration::from_millis(ms),
        }
    }

    #[test]
    fn cpu_is_split_by_thread_kind_and_new_threads_count_from_zero() {
        let before = [thread(10, "topicscope", 1000), thread(11, "topicscope-mqtt", 500)];
        let after = [
            thread(10, "topicscope", 1400),
            thread(11, "topicscope-mqtt", 600),
            thread(12, "llvmpipe-0", 300),
            thread(13, "tokio-runtime-w", 50),
        ];
        let split = CpuSplit::between(10, &before, &after).per_second(2.0);
        assert!((split.ui - 0.2).abs() < 1e-9, "{split:?}");
        assert!((split.mqtt - 0.05).abs() < 1e-9, "{split:?}");
        assert!((split.raster - 0.15).abs() < 1e-9, "{split:?}");
        assert!((split.total - 0.425).abs() < 1e-9, "{split:?}");
    }
}
