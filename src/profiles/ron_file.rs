//! Reading and atomically writing RON settings files (profiles, and later publish
//! history and window layout).
//!
//! A settings file must never be left half-written: a crash or full disk mid-write
//! would otherwise destroy a person's saved brokers. So we write a temporary file in the
//! same directory (a rename is only atomic within one file system), fsync it, and rename
//! it over the old one. On Unix the file is private (0600) because it can hold passwords.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// A settings file could not be read, parsed, found or written. Messages name the file.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file exists but could not be read (permissions, a directory in its place…).
    #[error("Could not read {}: {error}.", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// The file was read but is not valid RON for what it should contain.
    #[error("{} is damaged at line {line}, column {column}: {message}.", path.display())]
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
    #[error("Could not encode the settings for {}: {message}.", path.display())]
    Encode {
        /// The file that was going to be written.
        path: PathBuf,
        /// What the RON serializer said.
        message: String,
    },
    /// Writing, syncing or renaming failed; the previous file, if any, is untouched.
    #[error("Could not save {}: {error}.", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// The file was written by a newer build; loading it would drop what this build
    /// does not know, and saving would then destroy it.
    #[error(
        "{} was written by a newer version of Topicscope (format {version}; this version \
         reads up to format {supported}), so it was not loaded.",
        path.display()
    )]
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
    #[error(
        "Not saving to {}, so as not to overwrite it: it could not be loaded when \
         Topicscope started. Fix or move that file, then restart Topicscope. {reason}",
        path.display()
    )]
    ReadOnly {
        /// The file that is protected.
        path: PathBuf,
        /// The load error, as shown at start-up.
        reason: String,
    },
    /// Neither `TOPICSCOPE_CONFIG_DIR` nor the platform's configuration directory is known.
    #[error(
        "Could not find a configuration directory (no home directory?); \
         set TOPICSCOPE_CONFIG_DIR to choose one."
    )]
    NoConfigDir,
}

/// Reads a RON file; `Ok(None)` when it does not exist, so first runs need no special case.
pub fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(StoreError::Read {
                path: path.to_owned(),
                error,
            });
        }
    };
    // People edit these files by hand and write `username: "bob"`; accept that as well
    // as the `Some("bob")` we write ourselves.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(&text)
        .map(Some)
        .map_err(|error| StoreError::Parse {
            path: path.to_owned(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        })
}

/// Writes `value` as pretty RON to `path`, atomically, creating the directory if needed.
pub fn write_ron_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
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
    Ok(())
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

fn create_private_dir(dir: &Path) -> io::Result<()> {
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
