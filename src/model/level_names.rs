//! Topic level names, each distinct name stored once. A fleet repeats the same few
//! level names across thousands of devices (`temperature`, `state`, `LWT`, `sensor07`),
//! so a node keeps a 4-byte [`NameId`] instead of a 24-byte inline string: at a million
//! topics that is 20 MB less. A name seen once costs its bytes, a 12-byte span and a
//! table entry, about what an inline string cost.
//!
//! The bytes live in 64 KiB blocks (only the first grows, up to that size), and the
//! table (name hash → id) is griddle's, which grows a little on each insert instead of all at once, so a
//! burst of new names never stalls a frame with a copy (see `chunked.rs`).

use std::hash::{BuildHasher, BuildHasherDefault};

use foldhash::fast::RandomState;

use super::chunked::ChunkedVec;
use super::tree_index::CallerHashes;

/// A level name of a `LevelNames`; valid until it is cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameId(u32);

impl NameId {
    /// The empty name: interned first, so every table has it.
    pub const EMPTY: NameId = NameId(0);
}

/// Bytes per block; a longer name gets a block of its own.
const BLOCK: usize = 64 * 1024;

/// Where a name's bytes are.
#[derive(Debug, Clone, Copy)]
struct Span {
    block: u32,
    start: u32,
    len: u32,
}

/// The distinct level names of one tree.
#[derive(Debug)]
pub(super) struct LevelNames {
    seed: RandomState,
    /// Filled in order (see `store`).
    blocks: Vec<String>,
    /// The block new names go to (names longer than a block get their own after it).
    filling: usize,
    spans: ChunkedVec<Span>,
    /// Every id, under the hash of its name; the names themselves confirm a hit.
    by_hash: griddle::HashMap<NameId, (), BuildHasherDefault<CallerHashes>>,
}

impl LevelNames {
    pub(super) fn new() -> Self {
        let mut names = Self {
            seed: RandomState::default(),
            blocks: vec![String::new()],
            filling: 0,
            spans: ChunkedVec::new(),
            by_hash: griddle::HashMap::default(),
        };
        let empty = names.intern("");
        debug_assert_eq!(empty, NameId::EMPTY);
        names
    }

    /// The name's id, adding the name if it is new.
    pub(super) fn intern(&mut self, name: &str) -> NameId {
        let hash = self.seed.hash_one(name);
        let Self {
            seed,
            blocks,
            filling,
            spans,
            by_hash,
        } = self;
        match by_hash
            .raw_entry_mut()
            .from_hash(hash, |&id| text(blocks, spans, id) == name)
        {
            griddle::hash_map::RawEntryMut::Occupied(entry) => *entry.key(),
            griddle::hash_map::RawEntryMut::Vacant(entry) => {
                // 4 billion distinct names would need tens of GiB; memory runs out first.
                let id = NameId(u32::try_from(spans.len()).expect("level name count fits u32"));
                spans.push(store(blocks, filling, name));
                entry.insert_with_hasher(hash, id, (), |&id| seed.hash_one(text(blocks, spans, id)));
                id
            }
        }
    }

    /// The id of `name` if it was ever interned.
    #[cfg(test)]
    fn find(&self, name: &str) -> Option<NameId> {
        let hash = self.seed.hash_one(name);
        self.by_hash
            .raw_entry()
            .from_hash(hash, |&id| self.get(id) == name)
            .map(|(&id, ())| id)
    }

    /// The name of an id of this table ("" for an id it never gave).
    pub(super) fn get(&self, id: NameId) -> &str {
        text(&self.blocks, &self.spans, id)
    }

    pub(super) fn clear(&mut self) {
        *self = Self::new();
    }

    /// Heap bytes held: the blocks, the spans and the table.
    pub(super) fn heap_bytes(&self) -> usize {
        let blocks: usize = self.blocks.iter().map(String::capacity).sum();
        blocks
            + self.blocks.capacity() * size_of::<String>()
            + self.spans.capacity() * size_of::<Span>()
            + self.by_hash.capacity() * (size_of::<NameId>() + 1)
    }
}

