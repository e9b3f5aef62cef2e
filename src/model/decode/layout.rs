//! C struct layouts as a user writes them: `f32le temperature; u16le humidity;
//! u8[6] mac; i8 rssi; pad 2; bool on; char[8] name`. Fields are separated by `;` or
//! line breaks; types are u8/i8/u16/i16/u32/i32/u64/i64/f32/f64 with an optional `le`
//! or `be` suffix (little-endian by default, as the ESP32), `bool`, and `char[n]` for
//! text; `T[n] name` or `T name[n]` is an array; `pad N` skips N bytes. The C names
//! (`uint16_t`, `float`, `double`…) are accepted too. Packed: no implicit alignment.

use serde::{Deserialize, Serialize};

/// The largest layout accepted, in bytes (a typo like `u8[100000000]` is refused).
pub const MAX_LAYOUT_BYTES: usize = 1024 * 1024;

/// A machine type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
    /// One byte, 0 is false.
    Bool,
    /// One byte of text; a `char[n]` array is a NUL-padded string.
    Char,
}

impl Scalar {
    pub fn size_bytes(self) -> usize {
        match self {
            Self::U8 | Self::I8 | Self::Bool | Self::Char => 1,
            Self::U16 | Self::I16 => 2,
            Self::U32 | Self::I32 | Self::F32 => 4,
            Self::U64 | Self::I64 | Self::F64 => 8,
        }
    }

    /// Reads `u16le`, `f32be`, `bool`, `uint32_t`…; the bool is "big-endian".
    fn parse(word: &str) -> Option<(Scalar, bool)> {
        let lower = word.to_ascii_lowercase();
        // The whole word first: `double` ends in "le" without being little-endian.
        if let Some(scalar) = Self::named(&lower) {
            return Some((scalar, false));
        }
        if let Some(base) = lower.strip_suffix("le") {
            return Self::named(base).map(|s| (s, false));
        }
        lower.strip_suffix("be").and_then(Self::named).map(|s| (s, true))
    }

    fn named(base: &str) -> Option<Scalar> {
        Some(match base {
            "u8" | "uint8_t" | "uint8" | "byte" => Self::U8,
            "i8" | "int8_t" | "int8" => Self::I8,
            "u16" | "uint16_t" | "uint16" => Self::U16,
            "i16" | "int16_t" | "int16" => Self::I16,
            "u32" | "uint32_t" | "uint32" => Self::U32,
            "i32" | "int32_t" | "int32" => Self::I32,
            "u64" | "uint64_t" | "uint64" => Self::U64,
            "i64" | "int64_t" | "int64" => Self::I64,
            "f32" | "float" => Self::F32,
            "f64" | "double" => Self::F64,
            "bool" => Self::Bool,
            "char" => Self::Char,
            _ => return None,
        })
    }
}

/// One field's type: a scalar, its byte order, and how many (`None`: not an array).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldType {
    pub scalar: Scalar,
    pub big_endian: bool,
    pub count: Option<usize>,
}

impl FieldType {
    pub fn size_bytes(&self) -> usize {
        self.scalar.size_bytes() * self.count.unwrap_or(1)
    }
}

/// One entry of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LayoutField {
    /// A named value.
    Value { name: String, ty: FieldType },
    /// Bytes skipped.
    Pad(usize),
}

/// A parsed layout; saved as the text the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StructLayout {
    source: String,
    fields: Vec<LayoutField>,
    size_bytes: usize,
}

/// What is wrong with a layout; fields are counted from 1 and quoted as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("{}", crate::tr!("dec-layout-empty"))]
    Empty,
    #[error("{}", crate::tr!("dec-layout-unknown-type", field = *.field, text = .text.as_str(), ty = .ty.as_str()))]
    UnknownType { field: u64, text: String, ty: String },
    #[error("{}", crate::tr!("dec-layout-bad-count", field = *.field, text = .text.as_str()))]
    BadCount { field: u64, text: String },
    #[error("{}", crate::tr!("dec-layout-missing-name", field = *.field, text = .text.as_str()))]
    MissingName { field: u64, text: String },
    #[error("{}", crate::tr!("dec-layout-extra-words", field = *.field, text = .text.as_str()))]
    ExtraWords { field: u64, text: String },
    #[error("{}", crate::tr!("dec-layout-duplicate", field = *.field, name = .name.as_str()))]
    DuplicateName { field: u64, name: String },
    #[error("{}", crate::tr!("dec-layout-char-length", field = *.field, text = .text.as_str()))]
    CharNeedsLength { field: u64, text: String },
    #[error("{}", crate::tr!("dec-layout-too-large", field = *.field, text = .text.as_str(), max = MAX_LAYOUT_BYTES as u64))]
    TooLarge { field: u64, text: String },
}

