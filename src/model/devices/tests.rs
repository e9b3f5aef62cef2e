//! Recognition on the shared corpus and on hand-written topic sets, and health driven
//! by a test clock (plain seconds).

use super::*;
use crate::model::test_corpus::corpus;

const T0: f64 = 1_800_000_000.0;

fn feed(d: &mut Devices, topic: &str, payload: &str, retain: bool, now: f64) {
    d.ingest(topic, payload.as_bytes(), retain, now);
}

fn labels(d: &Device) -> Vec<(&str, &str)> {
    d.commands
        .iter()
        .map(|c| (c.label.as_str(), c.payload.as_str()))
        .collect()
}

#[test]
fn corpus_devices_are_recognised_with_their_kinds() {
    let mut d = Devices::default();
    for e in corpus() {
        d.ingest(&e.topic, &e.payload, e.retain, T0);
    }
    let kinds: Vec<(&str, Kind)> = d.devices().iter().map(|x| (x.name.as_str(), x.kind)).collect();
    for (name, kind) in [
        ("tasmota_5C3F21", Kind::Tasmota),
        ("greenhouse", Kind::EspHome),
        ("bridge", Kind::Zigbee2Mqtt),
        ("bedroom_sensor", Kind::Zigbee2Mqtt),
        ("kitchen_plug", Kind::Zigbee2Mqtt),
    ] {
        assert!(
            kinds.contains(&(name, kind)),
            "{name} as {kind:?} missing from {kinds:?}"
        );
    }
    // Owntracks, Shelly's RPC status, odd topics and $SYS are not devices here.
    for stray in ["owntracks", "shelly", "leading", "double", "$SYS", "spaces"] {
        assert!(
            !kinds.iter().any(|(n, _)| n.contains(stray)),
            "{stray} became a device: {kinds:?}"
        );
    }
    let plug = d.find("tasmota_5C3F21").unwrap();
    assert_eq!(plug.available, Some(true));
    assert_eq!(
        labels(plug),
        vec![("ON", "ON"), ("OFF", "OFF"), ("TOGGLE", "TOGGLE")],
        "Tasmota POWER commands"
    );
    assert!(plug.commands.iter().all(|c| c.topic == "cmnd/tasmota_5C3F21/POWER"));
    assert!(
        plug.states.contains(&("POWER".into(), "ON".into())),
        "{:?}",
        plug.states
    );
    let r: Vec<&str> = plug.readings.iter().map(|r| r.label.as_str()).collect();
    assert!(
        r.contains(&"Temperature") && r.contains(&"Humidity") && r.contains(&"RSSI"),
        "{r:?}"
    );

    let gh = d.find("greenhouse").unwrap();
    assert_eq!(gh.available, Some(true));
    assert!(
        gh.commands
            .iter()
            .any(|c| c.topic == "greenhouse/switch/pump/command" && c.payload == "ON")
    );
    assert!(
        gh.readings
            .iter()
            .any(|r| r.label == "air_temperature" && (r.value - 19.84).abs() < 1e-9)
    );
    assert!(!gh.readings.iter().any(|r| r.label == "broken"), "NaN is no reading");

    let plug2 = d.find("kitchen_plug").unwrap();
    assert!(
        plug2
            .commands
            .iter()
            .any(|c| c.topic == "zigbee2mqtt/kitchen_plug/set" && c.payload == r#"{"state":"ON"}"#)
    );
    let sensor = d.find("bedroom_sensor").unwrap();
    assert!(
        sensor
            .readings
            .iter()
            .any(|r| r.label == "linkquality" && r.value == 120.0)
    );
    assert!(sensor.readings.iter().any(|r| r.label == "battery"));
    assert_eq!(d.find("bridge").unwrap().available, Some(true));

    // The HA-discovered board: its config and its telemetry meet on one device.
    let board = d
        .devices()
        .iter()
        .find(|x| x.topics.iter().any(|t| t == "esp32/a1b2c3/telemetry"));
    let board = board.expect("esp32/a1b2c3 attributed");
    assert_eq!(board.kind, Kind::HaDiscovery);
    assert!(
        board.topics.iter().any(|t| t.starts_with("homeassistant/")),
        "{:?}",
        board.topics
    );
}

#[test]
fn discovery_expands_abbreviations_and_the_tilde() {
    let cfg = r#"{"~":"tasmota/sonoff_1","name":"Relay","stat_t":"~/stat/POWER","cmd_t":"~/cmnd/POWER",
        "avty_t":"~/tele/LWT","pl_avail":"Online","pl_not_avail":"Offline","pl_on":"1","pl_off":"0",
        "dev":{"ids":["1A2B3C"],"name":"Sonoff Basic"}}"#;
    let e = ha_discovery::parse("homeassistant/switch/1A2B3C/relay/config", cfg.as_bytes()).unwrap();
    assert_eq!(e.device_id, "1A2B3C");
    assert_eq!(e.device_name.as_deref(), Some("Sonoff Basic"));
    assert_eq!(e.state_topic.as_deref(), Some("tasmota/sonoff_1/stat/POWER"));
    assert_eq!(
        e.availability,
        vec![("tasmota/sonoff_1/tele/LWT".into(), "Online".into(), "Offline".into())]
    );
    assert_eq!(e.commands[0].payload, "1");
    assert_eq!(e.commands[1].payload, "0");
    assert_eq!(e.commands[0].topic, "tasmota/sonoff_1/cmnd/POWER");

    let mut d = Devices::default();
    feed(&mut d, "homeassistant/switch/1A2B3C/relay/config", cfg, true, T0);
    feed(&mut d, "tasmota/sonoff_1/tele/LWT", "Offline", true, T0);
    feed(&mut d, "tasmota/sonoff_1/stat/POWER", "1", false, T0);
    let dev = d.find("Sonoff Basic").expect("named after its device info");
    assert_eq!(dev.available, Some(false));
    assert_eq!(dev.kind, Kind::HaDiscovery);
    // An empty config (a removal) or a non-config topic under homeassistant/ is nothing.
    assert!(ha_discovery::parse("homeassistant/switch/x/config", b"").is_none());
    assert!(ha_discovery::parse("homeassistant/status", b"online").is_none());
}

