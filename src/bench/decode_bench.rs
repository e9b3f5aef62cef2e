//! `topicscope bench decode`: what each payload decoder costs per message on one ESP32
//! sensor reading (the same six fields in every format), against parsing that reading
//! as JSON; what the inspector's typed decode adds; and what a Sparkplug B message costs
//! on arrival, where the model remembers births and checks sequence numbers
//! (`SparkplugRegistry::remember`, a wire scan), against the same bytes on a plain
//! topic, beside a full read with names (`observe`, what `sub --decode` pays).
//! One `key=value` line per figure; the best of five rounds, so other processes on a
//! shared machine disturb it less.

use std::hint::black_box;
use std::io::Write as _;
use std::time::Instant;

use base64::Engine as _;

use crate::model::decode::sparkplug::{self, Metric, MetricValue};
use crate::model::{Decoder, Message, Model, SparkplugRegistry, StructLayout};

const JSON: &str = r#"{"temperature":21.5,"humidity":48,"rssi":-67,"relay":true,"uptime":86400,"mac":"246f28a1b2c3"}"#;
const LAYOUT: &str = "f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 1; bool relay; u32le uptime";
const PROTO: &str = "syntax = \"proto3\";\npackage bench;\nmessage Reading {\n  float temperature = 1;\n  \
                     uint32 humidity = 2;\n  sint32 rssi = 3;\n  bool relay = 4;\n  uint32 uptime = 5;\n  \
                     bytes mac = 6;\n}\n";
const ROUNDS: usize = 5;

/// The best (lowest) mean nanoseconds per call of `f` over [`ROUNDS`] rounds of `n`.
fn ns_per_call(n: usize, mut f: impl FnMut()) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..n {
                f();
            }
            started.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// One sample: its name in the output, its decoder, its payload.
