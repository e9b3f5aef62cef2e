//! `topicscope bench stream`: the real window (a child process, under Xvfb in CI) connected
//! to a local mosquitto that a publisher feeds at a steady rate. Prints the CPU of the whole
//! window process in cores, split into its UI thread, its MQTT thread and the software
//! rasterizer's threads (Mesa's llvmpipe, which `bench ui` cannot see), plus the rest;
//! the frames per second and each frame's time (p50, p99, max); with `--record`, the
//! window records the stream from its start, and the recording's rate, the messages it
//! could not keep up with and its bytes on disk per message are printed too.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::flood::publisher;
use super::measure::{Percentiles, ThreadCpu, process_rss_bytes, process_thread_cpu_times};
use super::mosquitto::Mosquitto;
use super::window::{WindowProcess, require_display};
use super::window_lines::WindowLines;
use crate::app::FRAMES_ENV;
use crate::app::bench_report::{RECORD_ENV, SMOOTH_ENV};

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct StreamFigures {
    pub cores: CpuSplit,
    pub frames_per_second: f64,
    /// Each frame's time (eframe's: UI and painting, not the wait for the screen).
    pub frame_times: Percentiles,
    /// The UI thread's part of each frame: applying events or taking them back from the
    /// background drain, and layout; before tessellating and painting (what a GPU would
    /// leave of the frame).
    pub ui_times: Percentiles,
    pub rss_bytes: u64,
    pub sent_per_second: u64,
    /// As the window counted them (it reports once a second).
    pub received_per_second: Option<u64>,
    /// With `--record`: the recording's counters while measured.
    pub recording: Option<RecordingFigures>,
}

/// What the recording did while measured.
#[derive(Debug, Clone, Copy)]
pub struct RecordingFigures {
    pub written_per_second: u64,
    /// Refused because the writer was behind, since the start.
    pub dropped: u64,
    /// File and WAL on disk over the messages written, at the last report.
    pub bytes_per_message: f64,
}

/// CPU seconds of a window process, by kind of thread.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct CpuSplit {
    pub total: f64,
    pub ui: f64,
    pub mqtt: f64,
    /// The thread that applies events between frames (`app::background_drain`).
    pub drain: f64,
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
            } else if t.name.starts_with("topicscope-drai") {
                // The kernel keeps 15 bytes of a thread's name: "topicscope-drai(n)".
                split.drain += used;
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
            drain: self.drain / seconds,
            raster: self.raster / seconds,
        }
    }
}

