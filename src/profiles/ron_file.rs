//! Reading and atomically writing RON settings files (profiles, and later publish
//! history and window layout).
//!
//! A settings file must never be left half-written: a crash or full disk mid-write
//! would otherwise destroy a person's saved brokers. So we write a temporary file in the
//! same directory (a rename is only atomic within one file system), fsync it, and rename
//! it over the old one. On Unix the file is private (0600) because it can hold passwords.
//!
//! Reading is defensive because the path is outside our control: only a regular file is
//! read (a FIFO would block start-up for ever, a link to `/dev/zero` would never end), at
//! most [`MAX_SETTINGS_FILE_BYTES`], and a UTF-8 byte-order mark (Notepad writes one) is
//! skipped. Each read returns a [`FileStamp`] so a writer can tell whether someone else
//! changed the file since (see `store.rs` for the merge); `file_guard.rs` has the lock
//! that serialises several processes' saves and the clean-up of killed saves.

use std::fs::{self, OpenOptions};
use std::hash::{Hash as _, Hasher as _};
use std::io::{self, Read as _, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// A settings file could not be read, parsed, found or written. Messages name the file.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file exists but could not be read (permissions, a directory in its place…).
    #[error("{}", crate::tr!("worker-file-read", path = crate::i18n::shown(.path.display()), error = crate::i18n::shown(.error)))]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// The file was read but is not valid RON for what it should contain.
    #[error("{}", crate::tr!("worker-file-damaged", path = crate::i18n::shown(.path.display()), line = *.line, column = *.column, why = .message.as_str()))]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the RON parser said.
        message: String,
    },
    /// The value could not be turned into RON (should not happen for our own types).
    #[error("{}", crate::tr!("worker-file-encode", path = crate::i18n::shown(.path.display()), why = .message.as_str()))]
    Encode {
        /// The file that was going to be written.
        path: PathBuf,
        /// What the RON serializer said.
        message: String,
    },
    /// Writing, syncing or renaming failed; the previous file, if any, is untouched.
    #[error("{}", crate::tr!("worker-file-write", path = crate::i18n::shown(.path.display()), error = crate::i18n::shown(.error)))]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// The file was written by a newer build; loading it would drop what this build
    /// does not know, and saving would then destroy it.
    #[error("{}", crate::tr!("worker-file-newer", path = crate::i18n::shown(.path.display()), version = *.version, supported = *.supported))]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Format version found in the file.
        version: u32,
        /// Newest format version this build reads.
        supported: u32,
    },
    /// Saving was refused because the file on disk could not be loaded, and
    /// overwriting it would throw away whatever the person had in it.
    #[error("{}", crate::tr!("worker-file-read-only", path = crate::i18n::shown(.path.display()), why = .reason.as_str()))]
    ReadOnly {
        /// The file that is protected.
        path: PathBuf,
        /// The load error, as shown at start-up.
        reason: String,
    },
    /// The path names something other than a regular file (a FIFO, a device, a socket…).
    #[error("{}", crate::tr!("worker-file-not-regular", path = crate::i18n::shown(.path.display()), what = kind_words(.what)))]
    NotRegularFile {
        /// The file.
        path: PathBuf,
        /// What it is instead, in words ("a named pipe (FIFO)").
        what: &'static str,
    },
    /// The file is larger than any settings file Topicscope writes.
    #[error("{}", crate::tr!("worker-file-too-large", path = crate::i18n::shown(.path.display()), mib = *.max_bytes / (1024 * 1024)))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap, [`MAX_SETTINGS_FILE_BYTES`].
        max_bytes: u64,
    },
    /// Another process holds the save lock for too long.
    #[error("{}", crate::tr!("worker-file-locked", path = crate::i18n::shown(.path.display()), secs = .timeout.as_secs()))]
    Locked {
        /// The file.
        path: PathBuf,
        /// How long we waited.
        timeout: Duration,
    },
    /// The file changed on disk since it was loaded and the new content cannot be read,
    /// so it cannot be merged; saving over it would lose it.
    #[error("{}", crate::tr!("worker-file-changed-on-disk", path = crate::i18n::shown(.path.display()), why = .reason.as_str()))]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
        /// Why the new content could not be read.
        reason: String,
    },
    /// Neither `TOPICSCOPE_CONFIG_DIR` nor the platform's configuration directory is known.
    #[error("{}", crate::tr!("worker-file-no-config-dir"))]
    NoConfigDir,
}

/// Largest settings file read. Ours are kilobytes; this only stops a wrong path (a link to
/// a device, a log file) from being read into memory.
pub const MAX_SETTINGS_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Identifies the content of a settings file: its length and a hash of its bytes, so a
/// change is seen even within the file system's timestamp granularity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    fn of(bytes: &[u8]) -> Self {
        // The hash is compared only within one build of the program (the stamp is never
        // stored), so the standard hasher's unspecified algorithm does not matter.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self {
            len: bytes.len() as u64,
            hash: hasher.finish(),
        }
    }
}

/// Reads a RON file; `Ok(None)` when it does not exist, so first runs need no special case.
pub fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, StoreError> {
    Ok(read_ron_stamped(path)?.map(|(value, _)| value))
}

