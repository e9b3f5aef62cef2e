//! A Tasmota smart plug with an energy monitor and an AM2301 sensor: `tele/…/SENSOR`
//! every 2 s, `tele/…/STATE` every 10 s, retained `tele/…/LWT` Online/Offline, and
//! `cmnd/…/POWER` answered on `stat/…/RESULT` and `stat/…/POWER` like the real firmware.

use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde_json::json;

use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off, round_to, rssi_quality};

pub(crate) const NAME: &str = "tasmota_5C3F21";

const SENSOR_EVERY: u64 = 2;
const STATE_EVERY: u64 = 10;

/// A `cmnd/<topic>/POWER` payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PowerCommand {
    Set(Switch),
    /// An empty payload asks for the current state.
    Query,
}

/// Tasmota's POWER parameters: ON/OFF/TOGGLE in any case, or 1/0/2; empty is a query.
pub(crate) fn parse_power(payload: &[u8]) -> Option<PowerCommand> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    match text {
        "" => Some(PowerCommand::Query),
        "1" => Some(PowerCommand::Set(Switch::On)),
        "0" => Some(PowerCommand::Set(Switch::Off)),
        "2" => Some(PowerCommand::Set(Switch::Toggle)),
        word => Switch::parse(word).map(PowerCommand::Set),
    }
}

/// One set of readings, sampled every second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reading {
    pub power_w: f64,
    pub voltage: f64,
    pub factor: f64,
    pub temperature: f64,
    pub humidity: f64,
}

pub(crate) struct Tasmota {
    power: bool,
    total_kwh: f64,
    today_kwh: f64,
    load: Drift,
    voltage: Drift,
    factor: Drift,
    temperature: Drift,
    humidity: Drift,
    rssi: Drift,
    reading: Reading,
    ticks: u64,
    mqtt_count: u32,
    rng: SmallRng,
}

