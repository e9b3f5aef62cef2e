//! Finding a topic's node in one hash lookup without storing any topic string.
//!
//! A node's key is a 32-bit hash of its path (foldhash, seeded at random per tree:
//! only minimally resistant to chosen topics, where SipHash took 4-6% of a burst's
//! ingest; many paths on one key make their lookups slower, never wrong), kept in the
//! node itself; the table holds only
//! node ids, filed under their keys, and a hit is confirmed against the arena, where
//! each node keeps only its level name. Storing full topics instead would cost memory
//! quadratic in depth: a 64 KiB topic of 32k empty levels would need 1 GiB of prefixes.
//! Two paths with the same key are simply two entries under one hash, told apart by the
//! confirmation, so lookups stay exact.
//!
//! An entry is a 4-byte id and the table's control byte: at a million topics (a table
//! of 2^21 entries) 10 MB, where id and key together took 19 MB. The table re-reads a
//! node's key from the arena when it moves the entry to a grown table.
//!
//! The hash map is griddle's, which moves a few entries to the grown table on each
//! insert instead of all at once: with std's map, the doubling past ~500k topics
//! rehashed every entry in one insert, and the frame that did it took 10-26 ms.

use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use foldhash::fast::{FoldHasher, RandomState};

use super::node::NodeId;

/// Path hash → node.
#[derive(Debug)]
pub(super) struct TopicIndex {
    seed: RandomState,
    /// Keyed by the nodes' path keys, which the closures passed in read from the arena.
    by_path: griddle::HashMap<NodeId, (), BuildHasherDefault<CallerHashes>>,
    /// All ones, except in tests that give every path the same key.
    mask: u64,
}

/// Incremental path hash: feed levels in order, read the key of the prefix so far.
#[derive(Clone)]
pub(super) struct PathHasher {
    state: FoldHasher<'static>,
    mask: u64,
}

impl PathHasher {
    pub(super) fn push(&mut self, level: &str) {
        self.state.write(level.as_bytes());
        // 0xFF never occurs in UTF-8, so levels cannot run into each other:
        // ["a", ""] and ["a"] hash different byte streams.
        self.state.write_u8(0xff);
    }

    /// The path key of the levels pushed so far: both halves of the hash folded.
    pub(super) fn key(&self) -> u32 {
        let key = self.state.clone().finish() & self.mask;
        ((key >> 32) ^ key) as u32
    }
}

impl TopicIndex {
    pub(super) fn new() -> Self {
        Self::with_mask(u64::MAX)
    }

    /// A mask of 0 gives every path the same key, exercising the confirmation in tests.
    pub(super) fn with_mask(mask: u64) -> Self {
        Self {
            seed: RandomState::default(),
            by_path: griddle::HashMap::default(),
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
    pub(super) fn key_of(&self, topic: &str) -> u32 {
        let mut hasher = self.hasher();
        topic.split('/').for_each(|level| hasher.push(level));
        hasher.key()
    }

    /// The node filed under `key` that `is_it` confirms (it should check the node's
    /// path, its key first: that is the cheapest test).
    pub(super) fn find(&self, key: u32, mut is_it: impl FnMut(NodeId) -> bool) -> Option<NodeId> {
        self.by_path
            .raw_entry()
            .from_hash(spread(key), |&id| is_it(id))
            .map(|(&id, ())| id)
    }

    /// Files a new node under its key; `key_of_node` reads any node's key from the
    /// arena (the table calls it for entries it moves while it grows).
    pub(super) fn insert(&mut self, key: u32, id: NodeId, key_of_node: impl Fn(NodeId) -> u32) {
        let hash = spread(key);
        if let griddle::hash_map::RawEntryMut::Vacant(slot) = self.by_path.raw_entry_mut().from_hash(hash, |_| false) {
            slot.insert_with_hasher(hash, id, (), |&id| spread(key_of_node(id)));
        }
    }

    pub(super) fn clear(&mut self) {
        *self = Self::with_mask(self.mask);
    }

    /// Heap bytes held (one id and one control byte per table entry).
    pub(super) fn approx_heap_bytes(&self) -> usize {
        self.by_path.capacity() * (size_of::<NodeId>() + 1)
    }
}

/// The table's hash of a 32-bit key: the table wants 64 bits (its top 7 pick the
/// control byte), so the key is spread by one multiplication.
fn spread(key: u32) -> u64 {
    u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The tables of the topic index and of the level names are used only through
/// griddle's raw entries, which take hashes the caller made (and a function to remake
/// them when the table grows); this hasher type is never asked for one.
#[derive(Default)]
pub(super) struct CallerHashes;

impl Hasher for CallerHashes {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, _: &[u8]) {}
}
