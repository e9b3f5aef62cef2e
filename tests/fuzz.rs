//! Property-based fuzzing (proptest) of everything that reads untrusted bytes from the
//! network: payload classification and rendering, number extraction, JSON paths,
//! binary number decoding, and topic-tree insertion. Bounded: `PROPTEST_CASES` cases
//! per property (256 by default; CI keeps the default so the run stays short).

use std::collections::HashMap;

use proptest::prelude::*;
use topicscope::model::series::{Extractor, SeriesSpec};
use topicscope::model::{
    BinaryKind, BinaryNumber, JsonPath, Message, Model, TopicTree, classify, escape_non_utf8, extract_number,
    hex_dump_line, hex_dump_line_count, numeric_paths, pretty_json, preview,
};

/// Bytes that look like what devices send: mostly JSON-ish or numeric text, sometimes
/// arbitrary binary, sometimes truncated.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        "[ -~]{0,200}".prop_map(String::into_bytes),
        r#"\{("[a-z]{1,6}":(-?[0-9]{1,5}(\.[0-9]{1,3})?|"[a-zA-Z ]{0,8}"|true|null|\[[0-9,]{0,10}\]|\{\}),?){0,6}\}?"#
            .prop_map(String::into_bytes),
        r"-?[0-9]{0,6}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,3})? ?(°C|hPa|%|V|ON|OFF)?".prop_map(String::into_bytes),
    ]
}

/// Topics with odd shapes: empty levels, leading/trailing '/', unicode, `$` prefixes.
fn topic() -> impl Strategy<Value = String> {
    proptest::collection::vec(r"(|[a-z0-9_$\-]{1,6}|[\u{80}-\u{10FFFF}]{1,2}| )", 1..8)
        .prop_map(|levels| levels.join("/"))
}

proptest! {
    #[test]
    fn decoding_and_rendering_any_payload_never_panics(bytes in payload()) {
        let kind = classify(&bytes);
        let _ = pretty_json(&bytes);
        let shown = preview(&bytes, 80);
        prop_assert!(shown.chars().count() <= 81, "preview of {} chars", shown.chars().count());
        let escaped = escape_non_utf8(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            prop_assert!(escaped.contains(text) || text.chars().any(char::is_control));
        }
        for line in 0..hex_dump_line_count(bytes.len()) {
            let _ = hex_dump_line(&bytes, line);
        }
        for kind in BinaryKind::ALL {
            for (little_endian, offset) in [(true, 0), (false, 3), (true, bytes.len().saturating_sub(2))] {
                let _ = BinaryNumber { kind, little_endian, offset }.read(&bytes);
            }
        }
        if kind.is_text() {
            let text = String::from_utf8_lossy(&bytes);
            if let Some(v) = extract_number(&text) {
                prop_assert!(v.is_finite(), "{text:?} gave {v}");
            }
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            for (path, number) in numeric_paths(&value) {
                prop_assert!(number.is_finite());
                // Every path it offers can be parsed back and points at the same number.
                let reparsed = JsonPath::parse(&path.to_string()).expect("offered path parses");
                prop_assert_eq!(reparsed.extract(&value), Some(number));
            }
        }
    }

    #[test]
    fn number_extraction_of_any_text_never_panics(text in "\\PC{0,64}") {
        if let Some(v) = extract_number(&text) {
            prop_assert!(v.is_finite());
        }
        let _ = JsonPath::parse(&text);
    }

    #[test]
    fn plot_extractors_accept_any_payload(bytes in payload(), path in "[a-zA-Z.\\[\\]0-9]{0,16}") {
        let mut model = Model::default();
        let id = model.ingest(Message::new("fuzz/topic", bytes, 0, false));
        let msg = model.tree().last_message(id).expect("just ingested");
        let specs = [
            Extractor::Whole,
            Extractor::Binary(BinaryNumber::default()),
        ]
        .into_iter()
        .chain(JsonPath::parse(&path).ok().map(Extractor::Json));
        for extractor in specs {
            let spec = SeriesSpec { topic: "fuzz/topic".into(), extractor, connection: None };
            if let Some(v) = spec.extract(msg) {
                prop_assert!(v.is_finite());
            }
        }
    }

    #[test]
    fn the_tree_finds_every_topic_it_was_given(topics in proptest::collection::vec(topic(), 1..64)) {
        let mut model = Model::default();
        let mut ids = HashMap::new();
        for t in &topics {
            let id = model.ingest(Message::new(t.clone(), "x", 0, false));
            prop_assert_eq!(model.tree().full_topic(id), t.clone());
            if let Some(previous) = ids.insert(t.clone(), id) {
                prop_assert_eq!(previous, id, "same topic, same node");
            }
        }
        let tree: &TopicTree = model.tree();
        prop_assert_eq!(tree.topic_count(), ids.len());
        for (t, id) in &ids {
            prop_assert_eq!(tree.find(t), Some(*id));
        }
        prop_assert_eq!(tree.root().subtree_messages(), topics.len() as u64);
    }
}

#[test]
fn a_topic_of_65535_bytes_and_65535_levels_is_stored_and_found() {
    let mut model = Model::default();
    let long = "x".repeat(65_535);
    let id = model.ingest(Message::new(long.clone(), "1", 0, false));
    assert_eq!(model.tree().find(&long), Some(id));
    assert_eq!(model.tree().full_topic(id).len(), 65_535);
    // 65,532 levels, all empty but the last: the deepest shape a 64 KiB topic can have.
    let deep = format!("{}leaf", "/".repeat(65_531));
    assert_eq!(deep.len(), 65_535);
    let id = model.ingest(Message::new(deep.clone(), "2", 0, false));
    assert_eq!(model.tree().full_topic(id), deep);
    assert_eq!(model.tree().depth(id), 65_531);
}

#[test]
fn a_64_mib_payload_is_kept_whole_and_classified() {
    let mut model = Model::default();
    let mut big = vec![b'a'; 64 * 1024 * 1024];
    big[1000] = 0xff; // not valid UTF-8: binary
    let id = model.ingest(Message::new("camera/raw", big, 0, false));
    let msg = model.tree().last_message(id).expect("kept");
    assert_eq!(msg.payload.len(), 64 * 1024 * 1024);
    let _ = msg.kind();
    assert!(preview(&msg.payload, 80).chars().count() <= 81);
}
