//! `sub --encoding`: the payload text encodings by the names people type.

use clap::ValueEnum;

use crate::model::TextEncoding;

/// A payload text encoding on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 (the default).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030, which also reads GBK and GB2312.
    #[value(name = "gbk", alias = "gb18030", alias = "gb2312", alias = "cp936")]
    Gbk,
    /// Shift_JIS.
    #[value(name = "shift-jis", alias = "shift_jis", alias = "sjis", alias = "cp932")]
    ShiftJis,
    /// Windows-1251 (Cyrillic).
    #[value(name = "windows-1251", alias = "cp1251")]
    Windows1251,
    /// ISO-8859-1: each byte is the code point of the same number.
    #[value(name = "latin1", alias = "latin-1", alias = "iso-8859-1")]
    Latin1,
}

impl From<EncodingArg> for TextEncoding {
    fn from(arg: EncodingArg) -> Self {
        match arg {
            EncodingArg::Utf8 => Self::Utf8,
            EncodingArg::Gbk => Self::Gb18030,
            EncodingArg::ShiftJis => Self::ShiftJis,
            EncodingArg::Windows1251 => Self::Windows1251,
            EncodingArg::Latin1 => Self::Latin1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_has_a_name_and_the_aliases_parse() {
        for enc in TextEncoding::ALL {
            assert!(
                EncodingArg::value_variants()
                    .iter()
                    .any(|a| TextEncoding::from(*a) == enc),
                "{enc:?}"
            );
        }
        for (name, enc) in [
            ("gbk", TextEncoding::Gb18030),
            ("GB2312", TextEncoding::Gb18030),
            ("sjis", TextEncoding::ShiftJis),
            ("iso-8859-1", TextEncoding::Latin1),
        ] {
            let arg = EncodingArg::from_str(name, true).unwrap();
            assert_eq!(TextEncoding::from(arg), enc, "{name}");
        }
        assert!(EncodingArg::from_str("ebcdic", true).is_err());
    }
}
