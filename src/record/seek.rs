//! Reading a recording at a moment, fast on large files: the topics it holds (its
//! `topics` table; in format 1 a loose scan of the `(topic, time_us)` index, one step per
//! topic rather than per message), the newest messages of one topic at or before a time
//! (one indexed query), and the messages after a position in time order (the `time_us`
//! index). Opening a recording at any moment therefore costs what the shown state holds,
//! not what the file holds.

use super::error::RecordError;
use super::reader::{Recorded, Recording};
use super::schema;
use crate::model::Message;

/// A place in a recording's time order: the time of a message and its id (ties in the
/// order received).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub time_us: i64,
    pub id: i64,
}

impl Cursor {
    /// Before every message at or after `time_us`.
    pub fn before(time_us: i64) -> Self {
        Self { time_us, id: i64::MIN }
    }

    /// After every message at or before `time_us`.
    pub fn after(time_us: i64) -> Self {
        Self { time_us, id: i64::MAX }
    }
}

/// One row of [`Recording::columns`].
fn recorded(row: &rusqlite::Row<'_>) -> rusqlite::Result<Recorded> {
    let time_us: i64 = row.get(1)?;
    let payload: Vec<u8> = row.get(3)?;
    let props: Option<Vec<u8>> = row.get(6)?;
    Ok(Recorded {
        id: row.get(0)?,
        time_us,
        message: Message {
            topic: row.get(2)?,
            payload: payload.into(),
            qos: row.get::<_, i64>(4)?.clamp(0, 2) as u8,
            retain: row.get(5)?,
            time: schema::system_time(time_us),
            properties: super::properties::decode(props.as_deref()),
        },
    })
}