/// [`read_ron`] plus the stamp of the bytes that were parsed.
pub fn read_ron_stamped<T: DeserializeOwned>(path: &Path) -> Result<Option<(T, FileStamp)>, StoreError> {
    let Some(bytes) = read_settings_bytes(path)? else {
        return Ok(None);
    };
    let stamp = FileStamp::of(&bytes);
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let before = &error.as_bytes()[..offset];
        StoreError::Parse {
            path: path.to_owned(),
            line: before.iter().filter(|b| **b == b'\n').count() + 1,
            column: before.iter().rev().take_while(|b| **b != b'\n').count() + 1,
            message: crate::tr!("worker-file-not-utf8"),
        }
    })?;
    // Notepad and some editors start UTF-8 files with a byte-order mark; RON does not
    // know it, and it carries no meaning in UTF-8.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // People edit these files by hand and write `username: "bob"`; accept that as well
    // as the `Some("bob")` we write ourselves.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map(|value| Some((value, stamp)))
        .map_err(|error| StoreError::Parse {
            path: path.to_owned(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        })
}

/// The stamp of the file as it is now; `None` when it does not exist.
pub fn file_stamp(path: &Path) -> Result<Option<FileStamp>, StoreError> {
    Ok(read_settings_bytes(path)?.map(|bytes| FileStamp::of(&bytes)))
}

/// The file's bytes, if it is a regular file (symlinks followed) of at most
/// [`MAX_SETTINGS_FILE_BYTES`].
fn read_settings_bytes(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let read_error = |error| StoreError::Read {
        path: path.to_owned(),
        error,
    };
    // Look before opening: opening a FIFO for reading blocks until a writer appears.
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(read_error(error)),
    };
    if meta.is_dir() {
        return Err(read_error(io::Error::new(
            io::ErrorKind::IsADirectory,
            "Is a directory",
        )));
    }
    if !meta.is_file() {
        return Err(StoreError::NotRegularFile {
            path: path.to_owned(),
            what: file_kind(&meta.file_type()),
        });
    }
    let too_large = || StoreError::TooLarge {
        path: path.to_owned(),
        max_bytes: MAX_SETTINGS_FILE_BYTES,
    };
    if meta.len() > MAX_SETTINGS_FILE_BYTES {
        return Err(too_large());
    }
    let file = match fs::File::open(path) {
        Ok(file) => file,
        // Removed between the look and the open: as if it had never been there.
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(read_error(error)),
    };
    // The cap also holds if the file was swapped or grows after the look above.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SETTINGS_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_SETTINGS_FILE_BYTES {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

/// A [`file_kind`] in the interface's language.
fn kind_words(what: &str) -> String {
    match what {
        FIFO => crate::tr!("worker-file-kind-fifo"),
        DEVICE => crate::tr!("worker-file-kind-device"),
        SOCKET => crate::tr!("worker-file-kind-socket"),
        _ => crate::tr!("worker-file-kind-other"),
    }
}

const FIFO: &str = "a named pipe (FIFO)";
const DEVICE: &str = "a device";
const SOCKET: &str = "a socket";

/// What a non-regular file is, in words (English; shown through [`kind_words`]).
fn file_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return FIFO;
        }
        if kind.is_char_device() || kind.is_block_device() {
            return DEVICE;
        }
        if kind.is_socket() {
            return SOCKET;
        }
    }
    let _ = kind;
    "not a regular file"
}

/// Writes `value` as pretty RON to `path`, atomically, creating the directory if needed.
pub fn write_ron_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
    write_ron_atomic_stamped(path, value).map(|_| ())
}

/// [`write_ron_atomic`], returning the stamp of what was written.
pub fn write_ron_atomic_stamped<T: Serialize>(path: &Path, value: &T) -> Result<FileStamp, StoreError> {
    // Encode first so that an encoding failure never touches the disk.
    let mut text =
        ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::default()).map_err(|error| StoreError::Encode {
            path: path.to_owned(),
            message: error.to_string(),
        })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let write_error = |error| StoreError::Write {
        path: path.to_owned(),
        error,
    };
    // Replace the file a symlink points to rather than the symlink itself, so people
    // who keep their settings in a dotfiles repository keep their link.
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(write_error)?,
        _ => path.to_owned(),
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir).map_err(write_error)?;
    let temp_path = temp_path_for(&target);
    let result = write_synced(&temp_path, text.as_bytes()).and_then(|()| fs::rename(&temp_path, &target));
    if let Err(error) = result {
        // Best effort: a stray temp file is harmless, but tidy when we can.
        let _ = fs::remove_file(&temp_path);
        return Err(write_error(error));
    }
    sync_dir(&dir);
    Ok(FileStamp::of(text.as_bytes()))
}

/// A name next to `target` that no other writer uses: hidden, and random so that two
/// processes saving at once cannot clobber each other's temporary file.
fn temp_path_for(target: &Path) -> PathBuf {
    let file_name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings".to_owned());
    target.with_file_name(format!(".{file_name}.{:08x}.tmp", rand::random::<u32>()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // The umask can only remove bits from the mode above; setting it again makes the
    // file exactly 0600 before any secret is written to it.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    // Only directories we create are affected; an existing one keeps its mode.
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes the rename itself durable. Failure is only logged: the data is already safe
/// in the file, and some file systems refuse to sync a directory.
#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Err(error) = fs::File::open(dir).and_then(|handle| handle.sync_all()) {
        tracing::debug!("could not sync directory {}: {error}", dir.display());
    }
}

/// Windows cannot open a directory as a file; NTFS journals the rename itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
#[path = "ron_file_tests.rs"]
mod tests;
