//! The last publishes from the panel, kept in `publish_history.ron` so they can be sent again.
//!
//! Two windows may share the file: before saving, under the settings lock, the file is
//! compared with what this window last read or wrote, and another window's records are
//! merged in (newest first, the cap applied) rather than written over.

use std::path::PathBuf;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::connection::PublishOutcome;
use crate::profiles::{
    FileStamp, SaveLock, file_stamp, read_ron_stamped, remove_stale_temp_files, write_ron_atomic_stamped,
};

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
    /// The file as last read or written here (`None`: there was none), to see other
    /// writers' changes.
    stamp: Option<FileStamp>,
}

impl PublishHistory {
    /// Holds the place of the real history while the background drain has it: no
    /// records and no file (nothing reads or saves it meanwhile).
    pub(super) fn placeholder() -> Self {
        Self {
            path: PathBuf::new(),
            records: Vec::new(),
            load_error: None,
            save_error: None,
            stamp: None,
        }
    }

    pub fn load(path: PathBuf) -> Self {
        remove_stale_temp_files(&path);
        match read_ron_stamped::<HistoryFile>(&path) {
            Ok(found) => {
                let (records, stamp) = match found {
                    Some((file, stamp)) => (file.records, Some(stamp)),
                    None => (Vec::new(), None),
                };
                Self {
                    records,
                    path,
                    load_error: None,
                    save_error: None,
                    stamp,
                }
            }
            Err(e) => Self {
                path,
                records: Vec::new(),
                load_error: Some(crate::tr!(
                    "chrome-publish-history-not-loaded",
                    error = crate::i18n::shown(e)
                )),
                save_error: None,
                stamp: None,
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
        if let Err(e) = self.try_save() {
            self.save_error = Some(crate::tr!(
                "chrome-publish-history-not-saved",
                error = crate::i18n::shown(e)
            ));
        }
    }

    fn try_save(&mut self) -> Result<(), crate::profiles::StoreError> {
        let _lock = SaveLock::acquire(&self.path)?;
        if file_stamp(&self.path)? != self.stamp
            && let Some((theirs, _)) = read_ron_stamped::<HistoryFile>(&self.path)?
        {
            self.records = merge_records(std::mem::take(&mut self.records), theirs.records);
        }
        let file = HistoryFile {
            records: self.records.clone(),
        };
        self.stamp = Some(write_ron_atomic_stamped(&self.path, &file)?);
        Ok(())
    }
}

/// Ours and another window's records, newest first, each publish once, at most
/// [`MAX_RECORDS`]. A record both sides have keeps our outcome (we may know it better).
fn merge_records(ours: Vec<PublishRecord>, theirs: Vec<PublishRecord>) -> Vec<PublishRecord> {
    let same = |a: &PublishRecord, b: &PublishRecord| {
        a.time == b.time
            && a.topic == b.topic
            && a.payload == b.payload
            && a.payload_base64 == b.payload_base64
            && a.qos == b.qos
            && a.retain == b.retain
    };
    let mut all = ours;
    for record in theirs {
        if !all.iter().any(|r| same(r, &record)) {
            all.push(record);
        }
    }
    // RFC 3339 times in UTC sort as text; the sort is stable, so ours stay first on ties.
    all.sort_by(|a, b| b.time.cmp(&a.time));
    all.truncate(MAX_RECORDS);
    all
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

    fn record_at(topic: &str, time: &str) -> PublishRecord {
        let mut r = PublishRecord::new(topic, b"x", 0, false, "text");
        r.time = time.to_owned();
        r
    }

    #[test]
    fn two_windows_keep_each_others_publishes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut a = PublishHistory::load(path.clone());
        let mut b = PublishHistory::load(path.clone());
        b.push(record_at("from/b", "2026-01-01T00:00:01Z"));
        a.push(record_at("from/a", "2026-01-01T00:00:02Z"));
        assert!(a.save_error.is_none(), "{:?}", a.save_error);
        let topics = |h: &PublishHistory| h.records.iter().map(|r| r.topic.clone()).collect::<Vec<_>>();
        assert_eq!(topics(&PublishHistory::load(path.clone())), ["from/a", "from/b"]);
        // A's outcome update does not duplicate or drop anything either.
        a.set_outcome(0, &PublishOutcome::Pending);
        assert_eq!(topics(&PublishHistory::load(path)), ["from/a", "from/b"]);
    }

    #[cfg(unix)]
    #[test]
    fn hostile_files_are_refused_a_bom_is_accepted_and_stale_temp_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let h = PublishHistory::load(path.clone());
        assert!(
            h.load_error.as_deref().unwrap_or("").contains("not a regular file"),
            "{:?}",
            h.load_error
        );
        std::fs::remove_file(&path).unwrap();

        std::fs::write(&path, "\u{feff}(records: [])").unwrap();
        let stale = dir.path().join(".publish_history.ron.0000abcd.tmp");
        std::fs::write(&stale, "(records: [])").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let h = PublishHistory::load(path);
        assert!(h.load_error.is_none(), "{:?}", h.load_error);
        assert!(!stale.exists());
    }
}
