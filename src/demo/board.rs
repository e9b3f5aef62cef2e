//! Custom-firmware ESP32 boards: compact JSON telemetry every second, an accelerometer
//! array, retained `esp32/<id>/status` online/offline, and an RGB LED driven by JSON on
//! `esp32/<id>/led/set` (answered, merged, on retained `esp32/<id>/led/state`; bad input
//! is reported on `esp32/<id>/error`).

use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde_json::{Value, json};

use super::discovery::{self, DeviceInfo};
use super::drift::Drift;
use super::link::{Device, Dropout, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off, round_to};

/// The two boards' ids (the second one is the one that drops off now and then).
pub(crate) const IDS: [&str; 2] = ["a1b2c3", "d4e5f6"];

/// Their Home Assistant device blocks, in the same order.
const DEVICES: [DeviceInfo; 2] = [
    DeviceInfo {
        node_id: "esp32_a1b2c3",
        name: "ESP32 Lab",
        manufacturer: "Espressif",
        model: "ESP32-DevKitC",
        sw_version: "1.4.2",
        availability_topic: "esp32/a1b2c3/status",
    },
    DeviceInfo {
        node_id: "esp32_d4e5f6",
        name: "ESP32 Workshop",
        manufacturer: "Espressif",
        model: "ESP32-DevKitC",
        sw_version: "1.4.2",
        availability_topic: "esp32/d4e5f6/status",
    },
];

/// The LED's full state, as published on `led/state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Led {
    pub on: bool,
    pub brightness: u8,
    pub rgb: [u8; 3],
}

impl Default for Led {
    fn default() -> Self {
        Self {
            on: false,
            brightness: 128,
            rgb: [255, 255, 255],
        }
    }
}

impl Led {
    /// Home Assistant's JSON light schema.
    pub fn to_json(self) -> String {
        let [r, g, b] = self.rgb;
        json!({
            "state": on_off(self.on),
            "brightness": self.brightness,
            "color_mode": "rgb",
            "color": {"r": r, "g": g, "b": b},
        })
        .to_string()
    }
}

/// Merges a `led/set` command into `led`: any of `state` (ON/OFF/TOGGLE), `brightness`
/// (0–255) and `color` ({"r","g","b"}, each 0–255, any subset). Unknown keys are ignored
/// like most firmware does; a wrong type or range rejects the whole command.
pub(crate) fn apply_led_command(led: Led, payload: &[u8]) -> Result<Led, String> {
    let value: Value = serde_json::from_slice(payload).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(cmd) = value else {
        return Err("expected a JSON object like {\"state\":\"ON\"}".into());
    };
    let mut next = led;
    if let Some(state) = cmd.get("state") {
        let switch = state
            .as_str()
            .and_then(Switch::parse)
            .ok_or("\"state\" must be \"ON\", \"OFF\" or \"TOGGLE\"")?;
        next.on = switch.apply(led.on);
    }
    if let Some(b) = cmd.get("brightness") {
        next.brightness = byte(b).ok_or("\"brightness\" must be an integer from 0 to 255")?;
    }
    if let Some(color) = cmd.get("color") {
        let Value::Object(color) = color else {
            return Err("\"color\" must be an object like {\"r\":255,\"g\":80,\"b\":0}".into());
        };
        for (i, key) in ["r", "g", "b"].into_iter().enumerate() {
            if let Some(c) = color.get(key) {
                next.rgb[i] = byte(c).ok_or_else(|| format!("\"color.{key}\" must be 0 to 255"))?;
            }
        }
    }
    Ok(next)
}

fn byte(v: &Value) -> Option<u8> {
    v.as_u64().and_then(|n| u8::try_from(n).ok())
}

pub(crate) struct Board {
    index: usize,
    id: &'static str,
    dropout: Option<Dropout>,
    led: Led,
    temp: Drift,
    hum: Drift,
    rssi: Drift,
    heap: Drift,
    accel: [Drift; 3],
    rng: SmallRng,
    /// The lab board leaves a retired board's discovery configs behind on its first
    /// connection ([`super::retired`]).
    leave_retired: bool,
}

