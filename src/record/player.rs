//! The thread that reads an open recording for the window (`topicscope-player`), so
//! that no query ever runs on the UI thread: it rebuilds the state at a moment (per
//! topic, the newest messages at or before it) and reads on in time order while the
//! window plays or steps. Requests carry a generation; a newer seek makes the thread
//! drop the older one's work, and the window drops what it already sent.
//!
//! Both channels are bounded: the window takes at most a few batches per frame, and the
//! thread waits for it (a recording cannot flood anything: it is read on demand).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded};

use super::error::RecordError;
use super::reader::Recording;
use super::schema::RecordingMeta;
use super::seek::Cursor;
use crate::model::Message;

/// Messages per batch sent to the window (like the worker's batches).
pub const BATCH: usize = 4096;
/// At most this many messages make the state at a moment, whatever the topic count.
pub const SEEK_BUDGET: usize = 1_000_000;
/// At most this many messages per topic make the state at a moment (the history and
/// charts before it).
pub const PER_TOPIC: usize = 200;

/// What the window asks the thread for.
#[derive(Debug)]
enum Request {
    /// The state at `at_us`.
    Seek { generation: u64, at_us: i64 },
    /// Up to `max` messages after `after`, at or before `to_us`.
    Fetch {
        generation: u64,
        after: Cursor,
        to_us: i64,
        max: usize,
    },
}

/// What the thread sends back.
#[derive(Debug)]
pub enum Output {
    /// Messages to apply, in time order.
    Batch { generation: u64, messages: Vec<Message> },
    /// Rebuilding the state: `done` of `total` topics read.
    Progress { generation: u64, done: usize, total: usize },
    /// The state at the moment is complete; playing on starts after `cursor`.
    Sought { generation: u64, cursor: Cursor },
    /// A fetch is complete; `cursor` is its last message (or where it started) and
    /// `full` says it stopped at its `max`, so more may be due.
    Fetched {
        generation: u64,
        cursor: Cursor,
        full: bool,
    },
    /// Reading failed, in words.
    Failed { generation: u64, why: String },
}

impl Output {
    pub fn generation(&self) -> u64 {
        match self {
            Self::Batch { generation, .. }
            | Self::Progress { generation, .. }
            | Self::Sought { generation, .. }
            | Self::Fetched { generation, .. }
            | Self::Failed { generation, .. } => *generation,
        }
    }
}

/// What the window knows of a recording once it is open.
#[derive(Clone, Debug)]
pub struct Opened {
    pub meta: RecordingMeta,
    /// First and last message times (µs since the epoch); `None` for an empty file.
    pub span: Option<(i64, i64)>,
}

/// The reading thread of one open recording; dropping it ends the thread.
#[derive(Debug)]
pub struct Player {
    requests: Sender<Request>,
    pub outputs: Receiver<Output>,
    latest: Arc<AtomicU64>,
}

impl Player {
    /// Opens `path` (checks it is a readable recording, here, so a bad file fails before
    /// any tab opens) and starts its thread.
    pub fn open(path: &Path) -> Result<(Self, Opened), RecordError> {
        let recording = Recording::open(path)?;
        // Reads the index's two ends; also the first query that meets a damaged file.
        let span = recording.time_span()?;
        let opened = Opened {
            meta: recording.meta.clone(),
            span,
        };
        let (requests, rx) = bounded(64);
        let (tx, outputs) = bounded(16);
        let latest = Arc::new(AtomicU64::new(0));
        let seen = latest.clone();
        std::thread::Builder::new()
            .name("topicscope-player".into())
            .spawn(move || serve(&recording, &rx, &tx, &seen))
            .map_err(|e| RecordError::Io {
                path: path.to_owned(),
                why: e.to_string(),
            })?;
        Ok((
            Self {
                requests,
                outputs,
                latest,
            },
            opened,
        ))
    }

    /// Asks for the state at `at_us`; work for older generations stops.
    pub fn seek(&self, generation: u64, at_us: i64) {
        self.latest.store(generation, Ordering::Relaxed);
        let _ = self.requests.send(Request::Seek { generation, at_us });
    }

