//! Tests of the connection dialog.

use super::form::*;
use super::*;
use crate::profiles::PROFILES_FILE_NAME;

fn store_in(dir: &tempfile::TempDir) -> ProfileStore {
    ProfileStore::new(dir.path().join(PROFILES_FILE_NAME))
}

fn reload(store: &ProfileStore) -> ProfileStore {
    let outcome = ProfileStore::load(store.path());
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    outcome.store
}

fn names(store: &ProfileStore) -> Vec<&str> {
    store.list().iter().map(|p| p.name.as_str()).collect()
}

/// A store whose file is damaged, so it refuses to save.
fn read_only_store(dir: &tempfile::TempDir) -> ProfileStore {
    let path = dir.path().join(PROFILES_FILE_NAME);
    std::fs::write(&path, "(version: 1, profiles: [ this is not ron").unwrap();
    let outcome = ProfileStore::load(&path);
    assert!(outcome.error.is_some());
    outcome.store
}

#[test]
fn opens_on_a_localhost_draft_when_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let dialog = ProfileDialog::for_store(&store_in(&dir));
    assert_eq!(dialog.original_name, None);
    assert_eq!(dialog.working.name, "localhost");
    assert_eq!(dialog.working.broker_url, "mqtt://localhost:1883");
    assert!(!dialog.has_unsaved_changes());
}

#[test]
fn opens_on_the_last_used_profile_else_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    store.upsert(Profile::new("A", "mqtt://a"));
    store.upsert(Profile::new("B", "mqtt://b"));
    assert_eq!(ProfileDialog::for_store(&store).original_name.as_deref(), Some("A"));
    store.set_last_used(Some("B"));
    let dialog = ProfileDialog::for_store(&store);
    assert_eq!(dialog.original_name.as_deref(), Some("B"));
    assert_eq!(dialog.working.broker_url, "mqtt://b");
}

#[test]
fn saving_a_new_profile_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    let mut draft = Profile::new("  Lab  ", " mqtt://lab.local:1884 ");
    draft.password = Some("secret".into());
    draft.username = Some("me".into());
    let saved = save_working_copy(&mut store, None, &draft).unwrap();
    assert_eq!(saved.name, "Lab");
    assert_eq!(saved.broker_url, "mqtt://lab.local:1884");
    assert_eq!(reload(&store).get("Lab"), Some(&saved));
}

#[test]
fn renaming_keeps_the_place_and_the_last_used_mark() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    store.upsert(Profile::new("A", "mqtt://a"));
    store.upsert(Profile::new("B", "mqtt://b"));
    store.set_last_used(Some("A"));
    let mut edited = store.get("A").unwrap().clone();
    edited.name = "A2".into();
    edited.keep_alive_secs = 5;
    save_working_copy(&mut store, Some("A"), &edited).unwrap();
    let loaded = reload(&store);
    assert_eq!(names(&loaded), ["A2", "B"]);
    assert_eq!(loaded.last_used_name(), Some("A2"));
    assert_eq!(loaded.get("A2").unwrap().keep_alive_secs, 5);
}

#[test]
fn taken_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    store.upsert(Profile::new("A", "mqtt://a"));
    store.upsert(Profile::new("B", "mqtt://b"));
    let before = store.list().to_vec();

    let new_a = Profile::new("A", "mqtt://other");
    let err = save_working_copy(&mut store, None, &new_a).unwrap_err();
    assert!(
        matches!(&err, SaveError::Refused(m) if m.contains("already exists")),
        "{err:?}"
    );

    let mut b_as_a = store.get("B").unwrap().clone();
    b_as_a.name = "A".into();
    let err = save_working_copy(&mut store, Some("B"), &b_as_a).unwrap_err();
    assert!(
        matches!(&err, SaveError::Refused(m) if m.contains("already exists")),
        "{err:?}"
    );
    assert_eq!(store.list(), before.as_slice());
    assert!(!store.path().exists(), "nothing may be written");
}

