//! Tests for sorted children, natural order, and the flattened rows with and without
//! a filter.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::*;
use crate::model::stored::StoredMessage;

fn msg_at(payload: &str, secs: u64) -> StoredMessage {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    StoredMessage::new(Bytes::from(payload.to_owned()), 0, false, time, None)
}

fn tree_of(topics: &[(&str, &str)]) -> TopicTree {
    let mut tree = TopicTree::new();
    for (i, (topic, payload)) in topics.iter().enumerate() {
        tree.record(topic, msg_at(payload, i as u64));
    }
    tree
}

/// Rows as "  name" lines (two spaces per depth, "+" when expanded, "*" when matched).
fn render(tree: &TopicTree, rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{}{}{}{}",
                "  ".repeat(r.depth as usize),
                tree.name(r.id),
                if r.expanded { "+" } else { "" },
                if r.matched { "*" } else { "" },
            )
        })
        .collect()
}

#[test]
fn natural_order() {
    let mut names = vec![
        "sensor10", "Sensor2", "sensor1", "a", "B", "sensor02", "", "x9y", "x10y",
    ];
    names.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(
        names,
        [
            "", "a", "B", "sensor1", "Sensor2", "sensor02", "sensor10", "x9y", "x10y"
        ]
    );
    assert_eq!(natural_cmp("a01", "a1"), Ordering::Less);
    assert_eq!(natural_cmp("A", "a"), Ordering::Less);
    assert_eq!(natural_cmp("abc", "abc"), Ordering::Equal);
    assert_eq!(
        natural_cmp("99999999999999999999999", "100000000000000000000000"),
        Ordering::Less
    );
}

#[test]
fn natural_order_is_a_total_order() {
    let samples = [
        "", "0", "00", "1", "01", "a", "A", "a0", "a00", "a1", "a01", "a-", "a/", "a:", "1a", "01a", "a1b", "a01b",
        "a1B", "温", "é", "É", "z", "_", "9", "10", "a 1", "a1 ",
    ];
    for a in samples {
        assert_eq!(natural_cmp(a, a), Ordering::Equal);
        for b in samples {
            assert_eq!(natural_cmp(a, b), natural_cmp(b, a).reverse(), "{a:?} {b:?}");
            assert_eq!(natural_cmp(a, b) == Ordering::Equal, a == b);
            for c in samples {
                if natural_cmp(a, b) == Ordering::Less && natural_cmp(b, c) == Ordering::Less {
                    assert_eq!(natural_cmp(a, c), Ordering::Less, "{a:?} {b:?} {c:?}");
                }
            }
        }
    }
}

#[test]
fn sorted_children_by_each_key() {
    let tree = tree_of(&[
        ("s/b10", "1"),
        ("s/b2", "1"),
        ("s/b2", "1"),
        ("s/a", "1"),
        ("s/b10", "1"),
        ("s/b10", "1"),
    ]);
    let s = tree.find("s").unwrap();
    let spelled = |key| -> Vec<String> {
        tree.sorted_children(s, key)
            .into_iter()
            .map(|id| tree.name(id).to_owned())
            .collect()
    };
    assert_eq!(spelled(SortKey::Name), ["a", "b2", "b10"]);
    assert_eq!(spelled(SortKey::Messages), ["b10", "b2", "a"]);
    assert_eq!(spelled(SortKey::LastUpdate), ["b10", "a", "b2"]);
    // Insertion order is kept underneath.
    let raw: Vec<_> = tree.node(s).children().iter().map(|&c| tree.name(c)).collect();
    assert_eq!(raw, ["b10", "b2", "a"]);
    assert!(tree.sorted_children(NodeId(999), SortKey::Name).is_empty());
}

fn sample() -> TopicTree {
    let mut tree = tree_of(&[
        ("home/kitchen/temp", "21.5"),
        ("home/kitchen/light", "ON"),
        ("home/garage/door", "closed"),
        ("home/garage/temp", "12"),
        ("office/printer", "{\"status\": \"Paper JAM\"}"),
        ("office/desk/lamp", "off"),
    ]);
    let blob = Bytes::from_static(b"\xffabc");
    tree.record(
        "bin/blob",
        StoredMessage::new(blob, 0, false, SystemTime::UNIX_EPOCH, None),
    );
    tree
}

#[test]
fn flatten_follows_expansion() {
    let tree = sample();
    let none = tree.flatten_visible(|_| false, SortKey::Name, None);
    assert_eq!(render(&tree, &none), ["bin", "home", "office"]);
    let home = tree.find("home").unwrap();
    let garage = tree.find("home/garage").unwrap();
    let open: HashSet<_> = [home, garage, tree.find("home/garage/door").unwrap()].into();
    let rows = tree.flatten_visible(|id| open.contains(&id), SortKey::Name, None);
    assert_eq!(
        render(&tree, &rows),
        [
            "bin",
            "home+",
            "  garage+",
            "    door",
            "    temp",
            "  kitchen",
            "office"
        ]
    );
    let all = tree.flatten_visible(|_| true, SortKey::Messages, None);
    assert_eq!(all.len(), tree.len());
    assert_eq!(tree.name(all[0].id), "home");
    // An empty filter is no filter.
    let empty = TopicFilterMatcher::new("");
    assert_eq!(tree.flatten_visible(|_| false, SortKey::Name, Some(&empty)), none);
}