impl Board {
    /// Board `index` (0 or 1) of `IDS`. The second sits on a vibrating machine, so its
    /// accelerometer swings visibly.
    pub fn new(index: usize, dropout: Option<Dropout>, seed: u64) -> Self {
        let index = index % IDS.len();
        let id = IDS[index];
        let shake = if index == 0 { 0.0 } else { 0.06 };
        let phase = index as f64 * 0.37;
        Self {
            index,
            id,
            dropout,
            led: Led::default(),
            temp: Drift::new(23.5 + index as f64 * 2.0, 10.0, 45.0)
                .daily(1.2, 16.0)
                .wave(0.6, 180.0, phase)
                .walk(0.02, 1.0)
                .noise(0.04),
            hum: Drift::new(41.0, 15.0, 80.0).daily(5.0, 5.0).walk(0.08, 4.0).noise(0.2),
            rssi: Drift::new(-58.0 - index as f64 * 9.0, -95.0, -35.0)
                .walk(0.4, 7.0)
                .noise(1.0),
            heap: Drift::new(182_344.0, 120_000.0, 240_000.0)
                .wave(3_000.0, 240.0, phase)
                .walk(120.0, 6_000.0)
                .noise(40.0),
            accel: [
                Drift::new(0.012, -2.0, 2.0).wave(shake, 20.0, phase).noise(0.004),
                Drift::new(-0.01, -2.0, 2.0).wave(shake / 2.0, 33.0, phase).noise(0.004),
                Drift::new(0.998, -2.0, 2.0).wave(shake / 3.0, 7.0, 0.0).noise(0.003),
            ],
            rng: SmallRng::seed_from_u64(seed),
            leave_retired: index == 0,
        }
    }

    #[cfg(test)]
    pub fn name(&self) -> String {
        format!("esp32/{}", self.id)
    }

    #[cfg(test)]
    pub fn led(&self) -> Led {
        self.led
    }

    fn topic(&self, suffix: &str) -> String {
        format!("esp32/{}/{suffix}", self.id)
    }

    fn led_state(&self) -> Outgoing {
        Outgoing::retained(self.topic("led/state"), self.led.to_json())
    }

    fn readings(&self, now: &Now) -> Vec<Outgoing> {
        let telemetry = json!({
            "uptime": now.uptime_whole(),
            "heap": self.heap.last().round() as i64,
            "temp": round_to(self.temp.last(), 2),
            "hum": round_to(self.hum.last(), 1),
            "rssi": self.rssi.last().round() as i64,
        });
        let [x, y, z] = self.accel.each_ref().map(|a| round_to(a.last(), 3));
        let accel = json!({
            "ts": (now.uptime_secs * 1000.0) as u64,
            "unit": "g",
            "samples": [x, y, z],
        });
        vec![
            Outgoing::new(self.topic("telemetry"), telemetry.to_string()),
            Outgoing::new(self.topic("accel"), accel.to_string()),
        ]
    }

    fn discovery(&self) -> Vec<Outgoing> {
        let device = &DEVICES[self.index];
        vec![
            discovery::config(
                "sensor",
                "temperature",
                device,
                json!({"name": "Temperature", "state_topic": self.topic("telemetry"),
                       "value_template": "{{ value_json.temp }}",
                       "unit_of_measurement": "°C", "device_class": "temperature"}),
            ),
            discovery::config(
                "light",
                "led",
                device,
                json!({"name": "LED", "schema": "json",
                       "command_topic": self.topic("led/set"),
                       "state_topic": self.topic("led/state"),
                       "brightness": true, "supported_color_modes": ["rgb"]}),
            ),
        ]
    }
}

