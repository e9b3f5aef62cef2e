//! Devices against the demo fleet on the embedded broker: `topicscope devices --json`
//! finds every simulated board with the right kind, availability and commands (the same
//! model code as the Devices pane), and the table names them.

#![cfg(feature = "broker")]

use std::process::Command;

use serde_json::Value;
use topicscope::broker::{EmbeddedBrokerConfig, start_embedded};
use topicscope::demo::{Fleet, FleetOptions};

fn devices_cli(url: &str, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_topicscope"))
        .args(["devices", "--broker", url, "--wait", "9"])
        .args(extra)
        .env("TOPICSCOPE_LANG", "en-US")
        .output()
        .expect("run topicscope devices");
    assert!(
        out.status.success(),
        "topicscope devices failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn device<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no device {id} in {}", serde_json::to_string_pretty(list).unwrap()))
}

fn commands(d: &Value) -> Vec<(String, String)> {
    d["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["topic"].as_str().unwrap().to_owned(),
                c["payload"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_demo_device_is_recognised_with_its_kind_state_and_commands() {
    let broker = start_embedded(EmbeddedBrokerConfig::default()).expect("embedded broker");
    let _fleet = Fleet::start_with(&broker.url(), FleetOptions { dropout: None }).expect("fleet");
    let text = devices_cli(&broker.url(), &["--json"]);
    let list: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let expected = [
        ("tasmota:tasmota_5C3F21", "Tasmota"),
        ("greenhouse", "ESPHome"),
        ("esp32/a1b2c3", "HA discovery"),
        ("esp32/d4e5f6", "HA discovery"),
        ("esp32cam/d4e5f6", "LWT"),
        ("esp32/5a17c0", "LWT"),
        ("esp32/3b9e01", "LWT"),
        ("zigbee2mqtt/bridge", "Zigbee2MQTT"),
        ("zigbee2mqtt/bedroom_sensor", "Zigbee2MQTT"),
        ("zigbee2mqtt/kitchen_plug", "Zigbee2MQTT"),
        ("cn/家", "LWT"),
        ("jp/工場", "LWT"),
        ("kr/집", "LWT"),
        // The Sparkplug B edge node's own last will (its NBIRTH/NDEATH are protobuf).
        ("spBv1.0/demo/edge-01", "LWT"),
        // The twins sharing one client id (they kick each other off now and then).
        ("shed/pump", "LWT"),
        ("shed/fan", "LWT"),
        // A retired board's discovery configs, left behind: it never reports.
        ("esp32/garage", "HA discovery"),
    ];
    for (id, kind) in expected {
        let d = device(&list, id);
        assert_eq!(d["kind"], kind, "{id}: {d}");
        // The Zigbee devices report their availability through the bridge.
        // The twins take turns being kicked off, so either may be offline just now.
        if (!id.starts_with("zigbee2mqtt/") || id == "zigbee2mqtt/bridge")
            && !id.starts_with("shed/")
            && id != "esp32/garage"
        {
            assert_eq!(d["health"], "online", "{id}: {d}");
        }
    }
    assert_eq!(list.len(), expected.len(), "no stray devices: {text}");

    let plug = commands(device(&list, "tasmota:tasmota_5C3F21"));
    for p in ["ON", "OFF", "TOGGLE"] {
        assert!(
            plug.contains(&("cmnd/tasmota_5C3F21/POWER".into(), p.into())),
            "{plug:?}"
        );
    }
    let gh = commands(device(&list, "greenhouse"));
    assert!(
        gh.contains(&("greenhouse/switch/pump/command".into(), "ON".into())),
        "{gh:?}"
    );
    let board = commands(device(&list, "esp32/a1b2c3"));
    assert!(
        board.contains(&("esp32/a1b2c3/led/set".into(), r#"{"state":"ON"}"#.into())),
        "{board:?}"
    );
    let z = commands(device(&list, "zigbee2mqtt/kitchen_plug"));
    assert!(
        z.contains(&("zigbee2mqtt/kitchen_plug/set".into(), r#"{"state":"TOGGLE"}"#.into())),
        "{z:?}"
    );
    assert_eq!(
        device(&list, "esp32/a1b2c3")["name"],
        "ESP32 Lab",
        "named by its discovery config"
    );

    // Live readings with their device's own labels.
    let readings = |id: &str| -> Vec<String> {
        device(&list, id)["readings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        readings("tasmota:tasmota_5C3F21").contains(&"Power".to_owned()),
        "{text}"
    );
    assert!(
        readings("zigbee2mqtt/bedroom_sensor").contains(&"linkquality".to_owned()),
        "{text}"
    );
    // A plug that reports every 2 s has an interval by now.
    let interval = device(&list, "tasmota:tasmota_5C3F21")["interval_secs"].as_f64();
    assert!(
        interval.is_some_and(|i| (1.0..=3.0).contains(&i)),
        "{interval:?}: {}",
        device(&list, "tasmota:tasmota_5C3F21")
    );

    let table = devices_cli(&broker.url(), &[]);
    assert!(table.starts_with("17 devices"), "{table}");
    assert!(table.contains("tasmota_5C3F21\tTasmota\tonline"), "{table}");
}
