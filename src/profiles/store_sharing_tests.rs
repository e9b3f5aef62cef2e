//! Tests for a `profiles.ron` shared with other writers or replaced by something hostile:
//! two stores saving in turn, a file changed on disk, stale temporary files, FIFOs,
//! endless devices, huge files and byte-order marks.

use std::fs;
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::profiles::MAX_SETTINGS_FILE_BYTES;

fn load_ok(path: &Path) -> ProfileStore {
    let outcome = ProfileStore::load(path);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    outcome.store
}

fn names(store: &ProfileStore) -> Vec<String> {
    store.list().iter().map(|p| p.name.clone()).collect()
}

#[test]
fn a_profile_saved_by_another_window_survives_a_later_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let mut first = ProfileStore::new(&path);
    first.upsert(Profile::new("Shared", "mqtt://shared"));
    first.save().unwrap();

    // Two windows start on the same directory.
    let mut a = load_ok(&path);
    let mut b = load_ok(&path);
    b.upsert(Profile::new("From B", "mqtt://b"));
    b.save().unwrap();
    a.upsert(Profile::new("From A", "mqtt://a"));
    a.save().unwrap();

    let on_disk = load_ok(&path);
    assert_eq!(names(&on_disk), ["Shared", "From A", "From B"]);
    // A now shows B's profile too, and says where it came from.
    assert_eq!(names(&a), names(&on_disk));
    assert_eq!(a.take_notices(), ["'From B' was added by another Topicscope window."]);
    assert!(a.take_notices().is_empty());
    // B's next save keeps A's profile in turn.
    b.set_last_used(Some("From B"));
    b.save().unwrap();
    assert_eq!(names(&load_ok(&path)), ["Shared", "From B", "From A"]);
}

#[test]
fn the_same_profile_edited_in_two_windows_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let mut first = ProfileStore::new(&path);
    first.upsert(Profile::new("Lab", "mqtt://old"));
    first.save().unwrap();
    let mut a = load_ok(&path);
    let mut b = load_ok(&path);
    b.upsert(Profile::new("Lab", "mqtt://from-b"));
    b.save().unwrap();
    a.upsert(Profile::new("Lab", "mqtt://from-a"));
    a.save().unwrap();
    let on_disk = load_ok(&path);
    assert_eq!(on_disk.get("Lab").unwrap().broker_url, "mqtt://from-a");
    assert_eq!(on_disk.get("Lab (other window)").unwrap().broker_url, "mqtt://from-b");
    assert_eq!(a.take_notices().len(), 1);
}

#[test]
fn a_file_damaged_on_disk_after_loading_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let mut store = ProfileStore::new(&path);
    store.upsert(Profile::new("A", "mqtt://a"));
    store.save().unwrap();
    // Someone edits it by hand and leaves a typo.
    fs::write(&path, "(profiles: [ (name: \"Hand\" ").unwrap();
    store.upsert(Profile::new("B", "mqtt://b"));
    let error = store.save().unwrap_err();
    assert!(matches!(error, StoreError::ChangedOnDisk { .. }), "{error:?}");
    assert!(error.to_string().contains("changed it since it was loaded"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "(profiles: [ (name: \"Hand\" ");
}

#[test]
fn an_unchanged_file_is_simply_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let mut store = ProfileStore::new(&path);
    store.upsert(Profile::new("A", "mqtt://a"));
    store.save().unwrap();
    store.remove("A");
    store.save().unwrap();
    assert!(load_ok(&path).list().is_empty());
    assert!(store.take_notices().is_empty());
}

fn age(path: &Path, by: Duration) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn temporary_files_left_by_a_killed_save_are_removed_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let stale = dir.path().join(".profiles.ron.0badf00d.tmp");
    let fresh = dir.path().join(".profiles.ron.12345678.tmp");
    let unrelated = dir.path().join(".profiles.ron.notmine.tmp");
    for file in [&stale, &fresh, &unrelated] {
        fs::write(file, "(profiles: [(name: \"X\", password: \"hunter2\")])").unwrap();
    }
    age(&stale, Duration::from_secs(3600));
    age(&unrelated, Duration::from_secs(3600));
    let _ = load_ok(&path);
    assert!(!stale.exists(), "a stale temporary file with credentials was left");
    // One written a moment ago may be another process's save in progress.
    assert!(fresh.exists());
    assert!(unrelated.exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_the_file_is_reported_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success());
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let load_path = path.clone();
    std::thread::spawn(move || {
        let _ = tx.send(ProfileStore::load(&load_path).error.map(|e| e.to_string()));
    });
    let error = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("loading a FIFO must not block");
    let error = error.expect("a FIFO must be reported");
    assert!(error.contains("named pipe (FIFO), not a regular file"), "{error}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[cfg(unix)]
#[test]
fn a_link_to_an_endless_device_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    let outcome = ProfileStore::load(&path);
    let error = outcome.error.expect("a device must be reported");
    assert!(
        matches!(error, StoreError::NotRegularFile { what: "a device", .. }),
        "{error:?}"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let file = fs::File::create(&path).unwrap();
    file.set_len(MAX_SETTINGS_FILE_BYTES + 1).unwrap(); // sparse: costs no disk
    drop(file);
    let LoadOutcome { mut store, error } = ProfileStore::load(&path);
    let error = error.expect("an oversized file must be reported");
    assert!(matches!(error, StoreError::TooLarge { .. }), "{error:?}");
    assert!(error.to_string().contains("larger than 16 MiB"), "{error}");
    assert!(matches!(store.save(), Err(StoreError::ReadOnly { .. })));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    fs::write(&path, "\u{feff}(version: 1, profiles: [(name: \"Notepad\")])\r\n").unwrap();
    let store = load_ok(&path);
    assert_eq!(names(&store), ["Notepad"]);
}
