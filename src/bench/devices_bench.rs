//! Device recognition's cost per message, as `topicscope bench model` prints it: every
//! message of a connection passes `Devices::ingest` (a few hash lookups and prefix
//! tests), so it is measured on two floods over the same number of topics:
//! - **plain**: the bench's usual `fleet/devNNNNN/sensorNN` topics, which no convention
//!   claims (what every user pays);
//! - **fleet**: the same count of topics laid out as real fleets speak, Tasmota
//!   `tele/<id>/SENSOR`, ESPHome `<node>/sensor/<name>/state`, Zigbee2MQTT
//!   `zigbee2mqtt/<name>`, Homie `homie/<id>/<node>/<prop>`, so every message is
//!   recognised and updates its device.

use super::measure::thread_cpu_time;
use super::model_bench::{payload, topic_name};
use crate::model::devices::{Devices, HealthRules};

/// The `i`th of `n` topics of a mixed fleet; one device per 10 topics.
pub fn fleet_topic(i: usize) -> String {
    let device = i / 10;
    let sensor = i % 10;
    match device % 4 {
        0 => format!("tele/tasmota_{device:06X}/SENSOR{sensor}"),
        1 => format!("esp-{device:05}/sensor/s{sensor}/state"),
        2 => format!("zigbee2mqtt/plug {device:05}/{sensor}"),
        _ => format!("homie/dev{device:05}/node/p{sensor}"),
    }
}

/// CPU nanoseconds per message of `messages` through `Devices::ingest` over `topics`
/// topics named by `name` (the payloads are the bench's 100-byte JSON readings).
fn cost_ns(topics: usize, messages: usize, name: impl Fn(usize) -> String) -> f64 {
    let topics = topics.max(1);
    let names: Vec<String> = (0..topics).map(name).collect();
    let payloads: Vec<_> = (0..256).map(payload).collect();
    let mut devices = Devices::new(HealthRules::default());
    // A first pass makes the devices, as the retained burst does on connecting.
    for (i, topic) in names.iter().enumerate() {
        devices.ingest(topic, &payloads[i % 256], true, 0.0);
    }
    // Messages are made (untimed) and ingested (timed) in chunks, each topic a fresh
    // string as the worker hands it over, so the timing is the registry's and not cache
    // misses on a table of 100k names. Thread CPU time, not the clock: on a shared
    // 2-core machine the clock also counts the time other processes had the core.
    const CHUNK: usize = 100_000;
    let mut took = std::time::Duration::ZERO;
    for chunk_start in (0..messages).step_by(CHUNK) {
        let chunk: Vec<(String, usize)> = (chunk_start..(chunk_start + CHUNK).min(messages))
            // A stride that visits the topics out of order, as a flood does.
            .map(|i| (names[i.wrapping_mul(7919) % topics].clone(), i))
            .collect();
        let start = thread_cpu_time();
        for (topic, i) in &chunk {
            devices.ingest(topic, &payloads[i % 256], false, 1.0 + *i as f64 * 1e-6);
        }
        took += thread_cpu_time().saturating_sub(start);
    }
    std::hint::black_box(devices.counts(1.0));
    took.as_nanos() as f64 / messages.max(1) as f64
}

/// Both floods: (plain, fleet) nanoseconds per message, and the devices the fleet made.
pub fn run(topics: usize, messages: usize) -> (f64, f64) {
    let plain = cost_ns(topics, messages, topic_name);
    let fleet = cost_ns(topics, messages, fleet_topic);
    (plain, fleet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fleet_topics_are_recognised_and_the_plain_ones_are_not() {
        let payloads: Vec<_> = (0..4).map(payload).collect();
        let mut fleet = Devices::new(HealthRules::default());
        let mut plain = Devices::new(HealthRules::default());
        for i in 0..400 {
            fleet.ingest(&fleet_topic(i), &payloads[i % 4], false, 0.0);
            plain.ingest(&topic_name(i), &payloads[i % 4], false, 0.0);
        }
        // 40 devices of 10 topics each; each convention recognises its own.
        assert!(fleet.counts(1.0).total >= 30, "{:?}", fleet.counts(1.0));
        assert!(plain.counts(1.0).total <= 4, "{:?}", plain.counts(1.0));
        let (p, f) = run(1000, 10_000);
        assert!(p > 0.0 && f > 0.0);
    }
}
