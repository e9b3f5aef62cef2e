//! What a wrapper (base64, gzip) held, shown the best sure way: JSON when it parses,
//! CBOR/MessagePack when detection is sure, text when it is text, else hex.

use serde_json::Value;

use super::{Budget, DecodeError, Decoder, MAX_DEPTH, bytes_value, detect};

/// The value of `inner`, the bytes a wrapper decoded to (its types, when it was CBOR or
/// MessagePack, go to `budget`'s sink).
pub(super) fn inner_value(inner: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    if let Ok(text) = std::str::from_utf8(inner) {
        let trimmed = text.trim();
        // serde_json stops at 128 levels of nesting on its own.
        if trimmed.starts_with(['{', '['])
            && let Ok(v) = serde_json::from_str::<Value>(trimmed)
        {
            // Held to the same depth as the binary formats.
            return if depth(&v) > MAX_DEPTH {
                Err(DecodeError::TooDeep)
            } else {
                Ok(v)
            };
        }
        if detect::is_text(inner) {
            return Ok(Value::String(text.to_owned()));
        }
    }
    match detect::detect("", inner) {
        Some(Decoder::Cbor) => super::cbor::decode(inner, budget),
        Some(Decoder::MessagePack) => super::msgpack::decode(inner, budget),
        Some(decoder) => decoder.decode(inner),
        None => Ok(bytes_value(inner)),
    }
}

/// Nesting depth of a JSON value (a scalar is 0). Recursion is bounded by serde_json's
/// own limit of 128 levels on what it parses.
pub(crate) fn depth(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
