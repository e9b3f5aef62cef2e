//! `sub --encoding`: the payload text encodings by the names people type.

use clap::ValueEnum;

use crate::model::TextEncoding;

/// A payload text encoding on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    #[value(help = crate::tr!("clihelp-encoding-arg-utf8"), name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(help = crate::tr!("clihelp-encoding-arg-gbk"), name = "gbk", alias = "gb18030", alias = "gb2312", alias = "cp936")]
    Gbk,
    #[value(help = crate::tr!("clihelp-encoding-arg-shift-jis"), name = "shift-jis", alias = "shift_jis", alias = "sjis", alias = "cp932")]
    ShiftJis,
    #[value(help = crate::tr!("clihelp-encoding-arg-windows1251"), name = "windows-1251", alias = "cp1251")]
    Windows1251,
    #[value(help = crate::tr!("clihelp-encoding-arg-latin1"), name = "latin1", alias = "latin-1", alias = "iso-8859-1")]
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
