//! What a payload looks like (empty, JSON, a number, text, an image, raw bytes), so the
//! inspector can pick a view and the plotter knows what it can chart. Classification
//! reads the whole payload once; `StoredMessage::kind` caches the answer.

use super::numbers::extract_number;

// The text renderings live in `render`; re-exported so `payload::pretty_json` works too.
pub use super::render::{
    escape_non_utf8, hex_dump_line, hex_dump_line_chars, hex_dump_line_count, hex_dump_line_of, pretty_json, preview,
    preview_with_kind,
};

/// Image formats recognised by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    /// Short upper-case name for labels ("PNG").
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
        }
    }
}

/// The shape of a payload, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadKind {
    /// Zero bytes (also how a retained message is cleared).
    Empty,
    /// A JSON object or array.
    Json,
    /// A scalar that [`extract_number`] accepts: "21.5", "57%", "ON", "true", "\"3\"".
    Number,
    /// Any other valid UTF-8.
    Text,
    /// Not valid UTF-8 and not a known image.
    Binary,
    /// An image, recognised by its magic bytes (checked before text).
    Image(ImageFormat),
}

impl PayloadKind {
    /// True when the payload is valid UTF-8 and can be shown as text.
    pub fn is_text(self) -> bool {
        matches!(self, Self::Json | Self::Number | Self::Text)
    }

    /// Short name for labels and tooltips, in the interface's language.
    pub fn label(self) -> String {
        match self {
            Self::Empty => crate::tr!("panes-kind-empty"),
            Self::Json => crate::tr!("panes-kind-json"),

            Self::Number => crate::tr!("panes-kind-number"),
            Self::Text => crate::tr!("panes-kind-text"),
            Self::Binary => crate::tr!("panes-kind-binary"),
            Self::Image(format) => crate::tr!("panes-kind-image", format = format.name()),
        }
    }
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = b"\xff\xd8\xff";

/// The image format announced by the payload's first bytes, if any.
pub fn image_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(PNG_MAGIC) {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Some(ImageFormat::Jpeg)
    } else {
        None
    }
}

/// Classifies a payload. Linear in its length; never panics.
pub fn classify(bytes: &[u8]) -> PayloadKind {
    if bytes.is_empty() {
        return PayloadKind::Empty;
    }
    if let Some(format) = image_format(bytes) {
        return PayloadKind::Image(format);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return PayloadKind::Binary;
    };
    classify_text(text)
}

/// Classifies a non-empty payload already decoded to text (JSON, number or text), in
/// whichever encoding it came.
pub fn classify_text(text: &str) -> PayloadKind {
    if is_json_container(text) {
        PayloadKind::Json
    } else if extract_number(text).is_some() {
        PayloadKind::Number
    } else {
        PayloadKind::Text
    }
}

