//! Recording a connection from the window: the running recording of one connection
//! ([`Recorder`]: its writer thread, the topics it keeps and its rate), where a new
//! recording goes by default, and the [`AppState`] methods that start and stop one.
//!
//! Every batch a connection receives is offered to its recorder as it arrives (before a
//! pause holds it), so a paused tree still records. The writer is fed without waiting:
//! when the disk cannot keep up, the messages it refuses are counted and shown, never
//! waited for (a frame must not stall on a disk).

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::connection::{push_error, push_notice};
use super::rate::RateMeter;
use super::state::{AppState, display_name};
use crate::model::Message;
use crate::model::encoding_rules::filter_matches;
use crate::record::{RecordBatch, RecordingMeta, RecordingStats, RecordingWriter, WriterOptions};

/// The extension of recording files.
pub const RECORDING_EXTENSION: &str = "tsrec";
/// The folder in the home folder where recordings go unless the user says otherwise.
pub const RECORDINGS_FOLDER: &str = "topicscope-recordings";

/// What the user asked for in the Record dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRequest {
    pub path: PathBuf,
    /// MQTT topic filters; empty records every topic.
    pub filters: Vec<String>,
    /// Keep the file under this size by deleting the oldest messages.
    pub max_size: Option<u64>,
}

/// A recording running on one connection.
pub struct Recorder {
    writer: RecordingWriter,
    /// Empty: every topic.
    filters: Vec<String>,
    rate: RateMeter,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.writer.path())
            .field("filters", &self.filters)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Creates the file (so a bad path fails now) and starts its writer thread.
    pub fn create(
        path: &Path,
        meta: &RecordingMeta,
        filters: Vec<String>,
        options: WriterOptions,
    ) -> Result<Self, crate::record::RecordError> {
        let writer = RecordingWriter::create(path, meta, options)?;
        Ok(Self {
            writer,
            filters,
            rate: RateMeter::new(Instant::now()),
        })
    }

    /// Hands the messages of `batch` that the filters keep to the writer, packed (a few
    /// allocations a batch; the messages are left as they are). Never waits.
    pub fn offer(&mut self, batch: &[Message]) {
        let kept = self.kept(batch);
        if kept.is_empty() {
            return;
        }
        self.rate.add(kept.len() as u64, Instant::now());
        self.writer.try_send(kept);
    }

    /// The state the recording starts from (the retained messages the broker sent
    /// before it started): recorded like any message, but not counted in the rate.
    pub fn offer_start_state(&mut self, batch: &[Message]) {
        let kept = self.kept(batch);
        if !kept.is_empty() {
            self.writer.try_send(kept);
        }
    }

    /// The messages of `batch` on the recorded topics.
    fn kept(&self, batch: &[Message]) -> RecordBatch {
        if self.filters.is_empty() {
            RecordBatch::from(batch)
        } else {
            batch
                .iter()
                .filter(|m| self.filters.iter().any(|f| filter_matches(f, &m.topic)))
                .collect()
        }
    }

    /// Records a connection event (connected, lost…).
    pub fn event(&self, kind: &str, text: &str) {
        self.writer.event(kind, text);
    }

    pub fn path(&self) -> &Path {
        self.writer.path()
    }

    pub fn filters(&self) -> &[String] {
        &self.filters
    }

    pub fn stats(&self) -> RecordingStats {
        self.writer.stats()
    }

    /// Messages per second recorded lately.
    pub fn per_sec(&mut self, now: Instant) -> f64 {
        self.rate.per_sec(now)
    }

    /// Why the writer stopped on its own (disk full, file removed…), if it did.
    pub fn error(&self) -> Option<String> {
        self.writer.error()
    }

    /// Writes what is queued, commits and folds the WAL into the file.
    pub fn finish(self) -> Result<RecordingStats, crate::record::RecordError> {
        self.writer.finish()
    }
}

/// `~/topicscope-recordings/<profile>-<date>-<time>.tsrec`: where a recording of
/// `profile_name` started at `now` goes unless the user picks another file.
pub fn default_path(profile_name: &str, now: SystemTime) -> PathBuf {
    let home = directories::UserDirs::new()
        .map(|u| u.home_dir().to_path_buf())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let local: chrono::DateTime<chrono::Local> = now.into();
    let name = format!(
        "{}-{}.{RECORDING_EXTENSION}",
        file_name_part(profile_name),
        local.format("%Y%m%d-%H%M%S")
    );
    home.join(RECORDINGS_FOLDER).join(name)
}

/// A profile name as part of a file name: letters of any script, digits, `-` and `_`
/// kept, anything a file system may refuse (`/`, `:`, spaces…) made `_`.
fn file_name_part(name: &str) -> String {
    let part = file_safe(name.trim());
    if part.trim_matches('_').is_empty() {
        "recording".to_owned()
    } else {
        part
    }
}

