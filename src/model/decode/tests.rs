//! Decoders on samples made by the reference encoders (Python's `msgpack`, `cbor2`,
//! `struct`, `gzip`, `zlib`, `base64`, run by the test), detection on the shared corpus,
//! and hostile input.

use std::io::Write as _;
use std::process::Command;

use serde_json::{Value, json};

use super::*;
use crate::model::test_corpus::corpus;

/// The bytes a Python expression evaluates to. The modules must be installed (.ci/run
/// does it): a missing one fails the test rather than skipping it.
fn py(imports: &str, expr: &str) -> Vec<u8> {
    let code = format!("import sys, {imports}\nsys.stdout.write(({expr}).hex())");
    let out = Command::new("python3")
        .args(["-c", &code])
        .output()
        .expect("python3 runs (install python3 and `pip install msgpack cbor2`)");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hex = String::from_utf8(out.stdout).unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

const SENSOR_PY: &str = r#"{"temperature": 21.5, "humidity": 48, "ok": True, "rssi": -67, "mac": b"\x24\x6f\x28\xa1\xb2\xc3", "readings": [1, -2, 3.25], "big": 2**64 - 1, "min": -2**63, "none": None, "名": "客厅"}"#;

fn sensor_json() -> Value {
    json!({"temperature": 21.5, "humidity": 48, "ok": true, "rssi": -67, "mac": {"hex": "246f28a1b2c3"},
           "readings": [1, -2, 3.25], "big": u64::MAX, "min": i64::MIN, "none": null, "名": "客厅"})
}

#[test]
fn messagepack_from_the_reference_encoder() {
    let bytes = py("msgpack", &format!("msgpack.packb({SENSOR_PY})"));
    assert_eq!(Decoder::MessagePack.decode(&bytes).unwrap(), sensor_json());
    assert_eq!(detect("t", &bytes), Some(Decoder::MessagePack));
    // Single floats show as the sender wrote them, not widened (0.1, not 0.10000000149011612).
    let single = py(
        "msgpack",
        r#"msgpack.packb({"t": 0.1, "p": 1013.25}, use_single_float=True)"#,
    );
    let v = Decoder::MessagePack.decode(&single).unwrap();
    assert_eq!(v.to_string(), r#"{"t":0.1,"p":1013.25}"#);
    // Ext types keep their type number.
    let ext = py("msgpack", r#"msgpack.packb([msgpack.ExtType(5, b"\x01\x02")])"#);
    assert_eq!(
        Decoder::MessagePack.decode(&ext).unwrap(),
        json!([{"hex": "0102", "ext": 5}])
    );
}

#[test]
fn cbor_from_the_reference_encoder() {
    let bytes = py("cbor2", &format!("cbor2.dumps({SENSOR_PY})"));
    assert_eq!(Decoder::Cbor.decode(&bytes).unwrap(), sensor_json());
    assert_eq!(detect("t", &bytes), Some(Decoder::Cbor));
    // Canonical encoding shrinks floats to half or single precision.
    let small = py(
        "cbor2",
        r#"cbor2.dumps({"t": 21.5, "x": 0.1, "n": 1e300, 7: "seven"}, canonical=True)"#,
    );
    let v = Decoder::Cbor.decode(&small).unwrap();
    assert_eq!(v["t"], json!(21.5));
    assert_eq!(v["x"], json!(0.1));
    assert_eq!(v["n"], json!(1e300));
    assert_eq!(v["7"], json!("seven"));
    let tagged = py("cbor2, datetime", "cbor2.dumps([cbor2.CBORTag(4000, 12)])");
    assert_eq!(
        Decoder::Cbor.decode(&tagged).unwrap(),
        json!([{"tag": 4000, "value": 12}])
    );
}

#[test]
fn wrappers_show_what_they_hold() {
    let json_text = r#"{"temperature": 21.5}"#;
    let b64 = py("base64", &format!("base64.b64encode(b'{json_text}')"));
    assert_eq!(Decoder::Base64.decode(&b64).unwrap(), json!({"temperature": 21.5}));
    let url_safe = py("base64", r#"base64.urlsafe_b64encode(b"\xfb\xff\xfe").rstrip(b"=")"#);
    assert_eq!(Decoder::Base64.decode(&url_safe).unwrap(), json!({"hex": "fbfffe"}));
    let text = py("base64", r#"base64.b64encode("你好 world".encode())"#);
    assert_eq!(Decoder::Base64.decode(&text).unwrap(), json!("你好 world"));
    let gz = py("gzip", &format!("gzip.compress(b'{json_text}')"));
    assert_eq!(Decoder::Gzip.decode(&gz).unwrap(), json!({"temperature": 21.5}));
    let zl = py("zlib, msgpack", r#"zlib.compress(msgpack.packb({"a": [1, 2]}))"#);
    assert_eq!(Decoder::Gzip.decode(&zl).unwrap(), json!({"a": [1, 2]}));
    let err = Decoder::Gzip.decode(b"plain").unwrap_err().to_string();
    assert!(err.contains("gzip"), "{err}");
    assert!(Decoder::Base64.decode(b"not base64!").is_err());
}

#[test]
fn a_struct_packed_by_python_reads_field_by_field() {
    let bytes = py(
        "struct",
        r#"struct.pack("<fH6sbxx?8sdI", 21.5, 48, b"\x24\x6f\x28\xa1\xb2\xc3", -60, True, b"esp32", -1.25e-28, 0xDEADBEEF)"#,
    );
    let layout = StructLayout::parse(
        "f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 2; bool on; char[8] name; f64 tiny; u32 id",
    )
    .unwrap();
    assert_eq!(layout.size_bytes(), 4 + 2 + 6 + 1 + 2 + 1 + 8 + 8 + 4);
    let v = Decoder::Struct(layout).decode(&bytes).unwrap();
    assert_eq!(
        v.to_string(),
        r#"{"temperature":21.5,"humidity":48,"mac":[36,111,40,161,178,195],"rssi":-60,"on":true,"name":"esp32","tiny":-1.25e-28,"id":3735928559}"#
    );
    let be = py("struct", r#"struct.pack(">hfq", -12, 0.1, -5)"#);
    let layout = StructLayout::parse("i16be a\nf32be b\nint64_tbe c").unwrap();
    assert_eq!(
        Decoder::Struct(layout).decode(&be).unwrap(),
        json!({"a": -12, "b": 0.1, "c": -5})
    );
}

#[test]
fn a_payload_of_the_wrong_size_says_both_sizes() {
    let layout = StructLayout::parse("f32 t; u16 h").unwrap();
    let err = Decoder::Struct(layout).decode(&[0; 5]).unwrap_err().to_string();
    assert!(err.contains("reads 6 bytes but the payload has 5 bytes"), "{err}");
}

#[test]
fn layout_errors_name_the_field() {
    let cases = [
        ("", "no fields"),
        ("f32 t; float33 x", "field 2 (\"float33 x\"): unknown type \"float33\""),
        ("u8[x] mac", "field 1 (\"u8[x] mac\"): the count"),
        ("u8[0] mac", "the count"),
        ("pad", "field 1 (\"pad\"): the count"),
        ("u16", "field 1 (\"u16\"): the field has no name"),
        ("u16 a b", "too many words"),
        ("u8 a; i8 a", "field 2: the name \"a\" is used twice"),
        ("char name", "text needs a length"),
        ("u8[6] mac[2]", "the count"),
        ("u64[200000] x", "larger than 1,048,576 bytes"),
    ];
    for (text, expected) in cases {
        let err = StructLayout::parse(text).unwrap_err().to_string();
        assert!(err.contains(expected), "{text:?}: {err}");
    }
    // Field names in any script: Chinese firmware names its fields in Chinese.
    let chinese = StructLayout::parse("f32le 温度; u16le 湿度").unwrap();
    let v = Decoder::Struct(chinese).decode(&[0, 0, 0xac, 0x41, 48, 0]).unwrap();
    assert_eq!(v, json!({"温度": 21.5, "湿度": 48}));
    let c_style = StructLayout::parse("uint16_t h; float t; double d; int8_t r[3]; u8 mac [6]");
    assert!(c_style.is_err(), "a space before [6] is a third word");
    let c_style = StructLayout::parse("uint16_t h; float t; double d; int8_t r[3];").unwrap();
    assert_eq!(c_style.size_bytes(), 2 + 4 + 8 + 3);
}

#[test]
fn detection_never_takes_text_or_json_for_binary() {
    let mut detected = Vec::new();
    for entry in corpus() {
        if let Some(decoder) = detect(&entry.topic, &entry.payload) {
            detected.push((entry.topic.clone(), decoder));
        }
        if is_text(&entry.payload) {
            assert_eq!(detect(&entry.topic, &entry.payload), None, "{}", entry.topic);
        }
    }
    // Nothing in the corpus is CBOR or MessagePack: its binaries are raw floats, int16s,
    // invalid UTF-8, a JPEG and a PNG.
    assert_eq!(detected, [], "detected in the corpus");
    // Text that happens to parse: "12" is two CBOR/MessagePack integers, "[1]" a JSON array.
    for text in ["12", "[1, 2]", "{}", "\u{0710}\u{0710}", "ON", "21.5 °C"] {
        assert_eq!(detect("t", text.as_bytes()), None, "{text}");
    }
}

#[test]
fn detection_refuses_scalars_partial_payloads_and_ambiguity() {
    // A bare scalar proves nothing.
    assert_eq!(detect("t", &[0xfb, 0, 0, 0, 0, 0, 0, 0, 0]), None);
    // `81 18 05` is the CBOR array [5] and the MessagePack map {24: 5}: nobody can be sure.
    assert_eq!(detect("t", &[0x81, 0x18, 0x05]), None);
    assert_eq!(Decoder::Cbor.decode(&[0x81, 0x18, 0x05]).unwrap(), json!([5]));
    assert_eq!(
        Decoder::MessagePack.decode(&[0x81, 0x18, 0x05]).unwrap(),
        json!({"24": 5})
    );
    // `82 01 02` is only CBOR ([1, 2]); a MessagePack map of 2 entries needs 4 values.
    assert_eq!(detect("t", &[0x82, 0x01, 0x02]), Some(Decoder::Cbor));
    // A map followed by more bytes is not one payload.
    let mut bytes = py("msgpack", r#"msgpack.packb({"a": 1})"#);
    bytes.push(0);
    assert_eq!(detect("t", &bytes), None);
    let err = Decoder::MessagePack.decode(&bytes).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Trailing {
            format: "MessagePack".into(),
            extra_bytes: 1
        }
    );
}

#[test]
fn hostile_input_is_bounded() {
    // 10,000 nested arrays.
    let mut deep_cbor = vec![0x81; 10_000];
    deep_cbor.push(0x00);
    assert_eq!(Decoder::Cbor.decode(&deep_cbor), Err(DecodeError::TooDeep));
    let mut deep_mp = vec![0x91; 10_000];
    deep_mp.push(0x00);
    assert_eq!(Decoder::MessagePack.decode(&deep_mp), Err(DecodeError::TooDeep));
    // Exactly MAX_DEPTH levels below the root still decode.
    let mut ok = vec![0x81; MAX_DEPTH];
    ok.push(0x00);
    assert!(Decoder::Cbor.decode(&ok).is_ok());
    let mut ok = vec![0x91; MAX_DEPTH];
    ok.push(0x00);
    assert_eq!(Decoder::MessagePack.decode(&ok).err(), None);
    // Huge declared lengths with nothing behind them: an error, not a huge allocation.
    for bytes in [
        &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
        &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ] {
        assert!(Decoder::Cbor.decode(bytes).is_err());
    }
    for bytes in [
        &[0xc6, 0xff, 0xff, 0xff, 0xff][..],
        &[0xdd, 0xff, 0xff, 0xff, 0xff],
        &[0xdf, 0xff, 0xff, 0xff, 0xff],
    ] {
        assert!(Decoder::MessagePack.decode(bytes).is_err());
    }
    // A gzip bomb: 20 MiB of zeros in ~20 KiB.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 20 * 1024 * 1024]).unwrap();
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 100_000);
    assert_eq!(Decoder::Gzip.decode(&bomb), Err(DecodeError::InflatedTooLarge));
}

#[test]
fn floats_that_json_cannot_hold_are_named() {
    let layout = StructLayout::parse("f32 a; f64 b; f32be c").unwrap();
    let mut bytes = f32::NAN.to_le_bytes().to_vec();
    bytes.extend(f64::INFINITY.to_le_bytes());
    bytes.extend(f32::NEG_INFINITY.to_be_bytes());
    let v = Decoder::Struct(layout).decode(&bytes).unwrap();
    assert_eq!(v, json!({"a": "NaN", "b": "Infinity", "c": "-Infinity"}));
}

/// The typed decode gives the same value as the plain one, plus the types the format
/// knew, keyed by JSON pointer.
#[test]
fn typed_decodes_name_the_types_the_format_knew() {
    // msgpack-python writes every float at one width: t's f64 (cb 4035800000000000) is
    // rewritten as the f32 21.5 (ca 41ac0000), so one map holds both widths.
    let mp = py(
        "msgpack",
        r#"msgpack.packb({"t": 21.5, "d": 0.1, "n": -3, "s": "x", "b": b"\x01", "a/b": [True, None], "m": {}, (7, 300): 5, "w": [200, 40000, -200, 2**40, -2**40]}).replace(bytes.fromhex("cb4035800000000000"), bytes.fromhex("ca41ac0000"))"#,
    );
    let typed = Decoder::MessagePack.decode_typed(&mp).unwrap();
    assert_eq!(typed.value, Decoder::MessagePack.decode(&mp).unwrap());
    for (pointer, ty) in [
        ("", "map"),
        ("/t", "f32"),
        ("/d", "f64"),
        ("/n", "fixint"),
        ("/w/0", "u8"),
        ("/w/1", "u16"),
        ("/w/2", "i16"),
        ("/w/3", "u64"),
        ("/w/4", "i64"),
        // The key [7, 300] comes before "w" and uses up two widths: "w" still gets its own.
        ("/[7,300]", "fixint"),
        ("/s", "str"),
        ("/b", "bytes"),
        ("/a~1b", "array"),
        ("/a~1b/0", "bool"),
        ("/a~1b/1", "nil"),
        ("/m", "map"),
    ] {
        assert_eq!(typed.types.get(pointer), Some(ty), "MessagePack {pointer}");
    }

    let cb = py(
        "cbor2",
        r#"cbor2.dumps({"t": 21.5, 7: [b"\x00", cbor2.CBORTag(4000, "x")]})"#,
    );
    let typed = Decoder::Cbor.decode_typed(&cb).unwrap();
    assert_eq!(typed.types.get("/t"), Some("float"));
    assert_eq!(typed.types.get("/7"), Some("array"));
    assert_eq!(typed.types.get("/7/0"), Some("bytes"));
    assert_eq!(typed.types.get("/7/1"), Some("tag 4000"));
    assert_eq!(typed.types.get("/7/1/value"), Some("str"));

    let layout = StructLayout::parse("f32le t; u16be h; u8[6] mac; char[4] name; bool on").unwrap();
    let bytes = py(
        "struct",
        r#"struct.pack("<f", 1.5) + struct.pack(">H", 2) + bytes(6) + b"ab\0\0" + b"\x01""#,
    );
    let typed = Decoder::Struct(layout).decode_typed(&bytes).unwrap();
    for (pointer, ty) in [
        ("/t", "f32"),
        ("/h", "u16"),
        ("/mac", "u8[6]"),
        ("/name", "char[4]"),
        ("/on", "bool"),
    ] {
        assert_eq!(typed.types.get(pointer), Some(ty), "struct {pointer}");
    }

    // A wrapper passes on the types of what it held; JSON inside has none.
    let zl = py(
        "zlib, msgpack",
        r#"zlib.compress(msgpack.packb({"a": 1.5}, use_single_float=True))"#,
    );
    assert_eq!(Decoder::Gzip.decode_typed(&zl).unwrap().types.get("/a"), Some("f32"));
    let b64 = py("base64", r#"base64.b64encode(b'{"a": 1.5}')"#);
    assert!(Decoder::Base64.decode_typed(&b64).unwrap().types.is_empty());
}
