//! The saved list of connection profiles: `<config dir>/profiles.ron`.
//!
//! Loading never fails the program: a missing file is an empty list, and a damaged or
//! unreadable one is reported and then protected. A store loaded from a bad file
//! refuses to save, because writing our (empty) list over it would destroy the very
//! profiles the person is about to repair by hand.
//!
//! Several processes may share the file (two windows, or the window and a hand edit).
//! The store remembers what it loaded; before saving, under a lock, it compares the
//! file with that, and if someone else changed it, merges their changes in (see
//! `merge.rs`) instead of writing over them. What was merged is told in
//! [`ProfileStore::take_notices`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::ProfileError;
use super::file_guard::{SaveLock, remove_stale_temp_files};
use super::merge::{Side, merge};
use super::profile::{Profile, generate_client_id};
use super::ron_file::{FileStamp, StoreError, file_stamp, read_ron_stamped, write_ron_atomic_stamped};

/// Environment variable that overrides the configuration directory (tests, portable use).
pub const CONFIG_DIR_ENV: &str = "TOPICSCOPE_CONFIG_DIR";
/// File name of the profile list inside the configuration directory.
pub const PROFILES_FILE_NAME: &str = "profiles.ron";
/// Format version written by this build. Bump it when a change needs migrating.
pub const PROFILES_FILE_VERSION: u32 = 1;

/// The on-disk shape of `profiles.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfilesFile {
    /// Format version; see [`PROFILES_FILE_VERSION`].
    pub version: u32,
    /// The profiles, in the order shown in the picker.
    pub profiles: Vec<Profile>,
    /// Name of the profile used last, preselected at start.
    pub last_used: Option<String>,
}

impl Default for ProfilesFile {
    fn default() -> Self {
        Self {
            version: PROFILES_FILE_VERSION,
            profiles: Vec::new(),
            last_used: None,
        }
    }
}

/// Where settings files live: `$TOPICSCOPE_CONFIG_DIR` if set and not empty, otherwise
/// the platform's directory (e.g. `~/.config/topicscope` on Linux).
pub fn config_dir() -> Result<PathBuf, StoreError> {
    config_dir_from(std::env::var_os(CONFIG_DIR_ENV))
}

/// [`config_dir`] with the variable's value passed in, so tests need not touch the
/// process-wide environment.
pub fn config_dir_from(override_dir: Option<OsString>) -> Result<PathBuf, StoreError> {
    match override_dir {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("dev", "topicscope", "topicscope")
            .map(|dirs| dirs.config_dir().to_owned())
            .ok_or(StoreError::NoConfigDir),
    }
}

/// The result of loading: always a usable store, plus the error to show if any.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The profiles (empty when the file was missing or bad).
    pub store: ProfileStore,
    /// Why the file could not be loaded; the store is then read-only.
    pub error: Option<StoreError>,
}

/// The profile list in memory, tied to the file it came from.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
    profiles: Vec<Profile>,
    last_used: Option<String>,
    /// Set when the file could not be loaded: why, and so saving is refused.
    read_only_reason: Option<String>,
    /// The file as last loaded or saved by this store (`None`: there was no file), to
    /// see and merge other writers' changes.
    baseline: Option<Baseline>,
    /// What the person should be told about merges done while saving.
    notices: Vec<String>,
}

/// What the file held when this store last read or wrote it.
#[derive(Debug, Clone)]
struct Baseline {
    stamp: FileStamp,
    profiles: Vec<Profile>,
    last_used: Option<String>,
}

