//! Saved commands in the real window (egui_kittest, the demo fleet's embedded broker on
//! 127.0.0.1): sent with one click, a keyboard shortcut or the palette, their variables
//! asked for, their replies shown with the round trip; and the publish form saved as a
//! command, never changing its topic when the tree selection changes.

#![cfg(feature = "broker")]

mod common;

use common::window::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::app::replies::ReplyOutcome;
use topicscope::ui::{Action, Pane};

/// The demo, connected, with the plug and the greenhouse online (their command topics
/// are subscribed once they published their state).
fn demo(dir: &std::path::Path) -> AppHarness {
    let mut h = app_sized(dir, Some(StartConnect::Demo), [1440.0, 900.0]);
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "the fleet is up", |h| {
        let tree = h.state().state.conn().model.tree();
        [
            "greenhouse/switch/pump/state",
            "tele/tasmota_5C3F21/LWT",
            "esp32/a1b2c3/led/state",
        ]
        .iter()
        .all(|t| tree.find(t).is_some())
    });
    run_action(&mut h, Action::ShowPane(Pane::Commands));
    h
}

/// The payloads published from the window, newest first.
fn sent(h: &AppHarness) -> Vec<(String, String)> {
    h.state()
        .state
        .publish_history
        .records
        .iter()
        .map(|r| (r.topic.clone(), r.payload.clone()))
        .collect()
}

/// Steps until the newest reply is one to `label`; returns its payload and round trip.
fn reply_to(h: &mut AppHarness, label: &str) -> (String, std::time::Duration) {
    let deadline = std::time::Instant::now() + WAIT;
    let answered = |h: &AppHarness| {
        h.state()
            .state
            .conn()
            .replies
            .done
            .front()
            .is_some_and(|r| r.label == label)
    };
    while !answered(h) {
        let c = h.state().state.conn();
        assert!(
            std::time::Instant::now() < deadline,
            "no reply to {label}: sent {:?}, replies {:?}, form error {:?}",
            sent(h),
            c.replies.done,
            h.state().ui.panes.publish.error
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    match &h.state().state.conn().replies.done[0].outcome {
        ReplyOutcome::Reply {
            payload, round_trip, ..
        } => (String::from_utf8_lossy(payload).into_owned(), *round_trip),
        other => panic!("{label}: {other:?}"),
    }
}

#[test]
fn a_click_a_shortcut_and_the_palette_send_saved_commands_and_show_their_replies() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo(dir.path());
    assert!(
        has_label(&h, "greenhouse (2)"),
        "the collection is listed with its size"
    );

    // One click.
    h.get_by_label("▶ pump on").click();
    h.step();
    assert_eq!(sent(&h)[0], ("greenhouse/switch/pump/command".into(), "ON".into()));
    let (payload, rtt) = reply_to(&mut h, "greenhouse / pump on");
    assert_eq!(payload, "ON");
    assert!(rtt.as_secs() < 5, "{rtt:?}");
    h.step();
    assert!(has_label_containing(&h, "reply in"), "the round trip is shown");

    // Its shortcut, with a text field holding the keyboard (a chord is never typing).
    h.get_by_label("🔍").focus();
    h.step();
    h.key_press_modifiers(Modifiers::ALT, Key::Num2);
    h.step();
    assert_eq!(sent(&h)[0], ("greenhouse/switch/pump/command".into(), "OFF".into()));
    assert_eq!(reply_to(&mut h, "greenhouse / pump off").0, "OFF");
    assert_eq!(
        h.get_by_label("🔍").value().as_deref(),
        Some(""),
        "the shortcut typed nothing into the field"
    );

    // The palette: a command with variables asks for them, pre-filled with the last values.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.step();
    h.step();
    h.event(egui::Event::Text("LED colour".into()));
    h.step();
    assert!(has_label(&h, "Send command: ESP32 / LED colour"));
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(
        has_label(&h, "Values for “ESP32 / LED colour”"),
        "the values are asked for"
    );
    assert_eq!(h.get_by_label("red").value().as_deref(), Some("255"));
    h.get_by_label("green").focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text("10".into()));
    h.step();
    h.get_by_label("Send").click();
    h.step();
    h.step();
    let (topic, payload) = sent(&h).remove(0);
    assert_eq!(topic, "esp32/a1b2c3/led/set");
    let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(json["color"], serde_json::json!({"r": 255, "g": 10, "b": 0}));
    let (state, _) = reply_to(&mut h, "ESP32 / LED colour");
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["color"]["g"], 10, "the board took the colour: {state}");
    // The values given are offered next time.
    let led = h
        .state()
        .state
        .conn()
        .profile
        .commands
        .iter()
        .find(|c| c.name == "LED colour")
        .cloned();
    assert_eq!(led.unwrap().values.get("green").map(String::as_str), Some("10"));
}

#[test]
fn the_publish_form_becomes_a_saved_command_and_waits_for_its_reply() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo(dir.path());
    run_action(&mut h, Action::ShowPane(Pane::Publish));
    h.get_by_label("Topic").focus();
    h.step();
    h.event(egui::Event::Text("cmnd/tasmota_5C3F21/POWER".into()));
    h.step();
    h.get_by_label("Payload").focus();
    h.step();
    h.event(egui::Event::Text("ON".into()));
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Wait for a reply on")
        .click();
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Wait for a reply on")
        .focus();
    h.step();
    h.event(egui::Event::Text("stat/tasmota_5C3F21/POWER".into()));
    h.step();
    // Selecting another topic in the tree leaves the typed topic alone.
    let app = h.state_mut();
    let id = app.state.conn().id;
    let node = app.state.conn().model.tree().find("greenhouse/switch/pump/state");
    app.ui.conn_view(id).tree.selected = node;
    h.step();
    h.step();
    assert_eq!(
        h.state().ui.selected_topic(&h.state().state).as_deref(),
        Some("greenhouse/switch/pump/state")
    );
    assert_eq!(
        h.get_by_label("Topic").value().as_deref(),
        Some("cmnd/tasmota_5C3F21/POWER")
    );
    let form = &h.state().ui.panes.publish;
    assert!(form.wait_reply, "ticked");
    assert_eq!(form.reply_topic, "stat/tasmota_5C3F21/POWER");
    h.get_by_label("Publish").click();
    h.step();
    assert_eq!(reply_to(&mut h, "cmnd/tasmota_5C3F21/POWER").0, "ON");

    h.get_by_label("Save as command…").click();
    h.step();
    h.step();
    assert!(has_label(&h, "New saved command"));
    h.get_by_label("Name").focus();
    h.step();
    h.event(egui::Event::Text("plug on".into()));
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Collection")
        .focus();
    h.step();
    h.event(egui::Event::Text("plug".into()));
    h.step();
    h.get_by_label("Save").click();
    h.step();
    h.step();
    let saved = h
        .state()
        .state
        .conn()
        .profile
        .commands
        .iter()
        .find(|c| c.full_name() == "plug / plug on")
        .cloned()
        .expect("saved");
    assert_eq!(
        (saved.topic.as_str(), saved.payload.as_str()),
        ("cmnd/tasmota_5C3F21/POWER", "ON")
    );
    assert_eq!(
        saved.reply.map(|r| r.topic).as_deref(),
        Some("stat/tasmota_5C3F21/POWER")
    );
    run_action(&mut h, Action::ShowPane(Pane::Commands));
    assert!(has_label(&h, "plug (2)"), "listed beside the demo's toggle");
}
