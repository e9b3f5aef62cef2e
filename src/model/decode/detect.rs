//! Detection that is sure before it speaks. MQTT Explorer's Sparkplug detection decoded
//! plain strings by mistake and was switched off; here a payload is called CBOR or
//! MessagePack only when all of these hold:
//!
//! - it is not text (UTF-8 without control characters other than tab and line breaks),
//!   so no text or JSON payload is ever decoded;
//! - its first byte opens a map or an array in that format (a bare scalar such as a
//!   fixint proves nothing: any byte is one);
//! - the WHOLE payload parses as exactly one value;
//! - every text in it (map keys, strings) is free of control characters: MessagePack
//!   with a stray byte after it can parse as CBOR, but with keys like "\u{1}";
//! - it does not parse as both (`82 01 02` is the CBOR array [1, 2] and the MessagePack
//!   map {1: 2}): then nobody can be sure, and the user picks.

use serde_json::Value;

use super::Decoder;

/// The decoder that surely fits `payload` of `topic`, if any. The topic is for
/// decoders known by their namespace: Sparkplug B's `spBv1.0/` (never its STATE topic,
/// which is JSON), and only when the payload reads as a Sparkplug payload.
pub fn detect(topic: &str, payload: &[u8]) -> Option<Decoder> {
    if super::sparkplug::SparkplugTopic::parse(topic).is_some() {
        return super::sparkplug::read(payload, None)
            .is_ok()
            .then_some(Decoder::Sparkplug);
    }
    if payload.len() < 2 || is_text(payload) {
        return None;
    }
    let first = payload[0];
    let cbor = opens_cbor_container(first) && Decoder::Cbor.decode(payload).is_ok_and(|v| plausible(&v));
    let msgpack = opens_msgpack_container(first) && Decoder::MessagePack.decode(payload).is_ok_and(|v| plausible(&v));
    match (cbor, msgpack) {
        (true, false) => Some(Decoder::Cbor),
        (false, true) => Some(Decoder::MessagePack),
        _ => None,
    }
}

/// True for UTF-8 text without control characters but tab, CR and LF.
pub fn is_text(payload: &[u8]) -> bool {
    std::str::from_utf8(payload).is_ok_and(is_clean)
}

/// True when no key or string holds a control character (but tab and line breaks).
fn plausible(v: &Value) -> bool {
    match v {
        Value::String(s) => is_clean(s),
        Value::Array(items) => items.iter().all(plausible),
        Value::Object(map) => map.iter().all(|(k, v)| is_clean(k) && plausible(v)),
        _ => true,
    }
}

fn is_clean(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// CBOR major types 4 (array) and 5 (map), including the indefinite-length forms.
fn opens_cbor_container(first: u8) -> bool {
    matches!(first >> 5, 4 | 5) && (first & 0x1f) <= 27 || first == 0x9f || first == 0xbf
}

/// fixmap, fixarray, array 16/32, map 16/32.
fn opens_msgpack_container(first: u8) -> bool {
    matches!(first, 0x80..=0x9f | 0xdc..=0xdf)
}