/// `text` with every character but letters of any script, digits, `-` and `_` made `_`,
/// for use in a file name.
pub(crate) fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Makes sure a recording can be created at `path`: its folder exists (created if
/// missing) and a file can be made there. Says why not in the system's words, which
/// are clearer than SQLite's "unable to open database file".
fn prepare_path(path: &Path) -> Result<(), String> {
    let io_error = |p: &Path, e: std::io::Error| {
        crate::tr!(
            "rec-error-io",
            path = crate::i18n::shown(p.display()),
            why = crate::i18n::shown(e)
        )
    };
    if path.as_os_str().is_empty() {
        return Err(crate::tr!("rec-win-no-path"));
    }
    if path.is_dir() {
        return Err(crate::tr!(
            "rec-win-is-folder",
            path = crate::i18n::shown(path.display())
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    if path.exists() {
        // Never replaced from the window: a recording is often all that is left of a night.
        return Err(crate::tr!("rec-win-exists", path = crate::i18n::shown(path.display())));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io_error(path, e))?;
    std::fs::remove_file(path).map_err(|e| io_error(path, e))
}

impl AppState {
    /// Starts recording the active connection as `request` says. Returns the error to
    /// show (in the dialog) when it cannot start.
    pub fn start_recording(&mut self, request: &RecordRequest) -> Result<(), String> {
        for f in &request.filters {
            crate::profiles::validate_filter(f)
                .map_err(|e| crate::tr!("rec-win-bad-filter", filter = f.as_str(), error = crate::i18n::shown(e)))?;
        }
        if self.conn().recording.is_some() {
            return Err(crate::tr!("rec-win-already", name = display_name(&self.conn().name)));
        }
        prepare_path(&request.path)?;
        let options = WriterOptions {
            max_size: request.max_size,
            frame_gate: Some(std::sync::Arc::clone(&self.frame_gate)),
            ..WriterOptions::default()
        };
        self.conn_mut()
            .start_recording(&request.path, request.filters.clone(), options)
            .map_err(|e| e.to_string())?;
        let name = display_name(&self.conn().name);
        self.notice(crate::tr!(
            "rec-win-started",
            name = name,
            path = crate::i18n::shown(request.path.display())
        ));
        Ok(())
    }

    /// Stops the recording of connection `index` (if one runs) and says how it went.
    pub fn stop_recording_of(&mut self, index: usize) {
        let Some(conn) = self.connections.get_mut(index) else {
            return;
        };
        let name = display_name(&conn.name);
        let Some(recorder) = conn.recording.take() else { return };
        let path = recorder.path().to_owned();
        report_finish(&mut self.notices, &name, &path, recorder.finish());
    }

    /// Stops the active connection's recording.
    pub fn stop_recording(&mut self) {
        self.stop_recording_of(self.active.min(self.connections.len() - 1));
    }

    /// Stops every recording (the window is closing).
    pub fn stop_all_recordings(&mut self) {
        for i in 0..self.connections.len() {
            self.stop_recording_of(i);
        }
    }

    /// Ends the recordings whose writer stopped on its own (disk full, file removed)
    /// and says why; true while any recording runs (its indicator needs redrawing).
    pub fn check_recordings(&mut self) -> bool {
        let mut running = false;
        for i in 0..self.connections.len() {
            match self.connections[i].recording.as_ref().map(Recorder::error) {
                Some(Some(_)) => self.stop_recording_of(i),
                Some(None) => running = true,
                None => {}
            }
        }
        running
    }
}

fn report_finish(
    notices: &mut Vec<super::Notice>,
    name: &str,
    path: &Path,
    outcome: Result<RecordingStats, crate::record::RecordError>,
) {
    let shown = crate::i18n::shown(path.display());
    match outcome {
        Ok(stats) => push_notice(
            notices,
            crate::tr!(
                "rec-win-stopped",
                name = name,
                n = stats.messages,
                path = shown,
                size = crate::model::render::bytes_text(stats.file_bytes)
            ),
        ),
        Err(e) => {
            // The writer's own reason, without its "the recording stopped:" lead-in.
            let why = match e {
                crate::record::RecordError::WriterStopped(why) => why,
                other => other.to_string(),
            };
            push_error(
                notices,
                crate::tr!("rec-win-failed", name = name, path = shown, why = why),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_is_named_after_the_profile_and_the_time_in_the_recordings_folder() {
        let p = default_path("Greenhouse: east/温室", SystemTime::UNIX_EPOCH);
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("Greenhouse__east_温室-19"), "{name}");
        assert!(name.ends_with(".tsrec"), "{name}");
        assert_eq!(p.parent().unwrap().file_name().unwrap(), RECORDINGS_FOLDER);
        assert!(
            default_path("  ", SystemTime::UNIX_EPOCH)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("recording-")
        );
    }

    #[test]
    fn a_missing_folder_is_made_and_a_folder_given_as_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/c.tsrec");
        prepare_path(&file).unwrap();
        assert!(file.parent().unwrap().is_dir());
        assert!(!file.exists(), "the probe file is removed again");
        let e = prepare_path(dir.path()).unwrap_err();
        assert!(e.contains("folder"), "{e}");
        std::fs::write(&file, b"last night").unwrap();
        let e = prepare_path(&file).unwrap_err();
        assert!(e.contains("already exists") && !e.contains("--overwrite"), "{e}");
        assert_eq!(std::fs::read(&file).unwrap(), b"last night", "left as it was");
        assert!(prepare_path(Path::new("")).is_err());
    }

    #[test]
    fn only_the_topics_asked_for_are_offered_to_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.tsrec");
        let meta = RecordingMeta::new("mqtt://127.0.0.1:1", &["greenhouse/#".to_owned()]);
        let mut r = Recorder::create(&path, &meta, vec!["greenhouse/#".into()], WriterOptions::default()).unwrap();
        r.offer(&[
            Message::new("greenhouse/t", "21", 0, false),
            Message::new("kitchen/t", "19", 0, false),
        ]);
        r.offer(&[Message::new("kitchen/h", "40", 0, false)]);
        let stats = r.finish().unwrap();
        assert_eq!(stats.messages, 1);
        let rec = crate::record::Recording::open(&path).unwrap();
        let mut topics = Vec::new();
        rec.for_each(&crate::record::RecordingQuery::default(), |m| {
            topics.push(m.message.topic);
            true
        })
        .unwrap();
        assert_eq!(topics, ["greenhouse/t"]);
    }
}
