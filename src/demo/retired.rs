//! A board retired long ago whose Home Assistant discovery configs were never removed:
//! retained configs for "ESP32 Garage", whose state and availability topics never carry
//! a message. Real brokers collect these as boards are reflashed or thrown away; the
//! Discovery pane lists them as orphans and can delete them.

use serde_json::json;

use super::discovery::{self, DeviceInfo};
use super::sim::Outgoing;

/// The retired board's device block; nothing ever publishes on its topics.
const DEVICE: DeviceInfo = DeviceInfo {
    node_id: "esp32_garage",
    name: "ESP32 Garage",
    manufacturer: "Espressif",
    model: "ESP32-DevKitC",
    sw_version: "1.1.0",
    availability_topic: "esp32/garage/status",
};

/// Its configs, as the lab board's first connection leaves them on the broker (once per
/// fleet run, so a deletion stays deleted).
pub(crate) fn configs() -> Vec<Outgoing> {
    vec![
        discovery::config(
            "sensor",
            "temperature",
            &DEVICE,
            json!({"name": "Temperature", "state_topic": "esp32/garage/telemetry",
                   "value_template": "{{ value_json.temp }}",
                   "unit_of_measurement": "°C", "device_class": "temperature"}),
        ),
        discovery::config(
            "switch",
            "door",
            &DEVICE,
            json!({"name": "Door opener", "state_topic": "esp32/garage/door/state",
                   "command_topic": "esp32/garage/door/set"}),
        ),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_configs_are_retained_and_name_topics_nobody_publishes() {
        let out = super::configs();
        assert_eq!(out.len(), 2);
        for o in &out {
            assert!(o.retain && o.topic.starts_with("homeassistant/") && o.topic.ends_with("/config"));
            let v: serde_json::Value = serde_json::from_slice(&o.payload).unwrap();
            assert_eq!(v["availability_topic"], "esp32/garage/status");
        }
    }
}