impl ProfileStore {
    /// An empty store that will save to `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            profiles: Vec::new(),
            last_used: None,
            read_only_reason: None,
            baseline: None,
            notices: Vec::new(),
        }
    }

    /// Loads `profiles.ron` from [`config_dir`].
    pub fn load_default() -> LoadOutcome {
        match config_dir() {
            Ok(dir) => Self::load(dir.join(PROFILES_FILE_NAME)),
            Err(error) => {
                // No file to protect, but nowhere to save either: `save` reports this.
                tracing::warn!("{error}");
                LoadOutcome {
                    store: Self::new(PathBuf::new()),
                    error: Some(error),
                }
            }
        }
    }

    /// Loads the store from `path`. Never fails; see [`LoadOutcome`].
    pub fn load(path: impl Into<PathBuf>) -> LoadOutcome {
        let path = path.into();
        remove_stale_temp_files(&path);
        let mut store = Self::new(path.clone());
        let error = match read_profiles(&path) {
            Ok(None) => None,
            Ok(Some((file, stamp))) => {
                store.baseline = Some(Baseline {
                    stamp,
                    profiles: file.profiles.clone(),
                    last_used: file.last_used.clone(),
                });
                store.profiles = file.profiles;
                store.last_used = file.last_used;
                None
            }
            Err(error) => Some(error),
        };
        if let Some(error) = &error {
            tracing::warn!("{error}");
            store.read_only_reason = Some(error.to_string());
        }
        LoadOutcome { store, error }
    }

    /// The file this store loads from and saves to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why saving is refused, if it is.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only_reason.as_deref()
    }

    /// The profile with this exact name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|profile| profile.name == name)
    }

    /// All profiles, in display order.
    pub fn list(&self) -> &[Profile] {
        &self.profiles
    }

    /// Replaces the profile of the same name in place, or appends it. Returns the
    /// replaced profile. No validation: the editor may keep a half-finished draft.
    pub fn upsert(&mut self, profile: Profile) -> Option<Profile> {
        match self.profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(existing) => Some(std::mem::replace(existing, profile)),
            None => {
                self.profiles.push(profile);
                None
            }
        }
    }

    /// Removes and returns the named profile; forgets it as last used.
    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        let index = self.index_of(name)?;
        if self.last_used.as_deref() == Some(name) {
            self.last_used = None;
        }
        Some(self.profiles.remove(index))
    }

    /// Renames a profile, keeping its place and its last-used mark.
    pub fn rename(&mut self, old_name: &str, new_name: &str) -> Result<(), ProfileError> {
        let index = self.index_of(old_name).ok_or_else(|| ProfileError::NotFound {
            name: old_name.to_owned(),
        })?;
        if new_name.trim().is_empty() {
            return Err(ProfileError::EmptyName);
        }
        if new_name != old_name && self.get(new_name).is_some() {
            return Err(ProfileError::NameTaken {
                name: new_name.to_owned(),
            });
        }
        self.profiles[index].name = new_name.to_owned();
        if self.last_used.as_deref() == Some(old_name) {
            self.last_used = Some(new_name.to_owned());
        }
        Ok(())
    }

    /// Copies a profile as "X (copy)" (or "X (copy 2)", …) right after the original,
    /// with a new client id so both can be connected at once. Returns the new name.
    pub fn duplicate(&mut self, name: &str) -> Result<String, ProfileError> {
        let index = self
            .index_of(name)
            .ok_or_else(|| ProfileError::NotFound { name: name.to_owned() })?;
        let new_name = (1..)
            .map(|n| match n {
                1 => crate::tr!("worker-copy-name", name = name),
                n => crate::tr!("worker-copy-name-n", name = name, n = n),
            })
            .find(|candidate| self.get(candidate).is_none())
            .expect("an unbounded range always yields a free name");
        let mut copy = self.profiles[index].clone();
        copy.name = new_name.clone();
        copy.client_id = generate_client_id();
        self.profiles.insert(index + 1, copy);
        Ok(new_name)
    }

    /// The name of the profile used last, if any.
    pub fn last_used_name(&self) -> Option<&str> {
        self.last_used.as_deref()
    }

    /// The profile used last, if it still exists.
    pub fn last_used(&self) -> Option<&Profile> {
        self.get(self.last_used.as_deref()?)
    }

    /// Records which profile was used last (or none).
    pub fn set_last_used(&mut self, name: Option<&str>) {
        self.last_used = name.map(str::to_owned);
    }

    /// Writes the store to its file atomically, unless the file is protected. When
    /// another process changed the file since this store loaded or saved it, its changes
    /// are merged in first (this store then holds the merged list) and described in
    /// [`ProfileStore::take_notices`]; nothing of theirs is dropped silently.
    pub fn save(&mut self) -> Result<(), StoreError> {
        if self.path.as_os_str().is_empty() {
            return Err(StoreError::NoConfigDir);
        }
        if let Some(reason) = &self.read_only_reason {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                reason: reason.clone(),
            });
        }
        let _lock = SaveLock::acquire(&self.path)?;
        let on_disk = file_stamp(&self.path).map_err(|e| self.changed_on_disk(e))?;
        if on_disk != self.baseline.as_ref().map(|b| b.stamp) {
            self.merge_from_disk()?;
        }
        let file = ProfilesFile {
            version: PROFILES_FILE_VERSION,
            profiles: self.profiles.clone(),
            last_used: self.last_used.clone(),
        };
        let stamp = write_ron_atomic_stamped(&self.path, &file)?;
        self.baseline = Some(Baseline {
            stamp,
            profiles: file.profiles,
            last_used: file.last_used,
        });
        Ok(())
    }

    /// What was merged from other writers since the last call, one sentence each.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Folds the file's current content (written by someone else) into this store.
    fn merge_from_disk(&mut self) -> Result<(), StoreError> {
        let (theirs, _) = match read_profiles(&self.path) {
            Ok(Some(found)) => found,
            // Deleted since: nothing of theirs to keep. Taking the deletion as "they
            // removed every profile" would throw ours away; write ours instead.
            Ok(None) => return Ok(()),
            Err(error) => return Err(self.changed_on_disk(error)),
        };
        let (base_profiles, base_last) = match &self.baseline {
            Some(b) => (b.profiles.as_slice(), b.last_used.as_deref()),
            None => (&[][..], None),
        };
        let merged = merge(
            Side {
                profiles: base_profiles,
                last_used: base_last,
            },
            Side {
                profiles: &self.profiles,
                last_used: self.last_used.as_deref(),
            },
            Side {
                profiles: &theirs.profiles,
                last_used: theirs.last_used.as_deref(),
            },
        );
        for notice in &merged.notices {
            tracing::warn!("{}: {notice}", self.path.display());
        }
        self.profiles = merged.profiles;
        self.last_used = merged.last_used;
        self.notices.extend(merged.notices);
        Ok(())
    }

    fn changed_on_disk(&self, error: StoreError) -> StoreError {
        StoreError::ChangedOnDisk {
            path: self.path.clone(),
            reason: error.to_string(),
        }
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.profiles.iter().position(|profile| profile.name == name)
    }
}

/// Reads the file, refusing one written by a newer build: fields it added would be
/// dropped on save, so keep hands off.
fn read_profiles(path: &Path) -> Result<Option<(ProfilesFile, FileStamp)>, StoreError> {
    match read_ron_stamped::<ProfilesFile>(path)? {
        Some((file, _)) if file.version > PROFILES_FILE_VERSION => Err(StoreError::NewerVersion {
            path: path.to_owned(),
            version: file.version,
            supported: PROFILES_FILE_VERSION,
        }),
        found => Ok(found),
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "store_sharing_tests.rs"]
mod sharing_tests;