impl Device for Board {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: format!("sim-esp32_{}", self.id),
            availability_topic: self.topic("status"),
            online: "online",
            offline: "offline",
            subscriptions: vec![self.topic("led/set")],
            dropout: self.dropout.clone(),
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        let mut out = vec![self.led_state()];
        out.extend(self.readings(now));
        out.extend(self.discovery());
        if std::mem::take(&mut self.leave_retired) {
            out.extend(super::retired::configs());
        }
        out
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        let rng = &mut self.rng;
        self.temp.sample(now, rng);
        self.hum.sample(now, rng);
        self.rssi.sample(now, rng);
        self.heap.sample(now, rng);
        for axis in &mut self.accel {
            axis.sample(now, rng);
        }
        self.readings(now)
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        if topic != self.topic("led/set") {
            return Vec::new();
        }
        match apply_led_command(self.led, payload) {
            Ok(led) => {
                self.led = led;
                vec![self.led_state()]
            }
            Err(message) => vec![Outgoing::new(
                self.topic("error"),
                json!({"topic": topic, "error": message}).to_string(),
            )],
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
    fn led_commands_merge() {
        let led = Led::default();
        let on = apply_led_command(led, br#"{"state":"on"}"#).unwrap();
        assert!(on.on);
        assert_eq!(on.brightness, 128, "unchanged");
        let red = apply_led_command(on, br#"{"color":{"g":80,"b":0},"brightness":255}"#).unwrap();
        assert_eq!(red.rgb, [255, 80, 0]);
        assert_eq!(red.brightness, 255);
        assert!(red.on);
        let off = apply_led_command(red, br#"{"state":"TOGGLE","extra":1}"#).unwrap();
        assert!(!off.on);
        assert_eq!(apply_led_command(off, b"{}").unwrap(), off);
    }

    #[test]
    fn led_commands_reject_bad_input() {
        let led = Led::default();
        for bad in [
            &b"{state: ON}"[..],
            b"ON",
            b"[1,2]",
            br#"{"state":"dim"}"#,
            br#"{"state":1}"#,
            br#"{"brightness":256}"#,
            br#"{"brightness":-1}"#,
            br#"{"brightness":12.5}"#,
            br#"{"color":"red"}"#,
            br#"{"color":{"r":300}}"#,
        ] {
            assert!(apply_led_command(led, bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let err = apply_led_command(led, b"{oops").unwrap_err();
        assert!(err.starts_with("invalid JSON"), "{err}");
    }

    #[test]
    fn led_set_answers_state_or_error() {
        let now = Now::at(12, 1.0);
        let mut board = Board::new(0, None, 1);
        let out = board.on_message(
            "esp32/a1b2c3/led/set",
            br#"{"state":"ON","brightness":200,"color":{"r":10}}"#,
            &now,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].topic, "esp32/a1b2c3/led/state");
        assert!(out[0].retain);
        let state = parse(&out[0]);
        assert_eq!(state["state"], "ON");
        assert_eq!(state["brightness"], 200);
        assert_eq!(state["color"], json!({"r": 10, "g": 255, "b": 255}));

        let out = board.on_message("esp32/a1b2c3/led/set", b"not json", &now);
        assert_eq!(out[0].topic, "esp32/a1b2c3/error");
        assert!(parse(&out[0])["error"].as_str().unwrap().contains("invalid JSON"));
        assert!(board.led().on, "state kept after an error");
    }

    #[test]
    fn telemetry_and_accel_shapes() {
        let mut board = Board::new(1, None, 2);
        assert_eq!(board.name(), "esp32/d4e5f6");
        let out = board.on_tick(&Now::at(12, 42.5));
        assert_eq!(out[0].topic, "esp32/d4e5f6/telemetry");
        let t = parse(&out[0]);
        assert_eq!(t["uptime"], 42);
        assert!(t["heap"].as_i64().unwrap() > 100_000);
        assert!(t["temp"].is_f64());
        assert!(t["rssi"].as_i64().unwrap() < 0);
        assert_eq!(out[1].topic, "esp32/d4e5f6/accel");
        let a = parse(&out[1]);
        let samples = a["samples"].as_array().unwrap();
        assert_eq!(samples.len(), 3);
        assert!((samples[2].as_f64().unwrap() - 1.0).abs() < 0.1, "gravity on z");
    }

    #[test]
    fn connect_publishes_led_state_and_discovery() {
        let mut board = Board::new(0, None, 3);
        let out = board.on_connect(&Now::at(12, 0.0));
        assert!(out.iter().any(|o| o.topic == "esp32/a1b2c3/led/state" && o.retain));
        let cfg = out
            .iter()
            .find(|o| o.topic == "homeassistant/sensor/esp32_a1b2c3/temperature/config")
            .unwrap();
        assert_eq!(parse(cfg)["state_topic"], "esp32/a1b2c3/telemetry");
        let spec = board.link();
        assert_eq!(spec.client_id, "sim-esp32_a1b2c3");
        assert_eq!(spec.subscriptions, ["esp32/a1b2c3/led/set"]);
    }
}
