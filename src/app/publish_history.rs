//! The last publishes from the panel, kept in `publish_history.ron` so they can be sent again.

use std::path::PathBuf;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::connection::PublishOutcome;
use crate::profiles::{read_ron, write_ron_atomic};

/// File name in the config directory.
pub const FILE: &str = "publish_history.ron";
/// Records kept.
pub const MAX_RECORDS: usize = 50;

/// One publish as remembered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishRecord {
    pub topic: String,
    /// The payload as UTF-8 text when it is text, else empty (see `payload_base64`).
    #[serde(default)]
    pub payload: String,
    /// The payload bytes in base64 when they are not UTF-8.
    #[serde(default)]
    pub payload_base64: Option<String>,
    pub qos: u8,
    pub retain: bool,
    /// The panel's payload format when it was sent ("text", "json" or "hex").
    #[serde(default)]
    pub format: String,
    /// RFC 3339.
    #[serde(default)]
    pub time: String,
    /// The last known outcome in words.
    #[serde(default)]
    pub outcome: String,
    /// The connection (profile name) it was sent on; empty in files from before
    /// several connections could be open.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub connection: String,
}

impl PublishRecord {
    pub fn new(topic: &str, payload: &[u8], qos: u8, retain: bool, format: &str) -> Self {
        let (text, b64) = match std::str::from_utf8(payload) {
            Ok(t) => (t.to_owned(), None),
            Err(_) => (
                String::new(),
                Some(base64::engine::general_purpose::STANDARD.encode(payload)),
            ),
        };
        Self {
            topic: topic.to_owned(),
            payload: text,
            payload_base64: b64,
            qos,
            retain,
            format: format.to_owned(),
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            outcome: PublishOutcome::Pending.to_string(),
            connection: String::new(),
        }
    }

    /// The payload bytes to send again.
    pub fn payload_bytes(&self) -> Vec<u8> {
        match &self.payload_base64 {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default(),
            None => self.payload.clone().into_bytes(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct HistoryFile {
    records: Vec<PublishRecord>,
}

/// Newest first.
#[derive(Debug)]
pub struct PublishHistory {
    path: PathBuf,
    pub records: Vec<PublishRecord>,
    /// Set when the file could not be read; it is then not overwritten.
    pub load_error: Option<String>,
    /// The last save failure, taken by the caller to show.
    pub save_error: Option<String>,
}

impl PublishHistory {
    pub fn load(path: PathBuf) -> Self {
        match read_ron::<HistoryFile>(&path) {
            Ok(file) => Self {
                records: file.map(|f| f.records).unwrap_or_default(),
                path,
                load_error: None,
                save_error: None,
            },
            Err(e) => Self {
                path,
                records: Vec::new(),
                load_error: Some(format!("publish history not loaded: {e}")),
                save_error: None,
            },
        }
    }

    /// Adds a record at the front; returns its index (0).
    pub fn push(&mut self, record: PublishRecord) -> usize {
        self.records.insert(0, record);
        self.records.truncate(MAX_RECORDS);
        self.save();
        0
    }

    pub fn set_outcome(&mut self, index: usize, outcome: &PublishOutcome) {
        if let Some(r) = self.records.get_mut(index) {
            r.outcome = outcome.to_string();
            self.save();
        }
    }

    fn save(&mut self) {
        if self.load_error.is_some() {
            return; // never overwrite a file we could not read
        }
        let file = HistoryFile {
            records: self.records.clone(),
        };
        if let Err(e) = write_ron_atomic(&self.path, &file) {
            self.save_error = Some(format!("publish history not saved: {e}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_50_newest_first_and_reloads_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut h = PublishHistory::load(path.clone());
        for i in 0..60 {
            h.push(PublishRecord::new(
                &format!("t/{i}"),
                format!("{i}").as_bytes(),
                1,
                false,
                "text",
            ));
        }
        h.push(PublishRecord::new("bin", &[0xff, 0x00], 0, true, "hex"));
        assert_eq!(h.records.len(), MAX_RECORDS);
        let again = PublishHistory::load(path);
        assert!(again.load_error.is_none());
        assert_eq!(again.records.len(), MAX_RECORDS);
        assert_eq!(again.records[0].topic, "bin");
        assert_eq!(again.records[0].payload_bytes(), vec![0xff, 0x00]);
        assert_eq!(again.records[1].topic, "t/59");
    }

    #[test]
    fn corrupt_file_is_reported_and_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, "(records: [ broken").unwrap();
        let mut h = PublishHistory::load(path.clone());
        assert!(
            h.load_error.as_deref().unwrap_or("").contains(FILE),
            "{:?}",
            h.load_error
        );
        h.push(PublishRecord::new("t", b"x", 0, false, "text"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "(records: [ broken");
    }
}
