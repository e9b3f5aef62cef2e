//! What a wrapper (base64, gzip) held, shown the best sure way: JSON when it parses,
//! CBOR/MessagePack when detection is sure, text when it is text, else hex.

use serde_json::Value;

use super::{DecodeError, bytes_value, detect};

/// The value of `inner`, the bytes a wrapper decoded to.
pub(super) fn inner_value(inner: &[u8]) -> Result<Value, DecodeError> {
    if let Ok(text) = std::str::from_utf8(inner) {
        let trimmed = text.trim();
        // serde_json stops at 128 levels of nesting on its own.
        if trimmed.starts_with(['{', '[']) {
            if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
                return Ok(v);
            }
        }
        if detect::is_text(inner) {
            return Ok(Value::String(text.to_owned()));
        }
    }
    match detect::detect("", inner) {
        Some(decoder) => decoder.decode(inner),
        None => Ok(bytes_value(inner)),
    }
}
