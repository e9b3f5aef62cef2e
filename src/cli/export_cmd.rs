//! `topicscope export`: a recording (or part of it) as JSON Lines — the same shape as
//! `sub --format json` — or as CSV of its numeric series, one column per series (a
//! topic with a number payload, or a topic and a JSON path), one row per moment.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Format;
use crate::model::{TextEncoding, numbers};
use crate::profiles::validate_filter;
use crate::record::{Recording, RecordingQuery};

/// Output format of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per message, as `sub --format json` prints them.
    Jsonl,
    /// Numeric series: a `time` column, then one column per topic (or topic + JSON path).
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The recording to export.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only topics matching this filter, e.g. greenhouse/# (repeatable).
    #[arg(long = "topic", short = 't', value_name = "FILTER")]
    pub topics: Vec<String>,
    /// From this time: 2026-11-30T02:00:00Z, or an offset from the start such as 10m.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Up to this time (same forms as --from).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    #[arg(long, short = 'F', value_enum)]
    pub format: ExportFormat,
    /// Write here instead of stdout.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// A time given on the command line: RFC 3339, or a duration after `start_us`.
fn parse_time(text: &str, start_us: i64) -> Result<i64, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.timestamp_micros());
    }
    match super::duration_arg::parse_interval(text) {
        Ok(d) => Ok(start_us.saturating_add(d.as_micros().min(i64::MAX as u128) as i64)),
        Err(_) => Err(crate::tr!("rec-bad-time", text = text)),
    }
}

pub fn run(args: &ExportArgs) -> Result<(), String> {
    let recording = Recording::open(&args.file).map_err(|e| e.to_string())?;
    for f in &args.topics {
        validate_filter(f).map_err(|e| {
            crate::tr!(
                "worker-cli-bad-filter",
                filter = f.as_str(),
                error = crate::i18n::shown(e)
            )
        })?;
    }
    let start = recording
        .time_span()
        .map_err(|e| e.to_string())?
        .map_or(recording.meta.started_us, |(first, _)| first);
    let query = RecordingQuery {
        filters: args.topics.clone(),
        from_us: args.from.as_deref().map(|t| parse_time(t, start)).transpose()?,
        to_us: args.to.as_deref().map(|t| parse_time(t, start)).transpose()?,
    };
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| {
            crate::tr!(
                "rec-error-io",
                path = crate::i18n::shown(path.display()),
                why = crate::i18n::shown(e)
            )
        })?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, sink);
    let written = match args.format {
        ExportFormat::Jsonl => jsonl(&recording, &query, &mut out),
        ExportFormat::Csv => csv(&recording, &query, &mut out),
    };
    let flushed = written.and_then(|()| out.flush().map_err(|e| e.to_string()));
    match flushed {
        Err(e) if e.is_empty() => Ok(()),
        other => other,
    }
}

/// A write error in words; a closed pipe (`| head`) is an empty error: stop quietly.
fn write_failed(e: &std::io::Error) -> String {
    if super::terminal::is_closed_pipe(e) {
        String::new()
    } else {
        crate::tr!("worker-cli-stdout-failed", error = crate::i18n::shown(e))
    }
}

fn jsonl(recording: &Recording, query: &RecordingQuery, out: &mut impl Write) -> Result<(), String> {
    let mut failure = None;
    recording
        .for_each(query, |r| {
            match super::sub_cmd::write_message(out, Format::Json, &r.message, TextEncoding::Utf8, None) {
                Ok(()) => true,
                Err(e) => {
                    failure = Some(write_failed(&e));
                    false
                }
            }
        })
        .map_err(|e| e.to_string())?;
    failure.map_or(Ok(()), Err)
}

/// The numeric series of one payload: `("", value)` for a number payload, `(path,
/// value)` for each number inside a JSON payload.
fn series_of(payload: &[u8]) -> Vec<(String, f64)> {
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

/// Two passes over the file: the columns first (in order of first appearance), then one
/// row per receive time, each series' value in its column and the others empty.
fn csv(recording: &Recording, query: &RecordingQuery, out: &mut impl Write) -> Result<(), String> {
    let mut columns: HashMap<(String, String), usize> = HashMap::new();
    let mut names = Vec::new();
    recording
        .for_each(query, |r| {
            for (path, _) in series_of(&r.message.payload) {
                let key = (r.message.topic.clone(), path);
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
        })
        .map_err(|e| e.to_string())?;
    let header: Vec<String> = std::iter::once("time".to_owned())
        .chain(names.iter().map(|n| csv_field(n)))
        .collect();
    writeln!(out, "{}", header.join(",")).map_err(|e| write_failed(&e))?;
    let mut row: Vec<Option<f64>> = vec![None; names.len()];
    let mut row_time: Option<i64> = None;
    let mut failure = None;
    let flush = |out: &mut dyn Write, time: i64, row: &mut Vec<Option<f64>>| -> std::io::Result<()> {
        let t: chrono::DateTime<chrono::Utc> = crate::record::schema::system_time(time).into();
        write!(out, "{}", t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))?;
        for v in row.iter_mut() {
            match v.take() {
                Some(v) => write!(out, ",{v}")?,
                None => write!(out, ",")?,
            }
        }
        writeln!(out)
    };
    recording
        .for_each(query, |r| {
            let values = series_of(&r.message.payload);
            if values.is_empty() {
                return true;
            }
            if row_time.is_some_and(|t| t != r.time_us)
                && let Some(t) = row_time
                && let Err(e) = flush(out, t, &mut row)
            {
                failure = Some(write_failed(&e));
                return false;
            }
            row_time = Some(r.time_us);
            for (path, v) in values {
                if let Some(&col) = columns.get(&(r.message.topic.clone(), path)) {
                    row[col] = Some(v);
                }
            }
            true
        })
        .map_err(|e| e.to_string())?;
    if let Some(f) = failure {
        return Err(f);
    }
    if let Some(t) = row_time {
        flush(out, t, &mut row).map_err(|e| write_failed(&e))?;
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

    #[test]
    fn times_are_absolute_or_after_the_start() {
        assert_eq!(parse_time("1970-01-01T00:00:01Z", 0), Ok(1_000_000));
        assert_eq!(parse_time("10s", 5), Ok(10_000_005));
        assert!(parse_time("yesterday", 0).is_err());
    }
}
