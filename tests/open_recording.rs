//! Opening a recording in the real window (egui_kittest), without a broker: a file
//! written by the recording writer opens as a read-only tab with a time bar; seeking to
//! a middle moment shows each topic's value as of then (a topic that appears later is
//! absent; dragging the slider with the pointer does the same and keeps the tree's
//! filter, selection and open branches), playing at 100× brings the later values, stepping shows the next message,
//! publishing is refused in words; a damaged file and a file that is not SQLite open
//! nothing and say why.

mod common;

use std::path::Path;

use common::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::model::Message;
use topicscope::record::schema::system_time;
use topicscope::record::{RecordingMeta, RecordingWriter, WriterOptions};

/// 1 s apart from T0: `farm/temp` 10 … 19 (at 0 … 9 s), `farm/late` at 8 s.
const T0: i64 = 1_780_000_000_000_000;
const SEC: i64 = 1_000_000;

fn write_recording(path: &Path, broker: &str) {
    let meta = RecordingMeta::new(broker, &["#".into()]);
    let w = RecordingWriter::create(path, &meta, WriterOptions::default()).unwrap();
    let mut batch = Vec::new();
    for i in 0..10 {
        let mut m = Message::new("farm/temp", (10 + i).to_string(), 1, false);
        m.time = system_time(T0 + i * SEC);
        batch.push(m);
    }
    let mut late = Message::new("farm/late", "here", 0, true);
    late.time = system_time(T0 + 8 * SEC);
    batch.push(late);
    w.send(batch).unwrap();
    w.finish().unwrap();
}

/// The active connection's last payload of `topic`, as text.
fn value(h: &AppHarness, topic: &str) -> Option<String> {
    let tree = h.state().state.conn().model.tree();
    let id = tree.find(topic)?;
    tree.last_message(id)
        .map(|m| String::from_utf8_lossy(&m.payload).into_owned())
}

fn ready(h: &AppHarness) -> bool {
    h.state().state.conn().playback.as_ref().is_some_and(|p| p.ready())
}

fn position(h: &AppHarness) -> i64 {
    h.state().state.conn().playback.as_ref().map_or(0, |p| p.position_us)
}

#[test]
fn a_recording_opens_read_only_and_shows_the_state_at_the_chosen_moment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("farm.tsrec");
    write_recording(&file, "mqtt://farm.lan:1883");
    let mut h = app(dir.path(), Some(StartConnect::Recording(file.clone())));
    step_until(&mut h, "the recording is read", ready);
    // At its end: every topic, the last values.
    assert_eq!(value(&h, "farm/temp").as_deref(), Some("19"));
    assert_eq!(value(&h, "farm/late").as_deref(), Some("here"));
    assert!(has_label(&h, "farm.tsrec"), "the tab is named after the file");
    assert!(has_label(&h, "📼"), "with the recording's symbol");
    assert!(has_label(&h, "Moment"), "the time bar's slider is there");
    assert!(
        has_label(&h, "farm.tsrec: recording, read-only"),
        "the status bar says what the tab is, not \"disconnected\""
    );
    h.check_accessibility();

    // A middle moment: the value as of then, and a later topic absent.
    h.state_mut().state.seek_recording(T0 + 4 * SEC + SEC / 2);
    step_until(&mut h, "the middle is read", ready);
    assert_eq!(value(&h, "farm/temp").as_deref(), Some("14"));
    assert_eq!(value(&h, "farm/late"), None, "farm/late appears only at 8 s");
    let temp_history = {
        let conn = h.state().state.conn();
        let id = conn.model.tree().find("farm/temp").unwrap();
        conn.model.history().messages(id).count()
    };
    assert_eq!(temp_history, 5, "the history holds the messages before the moment");
    select_topic(&mut h, "temp");
    assert!(
        has_label_containing(&h, "14"),
        "the inspector shows the value as of then"
    );
    // Ages are as of the moment (the message came 0.5 s before it), not of the wall
    // clock; and the status bar gives no rate of the file's reading.
    assert!(has_label(&h, "Age 500 ms"), "the age as of the moment");
    assert!(!has_label_containing(&h, "msg/s"), "no reading rate in the status bar");
    assert!(!has_label(&h, "late"), "the tree has no row for farm/late");

    // Step: the next message, and the moment moves to it.
    h.state_mut().state.step_recording();
    step_until(&mut h, "the step arrived", |h| {
        value(h, "farm/temp").as_deref() == Some("15")
    });
    assert_eq!(position(&h), T0 + 5 * SEC);
    assert_eq!(value(&h, "farm/late"), None);

    // Play at 100×: the rest arrives within a fraction of a second.
    h.state_mut().state.set_play_speed(100);
    h.state_mut().state.toggle_play();
    step_until(&mut h, "the later values arrive", |h| {
        value(h, "farm/temp").as_deref() == Some("19") && value(h, "farm/late").is_some()
    });
    step_until(&mut h, "playing stops at the end", |h| {
        !h.state().state.conn().playback.as_ref().unwrap().playing
    });
    assert_eq!(position(&h), T0 + 9 * SEC);

    // Nothing can be sent on a recording, in words.
    let err = h
        .state_mut()
        .state
        .publish("farm/cmd", "on".into(), 0, false, "text", None)
        .unwrap_err();
    assert!(err.contains("read-only"), "{err}");
}

