//! `--max-size` bounds the main file and its WAL together, at every commit, while the
//! newest messages are the ones kept.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::reader::{Recording, RecordingQuery};
use super::schema::RecordingMeta;
use super::writer::{RecordingWriter, WriterOptions};
use crate::model::Message;

fn on_disk(path: &Path) -> u64 {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    len(path) + len(Path::new(&wal))
}

fn numbered(i: u64, topics: u64) -> Message {
    let payload = format!("{i:010}{}", "x".repeat(90));
    Message::new(format!("limit/{}", i % topics), payload.into_bytes(), 0, false)
}

/// Writes `total` messages into a file limited to `max` bytes and checks the limit held:
/// at every commit and checkpoint (the writer's own look, right after each, which is
/// when the WAL and the main file are largest) and in samples from another thread.
fn fill_under_limit(max: u64, total: u64, topics: u64) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("limit.tsrec");
    let options = WriterOptions {
        max_size: Some(max),
        // Commits come from the size checks and the clock both.
        commit_every: Duration::from_millis(20),
        channel_batches: 4,
        ..WriterOptions::default()
    };
    let writer = RecordingWriter::create(&file, &RecordingMeta::new("mqtt://127.0.0.1:1", &[]), options).unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let sampled_peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, peak, file) = (Arc::clone(&done), Arc::clone(&sampled_peak), file.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(on_disk(&file), Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    for chunk in 0..total / 100 {
        let batch = (chunk * 100..(chunk + 1) * 100).map(|i| numbered(i, topics)).collect();
        writer.send(batch).unwrap();
    }
    let stats = writer.finish().unwrap();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let sampled = sampled_peak.load(Ordering::Relaxed);
    eprintln!(
        "limit {max}, {total} messages on {topics} topics: peak at commits {}, peak sampled {sampled}, final {}, deleted {}",
        stats.peak_file_bytes,
        on_disk(&file),
        stats.deleted
    );
    // No tolerance: SQLite writes a page to the WAL only when the cache (sized by the
    // budget) is full of dirty pages or at a commit, and the writer commits before the
    // WAL plus that cache plus the next rows could pass the WAL's share.
    assert!(
        stats.peak_file_bytes <= max,
        "file + WAL reached {} bytes, over {max}",
        stats.peak_file_bytes
    );
    assert!(sampled <= max, "file + WAL were seen at {sampled} bytes, over {max}");
    assert!(
        stats.peak_file_bytes > max / 2,
        "the file never filled up ({} bytes): the limit was not tested",
        stats.peak_file_bytes
    );
    assert!(on_disk(&file) <= max);
    assert!(stats.deleted > total / 2, "only {} deleted of {total}", stats.deleted);

    // The newest are kept: every message from the oldest kept to the last one sent, in order.
    let recording = Recording::open(&file).unwrap();
    let mut kept: Vec<u64> = Vec::new();
    recording
        .for_each(&RecordingQuery::default(), |r| {
            kept.push(std::str::from_utf8(&r.message.payload[..10]).unwrap().parse().unwrap());
            true
        })
        .unwrap();
    assert_eq!(kept.last(), Some(&(total - 1)), "the newest message is missing");
    let first = kept[0];
    assert_eq!(first, stats.deleted, "the oldest kept is not the first one not deleted");
    assert!(
        kept.iter().copied().eq(first..total),
        "messages between the oldest kept and the newest are missing"
    );
}

#[test]
fn max_size_bounds_file_plus_wal_at_every_commit_and_keeps_the_newest() {
    // 2 MB and 20 topics: about four times the limit goes through the file.
    fill_under_limit(2_000_000, 30_000, 20);
}

#[test]
fn max_size_holds_with_a_thousand_topics_each_dirtying_its_own_index_page() {
    fill_under_limit(2_000_000, 20_000, 1000);
}
