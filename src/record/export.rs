//! Exporting messages, from a recording (`topicscope export`) or from the window's
//! history (the tree's "Export messages…"): JSON Lines in the shape of
//! `sub --format json`, or CSV of the numeric series, one column per series (a topic
//! with a number payload, or a topic and a JSON path) and one row per moment.

use std::collections::HashMap;
use std::io::Write;

use super::reader::{Recording, RecordingQuery};
use super::schema;
use crate::model::message_json::message_json;
use crate::model::{Message, TextEncoding, numbers};

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per message.
    Jsonl,
    /// Numeric series: a `time` column, then one column per series.
    Csv,
}

impl ExportFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Csv => "csv",
        }
    }
}

/// Why an export stopped.
#[derive(Debug)]
pub enum ExportError {
    /// The messages could not be read (a recording's error, in words).
    Source(String),
    /// The output could not be written.
    Write(std::io::Error),
}

/// Messages in time order, read once per pass (CSV reads twice).
pub trait MessageSource {
    /// Calls `each` with every message and its receive time (µs since the epoch),
    /// oldest first, until it returns `false`.
    fn each(&self, each: &mut dyn FnMut(i64, &Message) -> bool) -> Result<(), ExportError>;
}

/// The messages of a recording that a query selects.
pub struct RecordingSource<'a> {
    pub recording: &'a Recording,
    pub query: &'a RecordingQuery,
}

impl MessageSource for RecordingSource<'_> {
    fn each(&self, each: &mut dyn FnMut(i64, &Message) -> bool) -> Result<(), ExportError> {
        self.recording
            .for_each(self.query, |r| each(r.time_us, &r.message))
            .map_err(|e| ExportError::Source(e.to_string()))
    }
}

/// Messages in memory, already in time order.
pub struct InMemory<'a>(pub &'a [Message]);

impl MessageSource for InMemory<'_> {
    fn each(&self, each: &mut dyn FnMut(i64, &Message) -> bool) -> Result<(), ExportError> {
        for m in self.0 {
            if !each(schema::time_us(m.time), m) {
                break;
            }
        }
        Ok(())
    }
}

/// Writes `source` in `format`.
pub fn write(source: &dyn MessageSource, format: ExportFormat, out: &mut dyn Write) -> Result<(), ExportError> {
    match format {
        ExportFormat::Jsonl => jsonl(source, out),
        ExportFormat::Csv => csv(source, out),
    }
}

fn jsonl(source: &dyn MessageSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut failure = None;
    source.each(
        &mut |_, m| match writeln!(out, "{}", message_json(m, TextEncoding::Utf8, None)) {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        },
    )?;
    failure.map_or(Ok(()), |e| Err(ExportError::Write(e)))
}

/// The numeric series of one payload: `("", value)` for a number payload, `(path,
/// value)` for each number inside a JSON payload.
pub fn series_of(payload: &[u8]) -> Vec<(String, f64)> {
    let Ok(text) = std::str::from_utf8(payload) else {
        return Vec::new();
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with(['{', '['])
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
    {
        return numbers::numeric_paths(&value)
            .into_iter()
            .map(|(path, v)| (path.to_string(), v))
            .collect();
    }
    numbers::extract_number(text)
        .map(|v| vec![(String::new(), v)])
        .unwrap_or_default()
}

/// A CSV field, quoted when it must be (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Two passes: the columns first (in order of first appearance), then one row per
/// receive time, each series' value in its column and the others empty.
fn csv(source: &dyn MessageSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut columns: HashMap<(String, String), usize> = HashMap::new();
    let mut names = Vec::new();
    source.each(&mut |_, m| {
        for (path, _) in series_of(&m.payload) {
            let key = (m.topic.clone(), path);
            if let std::collections::hash_map::Entry::Vacant(slot) = columns.entry(key) {
                let (topic, path) = slot.key();
                names.push(if path.is_empty() {
                    topic.clone()
                } else {
                    format!("{topic} {path}")
                });
                slot.insert(names.len() - 1);
            }
        }
        true
    })?;
    let header: Vec<String> = std::iter::once("time".to_owned())
        .chain(names.iter().map(|n| csv_field(n)))
        .collect();
    writeln!(out, "{}", header.join(",")).map_err(ExportError::Write)?;
    let mut row: Vec<Option<f64>> = vec![None; names.len()];
    let mut row_time: Option<i64> = None;
    let mut failure = None;
    let flush = |out: &mut dyn Write, time: i64, row: &mut Vec<Option<f64>>| -> std::io::Result<()> {
        let t: chrono::DateTime<chrono::Utc> = schema::system_time(time).into();
        write!(out, "{}", t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))?;
        for v in row.iter_mut() {
            match v.take() {
                Some(v) => write!(out, ",{v}")?,
                None => write!(out, ",")?,
            }
        }
        writeln!(out)
    };
    source.each(&mut |time_us, m| {
        let values = series_of(&m.payload);
        if values.is_empty() {
            return true;
        }
        if let Some(t) = row_time.filter(|&t| t != time_us)
            && let Err(e) = flush(out, t, &mut row)
        {
            failure = Some(e);
            return false;
        }
        row_time = Some(time_us);
        for (path, v) in values {
            if let Some(&col) = columns.get(&(m.topic.clone(), path)) {
                row[col] = Some(v);
            }
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(ExportError::Write(e));
    }
    if let Some(t) = row_time {
        flush(out, t, &mut row).map_err(ExportError::Write)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_come_from_numbers_and_json_paths() {
        assert_eq!(series_of(b"21.5 \xc2\xb0C"), vec![(String::new(), 21.5)]);
        let json = series_of(br#"{"t": 21.5, "ok": true, "name": "a"}"#);
        assert!(json.iter().any(|(p, v)| p.contains('t') && *v == 21.5), "{json:?}");
        assert!(series_of(b"hello").is_empty());
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }

    fn at(topic: &str, payload: &[u8], secs: u64) -> Message {
        let mut m = Message::new(topic, payload.to_vec(), 0, false);
        m.time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        m
    }

    #[test]
    fn messages_in_memory_export_as_json_lines_and_as_aligned_csv() {
        let msgs = vec![
            at("gh/t", b"21.5", 1),
            at("gh/raw", &[0, 255], 1),
            at("gh/h", br#"{"rh": 60}"#, 2),
            at("gh/t", b"22", 3),
        ];
        let mut out = Vec::new();
        write(&InMemory(&msgs), ExportFormat::Jsonl, &mut out).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["payload"], "21.5");
        assert_eq!(lines[1]["payload_base64"], "AP8=");
        assert_eq!(lines[3]["time"], "1970-01-01T00:00:03.000Z");
        let mut out = Vec::new();
        write(&InMemory(&msgs), ExportFormat::Csv, &mut out).unwrap();
        let csv = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "time,gh/t,gh/h rh");
        assert_eq!(rows[1], "1970-01-01T00:00:01.000000Z,21.5,");
        assert_eq!(rows[2], "1970-01-01T00:00:02.000000Z,,60");
        assert_eq!(rows[3], "1970-01-01T00:00:03.000000Z,22,");
    }
}
