//! The Discovery pane in the real window (egui_kittest, the demo fleet's embedded broker):
//! it lists the demo's Home Assistant devices and the retired garage board as an orphan;
//! cancelling the confirmation deletes nothing, confirming clears the orphan's retained
//! configs on the broker (a fresh subscriber gets none) and the orphan leaves the list.

#![cfg(feature = "broker")]

mod common;

use std::time::{Duration, Instant};

use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::ui::{Action, Pane};

const GARAGE_CONFIGS: [&str; 2] = [
    "homeassistant/sensor/esp32_garage/temperature/config",
    "homeassistant/switch/esp32_garage/door/config",
];

/// The payload the window's tree last holds on `topic`.
fn tree_payload(h: &AppHarness, topic: &str) -> Option<Vec<u8>> {
    let tree = h.state().state.conn().model.tree();
    tree.last_message(tree.find(topic)?).map(|m| m.payload.to_vec())
}

/// The retained garage configs a fresh subscriber receives from the demo's broker.
fn retained_garage_configs(broker_url: &str) -> Vec<String> {
    let url = url::Url::parse(broker_url).expect("the demo's broker URL");
    let host = url.host_str().expect("a host").to_owned();
    let port = url.port().unwrap_or(1883);
    let mut options = rumqttc::MqttOptions::new("discovery-window-check", host, port);
    options.set_max_packet_size(1 << 20, 1 << 20);
    let (client, mut connection) = rumqttc::Client::new(options, 100);
    client
        .subscribe("homeassistant/+/esp32_garage/+/config", rumqttc::QoS::AtLeastOnce)
        .expect("queue SUBSCRIBE");
    let mut found = Vec::new();
    let mut suback_at: Option<Instant> = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    // Retained messages come right after the SubAck; a second of quiet after it is enough.
    while Instant::now() < deadline && suback_at.is_none_or(|t| t.elapsed() < Duration::from_secs(1)) {
        use rumqttc::{Event, Packet};
        match connection.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(Event::Incoming(Packet::SubAck(_)))) => suback_at = Some(Instant::now()),
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) if !p.payload.is_empty() => found.push(p.topic.clone()),
            Ok(Err(e)) => panic!("the checking subscriber lost its connection: {e}"),
            _ => {}
        }
    }
    assert!(suback_at.is_some(), "the checking subscriber was never subscribed");
    let _ = client.disconnect();
    found.sort();
    found
}

#[test]
fn the_pane_lists_the_demo_configs_and_deletes_the_orphan_after_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), Some(StartConnect::Demo), [1440.0, 900.0]);
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "the discovery configs arrive", |h| {
        GARAGE_CONFIGS
            .iter()
            .all(|t| tree_payload(h, t).is_some_and(|p| !p.is_empty()))
            && tree_payload(h, "homeassistant/switch/greenhouse/pump/config").is_some()
            && tree_payload(h, "homeassistant/light/esp32_d4e5f6/led/config").is_some()
    });
    let broker_url = h.state().state.conn().profile.broker_url.clone();
    run_action(&mut h, Action::ShowPane(Pane::Discovery));
    step_until(&mut h, "the pane lists the devices", |h| {
        has_label(h, "Greenhouse · 4 entities") && has_label(h, "ESP32 Garage · 2 entities")
    });
    assert!(has_label(&h, "ESP32 Lab · 2 entities"));
    assert!(has_label(&h, "ESP32 Workshop · 2 entities"));
    assert!(
        has_label(&h, "4 devices, 10 entities, 2 orphaned"),
        "the header counts the configs and the garage's two orphans"
    );
    assert!(
        has_label(
            &h,
            "Device orphaned: nothing ever seen on its state or availability topics"
        ),
        "the garage is marked with the reason"
    );

    // Cancel deletes nothing.
    h.get_by_label("Delete all orphans…").click();
    h.step();
    h.step();
    assert!(has_label(&h, "Delete all orphans?"), "the confirmation asks");
    assert!(has_label(&h, "Delete 2 configs"));
    for t in GARAGE_CONFIGS {
        // Once as a link in the pane, once in the dialog's list.
        assert!(h.query_all_by_label(t).count() >= 2, "the dialog lists {t}");
    }
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(!has_label(&h, "Delete 2 configs"), "the dialog closed");
    assert!(h.state().state.publish_history.records.is_empty(), "nothing was sent");
    assert_eq!(
        retained_garage_configs(&broker_url),
        GARAGE_CONFIGS.map(String::from).to_vec()
    );
    assert!(has_label(&h, "ESP32 Garage · 2 entities"));

    // Confirming clears both configs on the broker.
    h.get_by_label("Delete all orphans…").click();
    h.step();
    h.step();
    h.get_by_label("Delete 2 configs").click();
    h.step();
    let sent: Vec<(String, String, bool)> = h
        .state()
        .state
        .publish_history
        .records
        .iter()
        .map(|r| (r.topic.clone(), r.payload.clone(), r.retain))
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for t in GARAGE_CONFIGS {
        assert!(
            sent.contains(&(t.to_owned(), String::new(), true)),
            "{t} cleared: {sent:?}"
        );
    }
    step_until(&mut h, "the broker's empty configs come back", |h| {
        GARAGE_CONFIGS
            .iter()
            .all(|t| tree_payload(h, t).is_some_and(|p| p.is_empty()))
    });
    step_until(&mut h, "the orphan leaves the list", |h| {
        !has_label(h, "ESP32 Garage · 2 entities") && has_label(h, "3 devices, 8 entities, 0 orphaned")
    });
    assert!(has_label(&h, "Greenhouse · 4 entities"), "the others stay");
    assert!(
        retained_garage_configs(&broker_url).is_empty(),
        "the broker holds no garage config"
    );
}
