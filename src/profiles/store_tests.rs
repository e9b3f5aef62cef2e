//! Tests for `ProfileStore`: round trips, damaged and unreadable files, editing.

use std::fs;

use super::*;

fn store_in(dir: &tempfile::TempDir) -> (PathBuf, ProfileStore) {
    let path = dir.path().join(PROFILES_FILE_NAME);
    let outcome = ProfileStore::load(&path);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    (path, outcome.store)
}

fn names(store: &ProfileStore) -> Vec<&str> {
    store.list().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn missing_file_is_an_empty_writable_store() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = store_in(&dir);
    assert!(store.list().is_empty());
    assert_eq!(store.read_only_reason(), None);
    assert_eq!(store.path(), path);
    store.save().unwrap();
    assert!(path.is_file());
}

#[test]
fn save_and_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir").join(PROFILES_FILE_NAME);
    let mut store = ProfileStore::new(&path);
    let mut home = Profile::new("Home", "mqtt://alice:pw@localhost:1883");
    home.password = Some("s3cret \"quoted\"".into());
    store.upsert(home.clone());
    store.upsert(Profile::new("Lab", "ws://[::1]:9001/mqtt"));
    store.set_last_used(Some("Lab"));
    store.save().unwrap();

    let outcome = ProfileStore::load(&path);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    let loaded = outcome.store;
    assert_eq!(loaded.list(), store.list());
    assert_eq!(loaded.get("Home"), Some(&home));
    assert_eq!(loaded.last_used_name(), Some("Lab"));
    assert_eq!(loaded.last_used().map(|p| p.name.as_str()), Some("Lab"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("version: 1,"), "{text}");
}

#[cfg(unix)]
#[test]
fn saved_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = store_in(&dir);
    store.upsert(Profile::new("A", "localhost"));
    store.save().unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
}

#[test]
fn corrupt_file_is_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let original = "(\n    version: 1,\n    profiles: [\n        (name: \"A\" broker_url: \"x\"),\n    ],\n)\n";
    fs::write(&path, original).unwrap();

    let LoadOutcome { mut store, error } = ProfileStore::load(&path);
    let error = error.expect("a damaged file must be reported");
    let message = error.to_string();
    assert!(matches!(error, StoreError::Parse { line: 4, .. }), "{error:?}");
    assert!(
        message.starts_with(&format!("{} is damaged at line 4, column ", path.display())),
        "{message}"
    );
    assert!(store.list().is_empty());
    assert_eq!(store.read_only_reason(), Some(message.as_str()));

    store.upsert(Profile::new("New", "localhost"));
    let save_error = store.save().unwrap_err();
    assert!(matches!(save_error, StoreError::ReadOnly { .. }), "{save_error:?}");
    let save_message = save_error.to_string();
    assert!(
        save_message.starts_with(&format!("Not saving to {}, ", path.display())),
        "{save_message}"
    );
    assert!(save_message.contains("Fix or move that file"), "{save_message}");
    assert!(save_message.ends_with(&message), "{save_message}");
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn unreadable_path_is_reported_and_protected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    fs::create_dir(&path).unwrap();
    fs::write(path.join("keep.txt"), "mine").unwrap();

    let LoadOutcome { mut store, error } = ProfileStore::load(&path);
    let error = error.expect("a directory in place of the file must be reported");
    assert!(matches!(error, StoreError::Read { .. }), "{error:?}");
    assert!(error.to_string().contains(&path.display().to_string()));
    store.upsert(Profile::new("New", "localhost"));
    assert!(matches!(store.save(), Err(StoreError::ReadOnly { .. })));
    assert_eq!(fs::read_to_string(path.join("keep.txt")).unwrap(), "mine");
}

