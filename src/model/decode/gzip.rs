//! gzip- or zlib-wrapped payloads, told apart by their headers, inflated to at most
//! `MAX_INFLATED_BYTES` (a small hostile payload can claim gigabytes).

use std::io::Read;

use flate2::read::{GzDecoder, ZlibDecoder};
use serde_json::Value;

use super::{Budget, DecodeError, MAX_INFLATED_BYTES};

/// Inflates a gzip (1f 8b …) or zlib (78 …) payload, then shows what it held.
pub(super) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let inner = if bytes.starts_with(&[0x1f, 0x8b]) {
        inflate(GzDecoder::new(bytes), "gzip")?
    } else if is_zlib_header(bytes) {
        inflate(ZlibDecoder::new(bytes), "zlib")?
    } else {
        return Err(DecodeError::invalid(
            "gzip / zlib",
            crate::tr!("dec-err-no-gzip-header"),
        ));
    };
    super::unwrap::inner_value(&inner, budget)
}

/// RFC 1950: deflate method, and the first two bytes are a multiple of 31.
fn is_zlib_header(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

fn inflate(reader: impl Read, format: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    // One byte more than allowed tells "exactly the limit" from "over it".
    reader
        .take(MAX_INFLATED_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::invalid(format, e))?;
    if out.len() > MAX_INFLATED_BYTES {
        return Err(DecodeError::InflatedTooLarge);
    }
    Ok(out)
}