    /// Asks for up to `max` messages after `after`, at or before `to_us`.
    pub fn fetch(&self, generation: u64, after: Cursor, to_us: i64, max: usize) {
        let _ = self.requests.send(Request::Fetch {
            generation,
            after,
            to_us,
            max,
        });
    }
}

/// The thread: answers requests until the window drops its end.
fn serve(rec: &Recording, rx: &Receiver<Request>, tx: &Sender<Output>, latest: &AtomicU64) {
    let mut topics: Option<Vec<String>> = None;
    while let Ok(req) = rx.recv() {
        let generation = match &req {
            Request::Seek { generation, .. } | Request::Fetch { generation, .. } => *generation,
        };
        if generation < latest.load(Ordering::Relaxed) {
            continue;
        }
        let result = match req {
            Request::Seek { generation, at_us } => seek(rec, &mut topics, generation, at_us, tx, latest),
            Request::Fetch {
                generation,
                after,
                to_us,
                max,
            } => fetch(rec, generation, after, to_us, max, tx),
        };
        match result {
            Ok(true) => {}
            // The window is gone.
            Ok(false) => return,
            Err(e) => {
                if tx
                    .send(Output::Failed {
                        generation,
                        why: e.to_string(),
                    })
                    .is_err()
                {
                    return;
                }
            }
        }
    }
}

/// Sends the state at `at_us`; false when the window is gone.
fn seek(
    rec: &Recording,
    topics: &mut Option<Vec<String>>,
    generation: u64,
    at_us: i64,
    tx: &Sender<Output>,
    latest: &AtomicU64,
) -> Result<bool, RecordError> {
    let stale = || latest.load(Ordering::Relaxed) != generation;
    if topics.is_none() {
        let listed = rec.topics(|n| {
            let _ = tx.try_send(Output::Progress {
                generation,
                done: 0,
                total: n,
            });
        })?;
        *topics = Some(listed);
    }
    let all = topics.as_deref().unwrap_or_default();
    let per_topic = (SEEK_BUDGET / all.len().max(1)).clamp(1, PER_TOPIC);
    let mut found = Vec::new();
    for (i, topic) in all.iter().enumerate() {
        if i % 1024 == 0 {
            if stale() {
                return Ok(true);
            }
            let progress = Output::Progress {
                generation,
                done: i,
                total: all.len(),
            };
            if tx.send(progress).is_err() {
                return Ok(false);
            }
        }
        found.extend(rec.last_of_topic(topic, at_us, per_topic)?);
    }
    // In time order across topics, as they arrived: devices and charts see time move on.
    found.sort_unstable_by_key(|r| (r.time_us, r.id));
    let mut messages = found.into_iter().map(|r| r.message);
    loop {
        if stale() {
            return Ok(true);
        }
        let batch: Vec<Message> = messages.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        if tx
            .send(Output::Batch {
                generation,
                messages: batch,
            })
            .is_err()
        {
            return Ok(false);
        }
    }
    // Playing on starts after the last message at or before the moment (the per-topic
    // limit may have left older ones of busy topics out of the state).
    let cursor = rec.cursor_at(at_us)?;
    Ok(tx.send(Output::Sought { generation, cursor }).is_ok())
}

/// Sends the messages after `after`; false when the window is gone.
fn fetch(
    rec: &Recording,
    generation: u64,
    after: Cursor,
    to_us: i64,
    max: usize,
    tx: &Sender<Output>,
) -> Result<bool, RecordError> {
    let found = rec.after(after, to_us, max)?;
    let full = found.len() >= max;
    let cursor = found.last().map_or(after, |r| Cursor {
        time_us: r.time_us,
        id: r.id,
    });
    if !found.is_empty() {
        let messages = found.into_iter().map(|r| r.message).collect();
        if tx.send(Output::Batch { generation, messages }).is_err() {
            return Ok(false);
        }
    }
    Ok(tx
        .send(Output::Fetched {
            generation,
            cursor,
            full,
        })
        .is_ok())
}
