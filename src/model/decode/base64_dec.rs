//! Base64-wrapped payloads (standard or URL-safe alphabet, padded or not, with line
//! breaks as MIME writes them).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::Value;

use super::{Budget, DecodeError};

/// Decodes base64 text, then shows what it held.
pub(super) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let compact: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    let mut first_error = None;
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        match engine.decode(&compact) {
            Ok(inner) => return super::unwrap::inner_value(&inner, budget),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(DecodeError::invalid(
        "Base64",
        first_error.map_or_else(String::new, |e| e.to_string()),
    ))
}
