//! `sub --decode`: a decoder by the name people type: `auto`, `none`, `msgpack`, `cbor`,
//! `base64`, `gzip` (or `zlib`), `sparkplug`, `proto:FILE:Message`, or
//! `struct:'f32le temperature; u16le humidity'`.

use crate::model::{DecodeChoice, Decoder, StructLayout};

/// Parses a `--decode` value (clap's value parser).
pub fn parse_decode(text: &str) -> Result<DecodeChoice, String> {
    let trimmed = text.trim();
    if let Some(layout) = trimmed
        .strip_prefix("struct:")
        .or_else(|| trimmed.strip_prefix("STRUCT:"))
    {
        return StructLayout::parse(layout)
            .map(|l| DecodeChoice::With(Decoder::Struct(l)))
            .map_err(|e| e.to_string());
    }
    if let Some(rest) = trimmed.strip_prefix("proto:") {
        // The message name is after the LAST colon: a Windows path has one of its own.
        let (file, message) = rest
            .rsplit_once(':')
            .filter(|(f, m)| !f.is_empty() && !m.trim().is_empty())
            .ok_or_else(|| crate::tr!("proto-err-cli"))?;
        return Ok(DecodeChoice::With(Decoder::Proto {
            file: file.into(),
            message: message.trim().to_owned(),
        }));
    }
    Ok(match trimmed.to_ascii_lowercase().as_str() {
        "auto" => DecodeChoice::Auto,
        "none" | "raw" => DecodeChoice::Raw,
        "msgpack" | "messagepack" | "mp" => DecodeChoice::With(Decoder::MessagePack),
        "cbor" => DecodeChoice::With(Decoder::Cbor),
        "base64" | "b64" => DecodeChoice::With(Decoder::Base64),
        "gzip" | "zlib" | "deflate" => DecodeChoice::With(Decoder::Gzip),
        "sparkplug" | "sparkplugb" | "spb" => DecodeChoice::With(Decoder::Sparkplug),
        _ => return Err(crate::tr!("dec-cli-unknown", value = trimmed)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_layouts_parse() {
        assert_eq!(parse_decode("auto"), Ok(DecodeChoice::Auto));
        assert_eq!(parse_decode("MsgPack"), Ok(DecodeChoice::With(Decoder::MessagePack)));
        assert_eq!(parse_decode("zlib"), Ok(DecodeChoice::With(Decoder::Gzip)));
        assert_eq!(parse_decode("none"), Ok(DecodeChoice::Raw));
        let layout = StructLayout::parse("f32le t; u16le h").unwrap();
        assert_eq!(
            parse_decode("struct:f32le t; u16le h"),
            Ok(DecodeChoice::With(Decoder::Struct(layout)))
        );
        let err = parse_decode("struct:f32le t; q16 h").unwrap_err();
        assert!(err.contains("field 2") && err.contains("q16"), "{err}");
        let err = parse_decode("protobuf").unwrap_err();
        assert!(err.contains("protobuf") && err.contains("struct:"), "{err}");
        assert_eq!(
            parse_decode("proto:C:\\s\\a.proto:pkg.Reading"),
            Ok(DecodeChoice::With(Decoder::Proto {
                file: "C:\\s\\a.proto".into(),
                message: "pkg.Reading".into()
            }))
        );
        assert_eq!(parse_decode("sparkplug"), Ok(DecodeChoice::With(Decoder::Sparkplug)));
        assert!(parse_decode("proto:a.proto").unwrap_err().contains("proto:"));
    }

    /// The message for an unknown name lists every form the parser accepts, and each
    /// form it lists does parse (with its placeholders filled in).
    #[test]
    fn unknown_names_every_accepted_form() {
        let err = parse_decode("protobuf").unwrap_err();
        let forms = [
            ("auto", "auto"),
            ("none", "none"),
            ("msgpack", "msgpack"),
            ("cbor", "cbor"),
            ("base64", "base64"),
            ("gzip", "gzip"),
            ("sparkplug", "sparkplug"),
            ("proto:FILE:Message", "proto:reading.proto:pkg.Reading"),
            (
                "struct:'f32le temperature; u16le humidity'",
                "struct:f32le temperature; u16le humidity",
            ),
        ];
        for (listed, typed) in forms {
            assert!(err.contains(listed), "{listed} missing from: {err}");
            assert!(parse_decode(typed).is_ok(), "{typed} is listed but does not parse");
        }
        // The example in the message is itself accepted.
        assert!(err.contains("proto:reading.proto:pkg.Reading"), "{err}");
    }
}
