//! MessagePack → JSON through `rmpv`, with rmpv's own depth limit set to ours. rmpv
//! forgets how wide an integer was on the wire, so the typed decode reads the widths
//! from the bytes themselves ([`int_widths`]) and hands them out in the same order.

use rmpv::Value as Mp;
use serde_json::{Map, Value};

use super::{Budget, DecodeError, MAX_DEPTH, bytes_value, f32_value, float_value};

const FORMAT: &str = "MessagePack";

/// Decodes a payload that is exactly one MessagePack value.
pub(super) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let value = parse(bytes)?;
    let widths = match budget.types.is_on() {
        true => int_widths(bytes),
        false => Vec::new(),
    };
    to_json(&value, 0, budget, &mut widths.into_iter())
}

/// The wire type of every integer in `bytes`, in the order they are written (which is
/// the order [`to_json`] meets them: map keys before their values, items in order).
/// Containers need no recursion here: their items follow their header inline.
fn int_widths(bytes: &[u8]) -> Vec<&'static str> {
    let mut widths = Vec::new();
    let mut at = 0usize;
    // Big-endian length of `n` bytes at `at` (bounds already checked by the caller).
    let len = |at: usize, n: usize| bytes[at..at + n].iter().fold(0usize, |l, &b| (l << 8) | usize::from(b));
    while let Some(&marker) = bytes.get(at) {
        at += 1;
        let (width, skip) = match marker {
            0x00..=0x7f | 0xe0..=0xff => (Some("fixint"), 0),
            0xcc => (Some("u8"), 1),
            0xcd => (Some("u16"), 2),
            0xce => (Some("u32"), 4),
            0xcf => (Some("u64"), 8),
            0xd0 => (Some("i8"), 1),
            0xd1 => (Some("i16"), 2),
            0xd2 => (Some("i32"), 4),
            0xd3 => (Some("i64"), 8),
            // fixmap, fixarray, nil, booleans, array/map 16/32 headers: items follow.
            0x80..=0x9f | 0xc0 | 0xc2 | 0xc3 => (None, 0),
            0xdc | 0xde => (None, 2),
            0xdd | 0xdf => (None, 4),
            0xa0..=0xbf => (None, usize::from(marker & 0x1f)),
            0xca => (None, 4),
            0xcb => (None, 8),
            // str/bin 8, 16, 32: a length, then that many bytes.
            0xd9 | 0xc4 | 0xda | 0xc5 | 0xdb | 0xc6 => {
                let n = match marker {
                    0xd9 | 0xc4 => 1,
                    0xda | 0xc5 => 2,
                    _ => 4,
                };
                if at + n > bytes.len() {
                    break;
                }
                let body = len(at, n);
                (None, n.saturating_add(body))
            }
            // fixext 1–16: a type byte and the data.
            0xd4..=0xd8 => (None, 1 + (1 << (marker - 0xd4))),
            // ext 8, 16, 32: a length, a type byte, the data.
            0xc7..=0xc9 => {
                let n = 1 << (marker - 0xc7);
                if at + n > bytes.len() {
                    break;
                }
                let body = len(at, n);
                (None, n.saturating_add(1).saturating_add(body))
            }
            // 0xc1 is never used by the format (rmpv refused it already).
            0xc1 => break,
        };
        widths.extend(width);
        at = at.saturating_add(skip);
    }
    widths
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

/// The type tag of a value; an integer's is its width on the wire, from `widths`.
fn type_name(v: &Mp, width: Option<&str>) -> String {
    match v {
        Mp::Nil => "nil".into(),
        Mp::Boolean(_) => "bool".into(),
        Mp::Integer(_) => width.unwrap_or("int").into(),
        Mp::F32(_) => "f32".into(),
        Mp::F64(_) => "f64".into(),
        Mp::String(s) if s.as_str().is_some() => "str".into(),
        Mp::String(_) | Mp::Binary(_) => "bytes".into(),
        Mp::Array(_) => "array".into(),
        Mp::Map(_) => "map".into(),
        Mp::Ext(kind, _) => format!("ext {kind}"),
    }
}

fn to_json(
    v: &Mp,
    depth: usize,
    budget: &mut Budget,
    widths: &mut impl Iterator<Item = &'static str>,
) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    // Used up even when not recorded (inside a map key), to stay in step.
    let width = match v {
        Mp::Integer(_) => widths.next(),
        _ => None,
    };
    if budget.types.is_on() {
        budget.types.note(&type_name(v, width));
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
                    let v = to_json(item, depth + 1, budget, widths);
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
                    None => key_json(k, depth + 1, budget, widths)?.to_string(),
                };
                let mark = budget.types.enter_key(&key);
                let value = to_json(v, depth + 1, budget, widths);
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

/// A map key that is not text, as JSON (its own type is not a field's: not recorded,
/// but its integers' widths are used up, to keep the values' in step).
fn key_json(
    k: &Mp,
    depth: usize,
    budget: &mut Budget,
    widths: &mut impl Iterator<Item = &'static str>,
) -> Result<Value, DecodeError> {
    let types = std::mem::take(&mut budget.types);
    let value = to_json(k, depth, budget, widths);
    budget.types = types;
    value
}
