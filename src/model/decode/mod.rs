//! Payload decoders: binary payloads (MessagePack, CBOR, C structs) and wrapped ones
//! (base64, gzip/zlib) become a `serde_json::Value`, so everything built for JSON (the
//! inspector's JSON view, `json_path`, the diff, the plots) works on them unchanged.
//!
//! Every decoder is bounded: nesting deeper than [`MAX_DEPTH`], more than
//! [`MAX_NODES`] values or more than [`MAX_INFLATED_BYTES`] after decompression is an
//! error in words, never a panic or an unbounded allocation.
//!
//! Protobuf with the user's `.proto` (`proto.rs`, compiled at run time by protox) and
//! Sparkplug B (`sparkplug.rs`, the embedded Tahu schema; detected by its `spBv1.0/`
//! topic namespace, which is why [`detect`] takes the topic) read into the same shape.

mod base64_dec;
mod cbor;
mod detect;
mod error;
mod gzip;
mod layout;
mod layout_read;
mod msgpack;
pub mod proto;
pub mod sparkplug;
mod sparkplug_arrays;
mod sparkplug_scan;
mod sparkplug_values;
mod types;
mod unwrap;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use detect::{detect, is_text};
pub use error::DecodeError;
pub use layout::{FieldType, LayoutError, LayoutField, Scalar, StructLayout};
pub use types::{FieldTypes, TypeSink, push_segment};

/// Deepest nesting a decoded value may have (a hostile CBOR `[[[[…]]]]` stops here).
pub const MAX_DEPTH: usize = 64;
/// Most values (scalars, arrays, maps) one decoded payload may hold.
pub const MAX_NODES: usize = 1_000_000;
/// Most bytes a gzip/zlib payload may inflate to (a zip bomb stops here).
pub const MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;

/// A way to read a payload's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decoder {
    /// MessagePack (msgpack.org), through `rmpv`.
    MessagePack,
    /// CBOR (RFC 8949), through `ciborium`.
    Cbor,
    /// Base64 text (standard or URL-safe, padded or not) around JSON, text or binary.
    Base64,
    /// gzip or zlib around JSON, text or binary.
    Gzip,
    /// A packed C struct described by the user.
    Struct(StructLayout),
    /// Protobuf: the message type `message` of the user's `.proto` file.
    Proto { file: PathBuf, message: String },
    /// Sparkplug B (its own schema). Alone it names only metrics that carry a name; the
    /// connection's [`crate::model::SparkplugRegistry`] names those sent by alias.
    Sparkplug,
}

impl Decoder {
    /// The decoders a user can pick without more input (a struct needs its layout).
    pub const SIMPLE: [Decoder; 4] = [Self::MessagePack, Self::Cbor, Self::Base64, Self::Gzip];

    /// The decoder's name as shown (format names are the same in every language).
    pub fn name(&self) -> String {
        match self {
            Self::MessagePack => "MessagePack".to_owned(),
            Self::Cbor => "CBOR".to_owned(),
            Self::Base64 => "Base64".to_owned(),
            Self::Gzip => "gzip / zlib".to_owned(),
            Self::Struct(_) => crate::tr!("dec-struct"),
            Self::Proto { message, .. } => format!("Protobuf ({message})"),
            Self::Sparkplug => "Sparkplug B".to_owned(),
        }
    }

    /// Decodes `bytes` into a JSON value.
    pub fn decode(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        self.decode_with(bytes, Budget::default()).map(|t| t.value)
    }

    /// Decodes `bytes` into a JSON value and the types the format knew of its fields.
    pub fn decode_typed(&self, bytes: &[u8]) -> Result<Typed, DecodeError> {
        self.decode_with(bytes, Budget::typed())
    }

    fn decode_with(&self, bytes: &[u8], mut budget: Budget) -> Result<Typed, DecodeError> {
        let value = match self {
            Self::MessagePack => msgpack::decode(bytes, &mut budget)?,
            Self::Cbor => cbor::decode(bytes, &mut budget)?,
            Self::Base64 => base64_dec::decode(bytes, &mut budget)?,
            Self::Gzip => gzip::decode(bytes, &mut budget)?,
            Self::Struct(layout) => layout_read::decode(layout, bytes, &mut budget.types)?,
            Self::Proto { file, message } => proto::decode(file, message, bytes, &mut budget)?,
            Self::Sparkplug => {
                let read = sparkplug::read_with(bytes, None, budget)?;
                return Ok(Typed {
                    value: read.value,
                    types: read.types,
                });
            }
        };
        Ok(Typed {
            value,
            types: budget.types.finish(),
        })
    }
}

/// A decoded value and the types of its fields, where the format said them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    pub value: Value,
    pub types: FieldTypes,
}

/// How a topic's payloads are read: as received, by detection, or with one decoder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecodeChoice {
    /// As received (text, JSON, hex); never decoded.
    Raw,
    /// Decoded only when [`detect`] is sure (CBOR or MessagePack).
    #[default]
    Auto,
    /// Always with this decoder.
    With(Decoder),
}

impl DecodeChoice {
    /// The decoder for `payload` of `topic` under this choice, if any.
    pub fn decoder_for(&self, topic: &str, payload: &[u8]) -> Option<Decoder> {
        match self {
            Self::Raw => None,
            Self::Auto => detect(topic, payload),
            Self::With(d) => Some(d.clone()),
        }
    }
}

/// Counts the values of one decoding against [`MAX_NODES`] and [`MAX_DEPTH`]; it goes
/// everywhere a decoder walks, so it also carries the walk's [`TypeSink`].
#[derive(Debug, Default)]
pub(crate) struct Budget {
    nodes: usize,
    pub(crate) types: TypeSink,
}

impl Budget {
    /// A budget that also records the types of the values.
    pub(crate) fn typed() -> Self {
        Self {
            nodes: 0,
            types: TypeSink::on(),
        }
    }

    /// Takes one value at nesting `depth`.
    pub(crate) fn take(&mut self, depth: usize) -> Result<(), DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        self.take_many(1)
    }

    /// Takes `n` values at once (the items of an array read in one piece).
    pub(crate) fn take_many(&mut self, n: usize) -> Result<(), DecodeError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(DecodeError::TooLarge);
        }
        Ok(())
    }
}

/// A JSON number for a finite float, else its name as a string (JSON has no NaN).
pub(crate) fn float_value(v: f64) -> Value {
    match serde_json::Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None if v.is_nan() => Value::String("NaN".to_owned()),
        None if v > 0.0 => Value::String("Infinity".to_owned()),
        None => Value::String("-Infinity".to_owned()),
    }
}

/// An `f32` as the f64 of its shortest decimal form, so 0.1f32 shows as 0.1 and not
/// 0.10000000149011612 (the sensor sent 0.1; the widening is an artefact).
pub(crate) fn f32_value(v: f32) -> Value {
    if !v.is_finite() {
        return float_value(f64::from(v));
    }
    let shortest: f64 = v.to_string().parse().unwrap_or(f64::from(v));
    float_value(shortest)
}

/// Raw bytes as `{"hex": "0a1b…"}`: visibly not text, and still one JSON value.
pub(crate) fn bytes_value(bytes: &[u8]) -> Value {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    serde_json::json!({ "hex": hex })
}

#[cfg(test)]
mod tests;