impl Tasmota {
    pub fn new(seed: u64) -> Self {
        let load = Drift::new(78.0, 20.0, 160.0)
            .wave(22.0, 300.0, 0.1)
            .walk(0.6, 15.0)
            .noise(0.8);
        let voltage = Drift::new(230.0, 215.0, 245.0)
            .daily(2.0, 4.0)
            .walk(0.1, 3.0)
            .noise(0.3);
        let temperature = Drift::new(21.5, 14.0, 30.0)
            .daily(1.5, 15.0)
            .wave(0.3, 600.0, 0.0)
            .walk(0.03, 1.0)
            .noise(0.04);
        let humidity = Drift::new(47.0, 20.0, 90.0).daily(4.0, 6.0).walk(0.1, 5.0).noise(0.15);
        let reading = Reading {
            power_w: 0.0,
            voltage: voltage.last(),
            factor: 0.93,
            temperature: temperature.last(),
            humidity: humidity.last(),
        };
        Self {
            power: true,
            total_kwh: 12.412,
            today_kwh: 0.327,
            load,
            voltage,
            factor: Drift::new(0.93, 0.85, 0.99).walk(0.002, 0.04),
            temperature,
            humidity,
            rssi: Drift::new(-64.0, -90.0, -35.0).walk(0.4, 6.0).noise(0.8),
            reading,
            ticks: 0,
            mqtt_count: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    #[cfg(test)]
    pub fn power(&self) -> bool {
        self.power
    }

    fn sensor(&self, now: &Now) -> Outgoing {
        Outgoing::new(
            format!("tele/{NAME}/SENSOR"),
            sensor_json(&self.reading, self.total_kwh, self.today_kwh, now),
        )
    }

    fn state(&self, now: &Now) -> serde_json::Value {
        state_json(self.power, self.rssi.last(), self.mqtt_count, now)
    }

    /// The two replies to a POWER command (or query).
    fn power_replies(&self) -> Vec<Outgoing> {
        vec![
            Outgoing::new(
                format!("stat/{NAME}/RESULT"),
                json!({"POWER": on_off(self.power)}).to_string(),
            ),
            Outgoing::new(format!("stat/{NAME}/POWER"), on_off(self.power)),
        ]
    }
}

/// `tele/…/SENSOR`: energy monitor and AM2301 readings, Tasmota's key names and units.
pub(crate) fn sensor_json(r: &Reading, total_kwh: f64, today_kwh: f64, now: &Now) -> String {
    let apparent = if r.power_w > 0.0 { r.power_w / r.factor } else { 0.0 };
    let reactive = (apparent * apparent - r.power_w * r.power_w).max(0.0).sqrt();
    let current = apparent / r.voltage;
    json!({
        "Time": now.tasmota_time(),
        "ENERGY": {
            "TotalStartTime": "2025-03-02T10:11:56",
            "Total": round_to(total_kwh, 3),
            "Yesterday": 1.204,
            "Today": round_to(today_kwh, 3),
            "Power": r.power_w.round() as i64,
            "ApparentPower": apparent.round() as i64,
            "ReactivePower": reactive.round() as i64,
            "Factor": if r.power_w > 0.0 { round_to(r.factor, 2) } else { 0.0 },
            "Voltage": r.voltage.round() as i64,
            "Current": round_to(current, 3),
        },
        "AM2301": {
            "Temperature": round_to(r.temperature, 1),
            "Humidity": round_to(r.humidity, 1),
            "DewPoint": round_to(dew_point(r.temperature, r.humidity), 1),
        },
        "TempUnit": "C",
    })
    .to_string()
}

/// `tele/…/STATE`: uptime, heap, power state and Wi-Fi details.
pub(crate) fn state_json(power: bool, rssi_dbm: f64, mqtt_count: u32, now: &Now) -> serde_json::Value {
    let up = now.uptime_whole();
    json!({
        "Time": now.tasmota_time(),
        "Uptime": format!("{}T{:02}:{:02}:{:02}", up / 86_400, up / 3600 % 24, up / 60 % 60, up % 60),
        "UptimeSec": up,
        "Heap": 26,
        "SleepMode": "Dynamic",
        "Sleep": 50,
        "LoadAvg": 19,
        "MqttCount": mqtt_count,
        "POWER": on_off(power),
        "Wifi": {
            "AP": 1,
            "SSId": "lab",
            "BSSId": "30:B5:C2:5C:3F:21",
            "Channel": 6,
            "Mode": "11n",
            "RSSI": rssi_quality(rssi_dbm),
            "Signal": rssi_dbm.round() as i64,
            "LinkCount": mqtt_count,
            "Downtime": "0T00:00:03",
        },
    })
}

/// Magnus formula, as Tasmota computes `DewPoint`.
fn dew_point(temp_c: f64, humidity: f64) -> f64 {
    let (b, c) = (17.62, 243.12);
    let gamma = (humidity.max(1.0) / 100.0).ln() + b * temp_c / (c + temp_c);
    c * gamma / (b - gamma)
}

impl Device for Tasmota {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: format!("sim-{NAME}"),
            availability_topic: format!("tele/{NAME}/LWT"),
            online: "Online",
            offline: "Offline",
            // Tasmota listens to every command under its topic.
            subscriptions: vec![format!("cmnd/{NAME}/+")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        self.mqtt_count += 1;
        let info = json!({"Info1": {
            "Module": "Generic",
            "Version": "14.3.0(release-tasmota)",
            "FallbackTopic": "cmnd/DVES_5C3F21_fb/",
            "GroupTopic": "cmnd/tasmotas/",
        }});
        vec![
            Outgoing::new(format!("tele/{NAME}/INFO1"), info.to_string()),
            Outgoing::new(format!("stat/{NAME}/POWER"), on_off(self.power)),
            Outgoing::new(format!("tele/{NAME}/STATE"), self.state(now).to_string()),
            self.sensor(now),
        ]
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        self.ticks += 1;
        let rng = &mut self.rng;
        // The load keeps drifting while off so switching back on does not jump.
        let load = self.load.sample(now, rng);
        self.reading = Reading {
            power_w: if self.power { load } else { 0.0 },
            voltage: self.voltage.sample(now, rng),
            factor: self.factor.sample(now, rng),
            temperature: self.temperature.sample(now, rng),
            humidity: self.humidity.sample(now, rng),
        };
        self.rssi.sample(now, rng);
        // Watts for one second, in kWh.
        let kwh = self.reading.power_w / 3_600_000.0;
        self.total_kwh += kwh;
        self.today_kwh += kwh;

        let mut out = Vec::new();
        if self.ticks.is_multiple_of(SENSOR_EVERY) {
            out.push(self.sensor(now));
        }
        if self.ticks.is_multiple_of(STATE_EVERY) {
            out.push(Outgoing::new(format!("tele/{NAME}/STATE"), self.state(now).to_string()));
        }
        out
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], now: &Now) -> Vec<Outgoing> {
        let command = topic.rsplit('/').next().unwrap_or_default();
        let result = format!("stat/{NAME}/RESULT");
        // Tasmota command names are case-insensitive.
        if command.eq_ignore_ascii_case("POWER") {
            match parse_power(payload) {
                Some(PowerCommand::Set(switch)) => {
                    self.power = switch.apply(self.power);
                    self.power_replies()
                }
                Some(PowerCommand::Query) => self.power_replies(),
                None => vec![Outgoing::new(result, r#"{"Command":"Error"}"#)],
            }
        } else if command.eq_ignore_ascii_case("STATE") {
            vec![Outgoing::new(result, self.state(now).to_string())]
        } else {
            vec![Outgoing::new(result, r#"{"Command":"Unknown"}"#)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(out: &Outgoing) -> Value {
        serde_json::from_slice(&out.payload).expect("valid JSON")
    }

    #[test]
    fn power_payloads() {
        use PowerCommand::*;
        assert_eq!(parse_power(b"ON"), Some(Set(Switch::On)));
        assert_eq!(parse_power(b"off"), Some(Set(Switch::Off)));
        assert_eq!(parse_power(b"ToGgLe"), Some(Set(Switch::Toggle)));
        assert_eq!(parse_power(b"1"), Some(Set(Switch::On)));
        assert_eq!(parse_power(b"0"), Some(Set(Switch::Off)));
        assert_eq!(parse_power(b"2"), Some(Set(Switch::Toggle)));
        assert_eq!(parse_power(b""), Some(Query));
        assert_eq!(parse_power(b"  "), Some(Query));
        assert_eq!(parse_power(b"maybe"), None);
        assert_eq!(parse_power(&[0xff, 0xfe]), None);
    }

    #[test]
    fn commands_answer_on_stat_topics() {
        let now = Now::at(9, 10.0);
        let mut plug = Tasmota::new(1);
        let out = plug.on_message("cmnd/tasmota_5C3F21/POWER", b"off", &now);
        assert!(!plug.power());
        assert_eq!(out[0].topic, "stat/tasmota_5C3F21/RESULT");
        assert_eq!(json(&out[0])["POWER"], "OFF");
        assert_eq!(out[1].topic, "stat/tasmota_5C3F21/POWER");
        assert_eq!(out[1].text(), "OFF");

        let out = plug.on_message("cmnd/tasmota_5C3F21/power", b"TOGGLE", &now);
        assert!(plug.power());
        assert_eq!(out[1].text(), "ON");

        let out = plug.on_message("cmnd/tasmota_5C3F21/POWER", b"", &now);
        assert!(plug.power(), "a query changes nothing");
        assert_eq!(out[1].text(), "ON");

        let out = plug.on_message("cmnd/tasmota_5C3F21/POWER", b"sideways", &now);
        assert_eq!(json(&out[0])["Command"], "Error");
        let out = plug.on_message("cmnd/tasmota_5C3F21/Dimmer", b"50", &now);
        assert_eq!(json(&out[0])["Command"], "Unknown");
        let out = plug.on_message("cmnd/tasmota_5C3F21/STATE", b"", &now);
        assert_eq!(json(&out[0])["POWER"], "ON");
    }

    #[test]
    fn telemetry_shapes_and_power_off() {
        let mut plug = Tasmota::new(2);
        let mut sensors = Vec::new();
        let mut states = Vec::new();
        for s in 1..=20 {
            let now = Now::at(9, f64::from(s));
            if s == 11 {
                plug.on_message("cmnd/tasmota_5C3F21/POWER", b"OFF", &now);
            }
            for out in plug.on_tick(&now) {
                match out.topic.as_str() {
                    "tele/tasmota_5C3F21/SENSOR" => sensors.push(json(&out)),
                    "tele/tasmota_5C3F21/STATE" => states.push(json(&out)),
                    other => panic!("unexpected topic {other}"),
                }
            }
        }
        assert_eq!(sensors.len(), 10, "every 2 s");
        assert_eq!(states.len(), 2, "every 10 s");
        let on = &sensors[0];
        assert!(on["ENERGY"]["Power"].as_i64().unwrap() > 10);
        assert!(on["ENERGY"]["Voltage"].as_i64().unwrap() > 200);
        assert!(on["ENERGY"]["Current"].as_f64().unwrap() > 0.0);
        assert!(on["AM2301"]["Temperature"].is_f64());
        assert!(on["AM2301"]["Humidity"].is_f64());
        assert_eq!(on["Time"], "2026-11-20T09:00:02");
        let off = sensors.last().unwrap();
        assert_eq!(off["ENERGY"]["Power"], 0);
        assert_eq!(off["ENERGY"]["Current"], 0.0);
        assert_eq!(states[0]["POWER"], "ON");
        assert_eq!(states[1]["POWER"], "OFF");
        assert_eq!(states[1]["Uptime"], "0T00:00:20");
        assert!(states[1]["Wifi"]["Signal"].as_i64().unwrap() < 0);
    }

    #[test]
    fn connect_publishes_state_and_sensor() {
        let mut plug = Tasmota::new(3);
        let topics: Vec<_> = plug.on_connect(&Now::at(9, 0.0)).into_iter().map(|o| o.topic).collect();
        assert!(topics.contains(&"tele/tasmota_5C3F21/STATE".to_owned()));
        assert!(topics.contains(&"tele/tasmota_5C3F21/SENSOR".to_owned()));
        let spec = plug.link();
        assert_eq!(spec.availability_topic, "tele/tasmota_5C3F21/LWT");
        assert_eq!((spec.online, spec.offline), ("Online", "Offline"));
    }

    #[test]
    fn dew_point_is_plausible() {
        assert!((dew_point(21.7, 48.3) - 10.3).abs() < 0.2);
    }
}