#[test]
fn dragging_the_time_slider_to_a_third_shows_the_state_as_of_then() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("farm.tsrec");
    write_recording(&file, "mqtt://farm.lan:1883");
    let mut h = app(dir.path(), Some(StartConnect::Recording(file.clone())));
    step_until(&mut h, "the recording is read", ready);
    assert_eq!(value(&h, "farm/late").as_deref(), Some("here"), "it opens at its end");
    // What the user set up in the tree holds across the seek: the filter, the selected
    // topic and the open branches (the seek empties the model and reads it afresh).
    select_topic(&mut h, "temp");
    fill(&mut h, "Filter", "temp");
    h.step();
    let tree_view = |h: &AppHarness| -> (String, Option<String>, bool) {
        let conn = h.state().state.conn();
        let view = h.state().ui.panes.view_of(conn.id).expect("the tree was shown");
        let tree = conn.model.tree();
        let farm_open = tree.find("farm").is_some_and(|id| view.tree.expanded.contains(&id));
        (
            view.tree.filter.clone(),
            view.tree.selected.map(|id| tree.full_topic(id)),
            farm_open,
        )
    };
    assert_eq!(tree_view(&h), ("temp".into(), Some("farm/temp".into()), true));

    // The slider spans 0 … 9 s; a third of the way and a little more is 3.5 s, halfway
    // between two messages, so a few pixels either way still mean the same message.
    let rect = h.get_by_role_and_label(Role::Slider, "Moment").rect();
    let y = rect.center().y;
    let at = |fraction: f32| egui::pos2(rect.left() + rect.width() * fraction, y);
    // Pressed on the handle (at the end), moved in steps, let go: as a hand would.
    h.hover_at(at(0.99));
    h.step();
    h.drag_at(at(0.99));
    h.step();
    for fraction in [0.9, 0.7, 0.5, 3.5 / 9.0] {
        h.hover_at(at(fraction));
        h.step();
    }
    assert_eq!(
        value(&h, "farm/late").as_deref(),
        Some("here"),
        "nothing is read while the slider is held"
    );
    h.drop_at(at(3.5 / 9.0));
    h.step();
    step_until(&mut h, "the moment is read", |h| ready(h) && position(h) < T0 + 9 * SEC);
    let moment = position(&h) - T0;
    assert!(
        (3 * SEC..4 * SEC).contains(&moment),
        "the slider let go at a third, the moment is {} s",
        moment as f64 / 1e6
    );
    assert_eq!(value(&h, "farm/temp").as_deref(), Some("13"), "the value as of 3 s");
    assert_eq!(value(&h, "farm/late"), None, "farm/late appears only at 8 s");
    step_until(&mut h, "the tree shows what it showed before the seek", |h| {
        tree_view(h) == ("temp".into(), Some("farm/temp".into()), true)
    });
    assert!(!has_label(&h, "late"), "the tree has no row for farm/late");
    assert!(
        has_label_containing(&h, "13"),
        "the inspector shows the value as of then"
    );
    assert!(!has_label(&h, "19"), "and not the last value");
}

#[test]
fn a_damaged_file_and_a_file_that_is_not_sqlite_open_nothing_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.tsrec");
    write_recording(&damaged, "mqtt://farm.lan:1883");
    let mut bytes = std::fs::read(&damaged).unwrap();
    // Keep SQLite's 100-byte header, scribble over the schema page and what follows.
    for b in bytes.iter_mut().skip(100).take(12_000) {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let text = dir.path().join("notes.tsrec");
    std::fs::write(&text, "temperature log\n21.5\n").unwrap();

    let mut h = app(dir.path(), Some(StartConnect::Recording(damaged.clone())));
    h.step();
    h.step();
    let state = &h.state().state;
    assert!(
        state.connections.iter().all(|c| c.playback.is_none()),
        "no tab half-open"
    );
    let said: Vec<&str> = state.notices.iter().map(|n| n.text.as_str()).collect();
    assert!(
        said.iter()
            .any(|t| t.contains("damaged") && t.contains("damaged.tsrec")),
        "{said:?}"
    );
    let err = h.state_mut().state.open_recording(&text).unwrap_err();
    assert!(
        err.contains("not an SQLite file") && err.contains("notes.tsrec"),
        "{err}"
    );
    let err = h
        .state_mut()
        .state
        .open_recording(&dir.path().join("missing.tsrec"))
        .unwrap_err();
    assert!(err.contains("missing.tsrec"), "{err}");
    assert_eq!(h.state().state.connections.len(), 1);
    assert!(h.state().state.conn().playback.is_none());
}

#[test]
fn an_opened_recording_exports_a_time_range_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("farm.tsrec");
    write_recording(&file, "mqtt://farm.lan:1883");
    let mut h = app(dir.path(), Some(StartConnect::Recording(file.clone())));
    step_until(&mut h, "the recording is read", ready);
    // The dialog offers the recording's whole span.
    let range = topicscope::app::export::default_range(&h.state().state, "farm");
    assert_eq!(range, (Some(T0), Some(T0 + 9 * SEC)));
    let out = dir.path().join("farm.jsonl");
    let from_2s_to_4s = (Some(T0 + 2 * SEC), Some(T0 + 4 * SEC));
    let n = h
        .state_mut()
        .state
        .export_history(
            "farm",
            topicscope::record::export::ExportFormat::Jsonl,
            &out,
            from_2s_to_4s,
        )
        .unwrap();
    assert_eq!(n, 3, "12, 13 and 14, both ends included");
    let text = std::fs::read_to_string(&out).unwrap();
    let payloads: Vec<&str> = ["\"12\"", "\"13\"", "\"14\""]
        .into_iter()
        .filter(|p| text.contains(p))
        .collect();
    assert_eq!(payloads.len(), 3, "{text}");
    assert!(!text.contains("\"15\"") && !text.contains("\"11\""), "{text}");
}
