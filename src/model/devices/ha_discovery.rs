//! Home Assistant MQTT discovery: a retained JSON config on
//! `homeassistant/<component>/[<node>/]<object>/config` naming the entity's state,
//! command and availability topics and the device it belongs to
//! (<https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery>). Configs may use
//! the abbreviated keys (`stat_t`, `cmd_t`, `avty_t`, `dev`, `pl_on`…) and the `~` base.

use serde_json::{Map, Value};

use super::recognise::DeviceCommand;

pub const PREFIX: &str = "homeassistant/";

/// One entity's config, with abbreviations and `~` expanded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entity {
    pub component: String,
    /// The device's id: its first identifier, else the node id, else the object id.
    pub device_id: String,
    pub device_name: Option<String>,
    pub name: Option<String>,
    pub state_topic: Option<String>,
    pub command_topic: Option<String>,
    pub availability: Vec<(String, String, String)>,
    pub commands: Vec<DeviceCommand>,
}

/// The abbreviations this reader understands, from Home Assistant's `abbreviations.py`.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("stat_t", "state_topic"),
    ("cmd_t", "command_topic"),
    ("avty_t", "availability_topic"),
    ("avty", "availability"),
    ("dev", "device"),
    ("pl_on", "payload_on"),
    ("pl_off", "payload_off"),
    ("pl_avail", "payload_available"),
    ("pl_not_avail", "payload_not_available"),
    ("ids", "identifiers"),
    ("uniq_id", "unique_id"),
    ("obj_id", "object_id"),
    ("schema", "schema"),
    ("t", "topic"),
];

fn long(key: &str) -> &str {
    ABBREVIATIONS.iter().find(|(s, _)| *s == key).map_or(key, |(_, l)| l)
}

/// A map with every key spelled out and `~` replaced in topic values.
fn expand(obj: &Map<String, Value>, base: Option<&str>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in obj {
        let key = long(k).to_owned();
        let value = match v {
            Value::String(s) if key.ends_with("topic") => Value::String(tilde(s, base)),
            Value::Object(inner) => Value::Object(expand(inner, base)),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| match i {
                        Value::Object(o) => Value::Object(expand(o, base)),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        out.insert(key, value);
    }
    out
}

/// `~/state` with base `tasmota/plug` is `tasmota/plug/state`; `~` may also end a topic.
fn tilde(s: &str, base: Option<&str>) -> String {
    match base {
        Some(b) if s.starts_with('~') => format!("{b}{}", &s[1..]),
        Some(b) if s.ends_with('~') => format!("{}{b}", &s[..s.len() - 1]),
        _ => s.to_owned(),
    }
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Parses a config message; None when the topic is not a discovery config or the
/// payload is empty (a removal) or not a JSON object.
pub fn parse(topic: &str, payload: &[u8]) -> Option<Entity> {
    let rest = topic.strip_prefix(PREFIX)?.strip_suffix("/config")?;
    let levels: Vec<&str> = rest.split('/').collect();
    let (component, node, object) = match levels.as_slice() {
        [c, n, o] => (*c, Some(*n), *o),
        [c, o] => (*c, None, *o),
        _ => return None,
    };
    let raw: Value = serde_json::from_slice(payload).ok()?;
    let raw = raw.as_object()?;
    let base = raw.get("~").and_then(Value::as_str).map(str::to_owned);
    let cfg = expand(raw, base.as_deref());
    let device = cfg.get("device").and_then(Value::as_object);
    let first_id = device.and_then(|d| match d.get("identifiers") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    });
    let device_id = first_id
        .or(node.map(str::to_owned))
        .unwrap_or_else(|| object.to_owned());
    let mut entity = Entity {
        component: component.to_owned(),
        device_id,
        device_name: device.and_then(|d| text(d, "name")),
        name: text(&cfg, "name"),
        state_topic: text(&cfg, "state_topic"),
        command_topic: text(&cfg, "command_topic"),
        ..Entity::default()
    };
    let on = text(&cfg, "payload_available").unwrap_or_else(|| "online".into());
    let off = text(&cfg, "payload_not_available").unwrap_or_else(|| "offline".into());
    if let Some(t) = text(&cfg, "availability_topic") {
        entity.availability.push((t, on.clone(), off.clone()));
    }
    if let Some(list) = cfg.get("availability").and_then(Value::as_array) {
        for a in list.iter().filter_map(Value::as_object) {
            if let Some(t) = text(a, "topic") {
                let on = text(a, "payload_available").unwrap_or_else(|| on.clone());
                let off = text(a, "payload_not_available").unwrap_or_else(|| off.clone());
                entity.availability.push((t, on, off));
            }
        }
    }
    if let Some(cmd) = &entity.command_topic {
        let target = entity.name.clone().unwrap_or_else(|| object.to_owned());
        let json_schema = text(&cfg, "schema").as_deref() == Some("json");
        entity.commands = match component {
            "light" if json_schema => DeviceCommand::json_state(&target, cmd),
            "switch" | "light" | "fan" | "siren" | "humidifier" => {
                let on = text(&cfg, "payload_on").unwrap_or_else(|| "ON".into());
                let off = text(&cfg, "payload_off").unwrap_or_else(|| "OFF".into());
                vec![
                    DeviceCommand::new(&target, "ON", cmd, &on),
                    DeviceCommand::new(&target, "OFF", cmd, &off),
                ]
            }
            "button" => {
                let press = text(&cfg, "payload_press").unwrap_or_else(|| "PRESS".into());
                vec![DeviceCommand::new(&target, "PRESS", cmd, &press)]
            }
            _ => Vec::new(),
        };
    }
    Some(entity)
}
