//! An ESPHome greenhouse node: one plain-number topic per sensor every 3 s, a door
//! contact that opens now and then, and a pump switch. ESPHome's topic layout:
//! `<node>/sensor/<id>/state`, `<node>/switch/<id>/command` → `<node>/switch/<id>/state`,
//! retained `<node>/status` online/offline.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::discovery::{self, DeviceInfo};
use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off};

pub(crate) const NAME: &str = "greenhouse";

const PUBLISH_EVERY: u64 = 3;
/// Chance per second that the closed door opens (about every two minutes) …
const DOOR_OPEN_CHANCE: f64 = 1.0 / 120.0;
/// … and that an open door closes (open for about 15 s).
const DOOR_CLOSE_CHANCE: f64 = 1.0 / 15.0;

const DEVICE: DeviceInfo = DeviceInfo {
    node_id: NAME,
    name: "Greenhouse",
    manufacturer: "Espressif",
    model: "esp32dev",
    sw_version: "2025.2.0",
    availability_topic: "greenhouse/status",
};

pub(crate) struct Greenhouse {
    pump: bool,
    door_open: bool,
    /// True soil moisture in %: falls slowly, rises while the pump runs.
    moisture: f64,
    air: Drift,
    clouds: Drift,
    rssi: Drift,
    sensor_noise: Drift,
    ticks: u64,
    rng: SmallRng,
}

impl Greenhouse {
    pub fn new(seed: u64) -> Self {
        let mut rng = SmallRng::seed_from_u64(seed);
        Self {
            pump: false,
            door_open: false,
            moisture: rng.random_range(38.0..48.0),
            air: Drift::new(22.0, 5.0, 40.0)
                .daily(5.0, 14.0)
                .wave(0.4, 420.0, 0.5)
                .walk(0.04, 1.5)
                .noise(0.05),
            clouds: Drift::new(0.75, 0.25, 1.0).walk(0.01, 0.25),
            rssi: Drift::new(-71.0, -92.0, -50.0).walk(0.4, 6.0).noise(0.8),
            sensor_noise: Drift::new(0.0, -0.3, 0.3).noise(0.15),
            ticks: 0,
            rng,
        }
    }

    #[cfg(test)]
    pub fn pump(&self) -> bool {
        self.pump
    }

    #[cfg(test)]
    pub fn moisture(&self) -> f64 {
        self.moisture
    }

    fn sensors(&mut self, now: &Now) -> Vec<Outgoing> {
        let lux = daylight_lux(now.hour(), self.clouds.last());
        let noise = self.sensor_noise.sample(now, &mut self.rng);
        vec![
            sensor("air_temperature", format!("{:.2}", self.air.last())),
            sensor(
                "soil_moisture",
                format!("{:.1}", (self.moisture + noise).clamp(0.0, 100.0)),
            ),
            // A few lux of street light and sensor noise keep the night-time reading alive.
            sensor("lux", format!("{:.1}", (lux + 3.0 + noise * 2.0).max(0.0))),
            sensor("wifi_signal", format!("{:.0}", self.rssi.last())),
            sensor("uptime", now.uptime_whole().to_string()),
        ]
    }

    fn pump_state(&self) -> Outgoing {
        Outgoing::retained(format!("{NAME}/switch/pump/state"), on_off(self.pump))
    }

    fn door_state(&self) -> Outgoing {
        Outgoing::retained(format!("{NAME}/binary_sensor/door/state"), on_off(self.door_open))
    }

    fn discovery(&self) -> Vec<Outgoing> {
        let s = |id: &str| format!("{NAME}/sensor/{id}/state");
        vec![
            discovery::config(
                "sensor",
                "air_temperature",
                &DEVICE,
                json!({"name": "Air temperature", "state_topic": s("air_temperature"),
                       "unit_of_measurement": "°C", "device_class": "temperature",
                       "state_class": "measurement"}),
            ),
            discovery::config(
                "sensor",
                "soil_moisture",
                &DEVICE,
                json!({"name": "Soil moisture", "state_topic": s("soil_moisture"),
                       "unit_of_measurement": "%", "device_class": "moisture",
                       "state_class": "measurement"}),
            ),
            discovery::config(
                "sensor",
                "lux",
                &DEVICE,
                json!({"name": "Illuminance", "state_topic": s("lux"),
                       "unit_of_measurement": "lx", "device_class": "illuminance"}),
            ),
            discovery::config(
                "switch",
                "pump",
                &DEVICE,
                json!({"name": "Pump", "state_topic": format!("{NAME}/switch/pump/state"),
                       "command_topic": format!("{NAME}/switch/pump/command")}),
            ),
        ]
    }
}

fn sensor(id: &str, value: String) -> Outgoing {
    Outgoing::new(format!("{NAME}/sensor/{id}/state"), value)
}

/// Sunlight in lux: a half sine between 06:00 and 18:00 scaled by cloud cover (1 = clear).
pub(crate) fn daylight_lux(hour: f64, clear_sky: f64) -> f64 {
    let sun = (std::f64::consts::PI * (hour - 6.0) / 12.0).sin().max(0.0);
    28_000.0 * sun * clear_sky
}

/// Soil moisture one second later: it dries a little faster when warm, and the pump
/// wets it with diminishing returns towards saturation.
pub(crate) fn next_moisture(moisture: f64, air_temp: f64, pump: bool) -> f64 {
    let drying = 0.004 + 0.0003 * (air_temp - 15.0).max(0.0);
    let watering = if pump {
        0.3 * (92.0 - moisture).max(0.0) / 50.0
    } else {
        0.0
    };
    (moisture - drying + watering).clamp(8.0, 95.0)
}

