//! Zigbee2MQTT under its default base topic: the retained `zigbee2mqtt/bridge/devices`
//! list, `zigbee2mqtt/<name>` state JSON (linkquality, battery…), `<name>/availability`,
//! commands on `<name>/set` (<https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html>).
//! The bridge itself is a device too (`bridge/state`).

use serde_json::Value;

use super::recognise::{DeviceCommand, Hit, Kind, availability, json_readings};

pub const BASE: &str = "zigbee2mqtt";
/// The id the bridge itself is listed under.
pub const BRIDGE: &str = "bridge";

/// Recognises one message under `zigbee2mqtt/`; the devices list yields one hit each.
pub fn recognise(topic: &str, payload: &[u8]) -> Vec<Hit> {
    let Some(rest) = topic.strip_prefix(BASE).and_then(|r| r.strip_prefix('/')) else {
        return Vec::new();
    };
    if rest == "bridge/devices" {
        return devices_list(payload);
    }
    if rest == "bridge/state" {
        let mut hit = Hit::new(Kind::Zigbee2Mqtt, BRIDGE);
        hit.available = availability(payload);
        return vec![hit];
    }
    if rest.starts_with("bridge/") {
        let mut hit = Hit::new(Kind::Zigbee2Mqtt, BRIDGE);
        hit.from_device = !rest.starts_with("bridge/request");
        return vec![hit];
    }
    if let Some(name) = rest.strip_suffix("/availability") {
        let mut hit = Hit::new(Kind::Zigbee2Mqtt, name);
        hit.available = availability(payload);
        return vec![hit];
    }
    for suffix in ["/set", "/get"] {
        if let Some((name, _)) = rest
            .split_once(suffix)
            .filter(|(n, after)| !n.is_empty() && (after.is_empty() || after.starts_with('/')))
        {
            let mut hit = Hit::new(Kind::Zigbee2Mqtt, name);
            hit.from_device = false;
            return vec![hit];
        }
    }
    let mut hit = Hit::new(Kind::Zigbee2Mqtt, rest);
    if json_readings(payload, &mut hit).is_none() {
        return Vec::new();
    }
    if hit.states.iter().any(|(k, _)| k == "state") {
        hit.commands = DeviceCommand::json_state("state", &format!("{BASE}/{rest}/set"));
    }
    vec![hit]
}

/// One hit per device in the bridge's list (the coordinator left out), named by its
/// friendly name, with switch commands for every exposed `state` feature.
fn devices_list(payload: &[u8]) -> Vec<Hit> {
    let Ok(Value::Array(list)) = serde_json::from_slice::<Value>(payload) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    for d in list.iter().take(super::MAX_DEVICES) {
        let Some(name) = d.get("friendly_name").and_then(Value::as_str) else {
            continue;
        };
        if d.get("type").and_then(Value::as_str) == Some("Coordinator") {
            continue;
        }
        let mut hit = Hit::new(Kind::Zigbee2Mqtt, name);
        // Listed by the bridge, not heard from the device itself.
        hit.from_device = false;
        let exposes = d.pointer("/definition/exposes").and_then(Value::as_array);
        let switchable = exposes.is_some_and(|list| {
            list.iter().any(|e| {
                e.get("property").and_then(Value::as_str) == Some("state")
                    || e.get("features").and_then(Value::as_array).is_some_and(|f| {
                        f.iter()
                            .any(|x| x.get("property").and_then(Value::as_str) == Some("state"))
                    })
            })
        });
        if switchable {
            hit.commands = DeviceCommand::json_state("state", &format!("{BASE}/{name}/set"));
        }
        hits.push(hit);
    }
    hits
}
