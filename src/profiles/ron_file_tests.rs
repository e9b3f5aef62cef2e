//! Tests for the generic RON read / atomic write helpers.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sample {
    name: String,
    sizes_bytes: Vec<u64>,
    extra: BTreeMap<String, Option<String>>,
}

fn sample() -> Sample {
    Sample {
        name: "window \"layout\"\nsecond line".into(),
        sizes_bytes: vec![0, 1, u64::MAX],
        extra: BTreeMap::from([("a".into(), None), ("b".into(), Some("é".into()))]),
    }
}

#[test]
fn round_trip_creates_missing_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/sample.ron");
    write_ron_atomic(&path, &sample()).unwrap();
    let loaded: Option<Sample> = read_ron(&path).unwrap();
    assert_eq!(loaded, Some(sample()));
    // Only the file itself: the temporary file was renamed, not left behind.
    let names: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("sample.ron")]);
}

#[test]
fn missing_file_reads_as_none() {
    let dir = tempfile::tempdir().unwrap();
    let loaded: Option<Sample> = read_ron(&dir.path().join("absent.ron")).unwrap();
    assert_eq!(loaded, None);
}

#[test]
fn overwrite_replaces_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ron");
    fs::write(&path, "old content that is much longer than the new one ".repeat(100)).unwrap();
    let value = vec![1u8, 2, 3];
    write_ron_atomic(&path, &value).unwrap();
    assert_eq!(read_ron::<Vec<u8>>(&path).unwrap(), Some(value));
    assert!(fs::read_to_string(&path).unwrap().ends_with('\n'));
}

#[test]
fn parse_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    fs::write(&path, "(\n    name: \"x\",\n    sizes_bytes: [1, 2,, 3],\n)\n").unwrap();
    let error = read_ron::<Sample>(&path).unwrap_err();
    let StoreError::Parse { line, column, .. } = &error else {
        panic!("expected a parse error, got {error:?}");
    };
    // Column 24 is the second comma, the character that is wrong.
    assert_eq!((*line, *column), (3, 24));
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{} is damaged at line 3, column 24: ", path.display())),
        "{message}"
    );
}

#[test]
fn a_directory_in_place_of_the_file_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.ron");
    fs::create_dir(&path).unwrap();
    let error = read_ron::<Sample>(&path).unwrap_err();
    assert!(matches!(error, StoreError::Read { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("Could not read {}: ", path.display())),
        "{error}"
    );
    // Writing cannot replace a directory either, and says which file it was.
    let error = write_ron_atomic(&path, &1u8).unwrap_err();
    assert!(matches!(error, StoreError::Write { .. }), "{error:?}");
    assert!(path.is_dir());
}

#[cfg(unix)]
#[test]
fn written_files_are_private_even_when_replacing_a_public_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-subdir/sample.ron");
    write_ron_atomic(&path, &sample()).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    write_ron_atomic(&path, &sample()).unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_followed_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    fs::write(&real, "0").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_ron_atomic(&link, &7u32).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), "7\n");
}
