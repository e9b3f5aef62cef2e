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
            payload: s.payload.clone(),
            qos: s.qos,
            retain: s.retain,
            time: s.time,
            properties: s.properties.clone(),
        }));
    }
    out.sort_by_key(|m| m.time);
    out
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

impl AppState {
    /// Exports what the active connection's history keeps for `topic` and below to
    /// `path`; returns how many messages were written, or the error to show.
    pub fn export_history(&mut self, topic: &str, format: ExportFormat, path: &Path) -> Result<usize, String> {
        let messages = history_messages(&self.conn().model, topic);
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
}