#[test]
fn file_from_a_newer_version_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    let original = "(version: 2, profiles: [(name: \"A\", future_field: 1)])";
    fs::write(&path, original).unwrap();
    let LoadOutcome { mut store, error } = ProfileStore::load(&path);
    assert!(
        matches!(
            error,
            Some(StoreError::NewerVersion {
                version: 2,
                supported: 1,
                ..
            })
        ),
        "{error:?}"
    );
    assert!(store.list().is_empty());
    assert!(matches!(store.save(), Err(StoreError::ReadOnly { .. })));
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn partial_file_loads_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE_NAME);
    fs::write(&path, "(profiles: [(name: \"Old\", keep_alive_secs: 5)])").unwrap();
    let LoadOutcome { store, error } = ProfileStore::load(&path);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(store.last_used_name(), None);
    let old = store.get("Old").unwrap();
    assert_eq!(old.keep_alive_secs, 5);
    assert_eq!(old.broker_url, "mqtt://localhost:1883");
    assert_eq!(old.connect_timeout_secs, 10);
    assert_eq!(old.subscriptions.len(), 2);

    // Hand-written options without `Some(...)` are accepted too.
    fs::write(
        &path,
        "(profiles: [(name: \"H\", username: \"bob\")], last_used: \"H\")",
    )
    .unwrap();
    let LoadOutcome { store, error } = ProfileStore::load(&path);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(store.get("H").unwrap().username.as_deref(), Some("bob"));
    assert_eq!(store.last_used_name(), Some("H"));

    fs::write(&path, "()").unwrap();
    let LoadOutcome { store, error } = ProfileStore::load(&path);
    assert!(error.is_none() && store.list().is_empty(), "{error:?}");
}

#[test]
fn upsert_get_remove() {
    let mut store = ProfileStore::new("unused.ron");
    assert_eq!(store.upsert(Profile::new("A", "h1")), None);
    assert_eq!(store.upsert(Profile::new("B", "h2")), None);
    let replaced = store.upsert(Profile::new("A", "h3")).unwrap();
    assert_eq!(replaced.broker_url, "h1");
    assert_eq!(names(&store), ["A", "B"]);
    assert_eq!(store.get("A").unwrap().broker_url, "h3");
    assert_eq!(store.get("a"), None);

    store.set_last_used(Some("A"));
    assert_eq!(store.remove("A").map(|p| p.name), Some("A".into()));
    assert_eq!(store.last_used_name(), None);
    assert_eq!(store.remove("A"), None);
    assert_eq!(names(&store), ["B"]);
}

#[test]
fn rename_checks_names_and_follows_last_used() {
    let mut store = ProfileStore::new("unused.ron");
    store.upsert(Profile::new("A", "h"));
    store.upsert(Profile::new("B", "h"));
    store.set_last_used(Some("A"));
    assert_eq!(
        store.rename("A", "B"),
        Err(ProfileError::NameTaken { name: "B".into() })
    );
    assert_eq!(store.rename("A", " "), Err(ProfileError::EmptyName));
    assert_eq!(store.rename("Z", "Y"), Err(ProfileError::NotFound { name: "Z".into() }));
    assert_eq!(store.rename("A", "A"), Ok(()));
    assert_eq!(store.rename("A", "C"), Ok(()));
    assert_eq!(names(&store), ["C", "B"]);
    assert_eq!(store.last_used_name(), Some("C"));
}

#[test]
fn duplicate_picks_free_copy_names_and_new_client_ids() {
    let mut store = ProfileStore::new("unused.ron");
    store.upsert(Profile::new("X", "h"));
    store.upsert(Profile::new("Y", "h"));
    assert_eq!(store.duplicate("X"), Ok("X (copy)".into()));
    assert_eq!(store.duplicate("X"), Ok("X (copy 2)".into()));
    assert_eq!(
        store.duplicate("nope"),
        Err(ProfileError::NotFound { name: "nope".into() })
    );
    assert_eq!(names(&store), ["X", "X (copy 2)", "X (copy)", "Y"]);
    let original = store.get("X").unwrap();
    let copy = store.get("X (copy)").unwrap();
    assert_ne!(copy.client_id, original.client_id);
    assert_eq!(copy.broker_url, original.broker_url);
}

#[test]
fn config_dir_override_and_platform_default() {
    assert_eq!(
        config_dir_from(Some("/tmp/ts-config".into())).unwrap(),
        PathBuf::from("/tmp/ts-config")
    );
    // An empty variable is treated as unset rather than as the current directory.
    let platform = config_dir_from(Some("".into()));
    assert_eq!(platform.as_ref().ok(), config_dir_from(None).as_ref().ok());
    if let Ok(dir) = platform {
        assert!(dir.to_string_lossy().to_lowercase().contains("topicscope"), "{dir:?}");
    }
    // Only reads the environment, so it is safe alongside parallel tests.
    assert_eq!(
        config_dir().ok(),
        config_dir_from(std::env::var_os(CONFIG_DIR_ENV)).ok()
    );
}

#[test]
fn save_without_a_config_dir_says_so() {
    let mut store = ProfileStore::new(PathBuf::new());
    assert!(matches!(store.save(), Err(StoreError::NoConfigDir)));
}
