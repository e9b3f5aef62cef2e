//! Tests for the history budget: eviction order, newest-per-topic pinning, and the
//! accounting invariants under random workloads checked against a naive reference.

use std::time::SystemTime;

use bytes::Bytes;

use super::*;
use crate::model::kept_payload::KeptPayload;
use crate::model::stored::MESSAGE_OVERHEAD_BYTES;
use crate::model::tree::TopicTree;

/// Node ids for tests: first-level topics "0", "1", ... of a real tree.
fn ids(count: usize) -> Vec<NodeId> {
    let mut tree = TopicTree::new();
    (0..count).map(|i| tree.get_or_insert(&i.to_string())).collect()
}

/// A message whose payload is `label` padded to `len` bytes.
fn msg(label: &str, len: usize) -> StoredMessage {
    let mut payload = label.as_bytes().to_vec();
    payload.resize(len.max(label.len()), b'.');
    StoredMessage::new(Bytes::from(payload), 0, false, SystemTime::UNIX_EPOCH, None)
}

fn labels(h: &History, node: NodeId) -> Vec<String> {
    h.messages(node)
        .map(|m| {
            let text = std::str::from_utf8(&m.payload).unwrap();
            text.trim_end_matches('.').to_owned()
        })
        .collect()
}

const COST: usize = 10 + MESSAGE_OVERHEAD_BYTES;

#[test]
fn evicts_globally_oldest_first() {
    let n = ids(3);
    let (a, b, c) = (n[0], n[1], n[2]);
    let mut h = History::new(3 * COST);
    h.push(a, msg("a1", 10));
    h.push(b, msg("b1", 10));
    h.push(a, msg("a2", 10));
    assert_eq!((h.used_bytes(), h.evicted_count()), (3 * COST, 0));
    h.push(b, msg("b2", 10));
    assert_eq!(labels(&h, a), ["a2"]);
    assert_eq!(labels(&h, b), ["b2", "b1"]);
    h.push(c, msg("c1", 10));
    assert_eq!(labels(&h, b), ["b2"]);
    // a2, b2 are their topics' newest: c1 goes although it is younger.
    h.push(c, msg("c2", 10));
    assert_eq!(labels(&h, a), ["a2"]);
    assert_eq!(labels(&h, b), ["b2"]);
    assert_eq!(labels(&h, c), ["c2"]);
    assert_eq!(h.evicted_count(), 3);
    assert_eq!((h.used_bytes(), h.total_len()), (3 * COST, 3));
}

#[test]
fn keeps_newest_per_topic_even_over_budget() {
    let n = ids(5);
    let mut h = History::new(COST / 2);
    for (i, &id) in n.iter().enumerate() {
        h.push(id, msg(&format!("m{i}"), 10));
    }
    assert_eq!(h.total_len(), 5);
    assert_eq!(h.used_bytes(), 5 * COST);
    assert_eq!(h.over_budget_bytes(), 5 * COST - COST / 2);
    assert_eq!(h.evicted_count(), 0);
    assert_eq!(h.queued_tokens(), 0);
    // A newer message supersedes the pinned one, which then goes at once.
    h.push(n[2], msg("m2b", 10));
    assert_eq!(labels(&h, n[2]), ["m2b"]);
    assert_eq!((h.evicted_count(), h.total_len()), (1, 5));
    // A single payload larger than the budget is still kept whole.
    h.push(n[0], msg("huge", 10_000));
    assert_eq!(h.newest(n[0]).unwrap().payload.len(), 10_000);
    assert_eq!(h.len(n[0]), 1);
}

#[test]
fn budget_changes_and_clear_topic() {
    let n = ids(2);
    let mut h = History::new(100 * COST);
    for i in 0..10 {
        h.push(n[0], msg(&format!("a{i}"), 10));
        h.push(n[1], msg(&format!("b{i}"), 10));
    }
    assert_eq!(h.total_len(), 20);
    h.set_budget_bytes(4 * COST);
    assert_eq!(labels(&h, n[0]), ["a9", "a8"]);
    assert_eq!(labels(&h, n[1]), ["b9", "b8"]);
    assert_eq!(h.evicted_count(), 16);
    h.clear_topic(n[0]);
    assert_eq!((h.len(n[0]), h.used_bytes(), h.total_len()), (0, 2 * COST, 2));
    assert_eq!(h.evicted_count(), 16);
    // The cleared topic's stale tokens must not evict its new messages: b8 is the
    // oldest message left, so it goes first.
    for i in 0..3 {
        h.push(n[0], msg(&format!("c{i}"), 10));
    }
    assert_eq!(labels(&h, n[0]), ["c2", "c1", "c0"]);
    assert_eq!(labels(&h, n[1]), ["b9"]);
    assert_eq!(h.evicted_count(), 17);
    check_invariants(&h);
    h.clear();
    assert_eq!((h.total_len(), h.used_bytes(), h.budget_bytes()), (0, 0, 4 * COST));
    assert_eq!(h.messages(n[0]).len(), 0);
}