/// Runs the window against `rate` messages a second over `topics` topics and measures
/// `seconds` of it after `settle` seconds of the stream; with `record`, the window
/// records every message to a file in the temporary folder (removed afterwards).
///
/// `load_nice` above 0 runs the broker and the publisher at that nice level, so that
/// the window has the priority it would have if they were other machines (on this
/// machine's two cores they otherwise take the window's turns).
pub fn stream(
    rate: usize,
    topics: usize,
    seconds: u64,
    settle: u64,
    record: bool,
    smooth: bool,
    load_nice: u8,
) -> Result<StreamFigures, String> {
    require_display()?;
    let broker = Mosquitto::start_niced(load_nice)?;
    let file = std::env::temp_dir().join(format!("topicscope-bench-stream-{}.tsrec", std::process::id()));
    let mut envs = vec![(FRAMES_ENV, OsString::from("1"))];
    if record {
        envs.push((RECORD_ENV, file.clone().into_os_string()));
    }
    if smooth {
        envs.push((SMOOTH_ENV, OsString::from("1")));
    }
    let mut window = WindowProcess::spawn_with_env(&["--broker".into(), broker.url()], &envs)?;
    let pid = window.child.id();
    let lines: Arc<Mutex<WindowLines>> = Arc::default();
    let stdout = window.child.stdout.take().ok_or("no stdout from the window")?;
    let reader = {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                lines
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take(Instant::now(), &line);
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
            .spawn(move || {
                if load_nice > 0
                    && let Err(e) = crate::thread_priority::set_this_thread_nice(i32::from(load_nice))
                {
                    eprintln!("bench: the publisher runs at normal priority ({e})");
                }
                publisher(addr, topics, rate, stop, sent)
            })
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
    for p in [file.clone(), side(&file, "-wal"), side(&file, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
    let lines = lines.lock().unwrap_or_else(|p| p.into_inner());
    let span = (start, start + Duration::from_secs_f64(elapsed));
    // The one-second reports that ended inside the measured span.
    let counts = lines.counts_in(span);
    let frame_times = Percentiles::of(&lines.times_in(span));
    let ui_times = Percentiles::of(&lines.ui_times_in(span));
    let (Some(frame_times), Some(ui_times), false) = (frame_times, ui_times, counts.is_empty()) else {
        return Err("the window reported no frames while measured".into());
    };
    let recording = match lines.recording_in(span) {
        Some((first, last)) => Some(RecordingFigures {
            written_per_second: (last.written.saturating_sub(first.written) as f64 / elapsed) as u64,
            dropped: last.dropped,
            bytes_per_message: last.file_bytes as f64 / last.written.max(1) as f64,
        }),
        None if record => return Err("the window did not report its recording".into()),
        None => None,
    };
    Ok(StreamFigures {
        cores,
        frames_per_second: counts.iter().map(|&n| f64::from(n)).sum::<f64>() / counts.len() as f64,
        frame_times,
        ui_times,
        rss_bytes: rss,
        sent_per_second: (sent_during as f64 / elapsed) as u64,
        received_per_second: lines.received_per_second_in(span).map(|r| r as u64),
        recording,
    })
}

/// `FILE-wal`, `FILE-shm`.
fn side(file: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

pub fn run(rate: usize, topics: usize, seconds: u64, record: bool, smooth: bool, load_nice: u8) -> Result<(), String> {
    let figures = stream(rate, topics, seconds, 3, record, smooth, load_nice)?;
    let cores = figures.cores;
    let frames = figures.frame_times;
    let recorded = figures.recording.map_or(String::new(), |r| {
        format!(
            " recorded-per-s={} record-dropped={} record-bytes-per-msg={:.1}",
            r.written_per_second, r.dropped, r.bytes_per_message
        )
    });
    println!(
        "stream rate={rate} topics={topics} seconds={seconds} record={record} smooth={smooth} load-nice={load_nice} sent-per-s={} received-per-s={} frames-per-s={:.1} \
         frame-p50-ms={:.2} frame-p99-ms={:.2} frame-max-ms={:.2} ui-p50-ms={:.2} ui-p99-ms={:.2} ui-max-ms={:.2} cores={:.3} \
         ui-thread={:.3} mqtt-thread={:.3} drain-thread={:.3} rasterizer={:.3} other={:.3} rss-mib={:.1}{recorded}",
        figures.sent_per_second,
        figures.received_per_second.map_or("?".to_owned(), |r| r.to_string()),
        figures.frames_per_second,
        frames.p50_ms,
        frames.p99_ms,
        frames.max_ms,
        figures.ui_times.p50_ms,
        figures.ui_times.p99_ms,
        figures.ui_times.max_ms,
        cores.total,
        cores.ui,
        cores.mqtt,
        cores.drain,
        cores.raster,
        (cores.total - cores.ui - cores.mqtt - cores.drain - cores.raster).max(0.0),
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
            thread(14, "topicscope-drai", 80),
        ];
        let split = CpuSplit::between(10, &before, &after).per_second(2.0);
        assert!((split.ui - 0.2).abs() < 1e-9, "{split:?}");
        assert!((split.mqtt - 0.05).abs() < 1e-9, "{split:?}");
        assert!((split.raster - 0.15).abs() < 1e-9, "{split:?}");
        assert!((split.drain - 0.04).abs() < 1e-9, "{split:?}");
        assert!((split.total - 0.465).abs() < 1e-9, "{split:?}");
    }
}
