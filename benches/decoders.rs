//! Decode cost per message: each decoder on a typical ESP32 sensor payload (the same
//! fields in every format), against parsing the same reading as JSON, plus what "Auto"
//! detection costs on a JSON payload (which it must leave alone) and on MessagePack.
//! Run with `cargo bench --bench decoders`; figures in BENCHMARKS.md.

use std::hint::black_box;
use std::io::Write as _;

use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use topicscope::model::decode::detect;
use topicscope::model::series::{Extractor, SeriesSpec};
use topicscope::model::{Decoder, JsonPath, StoredMessage, StructLayout};

const JSON: &str = r#"{"temperature":21.5,"humidity":48,"rssi":-67,"relay":true,"uptime":86400,"mac":"246f28a1b2c3"}"#;
const LAYOUT: &str =
    "f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 1; bool relay; u32le uptime; char[8] name";

fn samples() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let value: serde_json::Value = serde_json::from_str(JSON).unwrap();
    let map = rmpv::Value::Map(vec![
        ("temperature".into(), rmpv::Value::F32(21.5)),
        ("humidity".into(), 48.into()),
        ("rssi".into(), (-67).into()),
        ("relay".into(), true.into()),
        ("uptime".into(), 86_400.into()),
        (
            "mac".into(),
            rmpv::Value::Binary(vec![0x24, 0x6f, 0x28, 0xa1, 0xb2, 0xc3]),
        ),
    ]);
    let mut msgpack = Vec::new();
    rmpv::encode::write_value(&mut msgpack, &map).unwrap();
    let mut cbor = Vec::new();
    ciborium::ser::into_writer(&value, &mut cbor).unwrap();
    let mut packed = 21.5f32.to_le_bytes().to_vec();
    packed.extend(48u16.to_le_bytes());
    packed.extend([0x24, 0x6f, 0x28, 0xa1, 0xb2, 0xc3, (-67i8) as u8, 0, 1]);
    packed.extend(86_400u32.to_le_bytes());
    packed.extend(*b"garage\0\0");
    (msgpack, cbor, packed)
}

fn decoders(c: &mut Criterion) {
    let (msgpack, cbor, packed) = samples();
    let layout = Decoder::Struct(StructLayout::parse(LAYOUT).unwrap());
    let b64 = base64::engine::general_purpose::STANDARD.encode(JSON).into_bytes();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(JSON.as_bytes()).unwrap();
    let gzip = gz.finish().unwrap();

    c.bench_function("JSON reference: serde_json parse", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(JSON.as_bytes())).unwrap())
    });
    for (name, decoder, bytes) in [
        ("MessagePack", Decoder::MessagePack, &msgpack),
        ("CBOR", Decoder::Cbor, &cbor),
        ("C struct (27 bytes)", layout.clone(), &packed),
        ("base64 around JSON", Decoder::Base64, &b64),
        ("gzip around JSON", Decoder::Gzip, &gzip),
    ] {
        c.bench_function(&format!("decode {name}"), |b| {
            b.iter(|| decoder.decode(black_box(bytes)).unwrap())
        });
    }
    c.bench_function("parse the struct layout", |b| {
        b.iter(|| StructLayout::parse(black_box(LAYOUT)).unwrap())
    });
    c.bench_function("detect: JSON payload (left alone)", |b| {
        b.iter(|| assert!(detect("t", black_box(JSON.as_bytes())).is_none()))
    });
    c.bench_function("detect: MessagePack payload", |b| {
        b.iter(|| assert!(detect("t", black_box(&msgpack)).is_some()))
    });
    c.bench_function("detect: 27-byte struct (not detected)", |b| {
        b.iter(|| assert!(detect("t", black_box(&packed)).is_none()))
    });

    // What a chart pays per message: decode, then read one field.
    let path = JsonPath::default().key("temperature");
    let stored = |bytes: &[u8]| StoredMessage::new(bytes.to_vec(), 0, false, std::time::UNIX_EPOCH, None);
    let json_msg = stored(JSON.as_bytes());
    let struct_msg = stored(&packed);
    let json_series = SeriesSpec {
        topic: "t".into(),
        extractor: Extractor::Json(path.clone()),
        connection: None,
    };
    let struct_series = SeriesSpec {
        topic: "t".into(),
        extractor: Extractor::Decoded { decoder: layout, path },
        connection: None,
    };
    c.bench_function("plot point: JSON field", |b| {
        b.iter(|| json_series.extract(black_box(&json_msg)).unwrap())
    });
    c.bench_function("plot point: struct field", |b| {
        b.iter(|| struct_series.extract(black_box(&struct_msg)).unwrap())
    });
}

criterion_group!(benches, decoders);
criterion_main!(benches);
