//! The recording file: its tables, its format version and what marks it as ours.
//!
//! - `meta(key, value)`: `format_version`, `app_version`, `broker_url` (never with a
//!   password), `filters` (a JSON array), `started_us` (µs since the Unix epoch).
//! - `topics(id, topic)`: each topic once (format 2).
//! - `messages(id, time_us, topic_id, payload, qos, retain, properties)`: `time_us` is the
//!   receive time in µs since the Unix epoch; `topic_id` is the topic's row in `topics`;
//!   `properties` is NULL or the MQTT 5 properties as a small JSON blob (see
//!   [`super::properties`]). Indexes on `time_us` and on `(topic_id, time_us)`.
//! - Format 1 (read, no longer written) kept the topic's text in each message row and in
//!   the `(topic, time_us)` index: 45 % more bytes per message on disk and about half
//!   again the writer's time (BENCHMARKS.md).
//! - `events(id, time_us, kind, text)`: connected, lost, reconnected, stopped.
//!
//! `PRAGMA application_id` tells our files from other programs' SQLite databases; the
//! journal is a WAL and `auto_vacuum` is incremental so the size limit can give pages
//! back (see [`super::writer`]).

use rusqlite::Connection;

/// The format this build writes and the newest it reads.
pub const FORMAT_VERSION: i64 = 2;
/// The first format that keeps topics in their own table.
pub const TOPIC_IDS_SINCE: i64 = 2;
/// `PRAGMA application_id` of a recording: "TSrc".
pub const APPLICATION_ID: i32 = 0x5453_7263;

/// Everything except the pragmas that must come before the first table.
const TABLES: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE topics (id INTEGER PRIMARY KEY, topic TEXT NOT NULL UNIQUE);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    time_us INTEGER NOT NULL,
    topic_id INTEGER NOT NULL,
    payload BLOB NOT NULL,
    qos INTEGER NOT NULL,
    retain INTEGER NOT NULL,
    properties BLOB
);
CREATE INDEX messages_time ON messages(time_us);
CREATE INDEX messages_topic ON messages(topic_id, time_us);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    time_us INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
";

/// What a recording says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingMeta {
    pub format_version: i64,
    pub app_version: String,
    /// Without the password (as [`crate::profiles::BrokerUrl`] displays it).
    pub broker_url: String,
    pub filters: Vec<String>,
    /// µs since the Unix epoch.
    pub started_us: i64,
}

impl RecordingMeta {
    /// The metadata of a recording of `broker_url` starting now.
    pub fn new(broker_url: &str, filters: &[String]) -> Self {
        let shown = crate::profiles::BrokerUrl::parse(broker_url)
            .map_or_else(|_| strip_password(broker_url), |u| u.to_string());
        Self {
            format_version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            broker_url: shown,
            filters: filters.to_vec(),
            started_us: now_us(),
        }
    }
}

/// `scheme://user:pass@host` without `:pass`, for URLs our parser refuses.
fn strip_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Now in µs since the Unix epoch.
pub fn now_us() -> i64 {
    time_us(std::time::SystemTime::now())
}

/// `t` in µs since the Unix epoch (negative before it).
pub fn time_us(t: std::time::SystemTime) -> i64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_micros().min(i64::MAX as u128) as i64,
        Err(e) => -(e.duration().as_micros().min(i64::MAX as u128) as i64),
    }
}

/// The time `us` µs after the Unix epoch.
pub fn system_time(us: i64) -> std::time::SystemTime {
    let d = std::time::Duration::from_micros(us.unsigned_abs());
    if us >= 0 {
        std::time::UNIX_EPOCH + d
    } else {
        std::time::UNIX_EPOCH - d
    }
}

/// Creates the tables of a new, empty recording and writes its metadata.
pub fn create(conn: &Connection, meta: &RecordingMeta) -> rusqlite::Result<()> {
    // Before any table: page size and auto_vacuum cannot change afterwards (without VACUUM).
    conn.execute_batch(&format!(
        "PRAGMA page_size = 4096; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA application_id = {APPLICATION_ID};"
    ))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch("BEGIN")?;
    conn.execute_batch(TABLES)?;
    let filters = serde_json::to_string(&meta.filters).unwrap_or_else(|_| "[]".into());
    let rows = [
        ("format_version", meta.format_version.to_string()),
        ("app_version", meta.app_version.clone()),
        ("broker_url", meta.broker_url.clone()),
        ("filters", filters),
        ("started_us", meta.started_us.to_string()),
    ];
    for (key, value) in rows {
        conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", (key, value))?;
    }
    conn.execute_batch("COMMIT")
}

/// Why a file is not a recording, or `None` when it is one; reads `meta` when it is.
pub enum Check {
    Ours(RecordingMeta),
    Foreign(String),
    Newer(i64),
}

/// Looks at an open file: its application id, its tables and its format version.
pub fn check(conn: &Connection) -> rusqlite::Result<Check> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Ok(Check::Foreign(crate::tr!("rec-why-other-database")));
    }
    if !has_tables(conn, &["meta", "messages", "events"])? {
        return Ok(Check::Foreign(crate::tr!("rec-why-no-tables")));
    }
    let mut stmt = conn.prepare("SELECT key, value FROM meta")?;
    let mut meta = RecordingMeta {
        format_version: 0,
        app_version: String::new(),
        broker_url: String::new(),
        filters: Vec::new(),
        started_us: 0,
    };
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            "format_version" => meta.format_version = value.parse().unwrap_or(0),
            "app_version" => meta.app_version = value,
            "broker_url" => meta.broker_url = value,
            "filters" => meta.filters = serde_json::from_str(&value).unwrap_or_default(),
            "started_us" => meta.started_us = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    if meta.format_version > FORMAT_VERSION {
        return Ok(Check::Newer(meta.format_version));
    }
    if meta.format_version < 1 {
        return Ok(Check::Foreign(crate::tr!("rec-why-no-version")));
    }
    if meta.format_version >= TOPIC_IDS_SINCE && !has_tables(conn, &["topics"])? {
        return Ok(Check::Foreign(crate::tr!("rec-why-no-tables")));
    }
    Ok(Check::Ours(meta))
}

/// Whether the file has every table of `names`.
fn has_tables(conn: &Connection, names: &[&str]) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?;
    for name in names {
        if !stmt.exists([name])? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_file() {
        let meta = RecordingMeta::new("mqtt://bob:secret@example.com:1883", &["#".into()]);
        assert!(!meta.broker_url.contains("secret"), "{}", meta.broker_url);
        assert_eq!(strip_password("weird://bob:secret@h"), "weird://bob@h");
    }

    #[test]
    fn times_round_trip_in_microseconds() {
        let t = system_time(1_700_000_000_123_456);
        assert_eq!(time_us(t), 1_700_000_000_123_456);
        assert_eq!(time_us(system_time(-5)), -5);
    }
}