type Sample = (&'static str, Decoder, Vec<u8>);

/// The reading in every format.
fn samples(proto_file: &std::path::Path) -> Result<Vec<Sample>, String> {
    let value: serde_json::Value = serde_json::from_str(JSON).map_err(|e| e.to_string())?;
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
    rmpv::encode::write_value(&mut msgpack, &map).map_err(|e| e.to_string())?;
    let mut cbor = Vec::new();
    ciborium::ser::into_writer(&value, &mut cbor).map_err(|e| e.to_string())?;
    let mut packed = 21.5f32.to_le_bytes().to_vec();
    packed.extend(48u16.to_le_bytes());
    packed.extend([0x24, 0x6f, 0x28, 0xa1, 0xb2, 0xc3, (-67i8) as u8, 0, 1]);
    packed.extend(86_400u32.to_le_bytes());
    let layout = StructLayout::parse(LAYOUT).map_err(|e| e.to_string())?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(JSON).into_bytes();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(JSON.as_bytes()).map_err(|e| e.to_string())?;
    let gzip = gz.finish().map_err(|e| e.to_string())?;
    // Protobuf: the reading as protoc would write it (fields 1-6, in order).
    let mut proto = vec![0x0d];
    proto.extend(21.5f32.to_le_bytes());
    proto.extend([0x10, 48, 0x18, 133, 1, 0x20, 1, 0x28, 0x80, 0xa3, 0x05, 0x32, 6]);
    proto.extend([0x24, 0x6f, 0x28, 0xa1, 0xb2, 0xc3]);
    let proto_decoder = Decoder::Proto {
        file: proto_file.to_path_buf(),
        message: "bench.Reading".into(),
    };
    Ok(vec![
        ("msgpack", Decoder::MessagePack, msgpack),
        ("cbor", Decoder::Cbor, cbor),
        ("struct", Decoder::Struct(layout), packed),
        ("base64", Decoder::Base64, b64),
        ("gzip", Decoder::Gzip, gzip),
        ("proto", proto_decoder, proto),
        ("sparkplug", Decoder::Sparkplug, sparkplug_data(1)?),
    ])
}

/// The reading as one Sparkplug B metric set, by name (a BIRTH) or by alias (a DATA).
fn sparkplug_metrics(named: bool) -> Vec<Metric> {
    let values = [
        ("temperature", MetricValue::Float(21.5)),
        ("humidity", MetricValue::Int32(48)),
        ("rssi", MetricValue::Int32(-67)),
        ("relay", MetricValue::Boolean(true)),
        ("uptime", MetricValue::Int64(86_400)),
        ("mac", MetricValue::String("246f28a1b2c3".into())),
    ];
    values
        .into_iter()
        .zip(1u64..)
        .map(|((name, value), alias)| Metric {
            name: named.then(|| name.to_owned()),
            alias: Some(alias),
            value,
        })
        .collect()
}

fn sparkplug_data(seq: u64) -> Result<Vec<u8>, String> {
    sparkplug::encode(1_700_000_000_000, Some(seq), &sparkplug_metrics(false)).map_err(|e| e.to_string())
}

/// Runs the benchmark and prints its lines.
pub fn run(iterations: usize) -> Result<(), String> {
    let n = iterations.max(1);
    let dir = std::env::temp_dir().join(format!("topicscope-bench-decode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let proto_file = dir.join("reading.proto");
    std::fs::write(&proto_file, PROTO).map_err(|e| e.to_string())?;
    let result = measure(n, &proto_file);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(n: usize, proto_file: &std::path::Path) -> Result<(), String> {
    let json_ns = ns_per_call(n, || {
        black_box(serde_json::from_slice::<serde_json::Value>(black_box(JSON.as_bytes())).ok());
    });
    println!(
        "decode format=json-reference bytes={} ns/msg={json_ns:.0} vs_json=1.0",
        JSON.len()
    );
    for (name, decoder, bytes) in samples(proto_file)? {
        decoder.decode(&bytes).map_err(|e| format!("{name}: {e}"))?;
        let ns = ns_per_call(n, || {
            black_box(decoder.decode(black_box(&bytes)).ok());
        });
        let typed_ns = ns_per_call(n, || {
            black_box(decoder.decode_typed(black_box(&bytes)).ok());
        });
        println!(
            "decode format={name} bytes={} ns/msg={ns:.0} vs_json={:.1} typed_ns/msg={typed_ns:.0}",
            bytes.len(),
            ns / json_ns
        );
    }
    arrival(n)
}

/// A Sparkplug DATA message into the model (births remembered, sequence checked,
/// aliases named) against the same bytes on a topic outside the namespace. The DATA
/// messages count their sequence 1, 2 … 255, 0 … as an edge node does, so no round
/// is charged for reporting gaps.
fn arrival(n: usize) -> Result<(), String> {
    const BIRTH: &str = "spBv1.0/bench/NBIRTH/esp32";
    let birth = sparkplug::encode(1_700_000_000_000, Some(0), &sparkplug_metrics(true)).map_err(|e| e.to_string())?;
    let data: Vec<bytes::Bytes> = (1..=256u64)
        .map(|seq| sparkplug_data(seq % 256).map(bytes::Bytes::from))
        .collect::<Result<_, _>>()?;
    let mut registry = SparkplugRegistry::default();
    registry.observe(BIRTH, &birth);
    let mut i = 0;
    let observe_ns = ns_per_call(n, || {
        black_box(registry.observe("spBv1.0/bench/NDATA/esp32", black_box(&data[i % 256])));
        i += 1;
    });
    let remember_ns = ns_per_call(n, || {
        black_box(registry.remember("spBv1.0/bench/NDATA/esp32", black_box(&data[i % 256])));
        i += 1;
    });
    let ingest = |topic: &str| {
        let mut model = Model::default();
        model.ingest(Message::new(BIRTH, birth.clone(), 0, false));
        let mut i = 0;
        ns_per_call(n, || {
            model.ingest(Message::new(topic, data[i % 256].clone(), 0, false));
            i += 1;
        })
    };
    let plain_ns = ingest("bench/esp32/data");
    let sparkplug_ns = ingest("spBv1.0/bench/NDATA/esp32");
    println!(
        "decode arrival=sparkplug bytes={} remember_ns/msg={remember_ns:.0} observe_ns/msg={observe_ns:.0} ingest_plain_ns/msg={plain_ns:.0} \
         ingest_sparkplug_ns/msg={sparkplug_ns:.0} extra_ns/msg={:.0}",
        data[0].len(),
        sparkplug_ns - plain_ns
    );
    Ok(())
}
