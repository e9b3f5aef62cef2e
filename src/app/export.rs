//! Exporting from the window: the messages the active connection's history keeps for a
//! topic and every topic below it, in time order, written by the same code as
//! `topicscope export` ([`crate::record::export`]).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::state::AppState;
use crate::model::{Message, Model};
use crate::record::export::{self, ExportError, ExportFormat};

/// The messages kept for `topic` and the topics below it, oldest first (messages of
/// the same moment keep their topic order).
pub fn history_messages(model: &Model, topic: &str) -> Vec<Message> {
    let tree = model.tree();
    let Some(id) = tree.find(topic) else { return Vec::new() };
    let mut out = Vec::new();
    for node in tree.iter_subtree(id) {
        let name = tree.full_topic(node);
        // The history lists newest first.
        out.extend(model.history().messages(node).rev().map(|s| Message {
            topic: name.clone(),
            payload: s.payload.to_bytes(),
            qos: s.qos,
            retain: s.retain,
            time: s.time(),
            properties: s.properties().cloned().map(Box::new),
        }));
    }
    out.sort_by_key(|m| m.time);
    out
}

/// The messages of an opened recording's file for `topic` and below within `range`.
fn recorded_messages(path: &Path, topic: &str, range: TimeRange) -> Result<Vec<Message>, String> {
    let rec = crate::record::Recording::open(path).map_err(|e| e.to_string())?;
    let query = crate::record::RecordingQuery {
        filters: vec![topic.to_owned(), format!("{topic}/#")],
        from_us: range.0,
        // The query's end is exclusive; the dialog's is included.
        to_us: range.1.map(|t| t.saturating_add(1)),
    };
    let mut out = Vec::new();
    rec.for_each(&query, |r| {
        out.push(r.message);
        true
    })
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// `~/topicscope-recordings/<topic>-<date>-<time>.<ext>`: where an export goes unless
/// the user picks another file.
pub fn default_export_path(topic: &str, format: ExportFormat, now: SystemTime) -> PathBuf {
    let base = super::recording::default_path(topic, now);
    base.with_extension(format.extension())
}

/// Writes `messages` to a new file at `path` (its folder made if missing).
fn write_file(messages: &[Message], format: ExportFormat, path: &Path) -> Result<(), String> {
    use std::io::Write as _;
    let fail = |p: &Path, e: std::io::Error| {
        crate::tr!(
            "rec-error-io",
            path = crate::i18n::shown(p.display()),
            why = crate::i18n::shown(e)
        )
    };
    if path.as_os_str().is_empty() {
        return Err(crate::tr!("rec-export-no-path"));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    }
    let file = std::fs::File::create(path).map_err(|e| fail(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
    let written = export::write(&export::InMemory(messages), format, &mut out)
        .and_then(|()| out.flush().map_err(ExportError::Write));
    match written {
        Ok(()) => Ok(()),
        Err(ExportError::Write(e)) => Err(fail(path, e)),
        Err(ExportError::Source(why)) => Err(why),
    }
}

/// A moment typed in the export dialog: local "2026-11-30 14:03:07.250", or RFC 3339;
/// empty is no bound.
pub fn parse_moment(text: &str) -> Result<Option<i64>, String> {
    use chrono::TimeZone as _;
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(Some(d.timestamp_micros()));
    }
    for pattern in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(t, pattern)
            && let Some(local) = chrono::Local.from_local_datetime(&naive).earliest()
        {
            return Ok(Some(local.timestamp_micros()));
        }
    }
    Err(crate::tr!("rec-export-bad-moment", text = t))
}

/// `us` as the dialog shows it: local time to the microsecond (so a bound written
/// back in is exact).
pub fn moment_text(us: i64) -> String {
    let local: chrono::DateTime<chrono::Local> = crate::record::schema::system_time(us).into();
    local.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

/// Both ends included, µs since the epoch; `None` is open.
pub type TimeRange = (Option<i64>, Option<i64>);

fn in_range(range: TimeRange, us: i64) -> bool {
    range.0.is_none_or(|from| us >= from) && range.1.is_none_or(|to| us <= to)
}

/// The span the export dialog offers first: an opened recording's whole span, else
/// the span of what the history keeps for `topic` and below.
pub fn default_range(state: &AppState, topic: &str) -> TimeRange {
    if let Some(p) = &state.conn().playback {
        let (first, last) = p.span();
        return (Some(first), Some(last));
    }
    let messages = history_messages(&state.conn().model, topic);
    let us = |m: &Message| crate::record::schema::time_us(m.time);
    (messages.first().map(us), messages.last().map(us))
}

impl AppState {
    /// Exports `topic` and below to `path`, between the bounds of `range`: from the
    /// file when the active connection is an opened recording (every message, not only
    /// the ones shown), else what its history keeps. Returns how many messages were
    /// written, or the error to show.
    pub fn export_history(
        &mut self,
        topic: &str,
        format: ExportFormat,
        path: &Path,
        range: TimeRange,
    ) -> Result<usize, String> {
        let messages = match &self.conn().playback {
            Some(p) => recorded_messages(&p.path, topic, range)?,
            None => {
                let mut m = history_messages(&self.conn().model, topic);
                m.retain(|m| in_range(range, crate::record::schema::time_us(m.time)));
                m
            }
        };
        if messages.is_empty() {
            return Err(crate::tr!("rec-export-nothing", topic = topic));
        }
        write_file(&messages, format, path)?;
        self.notice(crate::tr!(
            "rec-export-done",
            n = messages.len(),
            path = crate::i18n::shown(path.display())
        ));
        Ok(messages.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subtree_exports_in_time_order_and_a_file_that_cannot_be_made_is_said() {
        let mut model = Model::new(1 << 20);
        let t = |s: u64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s);
        for (topic, payload, s) in [
            ("gh/a", "1", 1),
            ("gh/b/c", "2", 2),
            ("other", "3", 3),
            ("gh/a", "4", 4),
        ] {
            let mut m = Message::new(topic, payload, 0, false);
            m.time = t(s);
            model.ingest(m);
        }
        let got: Vec<(String, String)> = history_messages(&model, "gh")
            .into_iter()
            .map(|m| (m.topic, String::from_utf8(m.payload.to_vec()).unwrap()))
            .collect();
        let want = [("gh/a", "1"), ("gh/b/c", "2"), ("gh/a", "4")];
        assert_eq!(got, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
        assert!(history_messages(&model, "nowhere").is_empty());

        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let e = write_file(
            &history_messages(&model, "gh"),
            ExportFormat::Csv,
            &blocker.join("x.csv"),
        )
        .unwrap_err();
        assert!(e.starts_with("cannot use") && e.contains("file"), "{e}");
        let ok = dir.path().join("deep/er/x.csv");
        write_file(&history_messages(&model, "gh"), ExportFormat::Csv, &ok).unwrap();
        let csv = std::fs::read_to_string(ok).unwrap();
        assert_eq!(csv.lines().next(), Some("time,gh/a,gh/b/c"), "{csv}");
        assert_eq!(csv.lines().count(), 4);
    }

    #[test]
    fn a_moment_shown_in_the_dialog_reads_back_exactly_and_nonsense_is_said() {
        let us = 1_780_000_123_456_789;
        assert_eq!(parse_moment(&moment_text(us)), Ok(Some(us)));
        assert_eq!(parse_moment("  "), Ok(None));
        assert_eq!(parse_moment("1970-01-01T00:00:01Z"), Ok(Some(1_000_000)));
        let e = parse_moment("yesterday").unwrap_err();
        assert!(e.contains("yesterday"), "{e}");
        assert!(in_range((Some(us), Some(us)), us));
        assert!(!in_range((Some(us), None), us - 1));
    }
}
