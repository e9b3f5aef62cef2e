//! The writer thread: takes batches of messages over a bounded crossbeam channel and
//! writes them to the recording, one transaction at most every 250 ms (WAL with
//! `synchronous = NORMAL`: a committed transaction survives a kill -9 of the process,
//! so a crash loses at most the last commit interval).
//!
//! **Size limit**: when the pages in use pass 85% of `max_size`, the oldest messages
//! (lowest ids) are deleted until 70% is in use. Their pages go to SQLite's freelist
//! and the next inserts reuse them, so the file stops growing ("page reuse");
//! `PRAGMA incremental_vacuum` gives free pages back to the system only when the file
//! itself has grown past the limit. Connection events older than the oldest kept
//! message go too. The limit is checked after every commit and every 1000 messages
//! inside a transaction, so a flood cannot outrun it by much.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use rusqlite::Connection;

use super::batch::RecordBatch;
use super::error::RecordError;
use super::schema::{self, RecordingMeta};
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
}

#[derive(Default)]
struct Counters {
    messages: AtomicU64,
    payload_bytes: AtomicU64,
    dropped: AtomicU64,
    deleted: AtomicU64,
    file_bytes: AtomicU64,
    error: Mutex<Option<String>>,
}

enum Item {
    Messages(RecordBatch),
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
        configure(&conn, options.max_size).map_err(|e| RecordError::from_sqlite(path, &e))?;
        let (tx, rx) = crossbeam_channel::bounded(options.channel_batches.max(1));
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread_path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("recording-writer".into())
            .spawn(move || {
                let mut w = Writer {
                    conn,
                    path: thread_path,
                    counters: thread_counters,
                    options,
                    since_check: 0,
                };
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
    pub fn try_send(&self, batch: RecordBatch) -> bool {
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
        tx.send(Item::Messages(RecordBatch::from(batch)))
            .map_err(|_| self.stopped())
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
fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// SQLite's page cache for the writer, in KiB (`PRAGMA cache_size` takes it negative).
const RECORDING_CACHE_KIB: i64 = 32 * 1024;

/// Durability and WAL size: NORMAL is crash-safe in WAL mode (only a power cut may lose
/// the last commits); a small limit keeps the WAL small too.
fn configure(conn: &Connection, max_size: Option<u64>) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Every message adds to the (topic, time) index at its topic's place: with a thousand
    // topics that is a thousand hot index pages, more than SQLite's default 2 MB cache.
    conn.pragma_update(None, "cache_size", -RECORDING_CACHE_KIB)?;
    let wal_pages = max_size.map_or(1000, |m| (m / 4096 / 16).clamp(16, 1000));
    conn.pragma_update(None, "wal_autocheckpoint", wal_pages as i64)?;
    conn.pragma_update(None, "journal_size_limit", (wal_pages * 4096) as i64)?;
    Ok(())
}

struct Writer {
    conn: Connection,
    path: PathBuf,
    counters: Arc<Counters>,
    options: WriterOptions,
    /// Messages inserted since the size limit was last checked.
    since_check: u64,
}

impl Writer {
    fn run(&mut self, rx: &Receiver<Item>) -> rusqlite::Result<()> {
        let mut tx_started: Option<Instant> = None;
        self.update_file_size();
        loop {
            let timeout = match tx_started {
                Some(t) => self.options.commit_every.saturating_sub(t.elapsed()),
                None => Duration::from_secs(3600),
            };
            let item = match rx.recv_timeout(timeout) {
                Ok(item) => Some(item),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            if let Some(item) = item {
                if tx_started.is_none() {
                    self.conn.execute_batch("BEGIN")?;
                    tx_started = Some(Instant::now());
                }
                self.write(item)?;
            }
            if tx_started.is_some_and(|t| t.elapsed() >= self.options.commit_every) {
                self.commit()?;
                tx_started = None;
            }
        }
        if tx_started.is_some() {
            self.commit()?;
        }
        // Fold the WAL into the file so a finished recording is one file.
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        self.update_file_size();
        Ok(())
    }

    fn write(&mut self, item: Item) -> rusqlite::Result<()> {
        match item {
            Item::Messages(batch) => {
                let mut stmt = self.conn.prepare_cached(
                    "INSERT INTO messages (time_us, topic, payload, qos, retain, properties)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for m in batch.iter() {
                    let props = super::properties::encode(m.properties);
                    stmt.execute((m.time_us, m.topic, m.payload, m.qos, m.retain, props))?;
                }
                drop(stmt);
                self.counters.messages.fetch_add(batch.len() as u64, Ordering::Relaxed);
                self.counters
                    .payload_bytes
                    .fetch_add(batch.payload_bytes() as u64, Ordering::Relaxed);
                self.since_check += batch.len() as u64;
                if self.since_check >= 1000 {
                    self.since_check = 0;
                    self.enforce_limit()?;
                }
            }
            Item::Event { time_us, kind, text } => {
                self.conn.execute(
                    "INSERT INTO events (time_us, kind, text) VALUES (?1, ?2, ?3)",
                    (time_us, kind, text),
                )?;
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> rusqlite::Result<()> {
        self.enforce_limit()?;
        self.conn.execute_batch("COMMIT")?;
        self.give_back_pages()?;
        self.update_file_size();
        Ok(())
    }

    fn used_bytes(&self) -> rusqlite::Result<u64> {
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        let free: i64 = self.conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        Ok((pages - free).max(0) as u64 * 4096)
    }

    /// Deletes the oldest messages while the pages in use exceed 85% of the limit.
    fn enforce_limit(&mut self) -> rusqlite::Result<()> {
        let Some(max) = self.options.max_size else {
            return Ok(());
        };
        let (high, low) = (max / 100 * 85, max / 100 * 70);
        for _ in 0..32 {
            let used = self.used_bytes()?;
            if used <= high {
                break;
            }
            let (min_id, max_id): (Option<i64>, Option<i64>) = self.conn.query_row(
                "SELECT (SELECT min(id) FROM messages), (SELECT max(id) FROM messages)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (Some(min_id), Some(max_id)) = (min_id, max_id) else {
                break;
            };
            let rows = (max_id - min_id + 1).max(1) as u64;
            let per_row = (used / rows).max(1);
            // Ids are dense (only the oldest are ever deleted), so a range is a count.
            let n = ((used - low) / per_row).clamp(1, rows) as i64;
            let deleted = self.conn.execute("DELETE FROM messages WHERE id < ?1", [min_id + n])?;
            self.counters.deleted.fetch_add(deleted as u64, Ordering::Relaxed);
            self.conn.execute(
                "DELETE FROM events WHERE time_us < (SELECT min(time_us) FROM messages)",
                [],
            )?;
        }
        Ok(())
    }

    /// Gives free pages back to the system when the file has grown past the limit.
    fn give_back_pages(&self) -> rusqlite::Result<()> {
        let Some(max) = self.options.max_size else {
            return Ok(());
        };
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        if pages as u64 * 4096 > max {
            self.conn.execute_batch("PRAGMA incremental_vacuum")?;
        }
        Ok(())
    }

    fn update_file_size(&self) {
        let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let total = len(&self.path) + len(&side_file(&self.path, "-wal"));
        self.counters.file_bytes.store(total, Ordering::Relaxed);
    }
}
