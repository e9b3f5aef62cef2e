//! Fleet-wide tests: URL parsing, the shape of every device's traffic, and (with the
//! embedded broker) the whole fleet over real MQTT connections.

use std::collections::HashSet;

use super::link::Device;
use super::sim::Now;
use super::*;

#[test]
fn broker_urls() {
    let ok = |u: &str| parse_broker_url(u).unwrap();
    assert_eq!(ok("mqtt://127.0.0.1:40123"), ("127.0.0.1".into(), 40123));
    assert_eq!(ok("tcp://localhost:1884"), ("localhost".into(), 1884));
    assert_eq!(ok("broker.lan"), ("broker.lan".into(), 1883));
    assert_eq!(ok("10.0.0.5:1999"), ("10.0.0.5".into(), 1999));
    assert_eq!(ok("mqtt://[::1]:1883"), ("::1".into(), 1883));
    assert!(parse_broker_url("mqtts://broker:8883").is_err());
    assert!(parse_broker_url("mqtt://").is_err());
    assert!(parse_broker_url("mqtt://host:99999").is_err());
    let err = Fleet::start("ws://host:80").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn names_match_the_devices() {
    let names = device_names();
    assert_eq!(names.len(), 14);
    for device in devices(&FleetOptions::default()) {
        let topic = device.link().availability_topic;
        assert!(
            names.iter().any(|n| topic.contains(&format!("{n}/"))),
            "{topic} has no entry in device_names"
        );
    }
}

/// Topic names a broker accepts for PUBLISH: no wildcards, not `$`-prefixed, not empty.
fn publishable(topic: &str) -> bool {
    !topic.is_empty() && !topic.contains(['+', '#', '\0']) && !topic.starts_with('$')
}

#[test]
fn every_device_emits_well_formed_messages() {
    let mut ids = HashSet::new();
    let mut availability = HashSet::new();
    for mut device in devices(&FleetOptions::default()) {
        let spec = device.link();
        // rumqttd silently drops clients whose id contains any of `+$#/`.
        assert!(spec.client_id.starts_with("sim-"), "{}", spec.client_id);
        assert!(!spec.client_id.contains(['+', '$', '#', '/']));
        // Only the twins share an id, on purpose (they demonstrate the collision).
        assert!(
            ids.insert(spec.client_id.clone()) || spec.client_id == super::twins::CLIENT_ID,
            "duplicate client id {}",
            spec.client_id
        );
        assert!(availability.insert(spec.availability_topic.clone()));
        assert!(publishable(&spec.availability_topic));
        assert_ne!(spec.online, spec.offline);
        assert!(!spec.subscriptions.is_empty(), "every device listens");

        let mut out = device.on_connect(&Now::at(7, 0.0));
        for s in 1..=60 {
            out.extend(device.on_tick(&Now::at(7, f64::from(s))));
        }
        // Commands on every subscribed topic get an answer (state, reply or error).
        for topic in &spec.subscriptions {
            let topic = topic.replace('+', "POWER");
            let answer = device.on_message(&topic, b"ON", &Now::at(7, 61.0));
            let answer2 = device.on_message(&topic, b"{}", &Now::at(7, 62.0));
            assert!(!answer.is_empty() || !answer2.is_empty(), "{topic} gets no answer");
            out.extend(answer);
            out.extend(answer2);
        }
        assert!(out.len() > 20, "{} is too quiet", spec.client_id);
        for m in &out {
            assert!(publishable(&m.topic), "{}", m.topic);
            if m.topic.ends_with("/frame") {
                assert!(image::load_from_memory(&m.payload).is_ok());
                continue;
            }
            // Binary firmware: what it sends must decode with the demo's rules.
            if let Some(decoder) = crate::demo::demo_decoders().decoder_for(&m.topic, &m.payload) {
                assert!(decoder.decode(&m.payload).is_ok(), "{}", m.topic);
                continue;
            }
            let text = std::str::from_utf8(&m.payload).unwrap_or_else(|_| panic!("{} is not UTF-8", m.topic));
            if text.starts_with('{') {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(text);
                assert!(parsed.is_ok(), "{}: {text}", m.topic);
            }
        }
    }
}

/// The whole fleet over real connections: traffic arrives, commands are answered, the
/// dropping board's last will fires and it comes back, availability is retained, and
/// dropping the fleet fires every will.
/// Topics the fleet test must see; it waits for all of them (a board that starts late
/// on a loaded machine is waited for, not missed).
#[cfg(feature = "broker")]
const EXPECTED: [&str; 13] = [
    "tele/tasmota_5C3F21/LWT",
    "tele/tasmota_5C3F21/SENSOR",
    "greenhouse/status",
    "greenhouse/sensor/soil_moisture/state",
    "esp32/a1b2c3/accel",
    "esp32/a1b2c3/led/state",
    "zigbee2mqtt/bridge/state",
    "zigbee2mqtt/kitchen_plug",
    "homeassistant/sensor/greenhouse/air_temperature/config",
    "cn/家/客厅/温度",
    "cn/家/客厅/传感器",
    "jp/工場/ライン1/温度",
    "kr/집/거실/온도",
];

#[cfg(feature = "broker")]
#[test]
fn fleet_runs_against_the_embedded_broker() {
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};

    let broker =
        crate::broker::start_embedded(crate::broker::EmbeddedBrokerConfig::default()).expect("embedded broker");
    let options = FleetOptions {
        dropout: Some(Dropout {
            every_ms: 2_500..=3_000,
            away_ms: 800..=1_200,
        }),
    };
    let fleet = Fleet::start_with(&broker.url(), options).expect("fleet starts");
    assert!(fleet.is_running());

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let watch = |id: &str, filter: &str| {
        let mut opts = MqttOptions::new(id, "127.0.0.1", broker.port());
        opts.set_max_packet_size(8 << 20, 8 << 20);
        let (client, eventloop) = AsyncClient::new(opts, 64);
        client.try_subscribe(filter, QoS::AtMostOnce).unwrap();
        (client, eventloop)
    };

    // Latest payload per topic, and the sequence of the dropping board's availability.
    let (seen, dropper) = rt.block_on(async {
        let (client, mut eventloop) = watch("fleet-test-watcher", "#");
        let mut seen: HashMap<String, Vec<u8>> = HashMap::new();
        let mut dropper: Vec<String> = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last_command: Option<Instant> = None;
        let done = |seen: &HashMap<String, Vec<u8>>, dropper: &[String]| {
            let is = |t: &str, v: &[u8]| seen.get(t).is_some_and(|p| p == v);
            is("greenhouse/switch/pump/state", b"ON")
                && is("stat/tasmota_5C3F21/POWER", b"OFF")
                && seen.contains_key("esp32cam/d4e5f6/frame")
                && seen.contains_key("zigbee2mqtt/bedroom_sensor")
                && seen.contains_key("esp32/a1b2c3/telemetry")
                && dropper.windows(2).any(|w| w == ["offline", "online"])
                && EXPECTED.iter().all(|t| seen.contains_key(*t))
        };
        while Instant::now() < deadline && !done(&seen, &dropper) {
            // Commands are repeated until answered: the first may beat the device's
            // subscription.
            if last_command.is_none_or(|t| t.elapsed() > Duration::from_secs(2))
                && seen.contains_key("greenhouse/sensor/air_temperature/state")
            {
                last_command = Some(Instant::now());
                let _ = client.try_publish("greenhouse/switch/pump/command", QoS::AtMostOnce, false, "ON");
                let _ = client.try_publish("cmnd/tasmota_5C3F21/POWER", QoS::AtMostOnce, false, "off");
            }
            let polled = tokio::time::timeout(Duration::from_millis(500), eventloop.poll()).await;
            if let Ok(Ok(Event::Incoming(Packet::Publish(p)))) = polled {
                if p.topic == "esp32/d4e5f6/status" {
                    dropper.push(String::from_utf8_lossy(&p.payload).into_owned());
                }
                seen.insert(p.topic, p.payload.to_vec());
            }
        }
        (seen, dropper)
    });

    for topic in EXPECTED {
        assert!(seen.contains_key(topic), "never saw {topic}");
    }
    assert_eq!(seen["greenhouse/switch/pump/state"], b"ON");
    assert_eq!(seen["stat/tasmota_5C3F21/POWER"], b"OFF");
    let frame = image::load_from_memory(&seen["esp32cam/d4e5f6/frame"]).expect("a JPEG");
    assert_eq!((frame.width(), frame.height()), (160, 120));
    assert!(
        dropper.windows(2).any(|w| w == ["offline", "online"]),
        "the board's will fired and it came back: {dropper:?}"
    );

    // A newcomer gets availability retained.
    let retained = rt.block_on(async {
        let (_client, mut eventloop) = watch("fleet-test-late", "greenhouse/status");
        loop {
            match tokio::time::timeout(Duration::from_secs(5), eventloop.poll()).await {
                Ok(Ok(Event::Incoming(Packet::Publish(p)))) => return Some(p),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    });
    let retained = retained.expect("retained greenhouse/status");
    assert!(retained.retain);
    assert_eq!(&retained.payload[..], b"online");

    // Stopping the fleet is quick and fires the wills.
    let started = Instant::now();
    drop(fleet);
    assert!(started.elapsed() < Duration::from_secs(2));
    let lwt = rt.block_on(async {
        let (_client, mut eventloop) = watch("fleet-test-after", "tele/tasmota_5C3F21/LWT");
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = None;
        while Instant::now() < deadline {
            if let Ok(Ok(Event::Incoming(Packet::Publish(p)))) =
                tokio::time::timeout(Duration::from_millis(200), eventloop.poll()).await
            {
                last = Some(p.payload.to_vec());
                if last.as_deref() == Some(b"Offline") {
                    break;
                }
            }
        }
        last
    });
    assert_eq!(lwt.as_deref(), Some(&b"Offline"[..]));
}
