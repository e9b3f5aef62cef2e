//! Two ESP32 boards with binary firmware, so decoders can be seen without a device: one
//! sends a packed C struct on `esp32/5a17c0/raw`, the other a MessagePack map on
//! `esp32/3b9e01/mp`, once a second. The demo profile binds the struct's layout (and
//! MessagePack) to their topics ([`demo_decoders`]). Each has a relay driven by
//! ON/OFF/TOGGLE on `esp32/<id>/relay/set`, answered on retained `…/relay/state`.

use rand::SeedableRng;
use rand::rngs::SmallRng;
use rmpv::Value as Mp;

use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off};
use crate::model::series::{Extractor, SeriesSpec};
use crate::model::{DecodeChoice, Decoder, DecoderRules, JsonPath, StructLayout};

/// The struct board's topic root.
pub(crate) const STRUCT_NAME: &str = "esp32/5a17c0";
/// The MessagePack board's topic root.
pub(crate) const MSGPACK_NAME: &str = "esp32/3b9e01";

/// The struct the firmware sends, as a user would describe it (27 bytes, packed):
/// `struct __attribute__((packed)) { float temperature; uint16_t humidity; uint8_t
/// mac[6]; int8_t rssi; uint8_t _pad; bool relay; uint32_t uptime; char name[8]; }`.
pub const STRUCT_LAYOUT: &str =
    "f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 1; bool relay; u32le uptime; char[8] name";

/// The demo profile's decoder rules: the layout on every board's `raw` topic,
/// MessagePack on every `mp` topic.
pub fn demo_decoders() -> DecoderRules {
    let mut rules = DecoderRules::default();
    if let Ok(layout) = StructLayout::parse(STRUCT_LAYOUT) {
        rules.set("esp32/+/raw", DecodeChoice::With(Decoder::Struct(layout)));
    }
    rules.set("esp32/+/mp", DecodeChoice::With(Decoder::MessagePack));
    rules
}

/// The demo's chart series: both boards' `temperature`, decoded.
pub fn demo_decoded_series() -> Vec<SeriesSpec> {
    let rules = demo_decoders();
    [format!("{STRUCT_NAME}/raw"), format!("{MSGPACK_NAME}/mp")]
        .into_iter()
        .filter_map(|topic| {
            let DecodeChoice::With(decoder) = rules.for_topic(&topic).clone() else {
                return None;
            };
            Some(SeriesSpec {
                topic,
                extractor: Extractor::Decoded {
                    decoder,
                    path: JsonPath::default().key("temperature"),
                },
                connection: None,
            })
        })
        .collect()
}

/// Which payload a board sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Struct,
    MessagePack,
}

pub(crate) struct BinaryBoard {
    format: Format,
    root: &'static str,
    mac: [u8; 6],
    relay: bool,
    temp: Drift,
    hum: Drift,
    rssi: Drift,
    rng: SmallRng,
}