#[test]
fn invalid_profiles_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    let bad_url = Profile::new("X", "http://example.com");
    let err = save_working_copy(&mut store, None, &bad_url).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The broker address is not valid: unsupported scheme 'http' \
         (use mqtt://, mqtts://, ws:// or wss://)."
    );
    let mut bad_filter = Profile::new("X", "mqtt://localhost");
    bad_filter.subscriptions = vec![Subscription::new("a/#/b")];
    assert!(save_working_copy(&mut store, None, &bad_filter).is_err());
    let unnamed = Profile::new("   ", "mqtt://localhost");
    assert!(save_working_copy(&mut store, None, &unnamed).is_err());
    assert!(store.list().is_empty());
    assert!(!store.path().exists());
}

#[test]
fn a_protected_file_leaves_the_list_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = read_only_store(&dir);
    let err = save_working_copy(&mut store, None, &Profile::new("A", "localhost")).unwrap_err();
    assert!(
        matches!(&err, SaveError::NotWritten(m) if m.contains("Not saving")),
        "{err:?}"
    );
    assert!(store.list().is_empty());
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("this is not ron"), "the damaged file must be kept");
}

#[test]
fn delete_and_duplicate_write_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    store.upsert(Profile::new("A", "mqtt://a"));
    let copy = duplicate_profile(&mut store, "A").unwrap();
    assert_eq!(copy, "A (copy)");
    assert_eq!(names(&reload(&store)), ["A", "A (copy)"]);
    delete_profile(&mut store, "A").unwrap();
    assert_eq!(names(&reload(&store)), ["A (copy)"]);
    assert!(matches!(delete_profile(&mut store, "A"), Err(SaveError::Refused(_))));
}

#[test]
fn delete_and_duplicate_are_undone_when_the_file_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = read_only_store(&dir);
    store.upsert(Profile::new("A", "mqtt://a"));
    assert!(matches!(
        duplicate_profile(&mut store, "A"),
        Err(SaveError::NotWritten(_))
    ));
    assert!(matches!(delete_profile(&mut store, "A"), Err(SaveError::NotWritten(_))));
    assert_eq!(names(&store), ["A"]);
}

#[test]
fn dialog_flow_new_save_rename_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    let mut dialog = ProfileDialog::for_store(&store);
    dialog.working.name = "Home".into();
    assert!(dialog.has_unsaved_changes());
    assert_eq!(dialog.apply(Action::Save, &mut store), (None, false));
    assert_eq!(dialog.status, Some(Status::Done("Saved 'Home'.".into())));
    assert_eq!(dialog.original_name.as_deref(), Some("Home"));
    assert!(!dialog.has_unsaved_changes());

    // Switching away with unsaved edits asks first.
    dialog.working.keep_alive_secs = 9;
    dialog.apply(Action::Switch(Target::New), &mut store);
    assert_eq!(dialog.pending_switch, Some(Target::New));
    dialog.apply(Action::Discard(false), &mut store);
    assert_eq!(dialog.working.keep_alive_secs, 9);
    dialog.apply(Action::Switch(Target::New), &mut store);
    dialog.apply(Action::Discard(true), &mut store);
    assert_eq!(dialog.original_name, None);
    assert_eq!(dialog.working.name, "New profile");
    assert_ne!(store.get("Home").unwrap().keep_alive_secs, 9);

    dialog.apply(Action::Switch(Target::Saved("Home".into())), &mut store);
    assert_eq!(dialog.original_name.as_deref(), Some("Home"));
    dialog.apply(Action::AskDelete, &mut store);
    assert!(dialog.confirm_delete);
    dialog.apply(Action::Delete(true), &mut store);
    assert!(store.list().is_empty());
    assert_eq!(dialog.working.name, "localhost");
    assert!(reload(&store).list().is_empty());
}

