//! `topicscope bench seek`: opening a large recording in the (headless) window state
//! and seeking to its middle: the time from asking to the model holding the state at
//! that moment ("first picture"), through the real player thread and apply path.

use std::time::{Duration, Instant};

use crate::app::AppState;
use crate::model::Message;
use crate::record::schema::system_time;
use crate::record::{RecordingMeta, RecordingWriter, WriterOptions};

/// Steps the state as frames would until the active recording's state is complete.
fn until_ready(state: &mut AppState) -> Result<Duration, String> {
    let started = Instant::now();
    loop {
        state.drain_events(Duration::from_millis(10));
        let p = state.conn().playback.as_ref().ok_or("no recording open")?;
        if let Some(e) = &p.error {
            return Err(e.clone());
        }
        if p.ready() {
            return Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err("gave up after 10 minutes".into());
        }
    }
}

/// Writes `messages` messages of `payload` bytes over `topics` topics spread over an
/// hour, opens the file and seeks to its middle; prints one line of figures.
pub fn run(messages: usize, topics: usize, payload: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("topicscope-bench-seek-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(&dir, messages, topics, payload);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(dir: &std::path::Path, messages: usize, topics: usize, payload: usize) -> Result<(), String> {
    let path = dir.join("bench.tsrec");
    let meta = RecordingMeta::new("mqtt://127.0.0.1:1883", &["#".to_owned()]);
    let writer = RecordingWriter::create(&path, &meta, WriterOptions::default()).map_err(|e| e.to_string())?;
    let body = vec![b'x'; payload];
    let names: Vec<String> = (0..topics.max(1))
        .map(|i| format!("bench/esp32-{i:05}/sensor"))
        .collect();
    let t0 = crate::record::schema::now_us() - 3_600_000_000;
    let step_us = 3_600_000_000 / messages.max(1) as i64;
    let mut sent = 0;
    while sent < messages {
        let n = 500.min(messages - sent);
        let batch = (sent..sent + n)
            .map(|i| {
                let mut m = Message::new(names[i % names.len()].clone(), body.clone(), 0, false);
                m.time = system_time(t0 + i as i64 * step_us);
                m
            })
            .collect();
        writer.send(batch).map_err(|e| e.to_string())?;
        sent += n;
    }
    writer.finish().map_err(|e| e.to_string())?;
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    // On disk before the clock starts, as a recording from another day is: otherwise
    // the open competes with the kernel writing back the gigabyte just written.
    std::fs::File::open(&path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;

    let mut state = AppState::new(None, dir.join("config"), crate::model::DEFAULT_HISTORY_BUDGET_BYTES);
    let started = Instant::now();
    state.open_recording(&path)?;
    until_ready(&mut state)?;
    let open_ms = started.elapsed().as_secs_f64() * 1e3;
    let middle = t0 + (messages as i64 / 2) * step_us;
    let started = Instant::now();
    state.seek_recording(middle);
    until_ready(&mut state)?;
    let seek_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "seek messages={messages} topics={topics} payload={payload} file_bytes={size} open_ms={open_ms:.0} seek_middle_ms={seek_ms:.0} shown_messages={}",
        state.conn().model.total_messages()
    );
    Ok(())
}
