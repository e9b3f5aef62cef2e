//! `topicscope bench record`: how fast the recording writer stores 100-byte messages
//! and how many bytes each takes on disk, through the real writer thread (batches of
//! 500 over its channel, commits every 500 ms, WAL), into a temporary file.

use std::time::Instant;

use crate::model::Message;
use crate::record::{RecordingMeta, RecordingWriter, WriterOptions};

/// Writes `messages` messages of `payload` bytes on `topics` topics, under `max_size`
/// if given, and prints `record messages=… msgs/s=… bytes/msg=…` (with a limit, also
/// how many old messages were deleted, and the largest file + WAL seen after a batch).
pub fn run(messages: usize, topics: usize, payload: usize, max_size: Option<u64>) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("topicscope-bench-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bench.tsrec");
    let meta = RecordingMeta::new("mqtt://127.0.0.1:1883", &["#".to_owned()]);
    let options = WriterOptions {
        max_size,
        ..WriterOptions::default()
    };
    let writer = RecordingWriter::create(&path, &meta, options).map_err(|e| e.to_string())?;
    let body = vec![b'x'; payload];
    let names: Vec<String> = (0..topics.max(1))
        .map(|i| format!("bench/esp32-{:04}/sensor", i))
        .collect();
    let started = Instant::now();
    let mut sent = 0;
    // The file, its WAL and the WAL's index together, looked at every millisecond while
    // the writer works (a sample: a peak between two looks goes unseen).
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(max_size.is_some()));
    let watcher = {
        let watching = std::sync::Arc::clone(&watching);
        let files = ["", "-wal", "-shm"].map(|s| dir.join(format!("bench.tsrec{s}")));
        std::thread::spawn(move || {
            let mut peak = 0;
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                let now: u64 = files.iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).sum();
                peak = peak.max(now);
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            peak
        })
    };
    while sent < messages {
        let n = 500.min(messages - sent);
        let batch = (sent..sent + n)
            .map(|i| Message::new(names[i % names.len()].clone(), body.clone(), 0, false))
            .collect();
        writer.send(batch).map_err(|e| e.to_string())?;
        sent += n;
    }
    let stats = writer.finish().map_err(|e| e.to_string())?;
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak = watcher.join().unwrap_or(0);
    let secs = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let _ = std::fs::remove_dir_all(&dir);
    let limit = match max_size {
        Some(max) => format!(
            " max_size={max} deleted={} too_large={} peak_at_checkpoints={} peak_sampled={peak}",
            stats.deleted, stats.too_large, stats.peak_bytes
        ),
        None => String::new(),
    };
    // With a limit the file holds only the newest messages: bytes per message is the
    // file over those it kept.
    let kept = stats.messages.saturating_sub(stats.deleted).max(1);
    println!(
        "record messages={} payload={payload} topics={topics} secs={secs:.2} msgs/s={:.0} file_bytes={size} bytes/msg={:.1}{limit}",
        stats.messages,
        stats.messages as f64 / secs,
        size as f64 / kept as f64
    );
    Ok(())
}