#[test]
fn connect_saves_then_hands_over_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    let mut dialog = ProfileDialog::for_store(&store);
    let (profile, close) = dialog.apply(Action::Connect, &mut store);
    assert!(close);
    assert_eq!(profile.unwrap().name, "localhost");
    assert_eq!(names(&reload(&store)), ["localhost"]);

    // An invalid profile neither connects nor closes.
    dialog.working.broker_url = "mqtt://".into();
    assert_eq!(dialog.apply(Action::Connect, &mut store), (None, false));
    assert!(matches!(dialog.status, Some(Status::Failed(_))));
}

#[test]
fn connect_still_works_when_the_file_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = read_only_store(&dir);
    let mut dialog = ProfileDialog::for_store(&store);
    let (profile, close) = dialog.apply(Action::Connect, &mut store);
    assert!(close);
    assert_eq!(profile.unwrap().broker_url, "mqtt://localhost:1883");
    assert!(store.list().is_empty());
}

#[test]
fn subscriptions_are_validated_and_not_repeated() {
    let mut subscriptions = vec![Subscription::new("#")];
    assert!(add_subscription(&mut subscriptions, "a/#/b", 0).is_err());
    assert!(add_subscription(&mut subscriptions, "", 0).is_err());
    add_subscription(&mut subscriptions, "sensors/+/temp", 1).unwrap();
    add_subscription(&mut subscriptions, "#", 2).unwrap();
    assert_eq!(
        subscriptions,
        [
            Subscription {
                filter: "#".into(),
                qos: 2
            },
            Subscription {
                filter: "sensors/+/temp".into(),
                qos: 1
            },
        ]
    );
}

#[test]
fn packet_size_in_mib_stays_within_limits() {
    assert_eq!(mib_to_bytes(64.0), 64 * 1024 * 1024);
    assert_eq!(mib_to_bytes(0.0), MIN_MAX_PACKET_BYTES);
    assert_eq!(mib_to_bytes(-3.0), MIN_MAX_PACKET_BYTES);
    assert_eq!(mib_to_bytes(1e9), MAX_MAX_PACKET_BYTES);
}

#[test]
fn new_names_do_not_clash() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    assert_eq!(new_draft(&store).name, "localhost");
    store.upsert(Profile::new("New profile", "localhost"));
    store.upsert(Profile::new("New profile 2", "localhost"));
    assert_eq!(new_draft(&store).name, "New profile 3");
}

#[test]
fn debug_output_hides_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut dialog = ProfileDialog::for_store(&store_in(&dir));
    dialog.working.password = Some("hunter2".into());
    assert!(!format!("{dialog:?}").contains("hunter2"));
}

/// The real dialog in a harness: labels reach every input, and Save writes the file.
#[test]
fn dialog_ui_prefills_localhost_validates_and_saves() {
    use egui_kittest::kittest::Queryable as _;

    let dir = tempfile::tempdir().unwrap();
    let mut harness = dialog_harness(&dir, [900.0, 760.0]);
    let url = harness.get_by_label("Broker URL");
    assert_eq!(url.value().as_deref(), Some("mqtt://localhost:1883"));
    // MQTT 3.1.1 (the default) has no session expiry.
    assert!(harness.query_by_label("Session expiry (s)").is_none());
    let save_rect = harness.get_by_label("Save").rect();

    harness.get_by_label("Broker URL").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Broker URL").type_text("http://nope");
    harness.run();
    harness.get_by_label_contains("Not a valid broker address: unsupported scheme 'http'");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label_contains("Not saved. The broker address is not valid");
    assert!(harness.state().0.profiles.list().is_empty());

    harness.get_by_label("Broker URL").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Broker URL").type_text("mqtt://127.0.0.1:1884");
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("Saved 'localhost'.");
    let reloaded = ProfileStore::load(dir.path().join(PROFILES_FILE_NAME)).store;
    assert_eq!(reloaded.get("localhost").unwrap().broker_url, "mqtt://127.0.0.1:1884");
    // The layout is settled: a message does not move the buttons, and the window
    // does not creep from frame to frame.
    assert_eq!(harness.get_by_label("Save").rect(), save_rect);
    harness.run_steps(5);
    assert_eq!(harness.get_by_label("Save").rect(), save_rect);

    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.state().1.is_none());
}

