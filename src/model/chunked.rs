//! A growable array that never moves what it holds: the first chunk grows by doubling
//! like a `Vec` (small trees stay small), every later one is allocated whole. The node
//! arena and the history's slot table grow to millions of entries while a burst arrives;
//! as `Vec`s, each doubling past ~65k entries copied the whole table in one frame (tens
//! of megabytes at a million topics: the 8-10 ms frames of `bench e2e --window`).

use std::ops::{Index, IndexMut};

/// Entries per chunk, as a power of two.
const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;
const LOW: usize = CHUNK - 1;

/// Not `Clone`: a derived clone would give each chunk only the room it fills, and a
/// later push would then move a chunk's entries.
#[derive(Debug)]
pub(crate) struct ChunkedVec<T> {
    /// Every chunk but the last is full.
    chunks: Vec<Vec<T>>,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> ChunkedVec<T> {
    pub(crate) const fn new() -> Self {
        Self { chunks: Vec::new() }
    }

    pub(crate) fn len(&self) -> usize {
        self.chunks
            .last()
            .map_or(0, |last| (self.chunks.len() - 1) * CHUNK + last.len())
    }

    pub(crate) fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(value),
            _ => {
                // The first chunk starts small; later ones are allocated once, whole.
                let mut chunk = if self.chunks.is_empty() {
                    Vec::new()
                } else {
                    Vec::with_capacity(CHUNK)
                };
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
    }

    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        self.chunks.get(index >> CHUNK_BITS)?.get(index & LOW)
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.chunks.get_mut(index >> CHUNK_BITS)?.get_mut(index & LOW)
    }

    /// Appends values made by `fill` until there are `len`; never shortens.
    pub(crate) fn grow_with(&mut self, len: usize, mut fill: impl FnMut() -> T) {
        for _ in self.len()..len {
            self.push(fill());
        }
    }

    /// Entries in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    /// Entries allocated room for (what the memory figures count).
    pub(crate) fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }

    /// Empties it, keeping at most `keep` entries' room in the first chunk.
    pub(crate) fn clear_keeping(&mut self, keep: usize) {
        self.chunks.truncate(1);
        if let Some(first) = self.chunks.first_mut() {
            first.clear();
            first.shrink_to(keep.min(CHUNK));
        }
    }
}

impl<T> Index<usize> for ChunkedVec<T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        &self.chunks[index >> CHUNK_BITS][index & LOW]
    }
}

impl<T> IndexMut<usize> for ChunkedVec<T> {
    fn index_mut(&mut self, index: usize) -> &mut T {
        &mut self.chunks[index >> CHUNK_BITS][index & LOW]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_their_index_and_place_across_chunks() {
        let mut v = ChunkedVec::new();
        assert!(v.len() == 0 && v.get(0).is_none());
        let n = 3 * CHUNK + 17;
        for i in 0..n {
            v.push(i as u64);
        }
        assert_eq!(v.len(), n);
        // Later pushes never move earlier entries: the address of one stays.
        let first_of_second: *const u64 = &v[CHUNK];
        for i in 0..CHUNK {
            v.push((n + i) as u64);
        }
        assert!(std::ptr::eq(first_of_second, &v[CHUNK]));
        for i in [0, 1, LOW, CHUNK, CHUNK + 1, 2 * CHUNK - 1, n - 1, n + CHUNK - 1] {
            assert_eq!(v[i], i as u64);
            assert_eq!(v.get(i), Some(&(i as u64)));
        }
        assert!(v.get(n + CHUNK).is_none());
        assert!(v.iter().copied().eq(0..(n + CHUNK) as u64));
        v[5] = 500;
        *v.get_mut(CHUNK + 2).unwrap() = 7;
        assert_eq!((v[5], v[CHUNK + 2]), (500, 7));
        // Whole later chunks: room for no more than one chunk beyond what is held.
        assert!(v.capacity() < v.len() + CHUNK);
    }

    #[test]
    fn grow_with_fills_and_clear_keeps_a_small_first_chunk() {
        let mut v = ChunkedVec::new();
        v.grow_with(10, || 1u8);
        v.grow_with(5, || 2u8);
        assert_eq!(v.len(), 10);
        v.grow_with(CHUNK + 3, || 3u8);
        assert_eq!((v[9], v[10], v[CHUNK + 2]), (1, 3, 3));
        v.clear_keeping(16);
        assert!(v.len() == 0 && v.get(0).is_none());
        assert!(v.capacity() <= CHUNK);
        v.push(9);
        assert_eq!((v.len(), v[0]), (1, 9));
    }
}
