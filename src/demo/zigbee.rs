//! A Zigbee2MQTT bridge with two devices: a battery temperature/humidity sensor in the
//! bedroom and a metering plug in the kitchen, each a flat JSON object on
//! `zigbee2mqtt/<friendly_name>` every 5 s. The bridge's availability is JSON
//! (`{"state":"online"}`, retained, with the matching last will) and the plug obeys
//! `zigbee2mqtt/kitchen_plug/set` like Zigbee2MQTT does.

use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde_json::{Value, json};

use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off, round_to};

pub(crate) const BASE: &str = "zigbee2mqtt";
const SENSOR: &str = "bedroom_sensor";
const PLUG: &str = "kitchen_plug";
const REPORT_EVERY: u64 = 5;
/// Battery percent lost per second: visible over an hour, never empty within a demo.
const BATTERY_DRAIN: f64 = 0.0005;

/// A `…/set` payload: `{"state":"ON"|"OFF"|"TOGGLE"}` (any case), or the bare word as
/// Zigbee2MQTT also accepts. `Ok(None)` is a valid command without a state change.
pub(crate) fn parse_plug_set(payload: &[u8]) -> Result<Option<Switch>, String> {
    let text = std::str::from_utf8(payload).map_err(|_| "payload is not UTF-8".to_owned())?;
    if let Some(switch) = Switch::parse(text) {
        return Ok(Some(switch));
    }
    let value: Value = serde_json::from_str(text).map_err(|_| format!("Invalid message '{text}', skipping"))?;
    let state = match &value {
        Value::Object(map) => match map.get("state") {
            None => return Ok(None),
            Some(state) => state,
        },
        other => other,
    };
    state
        .as_str()
        .and_then(Switch::parse)
        .map(Some)
        .ok_or_else(|| format!("No converter available for 'state' ({state})"))
}

pub(crate) struct Zigbee {
    plug_on: bool,
    /// The plug's settings its exposes offer (`power_on_behavior`, `child_lock`,
    /// `countdown`), as set through `…/set` and reported in its state.
    plug_settings: serde_json::Map<String, Value>,
    plug_energy_kwh: f64,
    plug_load: Drift,
    mains: Drift,
    temperature: Drift,
    humidity: Drift,
    pressure: Drift,
    battery: f64,
    link_sensor: Drift,
    link_plug: Drift,
    ticks: u64,
    rng: SmallRng,
}

