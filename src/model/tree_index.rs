//! Finding a topic's node in one hash lookup without storing any topic string.
//!
//! The map key is a 64-bit hash of the node's path (keyed per tree with `RandomState`,
//! so it cannot be attacked by chosen topics), and a hit is confirmed against the
//! arena, where each node keeps only its level name. Storing full topics instead would
//! cost memory quadratic in depth: a 64 KiB topic of 32k empty levels would need 1 GiB
//! of prefixes. The rare genuine 64-bit collision falls back to a map keyed by the
//! full path, so lookups stay exact.
//!
//! The table keeps 32 of the hash's 64 bits: 8 bytes a topic instead of 16. That makes
//! a mismatch on the confirmation more likely (about 116 pairs among a million topics),
//! which costs one more entry in the exact fallback map, never a wrong answer.
//!
//! The hash map is griddle's, which moves a few entries to the grown table on each
//! insert instead of all at once: with std's map, the doubling past ~500k topics
//! rehashed every entry in one insert, and the frame that did it took 10-26 ms.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use super::node::NodeId;

/// Path hash → node, plus the exact fallback for colliding hashes.
#[derive(Debug)]
pub(super) struct TopicIndex {
    seed: RandomState,
    by_hash: griddle::HashMap<u32, NodeId, BuildHasherDefault<PassThroughHasher>>,
    collided: HashMap<Box<str>, NodeId>,
    /// All ones, except in tests that force every path onto the collision map.
    mask: u64,
}

/// Incremental path hash: feed levels in order, read the key of the prefix so far.
#[derive(Clone)]
pub(super) struct PathHasher {
    state: DefaultHasher,
    mask: u64,
}

impl PathHasher {
    pub(super) fn push(&mut self, level: &str) {
        self.state.write(level.as_bytes());
        // 0xFF never occurs in UTF-8, so levels cannot run into each other:
        // ["a", ""] and ["a"] hash different byte streams.
        self.state.write_u8(0xff);
    }

    pub(super) fn key(&self) -> u64 {
        self.state.clone().finish() & self.mask
    }
}

impl TopicIndex {
    pub(super) fn new() -> Self {
        Self::with_mask(u64::MAX)
    }

    /// A mask of 0 makes every path collide, exercising the fallback in tests.
    pub(super) fn with_mask(mask: u64) -> Self {
        Self {
            seed: RandomState::new(),
            by_hash: griddle::HashMap::default(),
            collided: HashMap::new(),
            mask,
        }
    }

    pub(super) fn hasher(&self) -> PathHasher {
        PathHasher {
            state: self.seed.build_hasher(),
            mask: self.mask,
        }
    }

    /// The key of a whole topic, hashed level by level like `PathHasher` prefixes.
    pub(super) fn key_of(&self, topic: &str) -> u64 {
        let mut hasher = self.hasher();
        topic.split('/').for_each(|level| hasher.push(level));
        hasher.key()
    }

    /// The node filed under `key`; the caller must confirm it is the right path.
    pub(super) fn get(&self, key: u64) -> Option<NodeId> {
        self.by_hash.get(&short(key)).copied()
    }

    /// The node for `path` if it was filed in the collision fallback.
    pub(super) fn get_collided(&self, path: &str) -> Option<NodeId> {
        if self.collided.is_empty() {
            return None;
        }
        self.collided.get(path).copied()
    }

    pub(super) fn insert(&mut self, key: u64, path: &str, id: NodeId) {
        match self.by_hash.entry(short(key)) {
            griddle::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
            griddle::hash_map::Entry::Occupied(_) => {
                self.collided.insert(path.into(), id);
            }
        }
    }

    pub(super) fn clear(&mut self) {
        *self = Self::with_mask(self.mask);
    }

    /// Heap bytes held (hash table slots plus one control byte each, and fallback keys).
    pub(super) fn approx_heap_bytes(&self) -> usize {
        let slot = size_of::<(u32, NodeId)>() + 1;
        let collided: usize = self.collided.keys().map(|k| k.len()).sum();
        self.by_hash.capacity() * slot + self.collided.capacity() * (size_of::<(Box<str>, NodeId)>() + 1) + collided
    }

    #[cfg(test)]
    pub(super) fn collided_len(&self) -> usize {
        self.collided.len()
    }
}

/// The table's key: both halves of the path hash folded into 32 bits.
fn short(key: u64) -> u32 {
    ((key >> 32) ^ key) as u32
}

/// The keys are already SipHash outputs; hashing them again would only cost time. The
/// table wants 64 bits (its top 7 pick the control byte), so a 32-bit key is spread by
/// one multiplication.
#[derive(Default)]
pub(super) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u32` is used (the keys are u32); fold anything else just in case.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
