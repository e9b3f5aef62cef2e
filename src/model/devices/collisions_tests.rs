//! Collision detection on recorded broker output and on a test clock.

use super::*;

/// `(topic, payload)` of each line of a fixture (topic, a tab, the payload; `#` comments).
fn fixture(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').expect("topic<TAB>payload"))
        .collect()
}

const MOSQUITTO: &str = include_str!("../../../tests/data/devices/mosquitto_takeover_log.txt");
const EMQX: &str = include_str!("../../../tests/data/devices/emqx_client_events.txt");

#[test]
fn mosquittos_recorded_takeover_lines_name_the_client_and_nothing_else_does() {
    let lines = fixture(MOSQUITTO);
    let ids: Vec<String> = lines
        .iter()
        .filter_map(|(t, p)| mosquitto_takeover(t, p.as_bytes()))
        .collect();
    assert_eq!(ids, vec!["esp32-07"; 3], "three takeovers in the recording");
    // The same words outside the log topic are a user's message, not the broker's.
    assert_eq!(
        mosquitto_takeover("chat", b"Client x already connected, closing old connection."),
        None
    );
    // Without a timestamp (log_timestamp false), and with a client id holding spaces.
    assert_eq!(
        mosquitto_takeover(
            "$SYS/broker/log/N",
            b"Client my board already connected, closing old connection."
        )
        .as_deref(),
        Some("my board")
    );
}

#[test]
fn the_mosquitto_recording_makes_one_active_collision() {
    let mut c = Collisions::new(CollisionRules::default());
    for (i, (topic, payload)) in fixture(MOSQUITTO).into_iter().enumerate() {
        c.sys_message(topic, payload.as_bytes(), 1000.0 + i as f64);
    }
    let active = c.active(1030.0);
    assert_eq!(active.len(), 1);
    let k = active[0];
    assert_eq!(k.client_id.as_deref(), Some("esp32-07"));
    assert_eq!(k.evidence, Evidence::MosquittoLog);
    assert_eq!(k.takeovers_within(1030.0, 600.0), 3);
    assert!(k.first_secs < k.last_secs);
    assert_eq!(
        c.for_device("esp32-07", "esp32-07", 1030.0).map(Collision::label),
        Some("esp32-07".into())
    );
    // Ten minutes later it is history: no longer active.
    assert!(c.active(1030.0 + 700.0).is_empty());
}

#[test]
fn emqx_takenover_and_discarded_count_and_a_keepalive_timeout_does_not() {
    let mut c = Collisions::new(CollisionRules::default());
    let lines = fixture(EMQX);
    for (i, (topic, payload)) in lines.iter().enumerate() {
        c.sys_message(topic, payload.as_bytes(), 2000.0 + 20.0 * i as f64);
    }
    let active = c.active(2100.0);
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0].client_id.as_deref(), Some("esp32-07"));
    assert_eq!(active[0].evidence, Evidence::EmqxEvent);
    assert_eq!(active[0].total, 3);
    assert!(
        emqx_takeover(lines[4].0, lines[4].1.as_bytes()).is_none(),
        "keepalive_timeout"
    );
    assert!(emqx_takeover(lines[0].0, lines[0].1.as_bytes()).is_none(), "connected");
    assert!(emqx_takeover("$SYS/brokers/n/clients/x/disconnected", b"not json").is_none());
}

#[test]
fn two_takeovers_are_not_yet_a_collision_and_it_is_announced_once() {
    let mut c = Collisions::new(CollisionRules::default());
    let line = b"1: Client esp32-07 already connected, closing old connection.";
    c.sys_message("$SYS/broker/log/E", line, 10.0);
    c.sys_message("$SYS/broker/log/E", line, 40.0);
    assert!(
        c.new_collisions(41.0).is_empty(),
        "a board resetting twice is not a collision"
    );
    c.sys_message("$SYS/broker/log/E", line, 70.0);
    let news = c.new_collisions(71.0);
    assert_eq!(news.len(), 1);
    c.sys_message("$SYS/broker/log/E", line, 100.0);
    assert!(c.new_collisions(101.0).is_empty(), "announced once");
    // Quiet for a whole window, then again: announced again.
    assert!(c.new_collisions(800.0).is_empty());
    for t in [900.0, 930.0, 960.0] {
        c.sys_message("$SYS/broker/log/E", line, t);
    }
    assert_eq!(c.new_collisions(961.0).len(), 1);
}

