//! Reading a recording: opened read-only, checked to be ours and of a format this build
//! knows, then streamed in time order (never loaded whole: a recording can be larger
//! than memory).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::error::RecordError;
use super::schema::{self, Check, RecordingMeta};
use crate::model::Message;
use crate::model::encoding_rules::filter_matches as topic_matches;

/// One message of a recording.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub id: i64,
    /// Receive time, µs since the Unix epoch.
    pub time_us: i64,
    pub message: Message,
}

/// One connection event of a recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedEvent {
    pub time_us: i64,
    pub kind: String,
    pub text: String,
}

/// Which messages to read.
#[derive(Clone, Debug, Default)]
pub struct RecordingQuery {
    /// MQTT topic filters (`+`, `#`); empty means all.
    pub filters: Vec<String>,
    /// From this time (µs since the epoch), inclusive.
    pub from_us: Option<i64>,
    /// Up to this time (µs since the epoch), exclusive.
    pub to_us: Option<i64>,
}

impl RecordingQuery {
    fn wants(&self, topic: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| topic_matches(f, topic))
    }
}

/// An open recording.
#[derive(Debug)]
pub struct Recording {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    pub meta: RecordingMeta,
    /// Format 2 and later: topics in their own table, messages name them by id.
    pub(super) topic_ids: bool,
}

/// A message row's columns in format 1: id, time, topic, payload, QoS, retain, properties.
const COLUMNS_V1: &str = "id, time_us, topic, payload, qos, retain, properties";
/// The same columns in format 2, the topic looked up by its id.
const COLUMNS_V2: &str =
    "id, time_us, (SELECT t.topic FROM topics t WHERE t.id = messages.topic_id), payload, qos, retain, properties";

impl Recording {
    /// Opens `path` read-only; a file that is not a recording, is damaged or is of a
    /// newer format gives an error saying so.
    pub fn open(path: &Path) -> Result<Self, RecordError> {
        if let Err(e) = std::fs::metadata(path) {
            return Err(RecordError::Io {
                path: path.to_owned(),
                why: e.to_string(),
            });
        }
        if !super::error::has_sqlite_header(path) {
            return Err(RecordError::Foreign {
                path: path.to_owned(),
                why: crate::tr!("rec-why-not-sqlite"),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| RecordError::from_sqlite(path, &e))?;
        let fail = |e: rusqlite::Error| RecordError::from_sqlite(path, &e);
        match schema::check(&conn).map_err(fail)? {
            Check::Ours(meta) => Ok(Self {
                conn,
                path: path.to_owned(),
                topic_ids: meta.format_version >= schema::TOPIC_IDS_SINCE,
                meta,
            }),
            Check::Foreign(why) => Err(RecordError::Foreign {
                path: path.to_owned(),
                why,
            }),
            Check::Newer(found) => Err(RecordError::Newer {
                path: path.to_owned(),
                found,
                known: schema::FORMAT_VERSION,
            }),
        }
    }

    /// The columns of a message row, for this file's format: id, time (µs), topic,
    /// payload, QoS, retain, properties.
    pub(super) fn columns(&self) -> &'static str {
        if self.topic_ids { COLUMNS_V2 } else { COLUMNS_V1 }
    }

    /// A condition on messages: of the topic given as `?1` (by the `(topic, time)` index).
    pub(super) fn topic_is_first_parameter(&self) -> &'static str {
        if self.topic_ids {
            "topic_id = (SELECT t.id FROM topics t WHERE t.topic = ?1)"
        } else {
            "topic = ?1"
        }
    }

    pub(super) fn fail(&self, e: &rusqlite::Error) -> RecordError {
        RecordError::from_sqlite(&self.path, e)
    }

    /// Checks every page of the file (slow on large files: reads all of it).
    pub fn verify(&self) -> Result<(), RecordError> {
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| self.fail(&e))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(RecordError::Damaged {
                path: self.path.clone(),
                why: result,
            })
        }
    }

    /// How many messages the file holds.
    pub fn message_count(&self) -> Result<u64, RecordError> {
        self.conn
            .query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.fail(&e))
    }

    /// The times of the first and last message, µs since the epoch.
    pub fn time_span(&self) -> Result<Option<(i64, i64)>, RecordError> {
        self.conn
            // Two subqueries: SQLite reads one end of the index for a lone min() or max(),
            // but scans the whole index for both in one query (~0.5 s on a 1 GB file).
            .query_row(
                "SELECT (SELECT min(time_us) FROM messages), (SELECT max(time_us) FROM messages)",
                [],
                |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
            )
            .map_err(|e| self.fail(&e))
    }

    /// The connection events, oldest first.
    pub fn events(&self) -> Result<Vec<RecordedEvent>, RecordError> {
        let run = || -> rusqlite::Result<Vec<RecordedEvent>> {
            let mut stmt = self
                .conn
                .prepare("SELECT time_us, kind, text FROM events ORDER BY time_us, id")?;
            let rows = stmt.query_map([], |r| {
                Ok(RecordedEvent {
                    time_us: r.get(0)?,
                    kind: r.get(1)?,
                    text: r.get(2)?,
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| self.fail(&e))
    }

    /// Calls `each` with every message the query selects, oldest first (ties in the
    /// order received); `each` returns `false` to stop early.
    pub fn for_each(&self, query: &RecordingQuery, mut each: impl FnMut(Recorded) -> bool) -> Result<(), RecordError> {
        let run = |each: &mut dyn FnMut(Recorded) -> bool| -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {} FROM messages WHERE time_us >= ?1 AND time_us < ?2 ORDER BY time_us, id",
                self.columns()
            ))?;
            let mut rows = stmt.query((query.from_us.unwrap_or(i64::MIN), query.to_us.unwrap_or(i64::MAX)))?;
            while let Some(row) = rows.next()? {
                let topic: String = row.get(2)?;
                if !query.wants(&topic) {
                    continue;
                }
                let time_us: i64 = row.get(1)?;
                let payload: Vec<u8> = row.get(3)?;
                let props: Option<Vec<u8>> = row.get(6)?;
                let message = Message {
                    topic,
                    payload: payload.into(),
                    qos: row.get::<_, i64>(4)?.clamp(0, 2) as u8,
                    retain: row.get(5)?,
                    time: schema::system_time(time_us),
                    properties: super::properties::decode(props.as_deref()),
                };
                if !each(Recorded {
                    id: row.get(0)?,
                    time_us,
                    message,
                }) {
                    break;
                }
            }
            Ok(())
        };
        run(&mut each).map_err(|e| self.fail(&e))
    }
}