#[test]
fn plain_last_wills_take_every_common_word() {
    for (payload, want) in [
        ("online", true),
        ("Offline", false),
        ("1", true),
        ("0", false),
        ("true", true),
        ("false", false),
        (r#"{"state":"offline"}"#, false),
        ("离线", false),
    ] {
        let mut d = Devices::default();
        feed(&mut d, "lab/node7/status", payload, true, T0);
        assert_eq!(d.find("lab/node7").map(|x| x.available), Some(Some(want)), "{payload}");
    }
    let mut d = Devices::default();
    feed(&mut d, "lab/node7/status", "booting", true, T0);
    feed(&mut d, "lights/kitchen/state", "1", true, T0);
    feed(&mut d, "lab/node7/availability", "maybe", true, T0);
    assert!(
        d.is_empty(),
        "words that are not availability, and a relay's state, make no device"
    );
    // Its other topics are attributed to it by root, with plain numbers as readings.
    feed(&mut d, "lab/node7/LWT", "online", true, T0);
    feed(&mut d, "lab/node7/temp", "21.5", false, T0 + 1.0);
    let n = d.find("lab/node7").unwrap();
    assert_eq!(n.kind, Kind::LastWill);
    assert_eq!(n.last_seen, Some(T0 + 1.0));
    assert_eq!(n.readings[0].label, "temp");
}

#[test]
fn a_last_will_node_becomes_esphome_once_a_component_speaks() {
    let mut d = Devices::default();
    feed(&mut d, "garage/status", "online", true, T0);
    assert_eq!(d.find("garage").unwrap().kind, Kind::LastWill);
    feed(&mut d, "garage/switch/door_relay/state", "OFF", false, T0 + 1.0);
    feed(&mut d, "garage/light/lamp/state", r#"{"state":"ON"}"#, false, T0 + 1.0);
    let g = d.find("garage").unwrap();
    assert_eq!(g.kind, Kind::EspHome);
    assert_eq!(d.devices().len(), 1);
    assert!(g.states.contains(&("door_relay".into(), "OFF".into())));
    assert!(
        g.commands
            .iter()
            .any(|c| c.topic == "garage/switch/door_relay/command" && c.payload == "TOGGLE")
    );
    assert!(
        g.commands
            .iter()
            .any(|c| c.topic == "garage/light/lamp/command" && c.payload == r#"{"state":"ON"}"#)
    );
}

#[test]
fn zigbee2mqtt_devices_list_names_devices_and_their_switches() {
    // Shapes from Zigbee2MQTT's exposes documentation: a dimmable light with an effect,
    // a plug with its power-on behaviour, a read-only contact sensor.
    let list = r#"[{"friendly_name":"Coordinator","type":"Coordinator"},
        {"friendly_name":"hall/lamp","type":"Router","definition":{"exposes":[
            {"type":"light","features":[
                {"type":"binary","name":"state","property":"state","access":7,"value_on":"ON","value_off":"OFF","value_toggle":"TOGGLE"},
                {"type":"numeric","name":"brightness","property":"brightness","access":7,"value_min":0,"value_max":254},
                {"type":"numeric","name":"color_temp","property":"color_temp","access":7,"value_min":150,"value_max":500,"unit":"mired"}]},
            {"type":"enum","name":"effect","property":"effect","access":2,"values":["blink","breathe","okay"]},
            {"type":"numeric","name":"linkquality","property":"linkquality","access":1,"value_min":0,"value_max":255}]}},
        {"friendly_name":"plug","type":"Router","definition":{"exposes":[
            {"type":"switch","features":[{"type":"binary","name":"state","property":"state","access":7,"value_on":"ON","value_off":"OFF"}]},
            {"type":"binary","name":"child_lock","property":"child_lock","access":3,"value_on":"LOCK","value_off":"UNLOCK"}]}},
        {"friendly_name":"door","type":"EndDevice","definition":{"exposes":[{"type":"binary","property":"contact","access":1,"value_on":false,"value_off":true}]}}]"#;
    let mut d = Devices::default();
    feed(&mut d, "zigbee2mqtt/bridge/devices", list, true, T0);
    assert!(d.find("Coordinator").is_none());
    let lamp = d.find("hall/lamp").unwrap();
    let shown: Vec<(&str, &str, &str)> = lamp
        .commands
        .iter()
        .map(|c| (c.target.as_str(), c.label.as_str(), c.payload.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("state", "ON", r#"{"state":"ON"}"#),
            ("state", "OFF", r#"{"state":"OFF"}"#),
            ("state", "TOGGLE", r#"{"state":"TOGGLE"}"#),
            ("brightness", "", r#"{"brightness":{value}}"#),
            ("color_temp", "", r#"{"color_temp":{value}}"#),
            ("effect", "blink", r#"{"effect":"blink"}"#),
            ("effect", "breathe", r#"{"effect":"breathe"}"#),
            ("effect", "okay", r#"{"effect":"okay"}"#),
        ],
        "linkquality is read-only"
    );
    assert!(lamp.commands.iter().all(|c| c.topic == "zigbee2mqtt/hall/lamp/set"));
    let brightness = &lamp.commands[3];
    assert_eq!(brightness.range, Some((0, 254)));
    assert_eq!(brightness.payload_with(128), r#"{"brightness":128}"#);
    assert_eq!(brightness.payload_with(999), r#"{"brightness":254}"#, "clamped");
    let plug = d.find("plug").unwrap();
    assert!(
        plug.commands
            .iter()
            .any(|c| c.label == "LOCK" && c.payload == r#"{"child_lock":"LOCK"}"#)
    );
    assert!(d.find("door").unwrap().commands.is_empty(), "a read-only sensor");
    feed(
        &mut d,
        "zigbee2mqtt/hall/lamp/availability",
        r#"{"state":"offline"}"#,
        true,
        T0,
    );
    assert_eq!(d.find("hall/lamp").unwrap().available, Some(false));
    // A command someone sent is a topic of the device, not the device speaking.
    feed(
        &mut d,
        "zigbee2mqtt/hall/lamp/set",
        r#"{"state":"ON"}"#,
        false,
        T0 + 5.0,
    );
    assert_eq!(d.find("hall/lamp").unwrap().last_seen, None);
    assert_eq!(d.devices().len(), 3);
}

#[test]
fn interval_is_the_median_between_reports_and_bursts_count_once() {
    let mut d = Devices::default();
    feed(&mut d, "n/status", "online", true, T0);
    // Reports every 10 s, each a burst of three messages, one late report.
    for (i, at) in [0.0, 10.0, 20.0, 30.0, 55.0, 65.0].into_iter().enumerate() {
        for k in 0..3 {
            feed(
                &mut d,
                &format!("n/s{k}"),
                &i.to_string(),
                false,
                T0 + at + k as f64 * 0.05,
            );
        }
    }
    let n = d.find("n").unwrap();
    assert_eq!(n.interval(), Some(10.0));
    assert_eq!(n.messages, 18);
    let rate = n.rate(T0 + 65.1);
    assert!((rate - 18.0 / 60.0).abs() < 0.05, "{rate}");
}

#[test]
fn silence_needs_three_intervals_or_the_minimum() {
    let rules = HealthRules {
        silent_factor: 3.0,
        silent_min_secs: 20.0,
        flap_changes: 4,
        flap_window_secs: 600.0,
        silent_fixed_secs: None,
    };
    let mut d = Devices::new(rules);
    feed(&mut d, "n/status", "online", true, T0);
    for i in 0..5 {
        feed(&mut d, "n/t", "1", false, T0 + f64::from(i) * 10.0);
    }
    let last = T0 + 40.0;
    d.health_events(last);
    assert_eq!(d.find("n").unwrap().health(last + 29.0, &rules), Health::Online);
    assert_eq!(d.find("n").unwrap().health(last + 31.0, &rules), Health::Silent);
    let events = d.health_events(last + 31.0);
    assert_eq!(
        events,
        vec![HealthEvent {
            name: "n".into(),
            health: Health::Silent
        }]
    );
    assert!(d.health_events(last + 40.0).is_empty(), "announced once");
    assert_eq!(d.counts(last + 31.0).silent, 1);

    // A fast reporter is still given the minimum.
    let mut d = Devices::new(rules);
    for i in 0..5 {
        feed(&mut d, "f/status", "online", false, T0 + f64::from(i));
    }
    feed(&mut d, "f/x", "1", false, T0 + 5.0);
    for i in 6..10 {
        feed(&mut d, "f/x", "1", false, T0 + f64::from(i));
    }
    assert_eq!(d.find("f").unwrap().health(T0 + 9.0 + 19.0, &rules), Health::Online);
    assert_eq!(d.find("f").unwrap().health(T0 + 9.0 + 21.0, &rules), Health::Silent);
}

#[test]
fn flapping_is_too_many_changes_within_the_window() {
    let rules = HealthRules::default();
    let mut d = Devices::new(rules);
    feed(&mut d, "esp32-07/status", "online", true, T0);
    d.health_events(T0);
    // Four changes in ten minutes is allowed; the fifth makes it flapping.
    for i in 1..=4 {
        let word = if i % 2 == 1 { "offline" } else { "online" };
        feed(&mut d, "esp32-07/status", word, false, T0 + f64::from(i) * 60.0);
    }
    let at = T0 + 240.0;
    assert_eq!(d.find("esp32-07").unwrap().health(at, &rules), Health::Online);
    let events = d.health_events(at);
    assert!(events.iter().all(|e| e.health == Health::Offline), "{events:?}");
    feed(&mut d, "esp32-07/status", "offline", false, T0 + 300.0);
    assert_eq!(d.find("esp32-07").unwrap().health(T0 + 300.0, &rules), Health::Flapping);
    assert_eq!(
        d.health_events(T0 + 300.0),
        vec![HealthEvent {
            name: "esp32-07".into(),
            health: Health::Flapping
        }]
    );
    // Ten minutes after the changes stop it is plainly offline.
    assert_eq!(
        d.find("esp32-07").unwrap().health(T0 + 60.0 + 601.0, &rules),
        Health::Offline
    );
}

#[test]
fn an_offline_fleet_found_at_connect_is_shown_not_announced() {
    let mut d = Devices::default();
    feed(&mut d, "a/status", "offline", true, T0);
    assert!(d.health_events(T0).is_empty());
    assert_eq!(d.counts(T0).offline, 1);
    feed(&mut d, "b/status", "online", true, T0);
    d.health_events(T0);
    feed(&mut d, "b/status", "offline", false, T0 + 1.0);
    assert_eq!(d.health_events(T0 + 1.0).len(), 1);
}

#[test]
fn memory_is_bounded_under_a_flood_of_devices_and_topics() {
    let mut d = Devices::default();
    for i in 0..(MAX_DEVICES + 50) {
        feed(&mut d, &format!("node{i}/status"), "online", false, T0);
    }
    assert_eq!(d.devices().len(), MAX_DEVICES);
    for i in 0..500 {
        feed(&mut d, &format!("node1/t{i}"), &i.to_string(), false, T0 + f64::from(i));
    }
    let n = d.find("node1").unwrap();
    assert!(n.topics.len() <= device::TOPICS_MAX);
    assert!(n.readings.len() <= device::READINGS_MAX);
    assert!(n.readings.iter().all(|r| r.history.len() <= device::READING_POINTS_MAX));
}

/// The recorded demo fleet: (topic, payload, retain, seconds since the epoch).
fn demo_recording() -> Vec<(String, Vec<u8>, bool, f64)> {
    use base64::Engine as _;
    include_str!("../../../tests/data/devices/demo_fleet.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("fixture line is JSON");
            let payload = match (v["payload"].as_str(), v["payload_base64"].as_str()) {
                (Some(t), _) => t.as_bytes().to_vec(),
                (None, Some(b)) => base64::engine::general_purpose::STANDARD.decode(b).expect("base64"),
                (None, None) => Vec::new(),
            };
            let time = chrono::DateTime::parse_from_rfc3339(v["time"].as_str().expect("time")).expect("RFC 3339");
            let secs = time.timestamp_millis() as f64 / 1000.0;
            (
                v["topic"].as_str().unwrap().to_owned(),
                payload,
                v["retain"] == true,
                secs,
            )
        })
        .collect()
}

#[test]
fn the_recorded_demo_fleet_is_recognised_and_falls_silent_when_it_stops() {
    let rec = demo_recording();
    let mut d = Devices::default();
    for (topic, payload, retain, t) in &rec {
        d.ingest(topic, payload, *retain, *t);
    }
    let end = rec.iter().map(|r| r.3).fold(0.0, f64::max);
    let got: Vec<(&str, Kind)> = d.devices().iter().map(|x| (x.id.as_str(), x.kind)).collect();
    let want = [
        ("tasmota:tasmota_5C3F21", Kind::Tasmota),
        ("greenhouse", Kind::EspHome),
        ("esp32/a1b2c3", Kind::HaDiscovery),
        ("esp32/d4e5f6", Kind::HaDiscovery),
        ("esp32cam/d4e5f6", Kind::LastWill),
        ("esp32/5a17c0", Kind::LastWill),
        ("esp32/3b9e01", Kind::LastWill),
        ("zigbee2mqtt/bridge", Kind::Zigbee2Mqtt),
        ("zigbee2mqtt/bedroom_sensor", Kind::Zigbee2Mqtt),
        ("zigbee2mqtt/kitchen_plug", Kind::Zigbee2Mqtt),
        ("cn/家", Kind::LastWill),
        ("jp/工場", Kind::LastWill),
        ("kr/집", Kind::LastWill),
    ];
    for w in want {
        assert!(got.contains(&w), "{w:?} missing from {got:?}");
    }
    assert_eq!(got.len(), want.len(), "{got:?}");
    let rules = *d.rules();
    let plug = d.find("tasmota:tasmota_5C3F21").unwrap();
    let every = plug.interval().expect("the plug's rhythm");
    assert!((1.8..=2.2).contains(&every), "SENSOR every 2 s: {every}");
    assert_eq!(plug.health(end, &rules), Health::Online);
    assert!(plug.readings.iter().any(|r| r.label == "Power" && r.history.len() > 5));
    assert_eq!(d.counts(end).offline, 0);
    assert_eq!(d.counts(end).silent, 0);
    d.health_events(end);
    // The recording ends: 31 s later every device with a known rhythm is silent.
    let later = end + 31.0;
    let silent: Vec<String> = d
        .devices()
        .iter()
        .filter(|x| x.health(later, &rules) == Health::Silent)
        .map(|x| x.id.clone())
        .collect();
    assert!(
        silent.iter().any(|s| s == "tasmota:tasmota_5C3F21") && silent.iter().any(|s| s == "greenhouse"),
        "{silent:?}"
    );
    let announced = d.health_events(later);
    assert_eq!(announced.len(), silent.len(), "{announced:?}");
}

#[test]
fn a_set_time_replaces_the_rhythm_for_silence() {
    let rules = HealthRules {
        silent_fixed_secs: Some(120.0),
        ..HealthRules::default()
    };
    let mut d = Devices::new(rules);
    // Reporting every 10 s: three intervals would say silent after 30 s.
    for i in 0..5 {
        feed(&mut d, "n/t", "1", false, T0 + f64::from(i) * 10.0);
    }
    feed(&mut d, "n/status", "online", false, T0 + 40.0);
    let n = d.find("n").unwrap();
    assert_eq!(n.health(T0 + 40.0 + 119.0, &rules), Health::Online);
    assert_eq!(n.health(T0 + 40.0 + 121.0, &rules), Health::Silent);
    // And it applies before any rhythm is known.
    let mut d = Devices::new(rules);
    feed(&mut d, "m/status", "online", false, T0);
    assert_eq!(d.find("m").unwrap().health(T0 + 121.0, &rules), Health::Silent);
}

#[test]
fn the_users_pattern_makes_devices_of_boards_no_convention_knows() {
    let mut d = Devices::default();
    d.set_user_rules(vec![UserRule::parse("sensors/{device}/#").unwrap()]);
    feed(&mut d, "sensors/esp-07/temp", "21.5", false, T0);
    feed(&mut d, "sensors/esp-07/hum", "40", false, T0 + 10.0);
    feed(&mut d, "sensors/esp-08/status", "online", false, T0);
    feed(&mut d, "sensors/esp-08/status", "offline", false, T0 + 5.0);
    // A last will under the pattern belongs to the rule's device, not to a device of
    // its own (the user's pattern outranks the conventions).
    assert_eq!(
        d.devices().len(),
        2,
        "{:?}",
        d.devices().iter().map(|x| &x.id).collect::<Vec<_>>()
    );
    let a = d.find("esp-07").unwrap();
    assert_eq!(a.kind, Kind::UserRule);
    assert_eq!(
        a.readings
            .iter()
            .map(|r| (r.label.as_str(), r.value))
            .collect::<Vec<_>>(),
        [("temp", 21.5), ("hum", 40.0)]
    );
    assert_eq!(a.topics, ["sensors/esp-07/temp", "sensors/esp-07/hum"]);
    let b = d.find("esp-08").unwrap();
    assert_eq!(b.available, Some(false));
    assert_eq!(b.health(T0 + 6.0, d.rules()), Health::Offline);
    // Cleared with the tree, the patterns stay.
    d.clear();
    assert!(d.devices().is_empty());
    assert_eq!(d.user_rules().len(), 1);
}

#[test]
fn a_commands_round_trip_ends_at_the_devices_answer_not_at_its_echo() {
    let mut d = Devices::default();
    feed(&mut d, "tele/plug/LWT", "Online", false, T0);
    feed(&mut d, "stat/plug/POWER", "OFF", false, T0 + 1.0);
    d.command_sent("plug", "cmnd/plug/POWER", T0 + 10.0);
    assert!(d.find("plug").unwrap().awaiting_answer(T0 + 10.1));
    // The command itself comes back through `#`: not the answer.
    feed(&mut d, "cmnd/plug/POWER", "ON", false, T0 + 10.02);
    assert_eq!(d.find("plug").unwrap().last_rtt, None);
    feed(&mut d, "stat/plug/POWER", "ON", false, T0 + 10.09);
    let rtt = d.find("plug").unwrap().last_rtt.unwrap();
    assert!((rtt - 0.09).abs() < 1e-6, "{rtt}");
    assert!(!d.find("plug").unwrap().awaiting_answer(T0 + 10.1));
    // No answer within the wait: said so, and a late message is not a round trip.
    d.command_sent("plug", "cmnd/plug/POWER", T0 + 20.0);
    assert!(d.find("plug").unwrap().answer_missed(T0 + 51.0));
    feed(&mut d, "stat/plug/POWER", "OFF", false, T0 + 60.0);
    assert!((d.find("plug").unwrap().last_rtt.unwrap() - 0.09).abs() < 1e-6);
}
