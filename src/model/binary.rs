//! Reading one number at a fixed offset of a binary payload (raw sensor frames from
//! custom firmwares: little-endian floats, big-endian int16s), so binary topics can be
//! plotted too.

use serde::{Deserialize, Serialize};

/// The machine type of a binary field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinaryKind {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl BinaryKind {
    pub const ALL: [BinaryKind; 10] = [
        Self::I8,
        Self::U8,
        Self::I16,
        Self::U16,
        Self::I32,
        Self::U32,
        Self::I64,
        Self::U64,
        Self::F32,
        Self::F64,
    ];

    /// Width of the field.
    pub fn size_bytes(self) -> usize {
        match self {
            Self::I8 | Self::U8 => 1,
            Self::I16 | Self::U16 => 2,
            Self::I32 | Self::U32 | Self::F32 => 4,
            Self::I64 | Self::U64 | Self::F64 => 8,
        }
    }

    /// Lower-case Rust-style name ("f32") for labels.
    pub fn name(self) -> &'static str {
        match self {
            Self::I8 => "i8",
            Self::U8 => "u8",
            Self::I16 => "i16",
            Self::U16 => "u16",
            Self::I32 => "i32",
            Self::U32 => "u32",
            Self::I64 => "i64",
            Self::U64 => "u64",
            Self::F32 => "f32",
            Self::F64 => "f64",
        }
    }
}

/// Where and how to read one number from a binary payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BinaryNumber {
    pub kind: BinaryKind,
    pub little_endian: bool,
    /// Byte offset of the field's first byte.
    pub offset: usize,
}

impl Default for BinaryNumber {
    /// A little-endian f32 at the start: what ESP32 sketches usually send raw.
    fn default() -> Self {
        Self {
            kind: BinaryKind::F32,
            little_endian: true,
            offset: 0,
        }
    }
}

impl BinaryNumber {
    /// The value, or `None` when the field runs past the end of the payload or is not a
    /// finite number. 64-bit integers above 2^53 lose precision as `f64`.
    pub fn read(&self, bytes: &[u8]) -> Option<f64> {
        let end = self.offset.checked_add(self.kind.size_bytes())?;
        let field = bytes.get(self.offset..end)?;
        let value = match self.kind {
            BinaryKind::I8 => f64::from(i8::from_ne_bytes(self.array(field)?)),
            BinaryKind::U8 => f64::from(field[0]),
            BinaryKind::I16 => f64::from(i16::from_ne_bytes(self.array(field)?)),
            BinaryKind::U16 => f64::from(u16::from_ne_bytes(self.array(field)?)),
            BinaryKind::I32 => f64::from(i32::from_ne_bytes(self.array(field)?)),
            BinaryKind::U32 => f64::from(u32::from_ne_bytes(self.array(field)?)),
            BinaryKind::I64 => i64::from_ne_bytes(self.array(field)?) as f64,
            BinaryKind::U64 => u64::from_ne_bytes(self.array(field)?) as f64,
            BinaryKind::F32 => f64::from(f32::from_ne_bytes(self.array(field)?)),
            BinaryKind::F64 => f64::from_ne_bytes(self.array(field)?),
        };
        value.is_finite().then_some(value)
    }

