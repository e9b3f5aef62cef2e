//! MQTT 5 properties stored as a small JSON blob (NULL when a message has none, which
//! is every MQTT 3.1.1 message): rare, varied, and never searched by column.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::model::MessageProperties;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    response_topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    correlation_data: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    message_expiry_secs: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    payload_format_utf8: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    user_properties: Vec<(String, String)>,
}

/// The blob stored for `p`; `None` when there is nothing to keep.
pub fn encode(p: Option<&MessageProperties>) -> Option<Vec<u8>> {
    let p = p.filter(|p| !p.is_empty())?;
    let stored = Stored {
        content_type: p.content_type.clone(),
        response_topic: p.response_topic.clone(),
        correlation_data: p.correlation_data.as_ref().map(|b| b.to_vec()),
        message_expiry_secs: p.message_expiry_secs,
        payload_format_utf8: p.payload_format_utf8,
        user_properties: p.user_properties.clone(),
    };
    serde_json::to_vec(&stored).ok()
}

/// The properties of a stored blob; an unreadable blob reads as none (the message
/// itself is still worth showing).
pub fn decode(blob: Option<&[u8]>) -> Option<Box<MessageProperties>> {
    let stored: Stored = serde_json::from_slice(blob?).ok()?;
    let p = MessageProperties {
        content_type: stored.content_type,
        response_topic: stored.response_topic,
        correlation_data: stored.correlation_data.map(Bytes::from),
        message_expiry_secs: stored.message_expiry_secs,
        payload_format_utf8: stored.payload_format_utf8,
        user_properties: stored.user_properties,
    };
    (!p.is_empty()).then(|| Box::new(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_survive_the_blob() {
        let p = MessageProperties {
            content_type: Some("application/json".into()),
            correlation_data: Some(Bytes::from_static(&[0, 255, 7])),
            user_properties: vec![("k".into(), "v".into()), ("k".into(), "w".into())],
            message_expiry_secs: Some(30),
            ..Default::default()
        };
        let blob = encode(Some(&p)).unwrap();
        assert_eq!(decode(Some(&blob)).as_deref(), Some(&p));
        assert_eq!(encode(Some(&MessageProperties::default())), None);
        assert_eq!(decode(Some(b"garbage")), None);
    }
}
