//! Property-based fuzzing (proptest) of the payload decoders and the struct layout
//! parser: no panic on any input, decoded values bounded in depth and size, detection
//! never speaking about text, and struct layouts reading exactly their size.
//! `PROPTEST_CASES` cases per property (256 by default).

use proptest::prelude::*;
use serde_json::Value;
use topicscope::model::decode::{MAX_DEPTH, MAX_NODES, detect, is_text};
use topicscope::model::{DecodeError, Decoder, StructLayout};

/// Bytes shaped to reach deep into the decoders: container openers of both formats,
/// deep nesting, huge declared lengths, gzip/zlib headers, base64 text, or anything.
fn hostile() -> impl Strategy<Value = Vec<u8>> {
    let opener = prop_oneof![0x80u8..=0xbf, 0xdcu8..=0xdf, Just(0x9f), Just(0xbf)];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..1024),
        (opener.clone(), proptest::collection::vec(any::<u8>(), 0..256)).prop_map(|(first, mut rest)| {
            rest.insert(0, first);
            rest
        }),
        (opener, 0usize..3000, proptest::collection::vec(any::<u8>(), 0..8)).prop_map(|(marker, n, tail)| {
            let mut bytes = vec![marker; n];
            bytes.extend(tail);
            bytes
        }),
        (
            prop_oneof![
                Just(0x5bu8),
                Just(0x7b),
                Just(0x9b),
                Just(0xbb),
                Just(0xc6),
                Just(0xdb),
                Just(0xdd),
                Just(0xdf)
            ],
            proptest::collection::vec(any::<u8>(), 0..16)
        )
            .prop_map(|(marker, len)| {
                let mut bytes = vec![marker, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff];
                bytes.extend(len);
                bytes
            }),
        proptest::collection::vec(any::<u8>(), 0..256).prop_map(|rest| [&[0x1f, 0x8b, 8, 0][..], &rest].concat()),
        proptest::collection::vec(any::<u8>(), 0..256).prop_map(|rest| [&[0x78, 0x9c][..], &rest].concat()),
        "[A-Za-z0-9+/=_\\-\n]{0,200}".prop_map(String::into_bytes),
        "[ -~]{0,120}".prop_map(String::into_bytes),
    ]
}

fn depth_and_nodes(v: &Value) -> (usize, usize) {
    match v {
        Value::Array(items) => items.iter().fold((1, 1), |(d, n), item| {
            let (id, inn) = depth_and_nodes(item);
            (d.max(id + 1), n + inn)
        }),
        Value::Object(map) => map.values().fold((1, 1), |(d, n), item| {
            let (id, inn) = depth_and_nodes(item);
            (d.max(id + 1), n + inn)
        }),
        _ => (0, 1),
    }
}

/// One valid field of a layout, as a user would write it.
fn field() -> impl Strategy<Value = String> {
    let ty = prop_oneof![
        Just("u8"),
        Just("i8"),
        Just("u16le"),
        Just("i16be"),
        Just("u32"),
        Just("i32be"),
        Just("u64le"),
        Just("i64"),
        Just("f32le"),
        Just("f32be"),
        Just("f64"),
        Just("bool"),
        Just("uint16_t"),
        Just("double")
    ];
    prop_oneof![
        (ty.clone(), "[a-z]{1,8}").prop_map(|(t, n)| format!("{t} {n}")),
        (ty, 1usize..8, "[a-z]{1,8}").prop_map(|(t, c, n)| format!("{t}[{c}] {n}")),
        (1usize..16, "[a-z]{1,8}").prop_map(|(c, n)| format!("char[{c}] {n}")),
        (1usize..4).prop_map(|n| format!("pad {n}")),
    ]
}

