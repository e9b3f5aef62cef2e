//! Home Assistant MQTT discovery configs, which ESPHome and custom firmware publish
//! retained under `homeassistant/<component>/<node_id>/<object_id>/config`. They make the
//! demo tree look like a real home network and give the inspector nested JSON to show.

use serde_json::{Value, json};

use super::sim::Outgoing;

/// The `device` block shared by all entities of one board.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeviceInfo {
    /// Node id: topic level and identifier (`greenhouse`, `esp32_a1b2c3`).
    pub node_id: &'static str,
    pub name: &'static str,
    pub manufacturer: &'static str,
    pub model: &'static str,
    pub sw_version: &'static str,
    pub availability_topic: &'static str,
}

/// One retained discovery config. `fields` holds the entity's own keys (`name`,
/// `state_topic`, `unit_of_measurement`, …); identity, availability and the device block
/// are added here so every config carries them consistently.
pub(crate) fn config(component: &str, object_id: &str, device: &DeviceInfo, fields: Value) -> Outgoing {
    let mut body = match fields {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    body.insert("unique_id".into(), json!(format!("{}_{object_id}", device.node_id)));
    body.insert("object_id".into(), json!(format!("{}_{object_id}", device.node_id)));
    body.insert("availability_topic".into(), json!(device.availability_topic));
    body.insert(
        "device".into(),
        json!({
            "identifiers": [device.node_id],
            "name": device.name,
            "manufacturer": device.manufacturer,
            "model": device.model,
            "sw_version": device.sw_version,
        }),
    );
    Outgoing::retained(
        format!("homeassistant/{component}/{}/{object_id}/config", device.node_id),
        Value::Object(body).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_has_topic_identity_and_device() {
        let dev = DeviceInfo {
            node_id: "greenhouse",
            name: "Greenhouse",
            manufacturer: "Espressif",
            model: "ESP32",
            sw_version: "2025.1.0",
            availability_topic: "greenhouse/status",
        };
        let out = config(
            "sensor",
            "lux",
            &dev,
            json!({"name": "Illuminance", "unit_of_measurement": "lx"}),
        );
        assert!(out.retain);
        assert_eq!(out.topic, "homeassistant/sensor/greenhouse/lux/config");
        let v: Value = serde_json::from_slice(&out.payload).unwrap();
        assert_eq!(v["name"], "Illuminance");
        assert_eq!(v["unique_id"], "greenhouse_lux");
        assert_eq!(v["availability_topic"], "greenhouse/status");
        assert_eq!(v["device"]["identifiers"][0], "greenhouse");
    }
}
