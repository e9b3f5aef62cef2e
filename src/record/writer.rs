//! The writer thread: takes batches of messages over a bounded crossbeam channel and
//! writes them to the recording, one transaction at most every 500 ms (WAL with
//! `synchronous = NORMAL`: a committed transaction survives a kill -9 of the process,
//! so a crash loses at most the last commit interval, half the second; in the
//! window a commit may first wait for a frame, at most 150 ms and the frame's hold). Every
//! commit writes each page it changed whole, and with a thousand topics a thousand
//! index leaves change in every commit, so the interval sets the bytes written per
//! message: 500 ms writes a third less than 250 ms (BENCHMARKS.md, "Commits every 500 ms").
//!
//! **Size limit** (`max_size`): the file, its WAL and the WAL's index (`-shm`) together
//! never pass it. A transaction writes each page it changes to the WAL once (SQLite
//! overwrites a page it already wrote in the same transaction, spilled or not), so its
//! WAL holds at most as many pages as the file has; the writer checkpoints the WAL into
//! the file and truncates it after every commit. So a file of P pages costs at most
//! P × 4096 + P × 4120 bytes of WAL + its index, and the writer keeps P within
//! [`page_budget`], a little under half the limit. Before each run of messages it makes
//! room for them: when the pages in use plus what the run may add (a generous estimate
//! from its bytes) would pass the budget, the oldest messages (lowest ids) are deleted
//! until a tenth of the budget is free besides. Their pages go to SQLite's freelist and
//! the next inserts reuse them, so the file stops growing. A message that alone needs
//! more than half the budget is not recorded (counted in [`RecordingStats::too_large`]).
//! Connection events older than the oldest kept message go too, and topics left with no
//! message.
//!
//! Keeping the WAL out of the limit's way this way costs half the file, not speed: the
//! alternatives measured (a WAL share with early commits sized by learned or estimated
//! page counts) held the bound only by cutting transactions so short that every one
//! rewrote the `(topic, time)` index's hot pages, 1.3 to 175 times slower (BENCHMARKS.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use rusqlite::Connection;

use super::batch::RecordBatch;
use super::error::RecordError;
use super::schema::{self, RecordingMeta};
use crate::frame_gate::{FrameGate, Yielding};
use crate::model::Message;

/// How the writer works.
#[derive(Clone, Debug)]
pub struct WriterOptions {
    /// Keep the file with its WAL under this many bytes by dropping the oldest messages.
    pub max_size: Option<u64>,
    /// Longest time a message waits before its transaction is committed (in the window
    /// a commit may then wait for a frame: at most 150 ms and the frame's hold).
    pub commit_every: Duration,
    /// Batches the channel holds before `try_send` drops and `send` waits.
    pub channel_batches: usize,
    /// Replace an existing file instead of refusing.
    pub overwrite: bool,
    /// The window's frames, which the writer lets go first (between two messages it
    /// waits while one is drawn; before a commit or a checkpoint also for one due
    /// within that work's length); none for the command line.
    pub frame_gate: Option<Arc<FrameGate>>,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            max_size: None,
            commit_every: Duration::from_millis(500),
            channel_batches: 256,
            overwrite: false,
            frame_gate: None,
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
    /// Messages not recorded because one alone needs more than half of what the size
    /// limit leaves for messages.
    pub too_large: u64,
    /// Size of the file, its WAL and the WAL's index on disk, as of the last commit
    /// (the file alone once the recording is finished).
    pub file_bytes: u64,
    /// Under a size limit, the most the file, its WAL and the WAL's index took together,
    /// measured at each commit's checkpoint (where they peak: the WAL full and the file
    /// grown to its new pages); 0 without a limit.
    pub peak_bytes: u64,
}

