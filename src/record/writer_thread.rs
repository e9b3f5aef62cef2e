//! The thread behind [`super::RecordingWriter`]: inserts what it is sent, commits at most
//! every `commit_every`, and keeps the main file and its WAL under `max_size` (see
//! [`super::limit`]: it deletes the oldest messages, commits early and checkpoints).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use rusqlite::Connection;

use super::limit::{PAGE_BYTES, SizeBudget};
use super::schema;
use super::writer::{Counters, Item, WriterOptions, side_file};

/// Without a size limit: messages between looks at nothing but the clock.
const UNLIMITED_CHECK_EVERY: u64 = 1000;

/// Durability, cache and WAL: NORMAL is crash-safe in WAL mode (only a power cut may lose
/// the last commits). With a size limit the writer checkpoints itself (see
/// [`super::limit`]); without one SQLite does, every 1000 pages.
pub(super) fn configure(conn: &Connection, max_size: Option<u64>) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    match max_size.map(SizeBudget::new) {
        Some(budget) => {
            conn.pragma_update(None, "wal_autocheckpoint", 0)?;
            conn.pragma_update(None, "cache_size", budget.cache_pages as i64)?;
            conn.pragma_update(None, "journal_size_limit", budget.wal_bytes as i64)?;
        }
        None => {
            conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
            conn.pragma_update(None, "journal_size_limit", 1000 * PAGE_BYTES as i64)?;
        }
    }
    Ok(())
}

pub(super) struct Writer {
    conn: Connection,
    pub(super) path: PathBuf,
    wal_path: PathBuf,
    pub(super) counters: Arc<Counters>,
    options: WriterOptions,
    budget: Option<SizeBudget>,
    /// When the open transaction began.
    tx_started: Option<Instant>,
    /// Rows inserted or deleted since the limits were last checked.
    since_check: u64,
}

impl Writer {
    pub(super) fn new(conn: Connection, path: PathBuf, counters: Arc<Counters>, options: WriterOptions) -> Self {
        Self {
            conn,
            wal_path: side_file(&path, "-wal"),
            path,
            counters,
            budget: options.max_size.map(SizeBudget::new),
            options,
            tx_started: None,
            since_check: 0,
        }
    }

