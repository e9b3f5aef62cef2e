//! Recordings: every message of a connection kept in an SQLite file (rusqlite with its
//! bundled SQLite), written off the UI thread, read back without a broker, exported and
//! replayed into a broker.
//!
//! - [`schema`]: the tables, the format version and what identifies our files.
//! - [`batch`]: messages packed for the writer thread (a few allocations a batch).
//! - [`writer`]: the writer thread (batches over a bounded channel, one transaction at
//!   most every 500 ms, a size limit that drops the oldest messages first).
//! - [`reader`]: opens a file read-only and streams its messages in time order.
//! - [`export`]: JSON Lines and CSV, from a recording or from messages in memory.
//! - [`seek`]: the state at a moment and the messages after it, by index.
//! - [`replay`]: the pace, prefix and filters of a replay, and the same-broker rule.
//! - [`player`]: the thread that reads an open recording for the window.
//! - [`error`]: what can go wrong, in words a person can act on.

pub mod batch;
pub mod error;
pub mod export;
pub mod player;
pub mod properties;
pub mod reader;
pub mod replay;
pub mod schema;
pub mod seek;
pub mod size;
pub mod writer;

pub use batch::RecordBatch;
pub use error::RecordError;
pub use reader::{Recorded, Recording, RecordingQuery};
pub use schema::RecordingMeta;
pub use writer::{RecordingStats, RecordingWriter, WriterOptions};