#[test]
fn indexing_and_unknown_nodes() {
    let n = ids(1);
    let mut h = History::new(usize::MAX);
    for i in 0..3 {
        h.push(n[0], msg(&format!("m{i}"), 2));
    }
    let text = |m: Option<&StoredMessage>| m.map(|m| m.payload.clone());
    assert_eq!(text(h.get(n[0], 0)), Some(KeptPayload::from(&b"m2"[..])));
    assert_eq!(text(h.get(n[0], 2)), Some(KeptPayload::from(&b"m0"[..])));
    assert_eq!(text(h.get(n[0], 3)), None);
    assert_eq!(text(h.get(n[0], usize::MAX)), None);
    let unknown = ids(10)[9];
    assert_eq!(h.len(unknown), 0);
    assert_eq!(h.messages(unknown).count(), 0);
    assert!(h.newest(unknown).is_none());
    h.clear_topic(unknown);
    let oldest_first: Vec<_> = h.messages(n[0]).rev().map(|m| m.payload.clone()).collect();
    assert_eq!(oldest_first, ["m0", "m1", "m2"]);
}

#[test]
fn sparse_ring_buffers_shrink() {
    let n = ids(2);
    let mut h = History::new(usize::MAX);
    for _ in 0..10_000 {
        h.push(n[0], msg("x", 1));
    }
    h.push(n[1], msg("y", 1));
    h.set_budget_bytes(3 * (1 + MESSAGE_OVERHEAD_BYTES));
    assert_eq!((h.len(n[0]), h.len(n[1])), (2, 1));
    assert!(h.slots[0].messages.capacity() <= MIN_SHRINK_CAPACITY * 2);
    assert!(h.fifo.capacity() <= MIN_SHRINK_CAPACITY * 2);
}

/// Tiny deterministic generator so the random tests are reproducible.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn check_invariants(h: &History) {
    let mut cost = 0;
    let mut len = 0;
    let mut queued = 0;
    for slot in h.slots.iter() {
        cost += slot.messages.iter().map(StoredMessage::cost_bytes).sum::<usize>();
        len += slot.messages.len();
        queued += slot.queued as usize;
        let live = slot.live_tokens();
        assert!(live == slot.messages.len() || live + 1 == slot.messages.len());
    }
    assert_eq!(h.used_bytes(), cost);
    assert_eq!(h.total_len(), len);
    assert_eq!(h.fifo.len(), queued);
    if h.used_bytes() > h.budget_bytes() {
        // Over budget only through newest-per-topic messages.
        assert!(h.slots.iter().all(|s| s.messages.len() <= 1));
    }
}

/// Naive O(n²) reference: evict the oldest message whose topic has a newer one.
#[derive(Default)]
struct Reference {
    kept: Vec<(usize, usize)>, // (topic, label), oldest first
    used: usize,
}

impl Reference {
    fn push(&mut self, topic: usize, label: usize, budget: usize) {
        self.kept.push((topic, label));
        self.used += COST;
        while self.used > budget {
            let victim = self
                .kept
                .iter()
                .position(|&(t, _)| self.kept.iter().filter(|&&(u, _)| u == t).count() >= 2);
            let Some(i) = victim else { break };
            self.kept.remove(i);
            self.used -= COST;
        }
    }

    fn labels(&self, topic: usize) -> Vec<String> {
        let mut out: Vec<_> = self
            .kept
            .iter()
            .filter(|&&(t, _)| t == topic)
            .map(|&(_, l)| l.to_string())
            .collect();
        out.reverse();
        out
    }
}

#[test]
fn matches_reference_under_random_pushes() {
    let topics = 12;
    let n = ids(topics);
    for budget_messages in [1, 5, 11, 12, 13, 40] {
        let budget = budget_messages * COST;
        let mut h = History::new(budget);
        let mut reference = Reference::default();
        let mut rng = Lcg(budget as u64);
        for label in 0..2_000 {
            // Skewed: low topics are busy, high ones rare.
            let busiest = rng.below(topics as u64) + 1;
            let topic = rng.below(busiest) as usize;
            h.push(n[topic], msg(&label.to_string(), 10));
            reference.push(topic, label, budget);
            check_invariants(&h);
        }
        for (topic, &id) in n.iter().enumerate() {
            assert_eq!(labels(&h, id), reference.labels(topic), "budget {budget_messages}");
        }
        assert_eq!(h.evicted_count(), 2_000 - reference.kept.len() as u64);
    }
}

#[test]
fn invariants_hold_under_random_mixed_operations() {
    let n = ids(20);
    let mut rng = Lcg(7);
    let mut h = History::new(50 * COST);
    for step in 0..20_000 {
        match rng.below(100) {
            0 => h.set_budget_bytes(rng.below(80) as usize * COST),
            1..=2 => h.clear_topic(n[rng.below(20) as usize]),
            _ => {
                let topic = n[rng.below(20) as usize];
                h.push(topic, msg(&step.to_string(), rng.below(300) as usize));
            }
        }
        check_invariants(&h);
    }
    assert!(h.evicted_count() > 10_000);
}

#[test]
fn a_slot_is_its_inline_message_and_two_counters() {
    // One per topic: a million retained topics pay this a million times.
    assert_eq!(size_of::<Slot>(), size_of::<StoredMessage>() + 8);
    assert_eq!(size_of::<Slot>(), 40);
}