    pub(super) fn run(&mut self, rx: &Receiver<Item>) -> rusqlite::Result<()> {
        self.update_file_size();
        loop {
            let timeout = match self.tx_started {
                Some(t) => self.options.commit_every.saturating_sub(t.elapsed()),
                None => Duration::from_secs(3600),
            };
            let item = match rx.recv_timeout(timeout) {
                Ok(item) => Some(item),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            if let Some(item) = item {
                if self.tx_started.is_none() {
                    self.conn.execute_batch("BEGIN")?;
                    self.tx_started = Some(Instant::now());
                }
                self.write(item)?;
            }
            if self
                .tx_started
                .is_some_and(|t| t.elapsed() >= self.options.commit_every)
            {
                self.commit()?;
            }
        }
        if self.tx_started.is_some() {
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
                let mut bytes = 0;
                for m in &batch {
                    self.before_row(m.payload.len() as u64)?;
                    let props = super::properties::encode(m.properties.as_deref());
                    self.conn
                        .prepare_cached(
                            "INSERT INTO messages (time_us, topic, payload, qos, retain, properties)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        )?
                        .execute((
                            schema::time_us(m.time),
                            m.topic.as_str(),
                            &m.payload[..],
                            m.qos,
                            m.retain,
                            props,
                        ))?;
                    bytes += m.payload.len() as u64;
                }
                self.counters.messages.fetch_add(batch.len() as u64, Ordering::Relaxed);
                self.counters.payload_bytes.fetch_add(bytes, Ordering::Relaxed);
            }
            Item::Event { time_us, kind, text } => {
                self.before_row(text.len() as u64)?;
                self.conn.execute(
                    "INSERT INTO events (time_us, kind, text) VALUES (?1, ?2, ?3)",
                    (time_us, kind, text),
                )?;
            }
        }
        Ok(())
    }

    /// Before a row of `payload_bytes` goes in: every `check_every` rows (and before any
    /// row large enough to spill pages of its own) the limits are checked, so that the
    /// WAL's reserve in [`SizeBudget::reserve_bytes`] covers the rows until the next check.
    fn before_row(&mut self, payload_bytes: u64) -> rusqlite::Result<()> {
        let check_every = self.budget.map_or(UNLIMITED_CHECK_EVERY, |b| b.check_every);
        if self.since_check >= check_every || payload_bytes > PAGE_BYTES / 2 {
            self.since_check = 0;
            self.enforce_limit()?;
            self.make_wal_room(payload_bytes)?;
        }
        self.since_check += 1;
        Ok(())
    }

    /// Commits now (and checkpoints) when the WAL could otherwise pass its share before
    /// the next check; the transaction goes on in a new one.
    fn make_wal_room(&mut self, payload_bytes: u64) -> rusqlite::Result<()> {
        let Some(budget) = self.budget else { return Ok(()) };
        if budget.must_commit(file_len(&self.wal_path), 0, payload_bytes) {
            self.conn.execute_batch("COMMIT")?;
            self.after_commit(true)?;
            self.conn.execute_batch("BEGIN")?;
        }
        Ok(())
    }

    fn commit(&mut self) -> rusqlite::Result<()> {
        self.enforce_limit()?;
        self.conn.execute_batch("COMMIT")?;
        self.tx_started = None;
        self.after_commit(false)
    }

    /// Gives pages back if the file grew past its share, then checkpoints the WAL into the
    /// main file and truncates it when `force`d or past half its share.
    fn after_commit(&mut self, force_checkpoint: bool) -> rusqlite::Result<()> {
        self.give_back_pages()?;
        self.update_file_size();
        if let Some(budget) = self.budget
            && (force_checkpoint || budget.should_checkpoint(file_len(&self.wal_path)))
        {
            self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            self.update_file_size();
        }
        Ok(())
    }

    fn used_bytes(&self) -> rusqlite::Result<u64> {
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        let free: i64 = self.conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        Ok((pages - free).max(0) as u64 * PAGE_BYTES)
    }

    /// Deletes the oldest messages while the pages in use pass 85% of the main file's
    /// share, down to 70%, `check_every` rows at a time so that the deletes, too, stay
    /// within the WAL's reserve.
    fn enforce_limit(&mut self) -> rusqlite::Result<()> {
        let Some(budget) = self.budget else { return Ok(()) };
        let (high, low) = budget.keep_bytes();
        let mut used = self.used_bytes()?;
        if used <= high {
            return Ok(());
        }
        while used > low {
            let (min_id, max_id): (Option<i64>, Option<i64>) =
                self.conn.query_row("SELECT min(id), max(id) FROM messages", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let (Some(min_id), Some(max_id)) = (min_id, max_id) else {
                break;
            };
            let rows = (max_id - min_id + 1).max(1) as u64;
            let per_row = (used / rows).max(1);
            // Ids are dense (only the oldest are ever deleted), so a range is a count.
            let n = ((used - low) / per_row).clamp(1, budget.check_every).min(rows) as i64;
            self.make_wal_room(0)?;
            let deleted = self.conn.execute("DELETE FROM messages WHERE id < ?1", [min_id + n])?;
            self.counters.deleted.fetch_add(deleted as u64, Ordering::Relaxed);
            used = self.used_bytes()?;
        }
        self.make_wal_room(0)?;
        self.conn.execute(
            "DELETE FROM events WHERE time_us < (SELECT min(time_us) FROM messages)",
            [],
        )?;
        Ok(())
    }

    /// Gives free pages back to the system when the file has grown past its share.
    fn give_back_pages(&self) -> rusqlite::Result<()> {
        let Some(budget) = self.budget else { return Ok(()) };
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        if pages as u64 * PAGE_BYTES > budget.main_bytes {
            self.conn.execute_batch("PRAGMA incremental_vacuum")?;
        }
        Ok(())
    }

    fn update_file_size(&self) {
        let total = file_len(&self.path) + file_len(&self.wal_path);
        self.counters.file_bytes.store(total, Ordering::Relaxed);
        self.counters.peak_file_bytes.fetch_max(total, Ordering::Relaxed);
    }
}

/// The size of `path` on disk, 0 when it does not exist.
fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
