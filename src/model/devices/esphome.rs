//! ESPHome's MQTT component: `<node>/status` online/offline, `<node>/<component>/<name>/state`
//! and `…/command` (<https://esphome.io/components/mqtt.html>). A node is recognised by
//! a component state; its status alone reads as a plain last will until then.
//! Switches take ON/OFF/TOGGLE, lights and fans take the JSON schema's `{"state":…}`.

use super::recognise::{DeviceCommand, Hit, Kind, is_switch_word, plain_number};

/// The components ESPHome publishes under `<node>/<component>/<name>/`.
const COMPONENTS: &[&str] = &[
    "sensor",
    "binary_sensor",
    "switch",
    "light",
    "fan",
    "cover",
    "climate",
    "text_sensor",
    "number",
    "select",
    "button",
    "lock",
    "valve",
];

/// Recognises `<node>/<component>/<name>/state|command`.
pub fn recognise(topic: &str, payload: &[u8]) -> Option<Hit> {
    let mut levels = topic.split('/');
    let (node, component, name, leaf) = (levels.next()?, levels.next()?, levels.next()?, levels.next()?);
    if levels.next().is_some() || node.is_empty() || !COMPONENTS.contains(&component) {
        return None;
    }
    let mut hit = Hit::new(Kind::EspHome, node);
    // Only what can be commanded gets a command topic (a sensor's state is the
    // frequent message and needs none).
    match component {
        "switch" => hit.commands = DeviceCommand::on_off_toggle(name, &format!("{node}/{component}/{name}/command")),
        "light" | "fan" => {
            hit.commands = DeviceCommand::json_state(name, &format!("{node}/{component}/{name}/command"));
        }
        _ => {}
    }
    match leaf {
        "state" => {
            let text = String::from_utf8_lossy(payload);
            if let Some(x) = plain_number(payload) {
                hit.readings.push((name.to_owned(), x));
            } else if is_switch_word(text.trim()) {
                hit.states.push((name.to_owned(), text.trim().to_owned()));
            }
        }
        "command" => hit.from_device = false,
        _ => return None,
    }
    Some(hit)
}