/// The bytes of `id`.
fn text<'a>(blocks: &'a [String], spans: &ChunkedVec<Span>, id: NameId) -> &'a str {
    spans
        .get(id.0 as usize)
        .and_then(|s| {
            let end = s.start as usize + s.len as usize;
            blocks.get(s.block as usize)?.get(s.start as usize..end)
        })
        .unwrap_or("")
}

/// Appends `name` to the blocks and says where it went. The first block grows like a
/// `String` (a small tree's names stay small); later ones are allocated whole, so a
/// burst of new names never copies the names already stored.
fn store(blocks: &mut Vec<String>, filling: &mut usize, name: &str) -> Span {
    // Names are parts of topics: 65,535 bytes over MQTT, under 1 GB from a recording
    // (SQLite's longest text), so none reaches 4 GiB.
    let len = u32::try_from(name.len()).expect("a topic level is shorter than 4 GiB");
    if name.len() > BLOCK / 4 {
        // A long name gets an exact block of its own; the filling block stays open.
        blocks.push(name.to_owned());
        return Span {
            block: block_index(blocks.len() - 1),
            start: 0,
            len,
        };
    }
    if blocks[*filling].len() + name.len() > BLOCK {
        blocks.push(String::with_capacity(BLOCK));
        *filling = blocks.len() - 1;
    }
    let block = &mut blocks[*filling];
    // The first block doubles like a `String`, but never past BLOCK.
    let needed = block.len() + name.len();
    if needed > block.capacity() {
        // `needed` is at most BLOCK here (longer names took their own block above).
        let want = needed.next_power_of_two().min(BLOCK);
        block.reserve_exact(want - block.len());
    }
    let start = block.len() as u32;
    block.push_str(name);
    Span {
        block: block_index(*filling),
        start,
        len,
    }
}

fn block_index(index: usize) -> u32 {
    // A block holds at least BLOCK / 4 bytes: 4 billion of them would be 64 TiB.
    u32::try_from(index).expect("name block count fits u32")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_stored_once_and_read_back() {
        let mut names = LevelNames::new();
        assert_eq!(names.get(NameId::EMPTY), "");
        assert_eq!(names.intern(""), NameId::EMPTY);
        let a = names.intern("temperature");
        let b = names.intern("温度");
        assert_ne!(a, b);
        assert_eq!(names.intern("temperature"), a);
        assert_eq!(names.get(a), "temperature");
        assert_eq!(names.get(b), "温度");
        assert_eq!(names.find("温度"), Some(b));
        assert_eq!(names.find("humidity"), None);
    }

    #[test]
    fn many_names_across_blocks_and_long_ones_stay_put() {
        let mut names = LevelNames::new();
        let long = "x".repeat(BLOCK + 10);
        let mut ids = Vec::new();
        for i in 0..30_000 {
            ids.push((names.intern(&format!("device-{i:08}")), i));
            if i % 7_000 == 0 {
                ids.push((names.intern(&long), usize::MAX));
            }
        }
        assert!(names.blocks.len() > 4, "{} blocks", names.blocks.len());
        for (id, i) in ids {
            let expected = if i == usize::MAX {
                long.clone()
            } else {
                format!("device-{i:08}")
            };
            assert_eq!(names.get(id), expected);
            assert_eq!(names.find(&expected), Some(id));
        }
        // Blocks after the first are allocated whole and never outgrow it.
        assert!(
            names.blocks[1..]
                .iter()
                .all(|b| b.capacity() == BLOCK || b.len() > BLOCK / 4)
        );
        names.clear();
        assert_eq!(names.find("device-00000001"), None);
        assert_eq!(names.get(NameId::EMPTY), "");
    }
}
