//! Errors of reading and writing recordings, said so a person knows what to do.

use std::path::{Path, PathBuf};

/// What went wrong with a recording file.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The file is not ours: another program's SQLite database, or not SQLite at all.
    #[error("{}", crate::tr!("rec-error-foreign", path = crate::i18n::shown(.path.display()), why = .why.as_str()))]
    Foreign { path: PathBuf, why: String },
    /// Ours, but SQLite finds it corrupt (a disk error, a cut copy).
    #[error("{}", crate::tr!("rec-error-damaged", path = crate::i18n::shown(.path.display()), why = .why.as_str()))]
    Damaged { path: PathBuf, why: String },
    /// Written by a newer Topicscope with a format this one does not know.
    #[error("{}", crate::tr!("rec-error-newer", path = crate::i18n::shown(.path.display()), found = *.found, known = *.known))]
    Newer { path: PathBuf, found: i64, known: i64 },
    /// The file cannot be opened or created (missing, no permission, disk full).
    #[error("{}", crate::tr!("rec-error-io", path = crate::i18n::shown(.path.display()), why = .why.as_str()))]
    Io { path: PathBuf, why: String },
    /// The disk (or the file system's quota) is full: SQLite's `SQLITE_FULL`.
    /// (The file is not named again: every message around this one names it.)
    #[error("{}", crate::tr!("rec-error-disk-full"))]
    DiskFull { path: PathBuf },
    /// Refused to replace an existing file.
    #[error("{}", crate::tr!("rec-error-exists", path = crate::i18n::shown(.path.display())))]
    Exists { path: PathBuf },
    /// The writer thread stopped (after an error it already reported, or at the end).
    #[error("{}", crate::tr!("rec-error-writer-stopped", why = .0.as_str()))]
    WriterStopped(String),
}

/// True when the first 16 bytes of `path` are SQLite's header.
pub fn has_sqlite_header(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0")
}

impl RecordError {
    /// Classifies an SQLite error met while working on `path`: corruption is "damaged"
    /// when the file has SQLite's header and "not a recording" when it has not.
    pub fn from_sqlite(path: &Path, e: &rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let why = e.to_string();
        let code = e.sqlite_error_code();
        match code {
            Some(ErrorCode::NotADatabase) if !has_sqlite_header(path) => Self::Foreign {
                path: path.to_owned(),
                why: crate::tr!("rec-why-not-sqlite"),
            },
            // SQLite's own words, "database or disk is full", leave the reader to guess
            // which, and say nothing of what is still in the file.
            Some(ErrorCode::DiskFull) => Self::DiskFull { path: path.to_owned() },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Self::Damaged {
                path: path.to_owned(),
                why,
            },
            _ => Self::Io {
                path: path.to_owned(),
                why,
            },
        }
    }
}
