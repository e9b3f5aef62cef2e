//! Guards around saving a settings file shared by several processes: an advisory lock
//! held from "compare with what I loaded" to "renamed into place", and the clean-up of
//! temporary files (which hold the same secrets as the file) left by a killed save.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::ron_file::{StoreError, create_private_dir};

/// Temporary files left by a save that was killed are removed when older than this; a
/// younger one may belong to another process saving right now.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10);

/// How long a save waits for another process's save to finish.
const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// Removes temporary files a killed save left next to `target` (they may hold
/// passwords). Only those older than a few seconds: a fresh one may be another process's
/// save in progress. Failures are logged, never fatal.
pub fn remove_stale_temp_files(target: &Path) {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(middle) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
        else {
            continue;
        };
        if middle.len() != 8 || !middle.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let age = meta
            .modified()
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok());
        if meta.is_file() && age.is_some_and(|age| age >= STALE_TEMP_AGE) {
            match fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!("removed {}, left by an interrupted save", entry.path().display()),
                Err(error) => tracing::warn!("could not remove {}: {error}", entry.path().display()),
            }
        }
    }
}

/// An exclusive advisory lock on `.<file name>.lock` next to a settings file, held while
/// a process compares the file with what it loaded and replaces it, so two windows
/// saving at the same moment cannot both miss each other's change. Released on drop.
#[derive(Debug)]
pub struct SaveLock {
    file: fs::File,
}

impl SaveLock {
    /// Waits up to a few seconds for the lock (creating the directory if needed).
    pub fn acquire(target: &Path) -> Result<Self, StoreError> {
        let write_error = |error| StoreError::Write {
            path: target.to_owned(),
            error,
        };
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        create_private_dir(&dir).map_err(write_error)?;
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "settings".to_owned());
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(dir.join(format!(".{name}.lock"))).map_err(write_error)?;
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { file }),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked {
                        path: target.to_owned(),
                        timeout: LOCK_TIMEOUT,
                    });
                }
                // File systems without locks (some network mounts): save unlocked, as
                // before, rather than not at all.
                Err(fs::TryLockError::Error(error)) => {
                    tracing::debug!("no save lock for {}: {error}", target.display());
                    return Ok(Self { file });
                }
            }
        }
    }
}

impl Drop for SaveLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
