//! `--max-size` as a bound on what the recording takes on disk: the main file **and** its
//! WAL (the `-shm` index, 32 KiB that SQLite deletes on close, is not counted).
//!
//! The limit is split in two shares:
//! - the WAL's (an eighth, at most 64 MiB): the writer checkpoints the WAL into the main
//!   file and truncates it before it passes its share, and commits early when the next
//!   commit could push it past;
//! - the main file's (the rest): the oldest messages are deleted when the pages in use
//!   pass 85% of it, down to 70%; new rows reuse the freed pages, so the file (which
//!   only grows at a checkpoint, to the database's page count) stays within its share.
//!
//! What a commit can add to the WAL is bounded without guessing: SQLite writes a page to
//! the WAL when it commits or when its cache, which we size, is full of dirty pages; so
//! at any moment the WAL on disk plus every page of the cache plus the pages the few
//! messages since the last check can have dirtied is the most the WAL can grow to by the
//! next commit. The writer checks this every [`SizeBudget::check_every`] messages.
//!
//! Not bounded: a single message larger than the WAL's share (it cannot fit anyway), and
//! a WAL that another process holds open for reading (a checkpoint cannot truncate it).

/// A page of the recording (schema.rs sets it before the first table).
pub const PAGE_BYTES: u64 = 4096;
/// A WAL frame: one page and its 24-byte header.
const FRAME_BYTES: u64 = PAGE_BYTES + 24;
/// The WAL file's own header.
const WAL_HEADER_BYTES: u64 = 32;
/// The pages one message can dirty besides its payload's overflow pages: a leaf in the
/// table and in each of its two indexes, each of which can split (a new leaf and the
/// parent), and the pointer-map pages `auto_vacuum` keeps for new pages; deleting a row
/// touches the same trees and the freelist.
const PAGES_PER_MESSAGE: u64 = 12;

/// The shares of one `--max-size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeBudget {
    /// The whole limit: main file + WAL.
    pub max_bytes: u64,
    /// The WAL's share.
    pub wal_bytes: u64,
    /// The main file's share.
    pub main_bytes: u64,
    /// `PRAGMA cache_size` in pages: small enough that a cache full of dirty pages fits
    /// in a quarter of the WAL's share.
    pub cache_pages: u64,
    /// Messages (inserted or deleted) between two looks at the WAL's size.
    pub check_every: u64,
}

impl SizeBudget {
    /// The shares of `max_bytes`.
    pub fn new(max_bytes: u64) -> Self {
        let wal_bytes = (max_bytes / 8).min(64 << 20);
        let quarter = wal_bytes / 4;
        Self {
            max_bytes,
            wal_bytes,
            main_bytes: max_bytes - wal_bytes,
            // Even 16 pages (64 KiB) keep the trees' upper levels cached; 2000 is
            // SQLite's default (-2000 KiB ≈ 500 pages) times four.
            cache_pages: (quarter / FRAME_BYTES).clamp(16, 2000),
            check_every: (quarter / (PAGES_PER_MESSAGE * FRAME_BYTES)).clamp(1, 256),
        }
    }

    /// The most the WAL can grow by before the next check and commit: every cached page
    /// dirty, plus what `messages` messages with `payload_bytes` of payload can dirty.
    pub fn reserve_bytes(&self, messages: u64, payload_bytes: u64) -> u64 {
        let pages = self.cache_pages + (messages + self.check_every) * PAGES_PER_MESSAGE;
        let overflow_pages = payload_bytes.div_ceil(PAGE_BYTES - 8);
        WAL_HEADER_BYTES + (pages + overflow_pages) * FRAME_BYTES
    }

    /// True when the transaction must be committed (and the WAL checkpointed) now, as
    /// letting it go on could take the WAL past its share.
    pub fn must_commit(&self, wal_len: u64, messages: u64, payload_bytes: u64) -> bool {
        wal_len + self.reserve_bytes(messages, payload_bytes) > self.wal_bytes
    }

    /// True when a WAL of `wal_len` bytes should be checkpointed and truncated after a
    /// commit: past half its share, so that the next transaction has room to work in.
    pub fn should_checkpoint(&self, wal_len: u64) -> bool {
        wal_len > self.wal_bytes / 2
    }

    /// The pages in use above which the oldest messages go, and down to which.
    pub fn keep_bytes(&self) -> (u64, u64) {
        (self.main_bytes / 100 * 85, self.main_bytes / 100 * 70)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shares_add_up_and_leave_the_wal_room_to_work() {
        for max in [100_000, 2_000_000, 500_000_000, 50_000_000_000] {
            let b = SizeBudget::new(max);
            assert_eq!(b.main_bytes + b.wal_bytes, max);
            // Right after a checkpoint a transaction must be able to start, or the
            // writer would commit after every message.
            if max >= 2_000_000 {
                assert!(
                    !b.must_commit(0, 0, 0),
                    "{max}: reserve {} over the WAL share {}",
                    b.reserve_bytes(0, 0),
                    b.wal_bytes
                );
                assert!(b.reserve_bytes(0, 0) <= b.wal_bytes / 2, "{max}: {b:?}");
            }
        }
        assert_eq!(SizeBudget::new(50_000_000_000).wal_bytes, 64 << 20);
    }
}
