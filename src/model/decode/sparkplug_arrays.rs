//! Sparkplug B array datatypes (3.0, "Array Types"): they travel in the metric's
//! `bytes_value`, packed little-endian: Int8Array … DoubleArray and DateTimeArray
//! (milliseconds as unsigned 64-bit) element after element; BooleanArray as a 4-byte
//! count followed by the bits, first value in the high bit of the first byte;
//! StringArray as UTF-8 strings each ended by a NUL. Read into a JSON array, so a
//! FloatArray's third value plots as `metrics.Samples[2]`. Bytes that do not fit the
//! datatype (a length not a multiple of the element, a count past the bits sent,
//! invalid UTF-8) give `None`, and the caller shows them as hex rather than guessing.

use serde_json::Value;

use super::{f32_value, float_value};

/// Most elements read from one array: a hostile 16 MB UInt8Array stays hex instead of
/// becoming 16 million JSON values.
pub const MAX_ELEMENTS: usize = 65_536;

/// True for the datatypes 22 (Int8Array) to 34 (DateTimeArray).
pub fn is_array(datatype: u64) -> bool {
    (22..=34).contains(&datatype)
}

/// The array in `bytes` read as `datatype`; `None` when it is not an array datatype or
/// the bytes do not fit it.
pub fn array_value(bytes: &[u8], datatype: u64) -> Option<Value> {
    match datatype {
        22 => fixed::<1>(bytes, |b| Value::from(i8::from_le_bytes(b))),
        23 => fixed::<2>(bytes, |b| Value::from(i16::from_le_bytes(b))),
        24 => fixed::<4>(bytes, |b| Value::from(i32::from_le_bytes(b))),
        25 => fixed::<8>(bytes, |b| Value::from(i64::from_le_bytes(b))),
        26 => fixed::<1>(bytes, |b| Value::from(b[0])),
        27 => fixed::<2>(bytes, |b| Value::from(u16::from_le_bytes(b))),
        28 => fixed::<4>(bytes, |b| Value::from(u32::from_le_bytes(b))),
        29 | 34 => fixed::<8>(bytes, |b| Value::from(u64::from_le_bytes(b))),
        30 => fixed::<4>(bytes, |b| f32_value(f32::from_le_bytes(b))),
        31 => fixed::<8>(bytes, |b| float_value(f64::from_le_bytes(b))),
        32 => booleans(bytes),
        33 => strings(bytes),
        _ => None,
    }
}

/// Elements of `N` bytes each.
fn fixed<const N: usize>(bytes: &[u8], element: impl Fn([u8; N]) -> Value) -> Option<Value> {
    if !bytes.len().is_multiple_of(N) || bytes.len() / N > MAX_ELEMENTS {
        return None;
    }
    let items = bytes
        .chunks_exact(N)
        .map(|c| {
            let mut b = [0u8; N];
            b.copy_from_slice(c);
            element(b)
        })
        .collect();
    Some(Value::Array(items))
}

/// A little-endian u32 count, then the bits, most significant first.
fn booleans(bytes: &[u8]) -> Option<Value> {
    let (count, bits) = bytes.split_first_chunk::<4>()?;
    let count = usize::try_from(u32::from_le_bytes(*count)).ok()?;
    if count > MAX_ELEMENTS || count > bits.len() * 8 || bits.len() > count.div_ceil(8) {
        return None;
    }
    let items = (0..count)
        .map(|i| Value::Bool(bits[i / 8] & (0x80 >> (i % 8)) != 0))
        .collect();
    Some(Value::Array(items))
}