impl Zigbee {
    pub fn new(seed: u64) -> Self {
        Self {
            plug_on: true,
            plug_settings: serde_json::from_value(json!({
                "power_on_behavior": "previous",
                "child_lock": "UNLOCK",
                "countdown": 0,
            }))
            .unwrap_or_default(),
            plug_energy_kwh: 3.21,
            // A fridge: the compressor's slow cycle dominates.
            plug_load: Drift::new(58.0, 1.5, 160.0)
                .wave(52.0, 600.0, 0.6)
                .walk(0.4, 8.0)
                .noise(0.5),
            mains: Drift::new(231.0, 215.0, 245.0)
                .daily(2.0, 4.0)
                .walk(0.1, 3.0)
                .noise(0.3),
            temperature: Drift::new(20.2, 12.0, 30.0)
                .daily(1.2, 17.0)
                .wave(0.25, 900.0, 0.2)
                .walk(0.02, 0.8)
                .noise(0.03),
            humidity: Drift::new(52.0, 20.0, 90.0).daily(5.0, 7.0).walk(0.08, 5.0).noise(0.15),
            pressure: Drift::new(1009.8, 980.0, 1040.0).walk(0.02, 6.0).noise(0.05),
            battery: 97.0,
            link_sensor: Drift::new(120.0, 30.0, 255.0).walk(1.5, 30.0).noise(3.0),
            link_plug: Drift::new(168.0, 30.0, 255.0).walk(1.0, 20.0).noise(2.0),
            ticks: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    #[cfg(test)]
    pub fn plug_on(&self) -> bool {
        self.plug_on
    }

    fn sensor_state(&self) -> Outgoing {
        let battery = self.battery.round();
        let payload = json!({
            "battery": battery as i64,
            "humidity": round_to(self.humidity.last(), 2),
            "linkquality": self.link_sensor.last().round() as i64,
            "pressure": round_to(self.pressure.last(), 1),
            "temperature": round_to(self.temperature.last(), 2),
            // A CR2032 sags from ~3.0 V as it empties.
            "voltage": (2_500.0 + battery * 5.2).round() as i64,
        });
        Outgoing::new(format!("{BASE}/{SENSOR}"), payload.to_string())
    }

    fn plug_state(&self) -> Outgoing {
        let power = if self.plug_on { self.plug_load.last() } else { 0.0 };
        let voltage = self.mains.last();
        let mut payload = json!({
            "current": round_to(power / voltage, 2),
            "energy": round_to(self.plug_energy_kwh, 2),
            "linkquality": self.link_plug.last().round() as i64,
            "power": round_to(power, 1),
            "state": on_off(self.plug_on),
            "voltage": voltage.round() as i64,
        });
        if let Some(obj) = payload.as_object_mut() {
            obj.extend(self.plug_settings.clone());
        }
        Outgoing::new(format!("{BASE}/{PLUG}"), payload.to_string())
    }

    /// The bridge's retained device list: what each device exposes (the shapes of a
    /// TuYa TS011F plug and an Aqara WSDCGQ11LM sensor in Zigbee2MQTT).
    fn devices_list() -> Outgoing {
        let list = json!([
            {"friendly_name": "Coordinator", "type": "Coordinator", "ieee_address": "0x00124b0024c1e2f3"},
            {"friendly_name": PLUG, "type": "Router", "ieee_address": "0xa4c1380aa1b2c3d4",
             "definition": {"model": "TS011F_plug_1", "vendor": "TuYa", "exposes": [
                {"type": "switch", "features": [{"type": "binary", "name": "state", "property": "state",
                    "access": 7, "value_on": "ON", "value_off": "OFF", "value_toggle": "TOGGLE"}]},
                {"type": "enum", "name": "power_on_behavior", "property": "power_on_behavior", "access": 7,
                    "values": ["off", "on", "toggle", "previous"]},
                {"type": "binary", "name": "child_lock", "property": "child_lock", "access": 7,
                    "value_on": "LOCK", "value_off": "UNLOCK"},
                {"type": "numeric", "name": "countdown", "property": "countdown", "access": 7,
                    "value_min": 0, "value_max": 43200, "unit": "s"},
                {"type": "numeric", "name": "power", "property": "power", "access": 5, "unit": "W"},
                {"type": "numeric", "name": "linkquality", "property": "linkquality", "access": 1,
                    "value_min": 0, "value_max": 255}]}},
            {"friendly_name": SENSOR, "type": "EndDevice", "ieee_address": "0x00158d0001a2b3c4",
             "definition": {"model": "WSDCGQ11LM", "vendor": "Aqara", "exposes": [
                {"type": "numeric", "name": "temperature", "property": "temperature", "access": 1, "unit": "°C"},
                {"type": "numeric", "name": "humidity", "property": "humidity", "access": 1, "unit": "%"},
                {"type": "numeric", "name": "battery", "property": "battery", "access": 1,
                    "value_min": 0, "value_max": 100}]}}
        ]);
        Outgoing::retained(format!("{BASE}/bridge/devices"), list.to_string())
    }

    fn log_error(message: &str) -> Outgoing {
        Outgoing::new(
            format!("{BASE}/bridge/logging"),
            json!({"level": "error", "message": message, "namespace": "z2m"}).to_string(),
        )
    }
}

impl Device for Zigbee {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: "sim-zigbee2mqtt".to_owned(),
            availability_topic: format!("{BASE}/bridge/state"),
            online: r#"{"state":"online"}"#,
            offline: r#"{"state":"offline"}"#,
            subscriptions: vec![format!("{BASE}/{PLUG}/set"), format!("{BASE}/{PLUG}/get")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, _now: &Now) -> Vec<Outgoing> {
        let online = json!({"state": "online"}).to_string();
        vec![
            Self::devices_list(),
            Outgoing::retained(format!("{BASE}/{SENSOR}/availability"), online.clone()),
            Outgoing::retained(format!("{BASE}/{PLUG}/availability"), online),
            self.sensor_state(),
            self.plug_state(),
        ]
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        self.ticks += 1;
        let rng = &mut self.rng;
        self.temperature.sample(now, rng);
        self.humidity.sample(now, rng);
        self.pressure.sample(now, rng);
        self.link_sensor.sample(now, rng);
        self.link_plug.sample(now, rng);
        self.mains.sample(now, rng);
        let load = self.plug_load.sample(now, rng);
        if self.plug_on {
            self.plug_energy_kwh += load / 3_600_000.0;
        }
        self.battery = (self.battery - BATTERY_DRAIN).max(1.0);

        let mut out = Vec::new();
        // The two devices report out of step, as real ones do.
        if self.ticks.is_multiple_of(REPORT_EVERY) {
            out.push(self.sensor_state());
        }
        if self.ticks % REPORT_EVERY == 2 {
            out.push(self.plug_state());
        }
        out
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        if topic == format!("{BASE}/{PLUG}/get") {
            return vec![self.plug_state()];
        }
        if topic != format!("{BASE}/{PLUG}/set") {
            return Vec::new();
        }
        match parse_plug_set(payload) {
            Ok(switch) => {
                if let Some(switch) = switch {
                    self.plug_on = switch.apply(self.plug_on);
                }
                // The settings it exposes are kept and reported back, as the plug does.
                if let Ok(Value::Object(set)) = serde_json::from_slice::<Value>(payload) {
                    for (k, v) in set {
                        if let Some(slot) = self.plug_settings.get_mut(&k) {
                            *slot = v;
                        }
                    }
                }
                vec![self.plug_state()]
            }
            Err(message) => vec![Self::log_error(&message)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(out: &Outgoing) -> Value {
        serde_json::from_slice(&out.payload).expect("valid JSON")
    }

    #[test]
    fn set_payloads() {
        assert_eq!(parse_plug_set(br#"{"state":"ON"}"#), Ok(Some(Switch::On)));
        assert_eq!(parse_plug_set(br#"{"state":"off"}"#), Ok(Some(Switch::Off)));
        assert_eq!(parse_plug_set(br#"{"state":"Toggle"}"#), Ok(Some(Switch::Toggle)));
        assert_eq!(parse_plug_set(b"OFF"), Ok(Some(Switch::Off)));
        assert_eq!(parse_plug_set(br#""on""#), Ok(Some(Switch::On)));
        assert_eq!(parse_plug_set(br#"{"brightness":3}"#), Ok(None));
        assert!(parse_plug_set(br#"{"state":"half"}"#).is_err());
        assert!(parse_plug_set(br#"{"state":1}"#).is_err());
        assert!(parse_plug_set(b"{broken").is_err());
        assert!(parse_plug_set(&[0xff]).is_err());
    }

    #[test]
    fn plug_obeys_set_and_get() {
        let now = Now::at(18, 0.0);
        let mut z = Zigbee::new(1);
        for s in 1..=3 {
            z.on_tick(&Now::at(18, f64::from(s)));
        }
        let out = z.on_message("zigbee2mqtt/kitchen_plug/set", br#"{"state":"OFF"}"#, &now);
        assert!(!z.plug_on());
        assert_eq!(out[0].topic, "zigbee2mqtt/kitchen_plug");
        let state = parse(&out[0]);
        assert_eq!(state["state"], "OFF");
        assert_eq!(state["power"], 0.0);

        let out = z.on_message("zigbee2mqtt/kitchen_plug/set", br#"{"state":"TOGGLE"}"#, &now);
        assert_eq!(parse(&out[0])["state"], "ON");
        assert!(parse(&out[0])["power"].as_f64().unwrap() > 0.0);

        let out = z.on_message("zigbee2mqtt/kitchen_plug/get", br#"{"state":""}"#, &now);
        assert_eq!(parse(&out[0])["state"], "ON");

        let out = z.on_message("zigbee2mqtt/kitchen_plug/set", b"{nope", &now);
        assert_eq!(out[0].topic, "zigbee2mqtt/bridge/logging");
        assert_eq!(parse(&out[0])["level"], "error");
        assert!(z.plug_on());
    }

    #[test]
    fn reports_every_5_s_and_battery_drains() {
        let mut z = Zigbee::new(2);
        let mut sensor = Vec::new();
        let mut plug = 0;
        for s in 1..=7200 {
            for out in z.on_tick(&Now::at(0, f64::from(s))) {
                if out.topic == "zigbee2mqtt/bedroom_sensor" {
                    sensor.push(parse(&out));
                } else if out.topic == "zigbee2mqtt/kitchen_plug" {
                    plug += 1;
                }
            }
        }
        assert_eq!(sensor.len(), 1440);
        assert_eq!(plug, 1440);
        let first = &sensor[0];
        for key in ["battery", "humidity", "linkquality", "temperature", "voltage"] {
            assert!(first[key].is_number(), "{key}");
        }
        let (b0, b1) = (&sensor[0]["battery"], &sensor[1439]["battery"]);
        assert!(b1.as_i64().unwrap() < b0.as_i64().unwrap(), "{b0} → {b1}");
    }

    #[test]
    fn bridge_availability_is_json() {
        let z = Zigbee::new(3);
        let spec = z.link();
        assert_eq!(spec.availability_topic, "zigbee2mqtt/bridge/state");
        let online: Value = serde_json::from_str(spec.online).unwrap();
        let offline: Value = serde_json::from_str(spec.offline).unwrap();
        assert_eq!(online["state"], "online");
        assert_eq!(offline["state"], "offline");
    }
}