impl StructLayout {
    /// Parses a layout description.
    pub fn parse(source: &str) -> Result<Self, LayoutError> {
        let mut fields = Vec::new();
        let mut size_bytes = 0usize;
        let parts = source.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty());
        for (i, text) in parts.enumerate() {
            let number = i as u64 + 1;
            let field = parse_field(number, text)?;
            if let LayoutField::Value { name, .. } = &field {
                let taken = fields
                    .iter()
                    .any(|f| matches!(f, LayoutField::Value { name: other, .. } if other == name));
                if taken {
                    return Err(LayoutError::DuplicateName {
                        field: number,
                        name: name.clone(),
                    });
                }
            }
            let field_bytes = match &field {
                LayoutField::Value { ty, .. } => ty.size_bytes(),
                LayoutField::Pad(n) => *n,
            };
            size_bytes = size_bytes
                .checked_add(field_bytes)
                .filter(|&total| total <= MAX_LAYOUT_BYTES)
                .ok_or_else(|| LayoutError::TooLarge {
                    field: number,
                    text: text.to_owned(),
                })?;
            fields.push(field);
        }
        if fields.is_empty() {
            return Err(LayoutError::Empty);
        }
        Ok(Self {
            source: source.trim().to_owned(),
            fields,
            size_bytes,
        })
    }

    /// The text the layout was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn fields(&self) -> &[LayoutField] {
        &self.fields
    }

    /// The payload size this layout reads, padding included.
    pub fn size_bytes(&self) -> usize {
        self.size_bytes
    }
}

impl TryFrom<String> for StructLayout {
    type Error = LayoutError;
    fn try_from(source: String) -> Result<Self, LayoutError> {
        Self::parse(&source)
    }
}

impl From<StructLayout> for String {
    fn from(layout: StructLayout) -> String {
        layout.source
    }
}

/// Splits `word[n]` into `word` and n; `Ok(None)` without brackets.
fn split_count(number: u64, text: &str, word: &str) -> Result<(String, Option<usize>), LayoutError> {
    let bad = || LayoutError::BadCount {
        field: number,
        text: text.to_owned(),
    };
    match word.split_once('[') {
        None if word.contains(']') => Err(bad()),
        None => Ok((word.to_owned(), None)),
        Some((base, rest)) => {
            let digits = rest.strip_suffix(']').ok_or_else(bad)?;
            let count: usize = digits.trim().parse().map_err(|_| bad())?;
            if count == 0 || count > MAX_LAYOUT_BYTES {
                return Err(bad());
            }
            Ok((base.to_owned(), Some(count)))
        }
    }
}

fn parse_field(number: u64, text: &str) -> Result<LayoutField, LayoutError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words[0].eq_ignore_ascii_case("pad") {
        return match words.as_slice() {
            [_, n] => match n.parse::<usize>() {
                Ok(n) if n > 0 && n <= MAX_LAYOUT_BYTES => Ok(LayoutField::Pad(n)),
                _ => Err(LayoutError::BadCount {
                    field: number,
                    text: text.to_owned(),
                }),
            },
            [_] => Err(LayoutError::BadCount {
                field: number,
                text: text.to_owned(),
            }),
            _ => Err(LayoutError::ExtraWords {
                field: number,
                text: text.to_owned(),
            }),
        };
    }
    let (type_word, type_count) = split_count(number, text, words[0])?;
    let (scalar, big_endian) = Scalar::parse(&type_word).ok_or_else(|| LayoutError::UnknownType {
        field: number,
        text: text.to_owned(),
        ty: type_word.clone(),
    })?;
    let name_word = match words.as_slice() {
        [_] => {
            return Err(LayoutError::MissingName {
                field: number,
                text: text.to_owned(),
            });
        }
        [_, name] => *name,
        _ => {
            return Err(LayoutError::ExtraWords {
                field: number,
                text: text.to_owned(),
            });
        }
    };
    let (name, name_count) = split_count(number, text, name_word)?;
    let count = match (type_count, name_count) {
        (Some(_), Some(_)) => {
            return Err(LayoutError::BadCount {
                field: number,
                text: text.to_owned(),
            });
        }
        (a, b) => a.or(b),
    };
    if name.is_empty() {
        return Err(LayoutError::MissingName {
            field: number,
            text: text.to_owned(),
        });
    }
    if scalar == Scalar::Char && count.is_none() {
        return Err(LayoutError::CharNeedsLength {
            field: number,
            text: text.to_owned(),
        });
    }
    Ok(LayoutField::Value {
        name,
        ty: FieldType {
            scalar,
            big_endian,
            count,
        },
    })
}