/// UTF-8 strings, each ended by a NUL (so the last byte is a NUL, or nothing was sent).
fn strings(bytes: &[u8]) -> Option<Value> {
    let body = match bytes.split_last() {
        None => return Some(Value::Array(Vec::new())),
        Some((0, body)) => body,
        Some(_) => return None,
    };
    let mut items = Vec::new();
    for part in body.split(|&b| b == 0) {
        if items.len() >= MAX_ELEMENTS {
            return None;
        }
        items.push(Value::String(std::str::from_utf8(part).ok()?.to_owned()));
    }
    Some(Value::Array(items))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The examples of the specification's "Array Types" section, byte for byte.
    #[test]
    fn the_specifications_examples_read_back() {
        // The specification prints [-23, 123] → [0xEF, 0x7B]; 0xEF is -17 (-23 is 0xE9),
        // so its bytes are taken as the example, with the value they do hold.
        assert_eq!(array_value(&[0xEF, 0x7B], 22), Some(json!([-17, 123])));
        assert_eq!(array_value(&[0xE9, 0x7B], 22), Some(json!([-23, 123])));
        assert_eq!(
            array_value(&[0x15, 0xCD, 0x5B, 0x07, 0xB1, 0x68, 0xDE, 0x3A], 24),
            Some(json!([123_456_789, 987_654_321]))
        );
        assert_eq!(
            array_value(&[0x0C, 0x00, 0x00, 0x00, 0x34, 0xD0], 32),
            Some(json!([
                false, false, true, true, false, true, false, false, true, true, false, true
            ]))
        );
        assert_eq!(array_value(b"ABC\0hello\0", 33), Some(json!(["ABC", "hello"])));
    }

    #[test]
    fn every_width_and_sign_is_read_little_endian() {
        assert_eq!(array_value(&(-2i16).to_le_bytes(), 23), Some(json!([-2])));
        assert_eq!(array_value(&(-3i64).to_le_bytes(), 25), Some(json!([-3])));
        assert_eq!(array_value(&[0xFF, 0x01], 26), Some(json!([255, 1])));
        assert_eq!(array_value(&0xBEEFu16.to_le_bytes(), 27), Some(json!([0xBEEF])));
        assert_eq!(array_value(&u32::MAX.to_le_bytes(), 28), Some(json!([u32::MAX])));
        assert_eq!(array_value(&u64::MAX.to_le_bytes(), 29), Some(json!([u64::MAX])));
        let floats: Vec<u8> = [21.5f32, -0.25].iter().flat_map(|f| f.to_le_bytes()).collect();
        assert_eq!(array_value(&floats, 30), Some(json!([21.5, -0.25])));
        assert_eq!(array_value(&1.0e-28f64.to_le_bytes(), 31), Some(json!([1.0e-28])));
        let when = 1_700_000_000_000u64;
        assert_eq!(array_value(&when.to_le_bytes(), 34), Some(json!([when])));
        assert_eq!(array_value(&[], 30), Some(json!([])));
        assert_eq!(array_value(&[], 33), Some(json!([])));
        assert_eq!(
            array_value("温度\0湿度\0".as_bytes(), 33),
            Some(json!(["温度", "湿度"]))
        );
    }

    #[test]
    fn bytes_that_do_not_fit_the_datatype_are_refused_not_guessed() {
        assert_eq!(array_value(&[1, 2, 3], 24), None, "3 bytes are no Int32Array");
        assert_eq!(array_value(&[1, 2, 3], 31), None);
        assert_eq!(array_value(&[9, 0, 0, 0, 0xFF], 32), None, "9 booleans in 8 bits");
        assert_eq!(array_value(&[1, 0, 0], 32), None, "no count");
        assert_eq!(array_value(&[1, 0, 0, 0, 0x80, 0x00], 32), None, "bytes past the count");
        assert_eq!(array_value(b"no end", 33), None, "a string without its NUL");
        assert_eq!(array_value(&[0xFF, 0], 33), None, "not UTF-8");
        assert_eq!(array_value(&[1, 2], 17), None, "Bytes is no array");
        assert_eq!(array_value(&vec![0; MAX_ELEMENTS + 1], 26), None, "too many to show");
        let huge = [0xFF, 0xFF, 0xFF, 0xFF, 0];
        assert_eq!(array_value(&huge, 32), None, "a declared count beyond the bytes");
        assert!((22..=34).all(is_array) && !is_array(17) && !is_array(35));
    }
}
