//! The writer thread: takes batches of messages over a bounded crossbeam channel and
//! writes them to the recording, one transaction at most every 250 ms (WAL with
//! `synchronous = NORMAL`: a committed transaction survives a kill -9 of the process,
//! so a crash loses at most the last commit interval).
//!
//! **Size limit**: `max_size` bounds the main file and its WAL together, see
//! [`super::limit`]; the oldest messages (lowest ids) go first, and connection events
//! older than the oldest kept message with them. The thread itself is in
//! [`super::writer_thread`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Sender, TrySendError};
use rusqlite::Connection;

use super::error::RecordError;
use super::schema::{self, RecordingMeta};
use super::writer_thread::Writer;
use crate::model::Message;

/// How the writer works.
#[derive(Clone, Debug)]
pub struct WriterOptions {
    /// Keep the file under this many bytes by dropping the oldest messages.
    pub max_size: Option<u64>,
    /// Longest time a message waits before it is committed.
    pub commit_every: Duration,
    /// Batches the channel holds before `try_send` drops and `send` waits.
    pub channel_batches: usize,
    /// Replace an existing file instead of refusing.
    pub overwrite: bool,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            max_size: None,
            commit_every: Duration::from_millis(250),
            channel_batches: 256,
            overwrite: false,
        }
    }
}

/// Counters of a running recording, as read at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordingStats {
    /// Messages written (including those later dropped by the size limit).
    pub messages: u64,
    /// Payload bytes written.
    pub payload_bytes: u64,
    /// Messages refused because the writer fell behind (`try_send` on a full channel).
    pub dropped: u64,
    /// Oldest messages deleted to keep under the size limit.
    pub deleted: u64,
    /// Size of the file and its WAL on disk, as of the last commit.
    pub file_bytes: u64,
    /// The largest size of the file and its WAL the writer saw on disk, looked at
    /// after every commit and checkpoint.
    pub peak_file_bytes: u64,
}

#[derive(Default)]
pub(super) struct Counters {
    pub(super) messages: AtomicU64,
    pub(super) payload_bytes: AtomicU64,
    pub(super) dropped: AtomicU64,
    pub(super) deleted: AtomicU64,
    pub(super) file_bytes: AtomicU64,
    pub(super) peak_file_bytes: AtomicU64,
    pub(super) error: Mutex<Option<String>>,
}

/// What the writer thread is sent.
pub(super) enum Item {
    /// Messages to insert, in arrival order.
    Messages(Vec<Message>),
    /// A connection event.
    Event { time_us: i64, kind: String, text: String },
}

/// A recording being written; dropping it stops the thread after its last commit.
pub struct RecordingWriter {
    tx: Option<Sender<Item>>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
    path: PathBuf,
}

impl std::fmt::Debug for RecordingWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingWriter")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RecordingWriter {
    /// Creates the file (so a bad path fails here, not later) and starts the thread.
    pub fn create(path: &Path, meta: &RecordingMeta, options: WriterOptions) -> Result<Self, RecordError> {
        if path.exists() {
            if !options.overwrite {
                return Err(RecordError::Exists { path: path.to_owned() });
            }
            for p in [path.to_owned(), side_file(path, "-wal"), side_file(path, "-shm")] {
                if p.exists() {
                    std::fs::remove_file(&p).map_err(|e| RecordError::Io {
                        path: p.clone(),
                        why: e.to_string(),
                    })?;
                }
            }
        }
        let conn = Connection::open(path).map_err(|e| RecordError::from_sqlite(path, &e))?;
        schema::create(&conn, meta).map_err(|e| RecordError::from_sqlite(path, &e))?;
        super::writer_thread::configure(&conn, options.max_size).map_err(|e| RecordError::from_sqlite(path, &e))?;
        let (tx, rx) = crossbeam_channel::bounded(options.channel_batches.max(1));
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread_path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("recording-writer".into())
            .spawn(move || {
                let mut w = Writer::new(conn, thread_path, thread_counters, options);
                if let Err(e) = w.run(&rx) {
                    let text = RecordError::from_sqlite(&w.path, &e).to_string();
                    tracing::warn!("recording stopped: {text}");
                    *w.counters.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(text);
                }
            })
            .map_err(|e| RecordError::Io {
                path: path.to_owned(),
                why: e.to_string(),
            })?;
        let writer = Self {
            tx: Some(tx),
            counters,
            thread: Some(thread),
            path: path.to_owned(),
        };
        writer.event("started", "");
        Ok(writer)
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues a batch without waiting (for the window): when the writer is behind, the
    /// batch is counted in [`RecordingStats::dropped`] and `false` is returned.
    pub fn try_send(&self, batch: Vec<Message>) -> bool {
        let n = batch.len() as u64;
        let Some(tx) = &self.tx else { return false };
        match tx.try_send(Item::Messages(batch)) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.counters.dropped.fetch_add(n, Ordering::Relaxed);
                false
            }
        }
    }

    /// Queues a batch, waiting while the writer is behind (for the CLI, where waiting
    /// pushes back on the broker instead of losing messages).
    pub fn send(&self, batch: Vec<Message>) -> Result<(), RecordError> {
        let Some(tx) = &self.tx else { return Err(self.stopped()) };
        tx.send(Item::Messages(batch)).map_err(|_| self.stopped())
    }

    /// Records a connection event (`connected`, `lost`, …) with a text for people.
    pub fn event(&self, kind: &str, text: &str) {
        if let Some(tx) = &self.tx {
            // An event is small; waiting a moment is better than losing it.
            let _ = tx.send_timeout(
                Item::Event {
                    time_us: schema::now_us(),
                    kind: kind.to_owned(),
                    text: text.to_owned(),
                },
                Duration::from_millis(100),
            );
        }
    }

    /// The counters now.
    pub fn stats(&self) -> RecordingStats {
        let c = &self.counters;
        RecordingStats {
            messages: c.messages.load(Ordering::Relaxed),
            payload_bytes: c.payload_bytes.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            deleted: c.deleted.load(Ordering::Relaxed),
            file_bytes: c.file_bytes.load(Ordering::Relaxed),
            peak_file_bytes: c.peak_file_bytes.load(Ordering::Relaxed),
        }
    }

    /// Why the writer stopped on its own (disk full, file removed…), if it did.
    pub fn error(&self) -> Option<String> {
        self.counters.error.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn stopped(&self) -> RecordError {
        RecordError::WriterStopped(self.error().unwrap_or_default())
    }

    /// Stops: writes what is queued, commits, checkpoints the WAL into the file, and
    /// returns the final counters (or the error that stopped the writer).
    pub fn finish(mut self) -> Result<RecordingStats, RecordError> {
        self.event("stopped", "");
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        match self.error() {
            Some(e) => Err(RecordError::WriterStopped(e)),
            None => Ok(self.stats()),
        }
    }
}

impl Drop for RecordingWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `FILE-wal`, `FILE-shm`.
pub(super) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
