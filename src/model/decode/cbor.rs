//! CBOR → JSON through `ciborium`, with its recursion limit set to ours.

use ciborium::Value as Cb;
use serde_json::{Map, Value};

use super::{Budget, DecodeError, MAX_DEPTH, bytes_value, f32_value, float_value};

const FORMAT: &str = "CBOR";

/// Decodes a payload that is exactly one CBOR data item.
pub(super) fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
    let value = parse(bytes)?;
    to_json(&value, 0, &mut Budget::default())
}

/// Parses exactly one data item; trailing bytes are an error.
pub(super) fn parse(bytes: &[u8]) -> Result<Cb, DecodeError> {
    let mut rest = bytes;
    let value: Cb = ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_DEPTH + 1).map_err(|e| match e {
        ciborium::de::Error::RecursionLimitExceeded => DecodeError::TooDeep,
        other => DecodeError::invalid(FORMAT, describe(&other)),
    })?;
    if !rest.is_empty() {
        return Err(DecodeError::Trailing {
            format: FORMAT.to_owned(),
            extra_bytes: rest.len() as u64,
        });
    }
    Ok(value)
}

/// ciborium's errors without their Debug dump of the reader's error.
fn describe(e: &ciborium::de::Error<std::io::Error>) -> String {
    match e {
        ciborium::de::Error::Io(io) => io.to_string(),
        ciborium::de::Error::Syntax(offset) => format!("syntax error at byte {offset}"),
        ciborium::de::Error::Semantic(Some(offset), msg) => format!("{msg} at byte {offset}"),
        ciborium::de::Error::Semantic(None, msg) => msg.clone(),
        ciborium::de::Error::RecursionLimitExceeded => "too deep".to_owned(),
    }
}

fn to_json(v: &Cb, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    Ok(match v {
        Cb::Null => Value::Null,
        Cb::Bool(b) => Value::Bool(*b),
        Cb::Integer(i) => {
            let wide = i128::from(*i);
            match (u64::try_from(wide), i64::try_from(wide)) {
                (Ok(u), _) => Value::from(u),
                (_, Ok(s)) => Value::from(s),
                _ => Value::String(wide.to_string()),
            }
        }
        // ciborium widens half and single floats to f64; one that an f32 holds exactly
        // is shown in its f32 shortest form (21.5, 0.1), as the sender wrote it.
        Cb::Float(f) if f64::from(*f as f32) == *f => f32_value(*f as f32),
        Cb::Float(f) => float_value(*f),
        Cb::Text(s) => Value::String(s.clone()),
        Cb::Bytes(b) => bytes_value(b),
        Cb::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| to_json(item, depth + 1, budget))
                .collect::<Result<_, _>>()?,
        ),
        Cb::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match k {
                    Cb::Text(text) => text.clone(),
                    other => to_json(other, depth + 1, budget)?.to_string(),
                };
                map.insert(key, to_json(v, depth + 1, budget)?);
            }
            Value::Object(map)
        }
        Cb::Tag(tag, inner) => serde_json::json!({ "tag": tag, "value": to_json(inner, depth + 1, budget)? }),
        // `Value` is non-exhaustive.
        _ => Value::Null,
    })
}