/// Every section open: all inputs are named (the harness checks that on each run),
/// the password is masked, and allowing invalid certificates shows a warning.
#[test]
fn dialog_ui_sections_are_labelled_and_the_password_is_masked() {
    use egui_kittest::kittest::Queryable as _;

    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    let mut profile = Profile::new("Secure", "mqtts://broker.local");
    profile.username = Some("alice".into());
    profile.password = Some("hunter2".into());
    profile.mqtt_version = MqttVersion::V5;
    store.upsert(profile);
    store.save().unwrap();
    let mut harness = dialog_harness(&dir, [900.0, 900.0]);
    assert_eq!(harness.get_by_label("Name").value().as_deref(), Some("Secure"));
    let shown = harness.get_by_label("Password").value().unwrap_or_default();
    assert!(!shown.contains("hunter2"), "password shown as {shown:?}");

    // TLS is open because the address uses TLS.
    harness.get_by_label("Allow invalid certificates").scroll_to_me();
    harness.run();
    harness.get_by_label("Allow invalid certificates").click();
    harness.run();
    harness.get_by_label_contains("certificate is not checked");
    harness.get_by_label("Last will").scroll_to_me();
    harness.run();
    harness.get_by_label("Last will").click();
    harness.run();
    harness.get_by_label("Send a last will").scroll_to_me();
    harness.run();
    harness.get_by_label("Send a last will").click();
    harness.run();
    harness.get_by_label("Will topic");
    harness.get_by_label("Will QoS");
    harness.get_by_label("Max packet size (MiB)");
    // Shown for MQTT 5 profiles only.
    harness.get_by_label("Session expiry (s)");
    harness.get_by_label("QoS of filter 2");

    harness.get_by_label("Save").click();
    harness.run();
    // An empty will topic is refused in words, and nothing is written.
    harness.get_by_label_contains("The last-will topic is not valid.");
    let saved = ProfileStore::load(dir.path().join(PROFILES_FILE_NAME)).store;
    assert!(!saved.get("Secure").unwrap().tls.allow_invalid_certs);

    // Closing with unsaved edits asks first.
    harness.get_by_label("Close").click();
    harness.run();
    harness.get_by_label("Discard the unsaved changes to Secure?");
    harness.get_by_label("Discard").click();
    harness.run();
    assert!(harness.state().1.is_none());
}

#[test]
fn the_tls_paths_and_their_browse_buttons_stay_inside_the_form() {
    use egui_kittest::kittest::Queryable as _;
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_in(&dir);
    store.upsert(Profile::new("Secure", "mqtts://broker.local"));
    store.save().unwrap();
    let mut harness = dialog_harness(&dir, [1024.0, 700.0]);
    harness.get_by_label("Allow invalid certificates").scroll_to_me();
    harness.run();
    let name_end = harness.get_by_label("Name").rect().max.x;
    let browse: Vec<egui::Rect> = harness.query_all_by_label("Browse…").map(|n| n.rect()).collect();
    assert_eq!(browse.len(), 3, "a Browse… per TLS file (TLS is open for mqtts://)");
    for b in browse {
        assert!(
            b.max.x <= name_end + 1.0,
            "a Browse… ends at x = {}, past the form's fields (x = {name_end})",
            b.max.x
        );
    }
}

/// The dialog opened on the profiles saved in `dir`, in a window of `size`, drawn once.
fn dialog_harness(
    dir: &tempfile::TempDir,
    size: [f32; 2],
) -> egui_kittest::Harness<'static, (AppState, Option<ProfileDialog>)> {
    let state = AppState::new(None, dir.path().to_owned(), 1 << 20);
    let dialog = Some(ProfileDialog::open(&state));
    let mut harness = egui_kittest::Harness::builder().with_size(size).build_ui_state(
        |ui, (state, dialog): &mut (AppState, Option<ProfileDialog>)| {
            profile_dialog_ui(ui.ctx(), state, dialog);
        },
        (state, dialog),
    );
    harness.run();
    harness
}