#[derive(Default)]
struct Counters {
    messages: AtomicU64,
    payload_bytes: AtomicU64,
    dropped: AtomicU64,
    deleted: AtomicU64,
    too_large: AtomicU64,
    file_bytes: AtomicU64,
    peak_bytes: AtomicU64,
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
    /// Set when stopping: the thread no longer gives way to frames (the frame that stops
    /// the recording waits for it).
    stopping: Arc<AtomicBool>,
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
        let mut conn = Connection::open(path).map_err(|e| RecordError::from_sqlite(path, &e))?;
        schema::create(&conn, meta).map_err(|e| RecordError::from_sqlite(path, &e))?;
        // The command line and the window refuse smaller limits; this guards other callers.
        let options = WriterOptions {
            max_size: options.max_size.map(|m| m.max(MIN_MAX_SIZE)),
            ..options
        };
        configure(&conn, options.max_size).map_err(|e| RecordError::from_sqlite(path, &e))?;
        // After `configure`: setting `wal_autocheckpoint` replaces the WAL hook.
        let wal_pages = Arc::new(AtomicU64::new(0));
        let hook_pages = Arc::clone(&wal_pages);
        conn.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: std::ffi::c_int| {
            hook_pages.store(u64::try_from(pages).unwrap_or(0), Ordering::Relaxed);
            Ok(())
        }))
        .map_err(|e| RecordError::from_sqlite(path, &e))?;
        // The tables' transaction left its pages in the WAL; the first commit's must not
        // come on top of them.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| RecordError::from_sqlite(path, &e))?;
        let (tx, rx) = crossbeam_channel::bounded(options.channel_batches.max(1));
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread_path = path.to_owned();
        let stopping = Arc::new(AtomicBool::new(false));
        let thread_yielding = options
            .frame_gate
            .clone()
            .map(|gate| Yielding::new(gate, Arc::clone(&stopping)));
        let thread = std::thread::Builder::new()
            .name("recording-writer".into())
            .spawn(move || {
                let mut w = Writer {
                    conn,
                    path: thread_path,
                    counters: thread_counters,
                    options,
                    topic_ids: TopicIds::default(),
                    yielding: thread_yielding,
                    queued: 0,
                    wal_pages,
                    commit_took: Duration::ZERO,
                    checkpoint_took: Duration::ZERO,
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
            stopping,
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
            too_large: c.too_large.load(Ordering::Relaxed),
            file_bytes: c.file_bytes.load(Ordering::Relaxed),
            peak_bytes: c.peak_bytes.load(Ordering::Relaxed),
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
        self.join();
        match self.error() {
            Some(e) => Err(RecordError::WriterStopped(e)),
            None => Ok(self.stats()),
        }
    }
}

impl RecordingWriter {
    /// Waits for the thread to end (the channel closed), which no frame holds back.
    fn join(&mut self) {
        self.stopping.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

impl Drop for RecordingWriter {
    fn drop(&mut self) {
        self.tx = None;
        self.join();
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
/// the last commits). The writer checkpoints itself, never SQLite inside a commit: under
/// a size limit after every commit, without one once the WAL holds [`CHECKPOINT_PAGES`].
fn configure(conn: &Connection, max_size: Option<u64>) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Every message adds to the (topic, time) index at its topic's place: with a thousand
    // topics that is a thousand hot index pages, more than SQLite's default 2 MB cache.
    conn.pragma_update(None, "cache_size", -RECORDING_CACHE_KIB)?;
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    let wal_limit = if max_size.is_some() { 0 } else { CHECKPOINT_PAGES };
    conn.pragma_update(None, "journal_size_limit", (wal_limit * PAGE) as i64)?;
    // The only writer: a reader of the file (the window, `export`) must not hold a
    // commit's checkpoint for rusqlite's default 5 s; the checkpoint says busy instead.
    conn.busy_timeout(Duration::ZERO)?;
    Ok(())
}

/// SQLite's page, as the recording sets it.
const PAGE: u64 = 4096;
/// Without a size limit, the writer checkpoints once a commit leaves this many pages in
/// the WAL (SQLite's own default), and the WAL file is cut back to as many.
const CHECKPOINT_PAGES: u64 = 1000;
/// The longest a commit or a checkpoint waits for a frame that is due before it could
/// end (see [`Writer::ahead`]).
const AHEAD_MAX: Duration = Duration::from_millis(150);
/// A page in the WAL: the page and a 24-byte frame header.
const WAL_FRAME: u64 = PAGE + 24;
/// The WAL's own header.
const WAL_HEADER: u64 = 32;
/// The WAL index (`-shm`) grows by 32 KiB blocks, each for about 4,062 frames; this is
/// its share per frame, rounded up.
const SHM_PER_FRAME: u64 = 9;
const SHM_BLOCK: u64 = 32 * 1024;

/// The smallest size limit a recording takes: room for its tables and some hundred
/// pages of messages once the WAL's share is set aside.
pub const MIN_MAX_SIZE: u64 = 1_000_000;

/// The most pages the file may have under a limit of `max` bytes, so that the file
/// (P pages), a WAL of at most P + 1 frames (a commit's last frame is always written
/// afresh) and its index fit together.
pub fn page_budget(max: u64) -> u64 {
    max.saturating_sub(WAL_HEADER + WAL_FRAME + SHM_BLOCK) / (PAGE + WAL_FRAME + SHM_PER_FRAME)
}

/// Pages a run of messages may add to the file, generously: the row (payload,
/// properties, topic, header) packed into leaves and overflow pages, and an entry in each
/// index, the `(topic, time)` one counted twice for the half-empty pages its splits leave.
fn pages_for(bytes: u64) -> u64 {
    bytes.div_ceil(PAGE) + 4
}

/// The bytes [`pages_for`] counts for one message.
fn message_bytes(payload: usize, properties: usize, topic: usize) -> u64 {
    ((payload + properties) as u64 * 6 / 5) + topic as u64 * 4 + 120
}

struct Writer {
    conn: Connection,
    path: PathBuf,
    counters: Arc<Counters>,
    options: WriterOptions,
    topic_ids: TopicIds,
    /// Gives way to the window's frames (`options.frame_gate`).
    yielding: Option<Yielding>,
    /// Batches queued in the channel when the last item arrived or the last commit began:
    /// with more than a quarter of it queued the writer gives way to no frame until it
    /// drains (a full channel drops the window's messages; see [`Self::behind`]).
    queued: usize,
    /// Pages in the WAL after the last commit (SQLite's WAL hook).
    wal_pages: Arc<AtomicU64>,
    /// How long the last commit and the last checkpoint took.
    commit_took: Duration,
    checkpoint_took: Duration,
}

/// The `topics` table's ids of recently written topics, so a message costs a hash lookup
/// rather than a B-tree search. Bounded, in two generations: when the newer holds `max`
/// topics (131,072) it becomes the older and the one before is forgotten; a topic found
/// in the older moves to the newer. So every topic among the last `max` different ones
/// stays known (a fleet of up to `max` topics never touches the table after its first
/// round), and at most 2 × `max` are held (about 20 MB), whatever the broker has.
struct TopicIds {
    newer: HashMap<Box<str>, i64>,
    older: HashMap<Box<str>, i64>,
    max: usize,
    /// Whether the last topic not in memory was new to the table.
    last_miss_new: bool,
}

impl Default for TopicIds {
    fn default() -> Self {
        Self {
            newer: HashMap::new(),
            older: HashMap::new(),
            max: 1 << 17,
            last_miss_new: true,
        }
    }
}

impl TopicIds {
    /// The id of `topic`, added to the table if it is new.
    fn get(&mut self, conn: &Connection, topic: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.newer.get(topic) {
            return Ok(id);
        }
        let (key, id) = match self.older.remove_entry(topic) {
            Some(entry) => entry,
            None => (topic.into(), self.look_up(conn, topic)?),
        };
        if self.newer.len() >= self.max {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(key, id);
        Ok(id)
    }

    /// The id of a topic not in memory. A run of new topics (a retained burst) is added
    /// straight away, a run of known ones (a fleet larger than the map) is looked up:
    /// whichever the last miss was is tried first, so either costs one statement.
    fn look_up(&mut self, conn: &Connection, topic: &str) -> rusqlite::Result<i64> {
        let insert = || -> rusqlite::Result<Option<i64>> {
            let mut stmt =
                conn.prepare_cached("INSERT INTO topics (topic) VALUES (?1) ON CONFLICT (topic) DO NOTHING")?;
            Ok((stmt.execute([topic])? == 1).then(|| conn.last_insert_rowid()))
        };
        let select = || -> rusqlite::Result<Option<i64>> {
            let mut stmt = conn.prepare_cached("SELECT id FROM topics WHERE topic = ?1")?;
            match stmt.query_row([topic], |r| r.get(0)) {
                Ok(id) => Ok(Some(id)),
                Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let (id, new) = if self.last_miss_new {
            match insert()? {
                Some(id) => (Some(id), true),
                None => (select()?, false),
            }
        } else {
            match select()? {
                Some(id) => (Some(id), false),
                None => (insert()?, true),
            }
        };
        self.last_miss_new = new;
        // Neither can fail to find or add it short of an error, reported above.
        id.ok_or(rusqlite::Error::QueryReturnedNoRows)
    }

    /// Forgets every id (after topics were deleted).
    fn clear(&mut self) {
        self.newer.clear();
        self.older.clear();
    }
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
                self.queued = rx.len();
                if tx_started.is_none() {
                    self.conn.execute_batch("BEGIN")?;
                    tx_started = Some(Instant::now());
                }
                self.write(item)?;
            }
            if tx_started.is_some_and(|t| t.elapsed() >= self.options.commit_every) {
                self.queued = rx.len();
                self.commit()?;
                tx_started = None;
            }
        }
        if tx_started.is_some() {
            self.commit()?;
        }
        // Fold the WAL into the file so a finished recording is one file (SQLite removes
        // the empty WAL and its index when the connection closes).
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        let file = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        self.counters.file_bytes.store(file, Ordering::Relaxed);
        Ok(())
    }

    fn write(&mut self, item: Item) -> rusqlite::Result<()> {
        match item {
            Item::Messages(batch) => {
                let (skipped, skipped_bytes) = match self.options.max_size.map(page_budget) {
                    None => {
                        self.insert(&batch, 0..batch.len())?;
                        (0, 0)
                    }
                    Some(budget) => self.insert_within(&batch, budget)?,
                };
                let written = batch.len() as u64 - skipped;
                self.counters.messages.fetch_add(written, Ordering::Relaxed);
                self.counters
                    .payload_bytes
                    .fetch_add(batch.payload_bytes() as u64 - skipped_bytes, Ordering::Relaxed);
            }
            Item::Event { time_us, kind, text } => {
                if let Some(budget) = self.options.max_size.map(page_budget) {
                    let bytes = (kind.len() + text.len()) as u64 * 2 + 64;
                    self.make_room(pages_for(bytes), budget)?;
                }
                self.conn.execute(
                    "INSERT INTO events (time_us, kind, text) VALUES (?1, ?2, ?3)",
                    (time_us, kind, text),
                )?;
            }
        }
        Ok(())
    }

    /// Inserts the messages `range` of `batch`.
    fn insert(&mut self, batch: &RecordBatch, range: std::ops::Range<usize>) -> rusqlite::Result<()> {
        let behind = self.behind();
        let Self {
            conn,
            topic_ids,
            yielding,
            ..
        } = self;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO messages (time_us, topic_id, payload, qos, retain, properties)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for m in batch.iter().skip(range.start).take(range.len()) {
            if let Some(y) = yielding.as_mut().filter(|_| !behind) {
                y.give_way();
            }
            let topic_id = topic_ids.get(conn, m.topic)?;
            let props = super::properties::encode(m.properties);
            stmt.execute((m.time_us, topic_id, m.payload, m.qos, m.retain, props))?;
        }
        Ok(())
    }

    /// Inserts `batch` under a size limit of `budget` pages: in runs of at most an eighth
    /// of the budget (or of one message, up to half of it), making room before each; a message that alone needs more than half
    /// the budget is counted, not written. Returns how many were not, and their payload
    /// bytes.
    fn insert_within(&mut self, batch: &RecordBatch, budget: u64) -> rusqlite::Result<(u64, u64)> {
        let run_limit = (budget / 8).max(1);
        let (mut skipped, mut skipped_bytes) = (0, 0);
        let mut start = 0;
        let mut bytes = 0;
        for (i, m) in batch.iter().enumerate() {
            let props = m
                .properties
                .map_or(0, |p| super::properties::encode(Some(p)).map_or(0, |e| e.len()));
            let own = message_bytes(m.payload.len(), props, m.topic.len());
            if pages_for(own) > budget / 2 {
                self.flush_run(batch, start..i, bytes, budget)?;
                self.counters.too_large.fetch_add(1, Ordering::Relaxed);
                skipped += 1;
                skipped_bytes += m.payload.len() as u64;
                (start, bytes) = (i + 1, 0);
                continue;
            }
            if start < i && pages_for(bytes + own) > run_limit {
                self.flush_run(batch, start..i, bytes, budget)?;
                (start, bytes) = (i, 0);
            }
            bytes += own;
        }
        self.flush_run(batch, start..batch.len(), bytes, budget)?;
        Ok((skipped, skipped_bytes))
    }

    fn flush_run(
        &mut self,
        batch: &RecordBatch,
        range: std::ops::Range<usize>,
        bytes: u64,
        budget: u64,
    ) -> rusqlite::Result<()> {
        if range.is_empty() {
            return Ok(());
        }
        self.make_room(pages_for(bytes), budget)?;
        self.insert(batch, range)?;
        // The estimate is generous; should a run still outgrow it, shrink the file back
        // at once rather than let the next commit's WAL pass the limit.
        if self.page_count()? > budget {
            self.make_room(0, budget)?;
            let excess = self.page_count()?.saturating_sub(budget);
            if excess > 0 {
                self.conn
                    .execute_batch(&format!("PRAGMA incremental_vacuum({excess})"))?;
            }
        }
        Ok(())
    }

    /// Gives way to the window's frames before a piece of work as long as `last` was,
    /// which cannot stop halfway: a commit writes every page it changed (tens of
    /// milliseconds at 50k msg/s), a checkpoint copies them into the file. Recording 50k
    /// msg/s the two took 80-110 ms a commit, 50 ms of it on a core, and ran through
    /// about one frame in six. So they start after a frame due within their length is
    /// painted, and the next frame is a grid tick away. Such a wait can last up to
    /// [`AHEAD_MAX`] and a frame's hold: only with the channel nearly empty (a sixteenth
    /// of it queued at most), so the window's messages keep finding room meanwhile.
    fn ahead(&mut self, last: Duration) {
        let roomy = self.queued <= self.options.channel_batches / 16;
        if let Some(y) = self.yielding.as_mut().filter(|_| roomy) {
            y.give_way_ahead((last + last / 4).min(AHEAD_MAX));
        }
    }

    /// More than a quarter of the channel is queued.
    fn behind(&self) -> bool {
        self.queued > self.options.channel_batches / 4
    }

    /// Gives way as [`Self::ahead`] says, then runs the checkpoint `mode` and times it.
    fn checkpoint(&mut self, mode: &str) -> rusqlite::Result<i64> {
        self.ahead(self.checkpoint_took);
        let started = Instant::now();
        let busy = self
            .conn
            .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| r.get(0));
        self.checkpoint_took = started.elapsed();
        busy
    }

    fn commit(&mut self) -> rusqlite::Result<()> {
        self.ahead(self.commit_took);
        let started = Instant::now();
        self.conn.execute_batch("COMMIT")?;
        self.commit_took = started.elapsed();
        if self.options.max_size.is_none() && self.wal_pages.load(Ordering::Relaxed) >= CHECKPOINT_PAGES {
            // PASSIVE, as SQLite's own, and like it not fatal: what a reader of the file
            // (another program) holds back, or what failed to be copied, stays in the WAL
            // for the next checkpoint (a full disk stops the next commit, which says so).
            let _ = self.checkpoint("PASSIVE");
            // The hook says again after the next commit that writes pages.
            self.wal_pages.store(0, Ordering::Relaxed);
        }
        if self.options.max_size.is_some() {
            // The checkpoint grows the file to its page count while the WAL is still full:
            // the most all three take together.
            let len = |suffix: &str| std::fs::metadata(side_file(&self.path, suffix)).map_or(0, |m| m.len());
            let file = len("").max(self.page_count()? * PAGE);
            let peak = file + len("-wal") + len("-shm");
            self.counters.peak_bytes.fetch_max(peak, Ordering::Relaxed);
            // Fold this transaction's WAL into the file and empty it, so the next one
            // starts from nothing. A reader of the file (another program) can hold the
            // checkpoint back: it then says busy, and the WAL grows until it lets go.
            // (Waiting for a frame first writes nothing: the peak above stands.)
            let _busy = self.checkpoint("TRUNCATE")?;
        }
        self.update_file_size();
        Ok(())
    }

    fn page_count(&self) -> rusqlite::Result<u64> {
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        Ok(pages.max(0) as u64)
    }

    fn used_pages(&self) -> rusqlite::Result<u64> {
        let free: i64 = self.conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        Ok(self.page_count()?.saturating_sub(free.max(0) as u64))
    }

    /// Deletes the oldest messages until `needed` more pages fit within `budget`, with a
    /// tenth of the budget to spare so that deletes come in runs, not one per batch.
    fn make_room(&mut self, needed: u64, budget: u64) -> rusqlite::Result<()> {
        if self.used_pages()? + needed <= budget {
            return Ok(());
        }
        let target = budget.saturating_sub(needed).saturating_sub(budget / 10);
        let mut deleted_any = false;
        for _ in 0..32 {
            let used = self.used_pages()?;
            if used <= target {
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
            let per_row = (used as f64 / rows as f64).max(f64::MIN_POSITIVE);
            // Ids are dense (only the oldest are ever deleted), so a range is a count.
            let n = (((used - target) as f64 / per_row).ceil() as u64).clamp(1, rows) as i64;
            let deleted = self.conn.execute("DELETE FROM messages WHERE id < ?1", [min_id + n])?;
            self.counters.deleted.fetch_add(deleted as u64, Ordering::Relaxed);
            self.conn.execute(
                "DELETE FROM events WHERE time_us < (SELECT min(time_us) FROM messages)",
                [],
            )?;
            deleted_any = true;
        }
        if deleted_any {
            // Topics whose messages all went: one probe of the (topic, time) index each.
            self.conn.execute(
                "DELETE FROM topics WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.topic_id = topics.id)",
                [],
            )?;
            self.topic_ids.clear();
        }
        Ok(())
    }

    fn update_file_size(&self) {
        let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let total = len(&self.path) + len(&side_file(&self.path, "-wal")) + len(&side_file(&self.path, "-shm"));
        self.counters.file_bytes.store(total, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics_table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE topics (id INTEGER PRIMARY KEY, topic TEXT NOT NULL UNIQUE);")
            .unwrap();
        conn
    }

    fn bounded(max: usize) -> TopicIds {
        TopicIds {
            max,
            ..TopicIds::default()
        }
    }

    /// The ids `ids` gives `names`, in order.
    fn ids_of(ids: &mut TopicIds, conn: &Connection, names: &[String]) -> Vec<i64> {
        names.iter().map(|t| ids.get(conn, t).unwrap()).collect()
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM topics", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn topic_ids_are_stable_and_a_round_within_the_bound_stays_in_memory() {
        let conn = topics_table();
        let mut ids = bounded(4);
        let names: Vec<String> = (0..4).map(|i| format!("fleet/温室-{i}/t")).collect();
        let first = ids_of(&mut ids, &conn, &names);
        assert_eq!(rows(&conn), 4);
        for _ in 0..5 {
            let again = ids_of(&mut ids, &conn, &names);
            assert_eq!(again, first, "a topic changed id");
        }
        assert_eq!(rows(&conn), 4, "a known topic was added twice");
        // Four topics sent in turn with a bound of four: all are answered from memory
        // (the table emptied behind the map's back is not consulted).
        conn.execute("DELETE FROM topics", []).unwrap();
        let cached = ids_of(&mut ids, &conn, &names);
        assert_eq!(cached, first);
        assert_eq!(rows(&conn), 0, "a topic held in memory was looked up in the table");
        // Forgotten after a clear: looked up (and here added) again.
        ids.clear();
        ids.get(&conn, &names[0]).unwrap();
        assert_eq!(rows(&conn), 1);
    }

    #[test]
    fn topic_ids_past_the_bound_come_from_the_table_and_memory_stays_bounded() {
        let conn = topics_table();
        let mut ids = bounded(2);
        let names: Vec<String> = (0..10).map(|i| format!("t/{i}")).collect();
        let first = ids_of(&mut ids, &conn, &names);
        let again = ids_of(&mut ids, &conn, &names);
        assert_eq!(again, first);
        assert_eq!(rows(&conn), 10);
        assert!(ids.newer.len() + ids.older.len() <= 4);
    }
}