impl Recording {
    /// Every topic the file holds, in byte order. `each_found` is told how many so far
    /// (every 4,096), so a caller can show progress on a file with a million topics.
    pub fn topics(&self, mut each_found: impl FnMut(usize)) -> Result<Vec<String>, RecordError> {
        if self.topic_ids {
            return self.topic_table(each_found);
        }
        let mut run = || -> rusqlite::Result<Vec<String>> {
            // SQLite has no skip scan for DISTINCT: ask the index for the next topic
            // after the last one instead (one B-tree descent per topic).
            let mut next = self
                .conn
                .prepare("SELECT topic FROM messages WHERE topic > ?1 ORDER BY topic LIMIT 1")?;
            let mut first = self.conn.prepare("SELECT min(topic) FROM messages")?;
            let mut out = Vec::new();
            let mut current: Option<String> = first.query_row([], |r| r.get(0))?;
            while let Some(t) = current {
                current = next.query_row([&t], |r| r.get(0)).map(Some).or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
                out.push(t);
                if out.len().is_multiple_of(4096) {
                    each_found(out.len());
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.fail(&e))
    }

    /// [`Self::topics`] in format 2: the topics that still have messages (the size limit
    /// may have deleted all of a topic's), in byte order.
    fn topic_table(&self, mut each_found: impl FnMut(usize)) -> Result<Vec<String>, RecordError> {
        let mut run = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare(
                "SELECT t.topic FROM topics t
                 WHERE EXISTS (SELECT 1 FROM messages m WHERE m.topic_id = t.id) ORDER BY t.topic",
            )?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(row.get(0)?);
                if out.len().is_multiple_of(4096) {
                    each_found(out.len());
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.fail(&e))
    }

    /// The newest `n` messages of `topic` at or before `at_us`, oldest first.
    pub fn last_of_topic(&self, topic: &str, at_us: i64, n: usize) -> Result<Vec<Recorded>, RecordError> {
        let run = || -> rusqlite::Result<Vec<Recorded>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {} FROM messages WHERE {} AND time_us <= ?2
                 ORDER BY time_us DESC, id DESC LIMIT ?3",
                self.columns(),
                self.topic_is_first_parameter()
            ))?;
            let rows = stmt.query_map((topic, at_us, n as i64), recorded)?;
            let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            out.reverse();
            Ok(out)
        };
        run().map_err(|e| self.fail(&e))
    }

    /// Up to `max` messages after `after` and at or before `to_us`, in time order.
    pub fn after(&self, after: Cursor, to_us: i64, max: usize) -> Result<Vec<Recorded>, RecordError> {
        let run = || -> rusqlite::Result<Vec<Recorded>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {} FROM messages WHERE (time_us, id) > (?1, ?2) AND time_us <= ?3
                 ORDER BY time_us, id LIMIT ?4",
                self.columns()
            ))?;
            let rows = stmt.query_map((after.time_us, after.id, to_us, max as i64), recorded)?;
            rows.collect()
        };
        run().map_err(|e| self.fail(&e))
    }

    /// The last message at or before `at_us`: where playing on from `at_us` starts.
    pub fn cursor_at(&self, at_us: i64) -> Result<Cursor, RecordError> {
        let run = || -> rusqlite::Result<Option<Cursor>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT time_us, id FROM messages WHERE time_us <= ?1 ORDER BY time_us DESC, id DESC LIMIT 1",
            )?;
            let mut rows = stmt.query([at_us])?;
            match rows.next()? {
                Some(r) => Ok(Some(Cursor {
                    time_us: r.get(0)?,
                    id: r.get(1)?,
                })),
                None => Ok(None),
            }
        };
        run()
            .map(|c| c.unwrap_or(Cursor::after(at_us)))
            .map_err(|e| self.fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{RecordingMeta, RecordingWriter, WriterOptions};

    /// A recording of `(topic, payload, seconds after t0)`.
    fn write(path: &std::path::Path, messages: &[(&str, &str, i64)]) -> i64 {
        let t0 = 1_700_000_000_000_000;
        let meta = RecordingMeta::new("mqtt://127.0.0.1:1883", &["#".into()]);
        let w = RecordingWriter::create(path, &meta, WriterOptions::default()).unwrap();
        let batch = messages
            .iter()
            .map(|(t, p, s)| {
                let mut m = Message::new(*t, p.as_bytes().to_vec(), 0, false);
                m.time = schema::system_time(t0 + s * 1_000_000);
                m
            })
            .collect();
        w.send(batch).unwrap();
        w.finish().unwrap();
        t0
    }

    #[test]
    fn a_moment_reads_each_topics_newest_and_later_topics_are_absent() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.tsrec");
        let t0 = write(
            &file,
            &[
                ("a", "1", 0),
                ("b", "x", 1),
                ("a", "2", 2),
                ("a", "3", 4),
                ("c", "late", 5),
            ],
        );
        let rec = Recording::open(&file).unwrap();
        assert_eq!(rec.topics(|_| {}).unwrap(), ["a", "b", "c"]);
        let at = t0 + 3 * 1_000_000;
        let a: Vec<_> = rec.last_of_topic("a", at, 1).unwrap();
        assert_eq!(&a[0].message.payload[..], b"2");
        let a2: Vec<_> = rec.last_of_topic("a", at, 5).unwrap();
        assert_eq!(
            a2.iter().map(|r| &r.message.payload[..]).collect::<Vec<_>>(),
            [b"1", b"2"]
        );
        assert!(rec.last_of_topic("c", at, 5).unwrap().is_empty(), "c comes later");
        let cursor = rec.cursor_at(at).unwrap();
        assert_eq!(cursor.time_us, t0 + 2_000_000);
        let next = rec.after(cursor, i64::MAX, 1).unwrap();
        assert_eq!(&next[0].message.payload[..], b"3");
        let rest = rec.after(cursor, t0 + 5_000_000, 10).unwrap();
        assert_eq!(rest.len(), 2);
        assert!(
            rec.after(Cursor::after(t0 + 5_000_000), i64::MAX, 10)
                .unwrap()
                .is_empty()
        );
    }
}
