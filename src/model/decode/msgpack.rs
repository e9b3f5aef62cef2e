//! MessagePack → JSON through `rmpv`, with rmpv's own depth limit set to ours.

use rmpv::Value as Mp;
use serde_json::{Map, Value};

use super::{Budget, DecodeError, MAX_DEPTH, bytes_value, f32_value, float_value};

const FORMAT: &str = "MessagePack";

/// Decodes a payload that is exactly one MessagePack value.
pub(super) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let value = parse(bytes)?;
    to_json(&value, 0, budget)
}

/// Parses exactly one value: trailing bytes are an error, so a lucky first byte of
/// something else (a fixint, a fixstr) is not taken for a whole MessagePack payload.
pub(super) fn parse(bytes: &[u8]) -> Result<Mp, DecodeError> {
    let mut rest = bytes;
    // rmpv counts levels its own way (an array costs two levels);
    // its limit only stops the recursion early, `Budget` checks ours exactly.
    let value = rmpv::decode::read_value_with_max_depth(&mut rest, 2 * (MAX_DEPTH + 1)).map_err(|e| match e {
        rmpv::decode::Error::DepthLimitExceeded => DecodeError::TooDeep,
        other => DecodeError::invalid(FORMAT, other),
    })?;
    if !rest.is_empty() {
        return Err(DecodeError::Trailing {
            format: FORMAT.to_owned(),
            extra_bytes: rest.len() as u64,
        });
    }
    Ok(value)
}

/// The type tag of a value (MessagePack keeps f32 apart from f64, but not the width of
/// an integer once rmpv has read it).
fn type_name(v: &Mp) -> String {
    match v {
        Mp::Nil => "nil".into(),
        Mp::Boolean(_) => "bool".into(),
        Mp::Integer(_) => "int".into(),
        Mp::F32(_) => "f32".into(),
        Mp::F64(_) => "f64".into(),
        Mp::String(s) if s.as_str().is_some() => "str".into(),
        Mp::String(_) | Mp::Binary(_) => "bytes".into(),
        Mp::Array(_) => "array".into(),
        Mp::Map(_) => "map".into(),
        Mp::Ext(kind, _) => format!("ext {kind}"),
    }
}

fn to_json(v: &Mp, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    if budget.types.is_on() {
        budget.types.note(&type_name(v));
    }
    Ok(match v {
        Mp::Nil => Value::Null,
        Mp::Boolean(b) => Value::Bool(*b),
        Mp::Integer(i) => match (i.as_u64(), i.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(s)) => Value::from(s),
            (None, None) => Value::String(i.to_string()),
        },
        Mp::F32(f) => f32_value(*f),
        Mp::F64(f) => float_value(*f),
        Mp::String(s) => match s.as_str() {
            Some(text) => Value::String(text.to_owned()),
            None => bytes_value(s.as_bytes()),
        },
        Mp::Binary(b) => bytes_value(b),
        Mp::Array(items) => Value::Array(
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
        Mp::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match k.as_str() {
                    Some(text) => text.to_owned(),
                    None => key_json(k, depth + 1, budget)?.to_string(),
                };
                let mark = budget.types.enter_key(&key);
                let value = to_json(v, depth + 1, budget);
                budget.types.leave(mark);
                map.insert(key, value?);
            }
            Value::Object(map)
        }
        Mp::Ext(kind, data) => {
            let mut ext = bytes_value(data);
            ext["ext"] = Value::from(*kind);
            ext
        }
    })
}

/// A map key that is not text, as JSON (its own type is not a field's: not recorded).
fn key_json(k: &Mp, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    let types = std::mem::take(&mut budget.types);
    let value = to_json(k, depth, budget);
    budget.types = types;
    value
}
