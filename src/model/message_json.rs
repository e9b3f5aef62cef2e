//! A message as one JSON object: the shape of `topicscope sub --format json`, of
//! `topicscope export --format jsonl` and of the window's JSON Lines export, so that
//! whatever reads one reads the others.
//!
//! `{"topic", "payload" (text) or "payload_base64" (bytes that are not clean text),
//! "qos", "retain", "time" (RFC 3339, ms), "properties" (MQTT 5, when present)}`; a
//! decoded payload adds `"decoded"` and `"decoder"` and keeps its bytes in base64.

use base64::Engine as _;

use super::{Message, MessageProperties, TextEncoding, TextOrHex};

/// `msg` as a JSON object; `decoded` is a decoder's name and its reading of the payload.
pub fn message_json(
    msg: &Message,
    encoding: TextEncoding,
    decoded: Option<&(String, serde_json::Value)>,
) -> serde_json::Value {
    let time: chrono::DateTime<chrono::Utc> = msg.time.into();
    let mut obj = serde_json::Map::new();
    obj.insert("topic".into(), msg.topic.clone().into());
    let text = encoding.decode(&msg.payload);
    if let Some((decoder, value)) = decoded {
        // The decoded value replaces the payload; its bytes stay available.
        obj.insert("decoded".into(), value.clone());
        obj.insert("decoder".into(), decoder.as_str().into());
        obj.insert(
            "payload_base64".into(),
            base64::engine::general_purpose::STANDARD.encode(&msg.payload).into(),
        );
    } else if text.is_clean() {
        obj.insert("payload".into(), text.text.into());
    } else {
        obj.insert(
            "payload_base64".into(),
            base64::engine::general_purpose::STANDARD.encode(&msg.payload).into(),
        );
    }
    obj.insert("qos".into(), msg.qos.into());
    obj.insert("retain".into(), msg.retain.into());
    obj.insert(
        "time".into(),
        time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
    );
    if let Some(props) = &msg.properties {
        obj.insert("properties".into(), properties_json(props));
    }
    serde_json::Value::Object(obj)
}

/// MQTT 5 properties as a JSON object; absent ones are left out. User properties are a list
/// of `[key, value]` pairs because keys may repeat and their order matters.
pub fn properties_json(p: &MessageProperties) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    if let Some(ct) = &p.content_type {
        obj.insert("content_type".into(), ct.as_str().into());
    }
    if let Some(utf8) = p.payload_format_utf8 {
        obj.insert("payload_format_utf8".into(), utf8.into());
    }
    if let Some(rt) = &p.response_topic {
        obj.insert("response_topic".into(), rt.as_str().into());
    }
    match p.correlation_text() {
        Some(TextOrHex::Text(text)) => {
            obj.insert("correlation_data".into(), text.into());
        }
        Some(TextOrHex::Hex(_)) => {
            let bytes = p.correlation_data.as_deref().unwrap_or_default();
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            obj.insert("correlation_data_hex".into(), hex.into());
        }
        None => {}
    }
    if let Some(e) = p.message_expiry_secs {
        obj.insert("message_expiry_secs".into(), e.into());
    }
    if !p.user_properties.is_empty() {
        let pairs = p
            .user_properties
            .iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect();
        obj.insert("user_properties".into(), serde_json::Value::Array(pairs));
    }
    serde_json::Value::Object(obj)
}
