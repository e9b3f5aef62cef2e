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
        let set = format!("{BASE}/{name}/set");
        if let Some(exposes) = d.pointer("/definition/exposes").and_then(Value::as_array) {
            for feature in exposes.iter().flat_map(flatten) {
                hit.commands.extend(feature_commands(feature, &set));
            }
        }
        hit.commands.truncate(super::device::COMMANDS_MAX);
        hits.push(hit);
    }
    hits
}

/// An exposed feature and, for composites (a light, a switch), the features inside.
fn flatten(e: &Value) -> Vec<&Value> {
    let mut all = vec![e];
    if let Some(inner) = e.get("features").and_then(Value::as_array) {
        all.extend(inner.iter().flat_map(flatten));
    }
    all
}

/// Most values of an enum feature shown as buttons.
const ENUM_BUTTONS_MAX: usize = 8;
/// Bit of a feature's `access` saying it can be set.
const ACCESS_SET: u64 = 0b010;

/// The commands one writable feature offers: a binary `state` as ON/OFF/TOGGLE, other
/// binaries as their two values, an enum as a button per value, a numeric as a number
/// within its bounds (<https://www.zigbee2mqtt.io/guide/usage/exposes.html>).
fn feature_commands(f: &Value, set: &str) -> Vec<DeviceCommand> {
    let (Some(kind), Some(property)) = (
        f.get("type").and_then(Value::as_str),
        f.get("property").and_then(Value::as_str),
    ) else {
        return Vec::new();
    };
    let writable = f
        .get("access")
        .and_then(Value::as_u64)
        .is_some_and(|a| a & ACCESS_SET != 0);
    if !writable {
        return Vec::new();
    }
    let json = |v: &Value| serde_json::json!({ property: v }).to_string();
    let word = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    match kind {
        "binary" if property == "state" => DeviceCommand::json_state("state", set),
        "binary" => ["value_on", "value_off"]
            .iter()
            .filter_map(|k| f.get(*k))
            .map(|v| DeviceCommand::new(property, &word(v), set, &json(v)))
            .collect(),
        "enum" => f
            .get("values")
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .take(ENUM_BUTTONS_MAX)
                    .map(|v| DeviceCommand::new(property, &word(v), set, &json(v)))
                    .collect()
            })
            .unwrap_or_default(),
        "numeric" => {
            let bound = |k: &str| f.get(k).and_then(Value::as_f64).map(|x| x.round() as i64);
            match (bound("value_min"), bound("value_max")) {
                (Some(lo), Some(hi)) => vec![DeviceCommand::json_number(property, set, lo, hi)],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
