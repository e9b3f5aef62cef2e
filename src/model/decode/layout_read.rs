//! Reading a payload with a [`StructLayout`]: a JSON object with one member per named
//! field, in layout order. The payload must be exactly the layout's size: a shorter or
//! longer one means the layout is not this firmware's, and guessing would plot garbage.

use serde_json::{Map, Value};

use super::layout::{FieldType, LayoutField, Scalar, StructLayout};
use super::{DecodeError, MAX_NODES, TypeSink, f32_value, float_value};

/// Decodes `bytes` with `layout`.
pub(super) fn decode(layout: &StructLayout, bytes: &[u8], types: &mut TypeSink) -> Result<Value, DecodeError> {
    if bytes.len() != layout.size_bytes() {
        return Err(DecodeError::SizeMismatch {
            expected_bytes: layout.size_bytes() as u64,
            actual_bytes: bytes.len() as u64,
        });
    }
    let mut map = Map::new();
    let mut offset = 0;
    let mut nodes = 0usize;
    for field in layout.fields() {
        match field {
            LayoutField::Pad(n) => offset += n,
            LayoutField::Value { name, ty } => {
                let end = offset + ty.size_bytes();
                nodes += ty.count.unwrap_or(1);
                if nodes > MAX_NODES {
                    return Err(DecodeError::TooLarge);
                }
                if types.is_on() {
                    let mark = types.enter_key(name);
                    types.note(&type_name(ty));
                    types.leave(mark);
                }
                map.insert(name.clone(), field_value(ty, &bytes[offset..end]));
                offset = end;
            }
        }
    }
    Ok(Value::Object(map))
}

/// The field's type as C programmers read it, without its byte order: `u16`, `f32`,
/// `u8[6]`, `char[8]`.
fn type_name(ty: &FieldType) -> String {
    let scalar = match ty.scalar {
        Scalar::U8 => "u8",
        Scalar::I8 => "i8",
        Scalar::U16 => "u16",
        Scalar::I16 => "i16",
        Scalar::U32 => "u32",
        Scalar::I32 => "i32",
        Scalar::U64 => "u64",
        Scalar::I64 => "i64",
        Scalar::F32 => "f32",
        Scalar::F64 => "f64",
        Scalar::Bool => "bool",
        Scalar::Char => "char",
    };
    match ty.count {
        Some(n) => format!("{scalar}[{n}]"),
        None => scalar.to_owned(),
    }
}

/// One field's value from exactly its bytes.
fn field_value(ty: &FieldType, bytes: &[u8]) -> Value {
    match (ty.scalar, ty.count) {
        (Scalar::Char, _) => {
            // NUL-padded, as C fills a char array; bytes after the first NUL are padding.
            let text = bytes.split(|&b| b == 0).next().unwrap_or_default();
            Value::String(crate::model::escape_non_utf8(text))
        }
        (scalar, None) => scalar_value(scalar, ty.big_endian, bytes),
        (scalar, Some(_)) => Value::Array(
            bytes
                .chunks_exact(scalar.size_bytes())
                .map(|item| scalar_value(scalar, ty.big_endian, item))
                .collect(),
        ),
    }
}

/// A number from exactly `N` bytes in the field's byte order.
fn array<const N: usize>(bytes: &[u8], big_endian: bool) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&bytes[..N]);
    if big_endian {
        a.reverse();
    }
    a
}

fn scalar_value(scalar: Scalar, be: bool, b: &[u8]) -> Value {
    match scalar {
        Scalar::U8 => Value::from(b[0]),
        Scalar::I8 => Value::from(b[0] as i8),
        Scalar::Bool => Value::Bool(b[0] != 0),
        Scalar::Char => Value::String(crate::model::escape_non_utf8(&b[..1])),
        Scalar::U16 => Value::from(u16::from_le_bytes(array(b, be))),
        Scalar::I16 => Value::from(i16::from_le_bytes(array(b, be))),
        Scalar::U32 => Value::from(u32::from_le_bytes(array(b, be))),
        Scalar::I32 => Value::from(i32::from_le_bytes(array(b, be))),
        Scalar::U64 => Value::from(u64::from_le_bytes(array(b, be))),
        Scalar::I64 => Value::from(i64::from_le_bytes(array(b, be))),
        Scalar::F32 => f32_value(f32::from_le_bytes(array(b, be))),
        Scalar::F64 => float_value(f64::from_le_bytes(array(b, be))),
    }
}
