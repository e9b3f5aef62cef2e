//! The shared corpus of real-world ESP32 / Tasmota / Zigbee2MQTT payloads, decoded for
//! tests (a copy lives in `tests/data/` so the tests do not depend on files outside the
//! repository).

use base64::Engine as _;
use serde_json::Value;

/// One line of `esp32_payloads.jsonl`.
#[derive(Debug, Clone)]
pub(crate) struct CorpusEntry {
    pub topic: String,
    pub payload: Vec<u8>,
    pub retain: bool,
    pub qos: u8,
}

pub(crate) fn corpus() -> Vec<CorpusEntry> {
    include_str!("../../tests/data/esp32_payloads.jsonl")
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("corpus line is JSON");
            let payload = match (v["payload"].as_str(), v["payload_b64"].as_str()) {
                (Some(text), _) => text.as_bytes().to_vec(),
                (None, Some(b64)) => base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("corpus base64 decodes"),
                (None, None) => panic!("corpus line without payload: {line}"),
            };
            CorpusEntry {
                topic: v["topic"].as_str().expect("topic").to_owned(),
                payload,
                retain: v["retain"].as_bool().expect("retain"),
                qos: u8::try_from(v["qos"].as_u64().expect("qos")).expect("qos fits u8"),
            }
        })
        .collect()
}
