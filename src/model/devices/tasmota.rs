//! Tasmota: `tele/<dev>/LWT` Online/Offline (retained last will), `tele/<dev>/STATE`
//! and `SENSOR` JSON, `stat/<dev>/…` answers, and `cmnd/<dev>/<Command>` commands
//! (<https://tasmota.github.io/docs/MQTT/>). Commands offered: `POWER` ON/OFF/TOGGLE,
//! and `POWERn` for every relay the STATE names.

use super::recognise::{DeviceCommand, Hit, Kind, availability, json_readings, plain_number};

/// Recognises a message under `tele/`, `stat/` or `cmnd/`.
pub fn recognise(topic: &str, payload: &[u8]) -> Option<Hit> {
    let (prefix, rest) = topic.split_once('/')?;
    if !matches!(prefix, "tele" | "stat" | "cmnd") {
        return None;
    }
    let (dev, leaf) = rest.rsplit_once('/')?;
    if dev.is_empty() || leaf.is_empty() {
        return None;
    }
    let mut hit = Hit::new(Kind::Tasmota, dev);
    // The POWER buttons come with the messages about the device itself (its last will,
    // STATE, RESULT, POWER answers and commands), which every Tasmota sends; SENSOR
    // telemetry, the frequent kind, does not rebuild them each time.
    if !matches!((prefix, leaf), ("tele", "SENSOR")) {
        hit.commands = DeviceCommand::on_off_toggle("POWER", &format!("cmnd/{dev}/POWER"));
    }
    match (prefix, leaf) {
        ("cmnd", _) => hit.from_device = false,
        ("tele", "LWT") => hit.available = availability(payload),
        ("stat", p) if p.starts_with("POWER") => {
            let s = String::from_utf8_lossy(payload).trim().to_owned();
            hit.states.push((p.to_owned(), s));
        }
        _ => {
            if json_readings(payload, &mut hit).is_none()
                && let Some(x) = plain_number(payload)
            {
                hit.readings.push((leaf.to_owned(), x));
            }
            // Relays beyond the first (`POWER2`…) get their own buttons.
            for (k, _) in &hit.states {
                if k != "POWER" && k.starts_with("POWER") {
                    let extra = DeviceCommand::on_off_toggle(k, &format!("cmnd/{dev}/{k}"));
                    hit.commands.extend(extra);
                }
            }
        }
    }
    Some(hit)
}
