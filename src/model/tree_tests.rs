//! Tests for the topic tree: odd topics, counters and aggregates, retained clearing,
//! the hash index (including forced collisions) and memory per topic.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::*;
use crate::model::history::History;

fn msg_at(payload: &str, retain: bool, secs: u64) -> StoredMessage {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    StoredMessage::new(Bytes::from(payload.to_owned()), 0, retain, time, None)
}

fn msg(payload: &str) -> StoredMessage {
    msg_at(payload, false, 0)
}

fn names(tree: &TopicTree, id: NodeId) -> Vec<&str> {
    let mut levels: Vec<&str> = std::iter::once(id)
        .chain(tree.ancestors(id))
        .map(|a| tree.name(a))
        .collect();
    levels.reverse();
    levels
}

/// Records `topic` and checks that it can be found and spelled back.
fn record_and_check(tree: &mut TopicTree, topic: &str) -> NodeId {
    let id = tree.record(topic, msg("x"));
    assert_eq!(tree.find(topic), Some(id), "find {:.40}", topic);
    assert_eq!(tree.full_topic(id), topic);
    id
}

#[test]
fn odd_topics_split_on_every_slash() {
    let mut tree = TopicTree::new();
    let cases: &[(&str, &[&str])] = &[
        ("a//b", &["a", "", "b"]),
        ("/leading/slash", &["", "leading", "slash"]),
        ("trailing/slash/", &["trailing", "slash", ""]),
        ("", &[""]),
        ("/", &["", ""]),
        ("///", &["", "", "", ""]),
        (
            "$SYS/broker/clients/connected",
            &["$SYS", "broker", "clients", "connected"],
        ),
        ("unicode/温度/传感器", &["unicode", "温度", "传感器"]),
        ("spaces in/topic name", &["spaces in", "topic name"]),
        ("shelly/status/switch:0", &["shelly", "status", "switch:0"]),
        ("+/#/wild", &["+", "#", "wild"]),
        ("nul\0byte", &["nul\0byte"]),
    ];
    for (topic, levels) in cases {
        let id = record_and_check(&mut tree, topic);
        assert_eq!(names(&tree, id), *levels, "{topic:?}");
        assert_eq!(tree.depth(id), levels.len() - 1);
    }
    // "" is the first level of "/", "/leading/slash" and "///".
    let empty = tree.find("").unwrap();
    assert_eq!(tree.node(empty).parent(), Some(NodeId::ROOT));
    assert_eq!(tree.node(tree.find("/").unwrap()).parent(), Some(empty));
    assert_eq!(tree.node(empty).subtree_topics(), 4);
    assert_eq!(tree.topic_count(), cases.len());
    let a_b = tree.find("a//b").unwrap();
    assert_eq!(tree.find("a/"), tree.node(a_b).parent());
    assert_eq!(tree.find("a//"), None);
    assert_eq!(
        tree.find("//"),
        Some(tree.node(tree.find("///").unwrap()).parent().unwrap())
    );
    assert_eq!(tree.find("b"), None);
}

#[test]
fn very_long_topics() {
    let mut tree = TopicTree::new();
    for len in [1000, 65_535, 65_536] {
        let level = "x".repeat(len);
        let id = record_and_check(&mut tree, &level);
        assert_eq!(tree.name(id).len(), len);
        let nested = format!("long/{level}/end");
        let id = record_and_check(&mut tree, &nested);
        assert_eq!(tree.depth(id), 2);
    }
    // 64 KiB of slashes: 65,537 empty levels, handled without recursion.
    let slashes = "/".repeat(65_536);
    let id = record_and_check(&mut tree, &slashes);
    assert_eq!(tree.depth(id), 65_536);
    assert_eq!(tree.iter_subtree(tree.find("").unwrap()).count(), 65_537);
    let unicode = "温".repeat(21_845) + "/" + &"度/".repeat(100);
    assert_eq!(unicode.len(), 65_535 + 1 + 400);
    record_and_check(&mut tree, &unicode);
    assert_eq!(tree.topic_count(), 8);
    // Lookups for near misses of long topics fail cleanly.
    assert_eq!(tree.find(&"/".repeat(65_535)).map(|_| ()), Some(()));
    assert_eq!(tree.find(&"/".repeat(65_537)), None);
}

