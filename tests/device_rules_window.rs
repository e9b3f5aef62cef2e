//! The Devices pane's own patterns and thresholds in the real window (egui_kittest,
//! the embedded broker on 127.0.0.1): boards that follow no convention
//! (`lab/<board>/temp`) become devices when the user adds `lab/{device}/#`, with the
//! readings already in the tree; a bad pattern is refused in words; a set silence time
//! and the flapping thresholds reach the registry; all of it is kept with the
//! connection's profile.

#![cfg(feature = "broker")]

mod common;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::model::devices::Kind;
use topicscope::ui::{Action, Pane};

fn type_pattern(h: &mut AppHarness, text: &str) {
    h.get_by_label("New pattern").focus();
    h.step();
    h.get_by_label("New pattern").type_text(text);
    h.step();
    h.get_by_label("Add").click();
    h.step();
    h.step();
}

#[test]
fn a_users_pattern_finds_boards_no_convention_knows() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[
            ("lab/bench-01/temp", "21.5", false),
            ("lab/bench-01/hum", "40", false),
            ("lab/台架-02/temp", "19.0", false),
        ],
    );
    step_until(&mut h, "the readings arrived", |h| {
        h.state().state.conn().model.tree().find("lab/台架-02/temp").is_some()
    });
    assert!(
        h.state().state.conn().devices.is_empty(),
        "no convention knows these boards"
    );
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Devices));
    h.step();
    h.get_by_label("Patterns and thresholds").click();
    h.step();
    h.step();

    // Refused in words, and nothing is added.
    type_pattern(&mut h, "lab/#");
    assert!(has_label_containing(&h, "needs one level that is exactly {device}"));
    assert!(h.state().state.conn().profile.devices.rules.is_empty());
    h.get_by_label("New pattern").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.step();

    type_pattern(&mut h, "lab/{device}/#");
    assert_eq!(h.state().state.conn().profile.devices.rules, ["lab/{device}/#"]);
    // What the tree already had is read at once.
    let devices = &h.state().state.conn().devices;
    let bench = devices.find("bench-01").expect("bench-01 from the tree");
    assert_eq!(bench.kind, Kind::UserRule);
    let readings: Vec<(&str, f64)> = bench.readings.iter().map(|r| (r.label.as_str(), r.value)).collect();
    assert_eq!(readings, [("temp", 21.5), ("hum", 40.0)]);
    assert!(devices.find("台架-02").is_some(), "a Chinese board name");
    h.step();
    assert!(has_label(&h, "bench-01") && has_label(&h, "台架-02"), "both are listed");
    assert!(has_label(&h, "2 devices"));
    // New messages keep coming to it.
    feed(&broker, &[("lab/bench-01/status", "offline", false)]);
    step_until(&mut h, "bench-01 said it is offline", |h| {
        h.state()
            .state
            .conn()
            .devices
            .find("bench-01")
            .and_then(|d| d.available)
            == Some(false)
    });

    // Thresholds reach the registry.
    h.get_by_label("Silent after a set time").click();
    h.step();
    h.step();
    assert_eq!(h.state().state.conn().profile.devices.silent_after_secs, Some(300));
    assert_eq!(h.state().state.conn().devices.rules().silent_fixed_secs, Some(300.0));

    // Removing the pattern keeps the devices found so far but finds no new ones.
    h.get_by_label("Remove").click();
    h.step();
    assert!(h.state().state.conn().profile.devices.rules.is_empty());
    assert!(h.state().state.conn().devices.user_rules().is_empty());
}

/// A fleet bigger than the pane draws: 220 boards announce themselves by last will; the
/// pane draws the first 150 (trouble first) and says how to reach the others, and the
/// filter finds a board that was past the cut.
#[test]
fn a_big_fleet_shows_its_first_rows_and_the_filter_reaches_the_rest() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let topics: Vec<String> = (0..220).map(|i| format!("fleet/board-{i:03}/status")).collect();
    let messages: Vec<(&str, &str, bool)> = topics
        .iter()
        .enumerate()
        // One board offline: it must come first, whatever its name.
        .map(|(i, t)| (t.as_str(), if i == 219 { "offline" } else { "online" }, false))
        .collect();
    feed(&broker, &messages);
    step_until(&mut h, "every board is a device", |h| {
        h.state().state.conn().devices.devices().len() == 220
    });
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Devices));
    step_until(&mut h, "the cut is said", |h| {
        has_label_containing(h, "Showing the first 150 of 220 devices")
    });
    assert!(has_label(&h, "fleet/board-219"), "the offline board leads");
    assert!(has_label(&h, "fleet/board-000"));
    assert!(!has_label(&h, "fleet/board-200"), "past the cut");

    h.get_by_label("Filter devices").focus();
    h.step();
    h.get_by_label("Filter devices").type_text("board-200");
    step_until(&mut h, "the filter reaches past the cut", |h| {
        has_label(h, "fleet/board-200")
    });
    assert!(
        !has_label_containing(&h, "Showing the first"),
        "one match: no cut to explain"
    );
}