/// True for a valid JSON object or array. Bare JSON scalars are left to the number and
/// text checks: a JSON number or boolean is a Number, a JSON string is Text (or Number).
fn is_json_container(text: &str) -> bool {
    let starts_container = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    // IgnoredAny validates without building a tree, and serde_json skips ignored
    // values without recursing, so hostile nesting cannot overflow the stack.
    starts_container && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_corpus::corpus;

    #[test]
    fn classifies_basic_shapes() {
        assert_eq!(classify(b""), PayloadKind::Empty);
        assert_eq!(classify(b"{}"), PayloadKind::Json);
        assert_eq!(classify(b" [1, 2]\n"), PayloadKind::Json);
        assert_eq!(classify(b"{\"a\": 1"), PayloadKind::Text);
        assert_eq!(classify(b"42"), PayloadKind::Number);
        assert_eq!(classify(b"\"21.5\""), PayloadKind::Number);
        assert_eq!(classify(b"\"hello\""), PayloadKind::Text);
        assert_eq!(classify(b"null"), PayloadKind::Text);
        assert_eq!(classify(b"\xff\xfe"), PayloadKind::Binary);
        assert_eq!(classify(b"\x89PNG\r\n\x1a\n"), PayloadKind::Image(ImageFormat::Png));
        assert_eq!(classify(b"\xff\xd8\xff\xe0"), PayloadKind::Image(ImageFormat::Jpeg));
        assert_eq!(classify(b"\xff\xd8"), PayloadKind::Binary);
    }

    #[test]
    fn hostile_nesting_does_not_crash() {
        // Validation does not recurse, so any depth is fine.
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(classify(deep.as_bytes()), PayloadKind::Json);
        let unbalanced = "[".repeat(100_000);
        assert_eq!(classify(unbalanced.as_bytes()), PayloadKind::Text);
    }

    #[test]
    fn classifies_every_corpus_entry() {
        use PayloadKind::*;
        let expected: &[(&str, PayloadKind)] = &[
            ("tele/tasmota_5C3F21/LWT", Number),
            ("tele/tasmota_5C3F21/SENSOR", Json),
            ("tele/tasmota_5C3F21/STATE", Json),
            ("cmnd/tasmota_5C3F21/POWER", Text),
            ("stat/tasmota_5C3F21/RESULT", Json),
            ("stat/tasmota_5C3F21/POWER", Number),
            ("greenhouse/status", Number),
            ("greenhouse/sensor/soil_moisture/state", Number),
            ("greenhouse/sensor/air_temperature/state", Number),
            ("greenhouse/sensor/wifi_signal/state", Number),
            ("greenhouse/binary_sensor/door/state", Number),
            ("greenhouse/switch/pump/command", Number),
            ("greenhouse/switch/pump/state", Number),
            ("greenhouse/sensor/uptime/state", Number),
            ("greenhouse/sensor/lux/state", Number),
            ("greenhouse/sensor/voltage/state", Number),
            ("greenhouse/sensor/pressure/state", Number),
            ("greenhouse/sensor/broken/state", Text),
            ("zigbee2mqtt/bridge/state", Json),
            ("zigbee2mqtt/bedroom_sensor", Json),
            ("zigbee2mqtt/kitchen_plug", Json),
            ("homeassistant/sensor/esp32_a1b2c3/temperature/config", Json),
            ("esp32/a1b2c3/temperature", Number),
            ("esp32/a1b2c3/telemetry", Json),
            ("esp32/a1b2c3/accel", Json),
            ("esp32/a1b2c3/led/set", Json),
            ("esp32/a1b2c3/ota/progress", Number),
            ("esp32/a1b2c3/log", Text),
            ("esp32/a1b2c3/boot", Empty),
            ("esp32/a1b2c3/bool", Number),
            ("esp32/a1b2c3/raw/float32le", Binary),
            ("esp32/a1b2c3/raw/int16be", Binary),
            ("esp32/a1b2c3/raw/garbage", Binary),
            ("esp32cam/d4e5f6/frame", Image(ImageFormat::Jpeg)),
            ("esp32/a1b2c3/icon", Image(ImageFormat::Png)),
            ("owntracks/ana/phone", Json),
            ("shellyplus1-08b61fd1/status/switch:0", Json),
            ("/leading/slash", Number),
            ("trailing/slash/", Number),
            ("double//slash", Number),
            ("unicode/温度/传感器", Number),
            ("spaces in/topic name", Text),
            ("$SYS/broker/clients/connected", Number),
            ("$SYS/broker/load/messages/received/1min", Number),
        ];
        let entries = corpus();
        assert_eq!(entries.len(), 46);
        let mut checked = 0;
        for entry in &entries {
            // The two very long topics carry the words "deep" and "long".
            let want = if entry.topic.starts_with("a/deep/") || entry.topic.starts_with("long/") {
                Text
            } else {
                let Some((_, kind)) = expected.iter().find(|(t, _)| *t == entry.topic) else {
                    panic!("corpus entry {:?} has no expected kind", entry.topic);
                };
                *kind
            };
            assert_eq!(classify(&entry.payload), want, "{}", entry.topic);
            checked += 1;
        }
        assert_eq!(checked, expected.len() + 2);
    }
}
