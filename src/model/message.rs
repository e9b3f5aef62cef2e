//! One MQTT message as the worker hands it to the model.

use std::time::SystemTime;

use bytes::Bytes;

/// MQTT 5 properties of a received message (empty under MQTT 3.1.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageProperties {
    pub content_type: Option<String>,
    pub response_topic: Option<String>,
    pub correlation_data: Option<Bytes>,
    pub message_expiry_secs: Option<u32>,
    pub payload_format_utf8: Option<bool>,
    pub user_properties: Vec<(String, String)>,
}

impl MessageProperties {
    /// True when no property is set: such a message is stored with `properties: None`.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The correlation data as a person reads it: text when it is printable UTF-8, else hex.
    pub fn correlation_text(&self) -> Option<TextOrHex> {
        self.correlation_data.as_deref().map(TextOrHex::from_bytes)
    }
}

/// Bytes shown as text when they are printable UTF-8, as hex pairs otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextOrHex {
    Text(String),
    /// Lower-case hex pairs separated by spaces.
    Hex(String),
}

impl TextOrHex {
    pub fn from_bytes(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            // Control characters would be invisible or break the line: those are bytes too.
            Ok(text) if !text.chars().any(char::is_control) => Self::Text(text.to_owned()),
            _ => Self::Hex(bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")),
        }
    }
}

/// A message as received from the broker. The payload is kept exactly as received.
#[derive(Clone, Debug)]
pub struct Message {
    pub topic: String,
    pub payload: Bytes,
    /// 0, 1 or 2.
    pub qos: u8,
    pub retain: bool,
    pub time: SystemTime,
    /// `None` under MQTT 3.1.1 or when the message carried no properties.
    pub properties: Option<Box<MessageProperties>>,
}

impl Message {
    /// A message received now with no properties (handy for tests and the CLI).
    pub fn new(topic: impl Into<String>, payload: impl Into<Bytes>, qos: u8, retain: bool) -> Self {
        Self {
            topic: topic.into(),
            payload: payload.into(),
            qos,
            retain,
            time: SystemTime::now(),
            properties: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_data_is_text_when_utf8_and_hex_otherwise() {
        let mut p = MessageProperties::default();
        assert!(p.is_empty());
        assert_eq!(p.correlation_text(), None);
        p.correlation_data = Some(Bytes::from_static(b"req-42"));
        assert!(!p.is_empty());
        assert_eq!(p.correlation_text(), Some(TextOrHex::Text("req-42".into())));
        p.correlation_data = Some(Bytes::from_static(&[0xff, 0xad, 0x01]));
        assert_eq!(p.correlation_text(), Some(TextOrHex::Hex("ff ad 01".into())));
        // Valid UTF-8, but a control character: bytes, not text.
        p.correlation_data = Some(Bytes::from_static(b"id\x01"));
        assert_eq!(p.correlation_text(), Some(TextOrHex::Hex("69 64 01".into())));
    }
}