proptest! {
    #[test]
    fn every_decoder_takes_any_bytes_and_stays_bounded(bytes in hostile()) {
        let layout = StructLayout::parse("f32le t; u16 h; u8[6] mac; char[4] s").unwrap();
        for decoder in Decoder::SIMPLE.into_iter().chain([Decoder::Struct(layout)]) {
            match decoder.decode(&bytes) {
                Ok(value) => {
                    let (depth, nodes) = depth_and_nodes(&value);
                    prop_assert!(depth <= MAX_DEPTH + 1, "{decoder:?}: depth {depth}");
                    prop_assert!(nodes <= 2 * MAX_NODES, "{decoder:?}: {nodes} values");
                }
                // Every failure has words.
                Err(e) => prop_assert!(!e.to_string().trim().is_empty(), "{decoder:?}: {e:?}"),
            }
        }
    }

    #[test]
    fn detection_is_sure_or_silent(bytes in hostile()) {
        if let Some(decoder) = detect("any/topic", &bytes) {
            prop_assert!(!is_text(&bytes), "text detected as {decoder:?}");
            prop_assert!(matches!(decoder, Decoder::Cbor | Decoder::MessagePack));
            prop_assert!(decoder.decode(&bytes).is_ok());
        }
    }

    #[test]
    fn any_layout_text_parses_or_says_why(text in "[a-z0-9_\\[\\] ;\n]{0,80}") {
        match StructLayout::parse(&text) {
            Ok(layout) => {
                prop_assert!(layout.size_bytes() > 0 && !layout.fields().is_empty());
                // What was accepted reads back the same from the text it is saved as.
                let again = StructLayout::parse(layout.source()).unwrap();
                prop_assert_eq!(again, layout);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn a_valid_layout_reads_exactly_its_size(
        fields in proptest::collection::vec(field(), 1..12),
        fill in any::<u8>(),
        delta in prop_oneof![Just(0i64), -3i64..=-1, 1i64..=3],
    ) {
        // Names may repeat by chance: that is a layout error, and said so.
        let text = fields.join("; ");
        let layout = match StructLayout::parse(&text) {
            Ok(layout) => layout,
            Err(e) => {
                prop_assert!(e.to_string().contains("twice"), "{text}: {e}");
                return Ok(());
            }
        };
        let size = usize::try_from(layout.size_bytes() as i64 + delta).unwrap_or(0);
        let bytes = vec![fill; size];
        let named = fields.iter().filter(|f| !f.starts_with("pad")).count();
        match Decoder::Struct(layout.clone()).decode(&bytes) {
            Ok(Value::Object(map)) => {
                prop_assert_eq!(delta, 0);
                prop_assert_eq!(map.len(), named);
            }
            Ok(other) => prop_assert!(false, "not an object: {other}"),
            Err(DecodeError::SizeMismatch { expected_bytes, actual_bytes }) => {
                prop_assert!(delta != 0);
                prop_assert_eq!(expected_bytes, layout.size_bytes() as u64);
                prop_assert_eq!(actual_bytes, size as u64);
            }
            Err(e) => prop_assert!(false, "{text}: {e}"),
        }
    }
}

/// A protobuf varint.
fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A length-delimited field.
fn field_bytes(tag: u64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(tag << 3 | 2, &mut out);
    varint(body.len() as u64, &mut out);
    out.extend_from_slice(body);
    out
}

/// A Sparkplug payload whose metric holds a template whose metric holds a template…,
/// `depth` times: deeper than any decoder should follow.
fn nested_templates(depth: usize) -> Vec<u8> {
    let mut metric = field_bytes(1, b"leaf");
    for _ in 0..depth {
        let template = field_bytes(2, &metric);
        metric = field_bytes(18, &template);
    }
    field_bytes(2, &metric)
}

/// Bytes for protobuf decoders: the hostile set, declared lengths far past the end,
/// and deep nesting.
fn protobuf_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        hostile(),
        proptest::collection::vec(any::<u8>(), 0..32).prop_map(|tail| [
            &[0x12, 0xff, 0xff, 0xff, 0xff, 0x7f][..],
            &tail
        ]
        .concat()),
        (1usize..300).prop_map(nested_templates),
    ]
}

const TOPICS: [&str; 4] = [
    "spBv1.0/g/NBIRTH/n",
    "spBv1.0/g/NDATA/n",
    "spBv1.0/g/DDATA/n/d",
    "spBv1.0/g/DBIRTH/n/d",
];

proptest! {
    #[test]
    fn sparkplug_takes_any_bytes_in_words(bytes in protobuf_like(), pick in 0usize..4) {
        let mut registry = topicscope::model::SparkplugRegistry::default();
        for decoded in [
            Decoder::Sparkplug.decode(&bytes),
            registry.observe(TOPICS[pick], &bytes).expect("a Sparkplug topic"),
            registry.read(TOPICS[(pick + 1) % 4], &bytes),
        ] {
            match decoded {
                Ok(value) => {
                    let (depth, nodes) = depth_and_nodes(&value);
                    prop_assert!(depth <= MAX_DEPTH + 2, "depth {depth}");
                    prop_assert!(nodes <= 2 * MAX_NODES, "{nodes} values");
                }
                Err(e) => prop_assert!(!e.to_string().trim().is_empty(), "{e:?}"),
            }
        }
    }

    #[test]
    fn a_user_schema_takes_any_bytes_and_any_proto_text_in_words(
        bytes in protobuf_like(),
        body in "[a-z0-9 =;{}\n]{0,120}",
    ) {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = tempfile::tempdir().unwrap();
        // A schema with a recursive message, and one of random text.
        let good = dir.path().join("tree.proto");
        std::fs::write(&good, "syntax = \"proto3\";\nmessage Node { string name = 1; repeated Node children = 2; bytes blob = 3; }\n").unwrap();
        let random = dir.path().join(format!("r{}.proto", N.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&random, format!("syntax = \"proto3\";\nmessage M {{ {body} }}\n")).unwrap();
        for decoder in [
            Decoder::Proto { file: good.clone(), message: "Node".into() },
            Decoder::Proto { file: random.clone(), message: "M".into() },
        ] {
            match decoder.decode(&bytes) {
                Ok(value) => {
                    let (depth, _) = depth_and_nodes(&value);
                    prop_assert!(depth <= MAX_DEPTH + 2, "depth {depth}");
                }
                Err(e) => prop_assert!(!e.to_string().trim().is_empty(), "{e:?}"),
            }
        }
    }
}
