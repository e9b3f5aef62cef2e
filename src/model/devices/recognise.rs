//! What one message says about a device, whatever its convention: the [`Hit`] each
//! convention's recogniser returns, and the small helpers they share (availability
//! words, numeric readings in a JSON payload). Pure functions of topic and payload.

use serde_json::Value;

/// The convention a device was recognised by, most specific first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    /// From one of the user's own patterns (`sensors/{device}/#`).
    UserRule,
    Tasmota,
    EspHome,
    Zigbee2Mqtt,
    HaDiscovery,
    LastWill,
}

impl Kind {
    /// How specific the convention is: a device first seen by its last will becomes
    /// ESPHome once a component state arrives, never the other way round.
    pub fn rank(self) -> u8 {
        match self {
            // The user said so: it outranks every convention.
            Self::UserRule => 4,
            Self::Tasmota | Self::EspHome | Self::Zigbee2Mqtt => 3,
            Self::HaDiscovery => 2,
            Self::LastWill => 1,
        }
    }

    /// The convention's own name (a proper noun, the same in every language).
    pub fn label(self) -> &'static str {
        match self {
            // The pattern's own token: the same in every language.
            Self::UserRule => "{device}",
            Self::Tasmota => "Tasmota",
            Self::EspHome => "ESPHome",
            Self::Zigbee2Mqtt => "Zigbee2MQTT",
            Self::HaDiscovery => "HA discovery",
            Self::LastWill => "LWT",
        }
    }
}

/// A command a device's convention defines: publish `payload` on `topic`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeviceCommand {
    /// What it switches ("POWER", "pump", "state").
    pub target: String,
    /// The button's word ("ON", "OFF", "TOGGLE").
    pub label: String,
    pub topic: String,
    /// The payload; for a number ([`Self::range`]) a template with [`VALUE`] in it.
    pub payload: String,
    /// A number to type in, within these bounds (Zigbee2MQTT's brightness 0–254),
    /// instead of a fixed payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(i64, i64)>,
}

/// Where a number command's value goes in its payload template.
pub const VALUE: &str = "{value}";

impl DeviceCommand {
    pub fn new(target: &str, label: &str, topic: &str, payload: &str) -> Self {
        Self {
            target: target.to_owned(),
            label: label.to_owned(),
            topic: topic.to_owned(),
            payload: payload.to_owned(),
            range: None,
        }
    }

    /// A number sent as `{"<target>":<value>}` within `min..=max`.
    pub fn json_number(target: &str, topic: &str, min: i64, max: i64) -> Self {
        let key = serde_json::to_string(target).unwrap_or_else(|_| format!("\"{target}\""));
        Self {
            range: Some((min.min(max), max.max(min))),
            ..Self::new(target, "", topic, &format!("{{{key}:{VALUE}}}"))
        }
    }

    /// The payload to send: the number put in, clamped to the range, for a number.
    pub fn payload_with(&self, value: i64) -> String {
        match self.range {
            Some((lo, hi)) => self.payload.replace(VALUE, &value.clamp(lo, hi).to_string()),
            None => self.payload.clone(),
        }
    }

    /// ON, OFF and TOGGLE with the same words as payloads (Tasmota, ESPHome switches).
    pub fn on_off_toggle(target: &str, topic: &str) -> Vec<Self> {
        ["ON", "OFF", "TOGGLE"]
            .into_iter()
            .map(|w| Self::new(target, w, topic, w))
            .collect()
    }

    /// ON, OFF and TOGGLE as `{"state":"…"}` (Zigbee2MQTT, ESPHome and HA JSON lights).
    pub fn json_state(target: &str, topic: &str) -> Vec<Self> {
        ["ON", "OFF", "TOGGLE"]
            .into_iter()
            .map(|w| Self::new(target, w, topic, &format!(r#"{{"state":"{w}"}}"#)))
            .collect()
    }
}

/// What one message tells about one device.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hit {
    pub kind: Option<Kind>,
    /// The device's key within the registry (its topic root or id).
    pub id: String,
    /// A friendlier name than the id, when the convention gives one.
    pub name: Option<String>,
    /// Some(true) online, Some(false) offline.
    pub available: Option<bool>,
    pub readings: Vec<(String, f64)>,
    /// Switch-like states: ("POWER", "ON").
    pub states: Vec<(String, String)>,
    pub commands: Vec<DeviceCommand>,
    /// False for messages that are not the device speaking (a command someone sent).
    pub from_device: bool,
}

impl Hit {
    pub fn new(kind: Kind, id: impl Into<String>) -> Self {
        Self {
            kind: Some(kind),
            id: id.into(),
            from_device: true,
            ..Self::default()
        }
    }
}

/// Reads an availability payload: online/offline, 1/0, true/false, connected/
/// disconnected, `{"state":"online"}` (Zigbee2MQTT), and the words the demo's homes use.
pub fn availability(payload: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text).ok()?;
        return availability(v.get("state")?.as_str()?.as_bytes());
    }
    match text.to_ascii_lowercase().as_str() {
        "online" | "1" | "true" | "connected" | "up" | "在线" | "オンライン" | "온라인" => Some(true),
        "offline" | "0" | "false" | "disconnected" | "down" | "离线" | "オフライン" | "오프라인" => {
            Some(false)
        }
        _ => None,
    }
}

/// Largest JSON payload read for readings (Tasmota's STATE is about 400 bytes).
pub const JSON_MAX_BYTES: usize = 4096;

/// The key readings worth a column: matched on the key's lower-case name.
const READING_WORDS: &[&str] = &[
    "temp",
    "humid",
    "power",
    "rssi",
    "signal",
    "linkquality",
    "battery",
    "voltage",
    "current",
    "lux",
    "illuminance",
    "moisture",
    "pressure",
    "co2",
    "energy",
];

/// True when a key names a reading worth showing ("Temperature", "air_temperature").
pub fn is_key_reading(key: &str) -> bool {
    // Without lower-casing a copy: this runs for every key of every device message.
    let k = key.as_bytes();
    READING_WORDS
        .iter()
        .any(|w| k.windows(w.len()).any(|part| part.eq_ignore_ascii_case(w.as_bytes())))
}

/// Numeric readings and switch states in a JSON object payload, two levels deep
/// (Tasmota nests `{"ENERGY":{"Power":…}}`), added to `hit`; keys are kept as the device
/// spells them. `None` (and nothing added) when the payload is not a JSON object.
pub fn json_readings(payload: &[u8], hit: &mut Hit) -> Option<()> {
    let found = super::json_readings::read(payload)?;
    hit.readings.extend(found.readings);
    hit.states.extend(found.states);
    Some(())
}

/// Keys that hold a relay's state: `state`, `POWER`, `POWER1`…
pub fn is_switch_key(key: &str) -> bool {
    let k = key.as_bytes();
    k.eq_ignore_ascii_case(b"state")
        || k.len() >= 5 && k[..5].eq_ignore_ascii_case(b"power") && k[5..].iter().all(u8::is_ascii_digit)
}

/// ON/OFF in any case.
pub fn is_switch_word(s: &str) -> bool {
    s.eq_ignore_ascii_case("on") || s.eq_ignore_ascii_case("off")
}

/// A plain number payload ("21.5").
pub fn plain_number(payload: &[u8]) -> Option<f64> {
    if payload.len() > 32 {
        return None;
    }
    std::str::from_utf8(payload)
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}