#[test]
fn two_last_wills_flapping_in_step_are_a_suspected_collision() {
    let mut c = Collisions::new(CollisionRules::default());
    // B takes over from A, then A from B, every 30 s; each swap within a second.
    let mut t = 100.0;
    for round in 0..4 {
        let (loser, winner) = if round % 2 == 0 {
            ("pump-a", "pump-b")
        } else {
            ("pump-b", "pump-a")
        };
        c.availability_changed(loser, false, t);
        c.availability_changed(winner, true, t + 0.4);
        t += 30.0;
        if round < 3 {
            assert!(c.active(t).is_empty(), "round {round}: not yet");
        }
    }
    let active = c.active(t);
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].evidence, Evidence::LastWillsInStep);
    assert!(active[0].evidence.suspected());
    assert_eq!(active[0].devices, vec!["pump-a".to_owned(), "pump-b".to_owned()]);
    assert!(c.for_device("pump-b", "x/pump-b", t).is_some());
    assert!(c.for_device("pump-c", "pump-c", t).is_none());
}

#[test]
fn a_fleet_reconnecting_after_a_broker_restart_is_not_a_collision() {
    let mut c = Collisions::new(CollisionRules::default());
    let fleet = ["a", "b", "c", "d"];
    // Three restarts: everyone offline, then everyone back a few seconds later.
    for restart in 0..3 {
        let t = 100.0 + 120.0 * f64::from(restart);
        for (i, d) in fleet.iter().enumerate() {
            c.availability_changed(d, false, t + 0.1 * i as f64);
        }
        for (i, d) in fleet.iter().enumerate() {
            c.availability_changed(d, true, t + 3.0 + 0.7 * i as f64);
        }
    }
    assert!(c.active(500.0).is_empty(), "{:?}", c.active(500.0));
    // Changes further apart than a step are no swap at all.
    let mut far = Collisions::new(CollisionRules::default());
    for i in 0..8 {
        let t = 1000.0 + 60.0 * f64::from(i);
        far.availability_changed(if i % 2 == 0 { "x" } else { "y" }, false, t);
        far.availability_changed(if i % 2 == 0 { "y" } else { "x" }, true, t + 20.0);
    }
    assert!(far.active(1500.0).is_empty());
}

#[test]
fn collisions_are_bounded() {
    let mut c = Collisions::new(CollisionRules::default());
    for i in 0..(MAX_COLLISIONS + 50) {
        let line = format!("1: Client id-{i} already connected, closing old connection.");
        c.sys_message("$SYS/broker/log/N", line.as_bytes(), i as f64);
    }
    assert_eq!(c.by_key.len(), MAX_COLLISIONS);
    assert!(
        c.by_key.contains_key(&format!("id-{}", MAX_COLLISIONS + 49)),
        "the newest stays"
    );
    assert!(!c.by_key.contains_key("id-0"), "the least recently seen goes");
}

#[test]
fn the_devices_changing_around_a_client_ids_takeovers_are_named_with_it() {
    let mut c = Collisions::new(CollisionRules::default());
    let line = b"1: Client ESP32Client already connected, closing old connection.";
    for t in [10.0, 40.0, 70.0] {
        // The will first (the broker's word a moment later), then the birth after it.
        c.availability_changed("shed/fan", false, t - 0.2);
        c.sys_message("$SYS/broker/log/E", line, t);
        c.availability_changed("shed/pump", true, t + 0.3);
        c.availability_changed("shed/pump", false, t + 0.6);
    }
    // A device that changed near one takeover only is not named.
    c.availability_changed("greenhouse", false, 70.5);
    let k = c
        .for_device("shed/fan", "shed/fan", 71.0)
        .expect("the fan's row is marked");
    assert_eq!(k.client_id.as_deref(), Some("ESP32Client"));
    assert_eq!(k.devices, vec!["shed/fan".to_owned(), "shed/pump".to_owned()]);
    assert!(c.for_device("shed/pump", "shed/pump", 71.0).is_some());
    assert!(c.for_device("greenhouse", "greenhouse", 71.0).is_none());
    // One takeover with a device changing before and after it counts it once.
    let mut once = Collisions::new(CollisionRules::default());
    once.availability_changed("x", false, 99.8);
    once.sys_message("$SYS/broker/log/E", line, 100.0);
    once.availability_changed("x", true, 100.3);
    assert!(once.by_key["ESP32Client"].devices.is_empty());
}