impl BinaryBoard {
    pub fn new(format: Format, seed: u64) -> Self {
        let (root, mac, base) = match format {
            Format::Struct => (STRUCT_NAME, [0x24, 0x6f, 0x28, 0x5a, 0x17, 0xc0], 19.0),
            Format::MessagePack => (MSGPACK_NAME, [0x24, 0x6f, 0x28, 0x3b, 0x9e, 0x01], 26.0),
        };
        Self {
            format,
            root,
            mac,
            relay: false,
            temp: Drift::new(base, 5.0, 45.0)
                .wave(0.8, 120.0, 0.0)
                .walk(0.02, 1.5)
                .noise(0.05),
            hum: Drift::new(52.0, 15.0, 90.0).walk(0.1, 5.0).noise(0.3),
            rssi: Drift::new(-64.0, -95.0, -35.0).walk(0.4, 6.0).noise(1.0),
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    fn topic(&self, suffix: &str) -> String {
        format!("{}/{suffix}", self.root)
    }

    fn relay_state(&self) -> Outgoing {
        Outgoing::retained(self.topic("relay/state"), on_off(self.relay))
    }

    fn reading(&self, now: &Now) -> Outgoing {
        let temperature = self.temp.last() as f32;
        let humidity = self.hum.last().round() as u16;
        let rssi = self.rssi.last().round() as i8;
        let uptime = now.uptime_whole() as u32;
        match self.format {
            Format::Struct => {
                let mut bytes = Vec::with_capacity(27);
                bytes.extend(temperature.to_le_bytes());
                bytes.extend(humidity.to_le_bytes());
                bytes.extend(self.mac);
                bytes.push(rssi as u8);
                bytes.push(0); // the padding byte
                bytes.push(u8::from(self.relay));
                bytes.extend(uptime.to_le_bytes());
                let mut name = [0u8; 8];
                name[..6].copy_from_slice(b"garage");
                bytes.extend(name);
                Outgoing::new(self.topic("raw"), bytes)
            }
            Format::MessagePack => {
                let map = Mp::Map(vec![
                    (Mp::from("temperature"), Mp::F32(temperature)),
                    (Mp::from("humidity"), Mp::from(humidity)),
                    (Mp::from("rssi"), Mp::from(rssi)),
                    (Mp::from("relay"), Mp::Boolean(self.relay)),
                    (Mp::from("uptime"), Mp::from(uptime)),
                    (Mp::from("mac"), Mp::Binary(self.mac.to_vec())),
                ]);
                let mut bytes = Vec::new();
                // Writing to a Vec cannot fail.
                let _ = rmpv::encode::write_value(&mut bytes, &map);
                Outgoing::new(self.topic("mp"), bytes)
            }
        }
    }
}

impl Device for BinaryBoard {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: format!("sim-{}", self.root.replace('/', "_")),
            availability_topic: self.topic("status"),
            online: "online",
            offline: "offline",
            subscriptions: vec![self.topic("relay/set")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        vec![self.relay_state(), self.reading(now)]
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        let rng = &mut self.rng;
        self.temp.sample(now, rng);
        self.hum.sample(now, rng);
        self.rssi.sample(now, rng);
        vec![self.reading(now)]
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        if topic != self.topic("relay/set") {
            return Vec::new();
        }
        match std::str::from_utf8(payload).ok().and_then(Switch::parse) {
            Some(switch) => self.relay = switch.apply(self.relay),
            None => return vec![Outgoing::new(self.topic("error"), "expected ON, OFF or TOGGLE")],
        }
        vec![self.relay_state()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::detect;

    #[test]
    fn the_demo_chart_follows_both_boards_temperatures() {
        let series = demo_decoded_series();
        assert_eq!(series.len(), 2);
        for (spec, format) in series.iter().zip([Format::Struct, Format::MessagePack]) {
            let mut board = BinaryBoard::new(format, 3);
            let out = board.on_tick(&Now::at(7, 1.0));
            assert_eq!(spec.topic, out[0].topic);
            let msg = crate::model::StoredMessage::from(crate::model::Message::new(
                out[0].topic.clone(),
                out[0].payload.clone(),
                0,
                false,
            ));
            let t = spec.extract(&msg).expect("a temperature");
            assert!((5.0..=45.0).contains(&t), "{t}");
        }
    }

    #[test]
    fn both_boards_decode_with_the_demo_rules_and_the_messagepack_one_is_detected() {
        let rules = demo_decoders();
        for format in [Format::Struct, Format::MessagePack] {
            let mut board = BinaryBoard::new(format, 7);
            board.on_message(&board.topic("relay/set"), b"ON", &Now::at(7, 0.0));
            for s in 0..200 {
                let out = board.on_tick(&Now::at(7, f64::from(s)));
                let m = &out[0];
                let decoder = rules.decoder_for(&m.topic, &m.payload).expect("a rule applies");
                let v = decoder
                    .decode(&m.payload)
                    .unwrap_or_else(|e| panic!("{}: {e}", m.topic));
                let t = v["temperature"].as_f64().unwrap();
                assert!((5.0..=45.0).contains(&t), "{t}");
                assert_eq!(v["relay"], serde_json::json!(true));
                assert_eq!(v["uptime"], serde_json::json!(s));
                if format == Format::MessagePack {
                    // Sure enough for "Auto", too.
                    assert_eq!(detect(&m.topic, &m.payload), Some(Decoder::MessagePack));
                    assert_eq!(v["mac"], serde_json::json!({"hex": "246f283b9e01"}));
                } else {
                    assert_eq!(m.payload.len(), 27);
                    assert_eq!(v["name"], serde_json::json!("garage"));
                    assert_eq!(v["mac"], serde_json::json!([0x24, 0x6f, 0x28, 0x5a, 0x17, 0xc0]));
                    // A packed struct is not mistaken for CBOR or MessagePack.
                    assert_eq!(detect(&m.topic, &m.payload), None);
                }
            }
        }
    }
}
