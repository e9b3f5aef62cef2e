//! CBOR → JSON through `ciborium`, with its recursion limit set to ours.

use ciborium::Value as Cb;
use serde_json::{Map, Value};

use super::{Budget, DecodeError, MAX_DEPTH, bytes_value, f32_value, float_value};

const FORMAT: &str = "CBOR";

/// Decodes a payload that is exactly one CBOR data item.
pub(super) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let value = parse(bytes)?;
    to_json(&value, 0, budget)
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

/// The type tag of a data item (ciborium widens every float to f64, so its width on the
/// wire is not known: "float").
fn type_name(v: &Cb) -> String {
    match v {
        Cb::Null => "null".into(),
        Cb::Bool(_) => "bool".into(),
        Cb::Integer(_) => "int".into(),
        Cb::Float(_) => "float".into(),
        Cb::Text(_) => "str".into(),
        Cb::Bytes(_) => "bytes".into(),
        Cb::Array(_) => "array".into(),
        Cb::Map(_) => "map".into(),
        Cb::Tag(tag, _) => format!("tag {tag}"),
        _ => "?".into(),
    }
}

fn to_json(v: &Cb, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    if budget.types.is_on() {
        budget.types.note(&type_name(v));
    }
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
                .enumerate()
                .map(|(i, item)| {
                    let mark = budget.types.enter_index(i);
                    let v = to_json(item, depth + 1, budget);
                    budget.types.leave(mark);
                    v
                })
                .collect::<Result<_, _>>()?,
        ),
        Cb::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match k {
                    Cb::Text(text) => text.clone(),
                    other => key_json(other, depth + 1, budget)?.to_string(),
                };
                let mark = budget.types.enter_key(&key);
                let value = to_json(v, depth + 1, budget);
                budget.types.leave(mark);
                map.insert(key, value?);
            }
            Value::Object(map)
        }
        Cb::Tag(tag, inner) => {
            let mark = budget.types.enter_key("value");
            let value = to_json(inner, depth + 1, budget);
            budget.types.leave(mark);
            serde_json::json!({ "tag": tag, "value": value? })
        }
        // `Value` is non-exhaustive.
        _ => Value::Null,
    })
}

/// A map key that is not text, as JSON (its own type is not a field's: not recorded).
fn key_json(k: &Cb, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    let types = std::mem::take(&mut budget.types);
    let value = to_json(k, depth, budget);
    budget.types = types;
    value
}