    /// The value as shown in the inspector: floats in their shortest form with an
    /// exponent when tiny or huge (`-1.3106129e-28`), integers with their hex
    /// (`-12 (0xfff4)`); `None` as for [`Self::read`], but NaN and infinities are named.
    pub fn readout(&self, bytes: &[u8]) -> Option<String> {
        use super::number_text::{f32_text, float_text, int_text};
        let end = self.offset.checked_add(self.kind.size_bytes())?;
        let field = bytes.get(self.offset..end)?;
        let width = self.kind.size_bytes();
        Some(match self.kind {
            BinaryKind::I8 => int_text(i128::from(field[0] as i8), width),
            BinaryKind::U8 => int_text(i128::from(field[0]), width),
            BinaryKind::I16 => int_text(i128::from(i16::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::U16 => int_text(i128::from(u16::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::I32 => int_text(i128::from(i32::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::U32 => int_text(i128::from(u32::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::I64 => int_text(i128::from(i64::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::U64 => int_text(i128::from(u64::from_ne_bytes(self.array(field)?)), width),
            BinaryKind::F32 => f32_text(f32::from_ne_bytes(self.array(field)?)),
            BinaryKind::F64 => float_text(f64::from_ne_bytes(self.array(field)?)),
        })
    }

    /// The field's bytes in native order, ready for `from_ne_bytes`.
    fn array<const N: usize>(&self, field: &[u8]) -> Option<[u8; N]> {
        let mut array: [u8; N] = field.try_into().ok()?;
        if self.little_endian != cfg!(target_endian = "little") {
            array.reverse();
        }
        Some(array)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_corpus::corpus;

    fn read(kind: BinaryKind, little_endian: bool, offset: usize, bytes: &[u8]) -> Option<f64> {
        BinaryNumber {
            kind,
            little_endian,
            offset,
        }
        .read(bytes)
    }

    fn corpus_bytes(topic: &str) -> Vec<u8> {
        corpus().into_iter().find(|e| e.topic == topic).unwrap().payload
    }

    #[test]
    fn reads_corpus_float32le() {
        let bytes = corpus_bytes("esp32/a1b2c3/raw/float32le");
        let values: Vec<_> = (0..5).map(|i| read(BinaryKind::F32, true, i * 4, &bytes)).collect();
        assert_eq!(values, [Some(21.5), Some(48.25), Some(1013.0), Some(-60.0), None]);
    }

    #[test]
    fn reads_corpus_int16be() {
        let bytes = corpus_bytes("esp32/a1b2c3/raw/int16be");
        let values: Vec<_> = (0..4).map(|i| read(BinaryKind::I16, false, i * 2, &bytes)).collect();
        assert_eq!(values, [Some(215.0), Some(-12.0), Some(4000.0), None]);
        assert_eq!(read(BinaryKind::U16, false, 2, &bytes), Some(65524.0));
        assert_eq!(read(BinaryKind::I16, true, 0, &bytes), Some(-10496.0));
    }

    #[test]
    fn every_kind_and_byte_order() {
        let bytes = [0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        let cases = [
            (BinaryKind::I8, -128.0, -128.0),
            (BinaryKind::U8, 128.0, 128.0),
            (BinaryKind::I16, f64::from(i16::from_le_bytes([0x80, 1])), -32767.0),
            (BinaryKind::U16, 384.0, 32769.0),
            (BinaryKind::I32, 50_462_976.0 + 128.0, -2_147_417_597.0),
            (BinaryKind::U32, 50_463_104.0, 2_147_549_699.0),
        ];
        for (kind, le, be) in cases {
            assert_eq!(read(kind, true, 0, &bytes), Some(le), "{kind:?} le");
            assert_eq!(read(kind, false, 0, &bytes), Some(be), "{kind:?} be");
        }
        assert_eq!(
            read(BinaryKind::U64, false, 1, &bytes),
            Some(0x0102_0304_0506_0708_u64 as f64)
        );
        assert_eq!(read(BinaryKind::I64, true, 1, &[0xff; 9]), Some(-1.0));
        assert_eq!(read(BinaryKind::F64, true, 0, &1.5f64.to_le_bytes()), Some(1.5));
        assert_eq!(read(BinaryKind::F64, false, 0, &1.5f64.to_be_bytes()), Some(1.5));
    }

    #[test]
    fn out_of_range_and_non_finite_are_none() {
        assert_eq!(read(BinaryKind::U8, true, 0, &[]), None);
        assert_eq!(read(BinaryKind::U32, true, 1, &[0; 4]), None);
        assert_eq!(read(BinaryKind::U8, true, usize::MAX, &[0; 4]), None);
        assert_eq!(read(BinaryKind::F32, true, 0, &f32::NAN.to_le_bytes()), None);
        assert_eq!(read(BinaryKind::F64, true, 0, &f64::INFINITY.to_le_bytes()), None);
        assert_eq!(read(BinaryKind::F32, false, 0, &f32::NEG_INFINITY.to_be_bytes()), None);
    }

    #[test]
    fn readout_is_readable() {
        let field = |kind, little_endian, offset| BinaryNumber {
            kind,
            little_endian,
            offset,
        };
        // The ugly example: a tiny f32 printed as f64 without an exponent.
        let tiny = [0x3a, 0xdb, 0x26, 0x92];
        let f32_at_0 = field(BinaryKind::F32, true, 0);
        let value = f32_at_0.read(&tiny).unwrap();
        assert_eq!(format!("{value}"), "-0.00000000000000000000000000052650581707522435");
        assert_eq!(f32_at_0.readout(&tiny).unwrap(), "-5.265058e-28");
        let bytes = corpus_bytes("esp32/a1b2c3/raw/float32le");
        assert_eq!(field(BinaryKind::F32, true, 0).readout(&bytes).unwrap(), "21.5");
        let be = corpus_bytes("esp32/a1b2c3/raw/int16be");
        assert_eq!(field(BinaryKind::I16, false, 2).readout(&be).unwrap(), "-12 (0xfff4)");
        assert_eq!(field(BinaryKind::U16, false, 0).readout(&be).unwrap(), "215 (0x00d7)");
        assert_eq!(
            field(BinaryKind::F64, true, 0)
                .readout(&f64::NAN.to_le_bytes())
                .unwrap(),
            "NaN"
        );
        assert_eq!(field(BinaryKind::U8, true, 9).readout(&be), None);
    }

    #[test]
    fn sizes_and_names() {
        let sizes: Vec<_> = BinaryKind::ALL.iter().map(|k| k.size_bytes()).collect();
        assert_eq!(sizes, [1, 1, 2, 2, 4, 4, 8, 8, 4, 8]);
        assert_eq!(BinaryKind::F32.name(), "f32");
    }
}