#[test]
fn counts_and_aggregates() {
    let mut tree = TopicTree::new();
    let c = tree.record("a/b/c", msg_at("12345", false, 1));
    tree.record("a/b/c", msg_at("1", false, 2));
    let b = tree.record("a/b", msg_at("22", false, 3));
    for i in 0..3 {
        tree.record("a/x", msg_at("", false, 4 + i));
    }
    let a = tree.find("a").unwrap();
    let x = tree.find("a/x").unwrap();
    assert_eq!(tree.len(), 4);
    assert_eq!(tree.topic_count(), 3);
    let counters = |id| {
        let n = tree.node(id);
        (
            n.own_messages(),
            n.subtree_messages(),
            n.subtree_bytes(),
            n.subtree_topics(),
            n.sub_topic_count(),
            n.child_count(),
        )
    };
    assert_eq!(counters(a), (0, 6, 8, 3, 3, 2));
    assert_eq!(counters(b), (1, 3, 8, 2, 1, 1));
    assert_eq!(counters(c), (2, 2, 6, 1, 0, 0));
    assert_eq!(counters(x), (3, 3, 0, 1, 0, 0));
    assert_eq!(counters(NodeId::ROOT), (0, 6, 8, 3, 3, 1));
    let at = |s| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
    assert_eq!(tree.node(a).last_update(), at(6));
    assert_eq!(tree.node(b).last_update(), at(3));
    assert_eq!(tree.node(c).last_update(), at(2));
    assert_eq!(&tree.last_message(c).unwrap().payload[..], b"1");
    assert!(tree.last_message(a).is_none());
    assert!(!tree.node(a).has_messages());
    assert_eq!(tree.node(a).children(), [b, x]);
}

#[test]
fn retained_flag_and_clearing() {
    let mut tree = TopicTree::new();
    let id = tree.record("dev/lwt", msg_at("online", true, 1));
    assert!(tree.node(id).retained());
    // Empty retained payload: the "clear retained" signal is still a message.
    tree.record("dev/lwt", msg_at("", true, 2));
    let node = tree.node(id);
    assert!(!node.retained());
    assert_eq!(node.own_messages(), 2);
    assert!(tree.last_message(id).unwrap().payload.is_empty());
    assert!(tree.last_message(id).unwrap().clears_retained());
    tree.record("dev/lwt", msg_at("offline", true, 3));
    assert!(tree.node(id).retained());
    tree.record("dev/lwt", msg_at("online", false, 4));
    assert!(!tree.node(id).retained());
    assert_eq!(tree.topic_count(), 1);
}

#[test]
fn subtree_and_ancestors() {
    let mut tree = TopicTree::new();
    for topic in ["a/b/c", "a/b/d", "a/e", "f"] {
        tree.record(topic, msg("1"));
    }
    let a = tree.find("a").unwrap();
    let spelled: Vec<_> = tree.iter_subtree(a).map(|id| tree.full_topic(id)).collect();
    assert_eq!(spelled, ["a", "a/b", "a/b/c", "a/b/d", "a/e"]);
    assert_eq!(tree.iter_subtree(NodeId::ROOT).count(), 7);
    let d = tree.find("a/b/d").unwrap();
    let up: Vec<_> = tree.ancestors(d).map(|id| tree.full_topic(id)).collect();
    assert_eq!(up, ["a/b", "a"]);
    assert_eq!(tree.ancestors(a).count(), 0);
    assert_eq!(tree.ancestors(NodeId::ROOT).count(), 0);
    assert_eq!(tree.node(NodeId::ROOT).parent(), None);
    assert_eq!(tree.full_topic(NodeId::ROOT), "");
}

#[test]
fn unknown_ids_are_harmless() {
    let mut tree = TopicTree::new();
    tree.record("a", msg("1"));
    let stale = NodeId(99);
    assert!(tree.get(stale).is_none());
    assert!(!tree.contains(stale));
    assert_eq!(tree.full_topic(stale), "");
    assert_eq!(tree.iter_subtree(stale).count(), 0);
    assert_eq!(tree.ancestors(stale).count(), 0);
    assert_eq!(tree.depth(stale), 0);
}