#[test]
fn filter_keeps_ancestors_open() {
    let tree = sample();
    let temp = TopicFilterMatcher::new("TEMP");
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&temp));
    assert_eq!(
        render(&tree, &rows),
        ["home+", "  garage+", "    temp*", "  kitchen+", "    temp*"]
    );
    // A match on an inner level shows its whole subtree (every path below contains it).
    let garage = TopicFilterMatcher::new("gArAgE");
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&garage));
    assert_eq!(render(&tree, &rows), ["home+", "  garage+*", "    door*", "    temp*"]);
    // Matches spanning levels.
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&TopicFilterMatcher::new("e/d")));
    assert_eq!(
        render(&tree, &rows),
        ["home+", "  garage+", "    door*", "office+", "  desk+*", "    lamp*"]
    );
}

#[test]
fn filter_searches_last_payloads() {
    let tree = sample();
    let jam = TopicFilterMatcher::new("paper jam");
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&jam));
    assert_eq!(render(&tree, &rows), ["office+", "  printer*"]);
    let closed = TopicFilterMatcher::new("CLOSED");
    let rows = tree.flatten_visible(|_| true, SortKey::Name, Some(&closed));
    assert_eq!(render(&tree, &rows), ["home+", "  garage+", "    door*"]);
    // Binary payloads are not searched as text.
    let rows = tree.flatten_visible(|_| true, SortKey::Name, Some(&TopicFilterMatcher::new("abc")));
    assert!(rows.is_empty());
    let rows = tree.flatten_visible(|_| true, SortKey::Name, Some(&TopicFilterMatcher::new("nothing")));
    assert!(rows.is_empty());
}

#[test]
fn filter_handles_unicode_and_odd_topics() {
    let tree = tree_of(&[
        ("unicode/温度/传感器", "24.1"),
        ("/leading/slash", "1"),
        ("Straße/ÄRGER", "x"),
    ]);
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&TopicFilterMatcher::new("度/传")));
    assert_eq!(render(&tree, &rows), ["unicode+", "  温度+", "    传感器*"]);
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&TopicFilterMatcher::new("/leading")));
    assert_eq!(render(&tree, &rows), ["+", "  leading+*", "    slash*"]);
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&TopicFilterMatcher::new("e/är")));
    assert_eq!(render(&tree, &rows), ["Straße+", "  ÄRGER*"]);
}

#[test]
fn deep_trees_flatten_without_recursion() {
    let mut tree = TopicTree::new();
    let topic = "/".repeat(65_536) + "needle";
    tree.record(&topic, msg_at("1", 0));
    let rows = tree.flatten_visible(|_| true, SortKey::Name, None);
    assert_eq!(rows.len(), 65_537);
    assert_eq!(rows.last().unwrap().depth, 65_536);
    let rows = tree.flatten_visible(|_| false, SortKey::Name, Some(&TopicFilterMatcher::new("NEEDLE")));
    assert_eq!(rows.len(), 65_537);
    assert!(rows.last().unwrap().matched);
    assert_eq!(rows.iter().filter(|r| r.matched).count(), 1);
}

#[test]
fn the_filter_searches_binary_payloads_as_decoded() {
    use crate::model::{DecodeChoice, Decoder, DecoderRules, StructLayout};
    let mut tree = TopicTree::new();
    // {"relay": true} in MessagePack, a 2-byte struct, and bytes no decoder takes.
    let stored = |bytes: &[u8]| StoredMessage::new(Bytes::from(bytes.to_vec()), 0, false, SystemTime::UNIX_EPOCH, None);
    let mp = tree.record("dev/a/mp", stored(b"\x81\xa5relay\xc3"));
    let raw = tree.record("dev/a/raw", stored(&[0x30, 0x00]));
    tree.record("dev/a/junk", stored(&[0xff, 0xfe, 0x00]));
    let matched = |tree: &TopicTree, query: &str, rules: &DecoderRules| -> Vec<NodeId> {
        let matcher = TopicFilterMatcher::new(query);
        tree.flatten_visible_decoded(|_| true, SortKey::Name, Some(&matcher), rules)
            .into_iter()
            .filter(|r| r.matched)
            .map(|r| r.id)
            .collect()
    };
    // Without decoders (the old behaviour) binary payloads are not searched.
    let none = DecoderRules {
        default: DecodeChoice::Raw,
        rules: Vec::new(),
    };
    assert_eq!(matched(&tree, "relay", &none), []);
    // Detection (the default) finds the MessagePack map's key.
    assert_eq!(matched(&tree, "RELAY", &DecoderRules::default()), [mp]);
    assert_eq!(matched(&tree, "humidity", &DecoderRules::default()), []);
    // A rule decodes the struct: its field names and values are searchable.
    let mut rules = DecoderRules::default();
    let layout = StructLayout::parse("u16le humidity").unwrap();
    rules.set("dev/+/raw", DecodeChoice::With(Decoder::Struct(layout)));
    assert_eq!(matched(&tree, "humidity\":48", &rules), [raw]);
    // A base64 payload is text until its rule decodes it.
    let b64 = tree.record("dev/b/b64", stored(b"eyJyc3NpIjogLTY3fQ=="));
    assert_eq!(matched(&tree, "rssi", &rules), []);
    rules.set("dev/b/b64", DecodeChoice::With(Decoder::Base64));
    assert_eq!(matched(&tree, "rssi", &rules), [b64]);
}