impl Device for Greenhouse {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: format!("sim-{NAME}"),
            availability_topic: DEVICE.availability_topic.to_owned(),
            online: "online",
            offline: "offline",
            subscriptions: vec![format!("{NAME}/switch/pump/command")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        let mut out = vec![self.pump_state(), self.door_state()];
        out.extend(self.sensors(now));
        out.extend(self.discovery());
        out
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        self.ticks += 1;
        let air = self.air.sample(now, &mut self.rng);
        self.clouds.sample(now, &mut self.rng);
        self.rssi.sample(now, &mut self.rng);
        self.moisture = next_moisture(self.moisture, air, self.pump);

        let mut out = Vec::new();
        let flip = if self.door_open {
            DOOR_CLOSE_CHANCE
        } else {
            DOOR_OPEN_CHANCE
        };
        if self.rng.random_bool(flip) {
            self.door_open = !self.door_open;
            // Binary sensors publish on change, like ESPHome.
            out.push(self.door_state());
        }
        if self.ticks.is_multiple_of(PUBLISH_EVERY) {
            out.extend(self.sensors(now));
        }
        out
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        if topic != format!("{NAME}/switch/pump/command") {
            return Vec::new();
        }
        // ESPHome ignores anything but ON/OFF/TOGGLE (it only logs a warning).
        match std::str::from_utf8(payload).ok().and_then(Switch::parse) {
            Some(switch) => {
                self.pump = switch.apply(self.pump);
                vec![self.pump_state()]
            }
            None => {
                tracing::debug!("greenhouse: ignoring pump command {payload:?}");
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensors_are_plain_numbers_every_3_s() {
        let mut g = Greenhouse::new(1);
        let mut readings = Vec::new();
        for s in 1..=9 {
            for out in g.on_tick(&Now::at(13, f64::from(s))) {
                if out.topic.contains("/sensor/") {
                    readings.push(out);
                }
            }
        }
        assert_eq!(readings.len(), 3 * 5);
        for r in &readings {
            assert!(!r.retain);
            let value: f64 = r.text().parse().unwrap_or_else(|_| panic!("{r:?}"));
            assert!(value.is_finite());
        }
        let lux: f64 = readings
            .iter()
            .find(|r| r.topic == "greenhouse/sensor/lux/state")
            .map(|r| r.text().parse().unwrap())
            .unwrap();
        assert!(lux > 1000.0, "midday is bright: {lux}");
    }

    #[test]
    fn pump_commands_and_moisture() {
        let now = Now::at(10, 0.0);
        let mut g = Greenhouse::new(2);
        let start = g.moisture();
        let out = g.on_message("greenhouse/switch/pump/command", b"on", &now);
        assert!(g.pump());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].topic, "greenhouse/switch/pump/state");
        assert_eq!(out[0].text(), "ON");
        assert!(out[0].retain);
        for s in 1..=30 {
            g.on_tick(&Now::at(10, f64::from(s)));
        }
        assert!(g.moisture() > start + 3.0, "watering raises moisture");
        let out = g.on_message("greenhouse/switch/pump/command", b"TOGGLE", &now);
        assert!(!g.pump());
        assert_eq!(out[0].text(), "OFF");
        let wet = g.moisture();
        for s in 31..=90 {
            g.on_tick(&Now::at(10, f64::from(s)));
        }
        assert!(g.moisture() < wet, "soil dries without the pump");
        assert!(
            g.on_message("greenhouse/switch/pump/command", b"blast", &now)
                .is_empty()
        );
        assert!(!g.pump());
    }

    #[test]
    fn moisture_model_is_bounded_and_smooth() {
        let mut m = 40.0;
        for _ in 0..10_000 {
            let next = next_moisture(m, 30.0, true);
            assert!((next - m).abs() < 0.5);
            m = next;
        }
        assert!(m <= 92.0);
        assert!(next_moisture(8.0, 40.0, false) >= 8.0);
    }

    #[test]
    fn door_changes_now_and_then() {
        let mut g = Greenhouse::new(3);
        let changes = (1..=3600)
            .flat_map(|s| g.on_tick(&Now::at(10, f64::from(s))))
            .filter(|o| o.topic == "greenhouse/binary_sensor/door/state")
            .count();
        assert!((10..=120).contains(&changes), "{changes} changes in an hour");
    }

    #[test]
    fn connect_publishes_states_and_discovery() {
        let mut g = Greenhouse::new(4);
        let out = g.on_connect(&Now::at(10, 0.0));
        let config = out
            .iter()
            .find(|o| o.topic == "homeassistant/sensor/greenhouse/air_temperature/config")
            .expect("discovery config");
        assert!(config.retain);
        let v: serde_json::Value = serde_json::from_slice(&config.payload).unwrap();
        assert_eq!(v["state_topic"], "greenhouse/sensor/air_temperature/state");
        assert_eq!(v["unit_of_measurement"], "°C");
        assert!(
            out.iter()
                .any(|o| o.topic == "greenhouse/switch/pump/state" && o.retain)
        );
        assert!(out.iter().any(|o| o.topic == "greenhouse/sensor/soil_moisture/state"));
    }

    #[test]
    fn daylight_curve() {
        assert_eq!(daylight_lux(2.0, 1.0), 0.0);
        assert!((daylight_lux(12.0, 1.0) - 28_000.0).abs() < 1.0);
        assert!(daylight_lux(8.0, 0.5) < daylight_lux(12.0, 0.5));
    }
}