#[test]
fn clear_empties_the_tree() {
    let mut tree = TopicTree::new();
    tree.record("a/b", msg("1"));
    let generation = tree.structure_generation();
    tree.clear();
    assert!(tree.is_empty());
    assert_eq!(tree.topic_count(), 0);
    assert_eq!(tree.find("a/b"), None);
    assert_eq!(tree.root().subtree_messages(), 0);
    assert!(tree.structure_generation() > generation);
    let id = record_and_check(&mut tree, "a/b");
    assert_eq!(tree.node(id).own_messages(), 1);
}

#[test]
fn generations_track_changes() {
    let mut tree = TopicTree::new();
    tree.record("a/b", msg("1"));
    let (structure, any) = (tree.structure_generation(), tree.generation());
    tree.record("a/b", msg("2"));
    assert_eq!(tree.structure_generation(), structure);
    assert!(tree.generation() > any);
    tree.record("a/c", msg("3"));
    assert!(tree.structure_generation() > structure);
}

#[test]
fn forced_hash_collisions_stay_exact() {
    let mut tree = TopicTree::with_colliding_hashes();
    let topics = [
        "a", "a/b", "a//b", "/a", "", "/", "b/a", "a/b/c", "温度", "x/y/z/", "$SYS/x",
    ];
    let ids: Vec<_> = topics.iter().map(|t| record_and_check(&mut tree, t)).collect();
    for (topic, id) in topics.iter().zip(&ids) {
        assert_eq!(tree.find(topic), Some(*id));
        assert_eq!(tree.node(*id).own_messages(), 1);
    }
    assert!(
        ids.iter().all(|&id| tree.node(id).path_key() == 0),
        "every path has the same key"
    );
    assert_eq!(tree.find("a/b/c/d"), None);
    assert_eq!(
        tree.find("b"),
        Some(tree.node(tree.find("b/a").unwrap()).parent().unwrap())
    );
    // Recording again reuses the nodes.
    let before = tree.len();
    for topic in topics {
        tree.record(topic, msg("again"));
    }
    assert_eq!(tree.len(), before);
}

#[test]
fn node_and_topic_memory() {
    assert!(size_of::<Node>() <= 80, "Node is {} bytes", size_of::<Node>());
    let mut tree = TopicTree::new();
    let mut history = History::new(usize::MAX);
    let topics = 100_000;
    for i in 0..topics {
        let topic = format!("plant{}/line{}/sensor{}", i / 10_000, i / 100 % 100, i % 100);
        let id = tree.record(&topic, msg("21.5"));
        history.push(id, msg("21.5"));
    }
    assert_eq!(tree.topic_count(), topics);
    let slots = history.slots_heap_bytes();
    let per_topic = (tree.approx_heap_bytes() + slots) / topics;
    println!(
        "size_of Node {}, StoredMessage {}; per topic: tree {} + history slot {} = {} bytes",
        size_of::<Node>(),
        size_of::<StoredMessage>(),
        tree.approx_heap_bytes() / topics,
        slots / topics,
        per_topic
    );
    assert!(per_topic <= 250, "{per_topic} bytes per topic");
}

#[test]
fn many_paths_on_one_key_stay_exact_while_the_index_grows() {
    // Every path has the same key: the index tells them apart by the arena alone, also
    // while griddle still holds entries in its old table after growing.
    let mut tree = TopicTree::with_colliding_hashes();
    let topics: Vec<String> = (0..300).map(|i| format!("k/{}/v{}", i % 17, i)).collect();
    let mut ids = Vec::new();
    for topic in &topics {
        ids.push(tree.record(topic, msg("x")));
        for (earlier, id) in topics.iter().zip(&ids) {
            assert_eq!(tree.find(earlier), Some(*id), "{earlier}");
        }
    }
    assert_eq!(tree.find("k/3/v4"), None);
    assert_eq!(tree.topic_count(), 300);
}
