//! Message history: a ring buffer per topic under one global byte budget, so memory
//! stays bounded under any flood while every topic keeps at least its newest message.
//!
//! Eviction order comes from a global FIFO of `NodeId` tokens, one per evictable
//! message, in arrival order. Popping a token evicts that topic's oldest message, which
//! is the globally oldest one. A token that would evict a topic's only (newest) message
//! is dropped instead and the message is "pinned": it is kept and no longer queued.
//! When a newer message arrives for a pinned topic, the pinned message becomes
//! evictable again and its token goes to the FRONT of the queue: it was the oldest
//! queued message when it was pinned, so it is older than everything queued since.
//! (Among several such superseded messages, the most recently superseded goes first;
//! that imprecision is the price of O(1).) Every token is pushed and popped once, so
//! eviction is amortised O(1) per message, and it stops when the queue is empty, which
//! is exactly when only newest-per-topic messages remain.

use std::collections::VecDeque;

use super::chunked::ChunkedVec;
use super::history_ring::{Ring, shrink_queue_if_sparse};
use super::node::NodeId;
use super::stored::StoredMessage;

/// Default budget: 256 MiB of payloads plus per-message overhead.
pub const DEFAULT_HISTORY_BUDGET_BYTES: usize = 256 * 1024 * 1024;

/// Ring buffers shrink once they use less than a quarter of their capacity, so a topic
/// that once held many messages does not keep that memory outside the budget.
const MIN_SHRINK_CAPACITY: usize = 64;

/// Per-topic history.
#[derive(Debug, Default)]
struct Slot {
    /// Oldest first.
    messages: Ring,
    /// This topic's tokens in the FIFO, stale ones included.
    queued: u32,
    /// Tokens left over from before `clear_topic`; they sit ahead of any newer token of
    /// this topic and are skipped when popped. (u32: 4 billion messages of one topic
    /// cannot fit in memory.)
    stale: u32,
}

impl Slot {
    fn live_tokens(&self) -> usize {
        (self.queued - self.stale) as usize
    }

    /// The newest message is kept and has no token.
    fn pinned(&self) -> bool {
        self.live_tokens() < self.messages.len()
    }
}

/// Message history of all topics under one byte budget.
#[derive(Debug)]
pub struct History {
    /// Chunked: growing never copies the slots already there (see `chunked.rs`).
    slots: ChunkedVec<Slot>,
    fifo: VecDeque<NodeId>,
    used_bytes: usize,
    budget_bytes: usize,
    evicted_count: u64,
    total_len: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::new(DEFAULT_HISTORY_BUDGET_BYTES)
    }
}

impl History {
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            slots: ChunkedVec::new(),
            fifo: VecDeque::new(),
            used_bytes: 0,
            budget_bytes,
            evicted_count: 0,
            total_len: 0,
        }
    }

    /// Appends a message to `node`'s history, then evicts the oldest messages until the
    /// budget holds or only newest-per-topic messages remain.
    pub fn push(&mut self, node: NodeId, msg: StoredMessage) {
        let cost = msg.cost_bytes();
        let index = node.index();
        if index >= self.slots.len() {
            self.slots.grow_with(index + 1, Slot::default);
        }
        let slot = &mut self.slots[index];
        if slot.pinned() {
            self.fifo.push_front(node);
            slot.queued += 1;
        }
        slot.messages.push_back(msg);
        slot.queued += 1;
        self.fifo.push_back(node);
        self.used_bytes += cost;
        self.total_len += 1;
        self.evict_to_budget();
    }

    fn evict_to_budget(&mut self) {
        while self.used_bytes > self.budget_bytes {
            let Some(node) = self.fifo.pop_front() else {
                break; // only newest-per-topic messages are left
            };
            let Some(slot) = self.slots.get_mut(node.index()) else {
                continue;
            };
            slot.queued -= 1;
            if slot.stale > 0 {
                slot.stale -= 1;
                continue;
            }
            if slot.messages.len() < 2 {
                continue; // the token was the newest message's: pin it
            }
            if let Some(old) = slot.messages.pop_front() {
                self.used_bytes -= old.cost_bytes();
                self.total_len -= 1;
                self.evicted_count += 1;
                slot.messages.shrink_if_sparse(MIN_SHRINK_CAPACITY);
            }
        }
        shrink_queue_if_sparse(&mut self.fifo, MIN_SHRINK_CAPACITY);
    }

    /// The messages of `node`, newest first.
    pub fn messages(&self, node: NodeId) -> impl DoubleEndedIterator<Item = &StoredMessage> + ExactSizeIterator {
        self.slots
            .get(node.index())
            .map(|slot| slot.messages.iter())
            .unwrap_or_default()
            .rev()
    }

    /// The `index`-th newest message of `node` (0 is the newest), for virtualised lists.
    pub fn get(&self, node: NodeId, index: usize) -> Option<&StoredMessage> {
        let messages = &self.slots.get(node.index())?.messages;
        let from_front = messages.len().checked_sub(index)?.checked_sub(1)?;
        messages.get(from_front)
    }

    /// The newest message of `node`.
    pub fn newest(&self, node: NodeId) -> Option<&StoredMessage> {
        self.get(node, 0)
    }

    /// Number of messages kept for `node`.
    pub fn len(&self, node: NodeId) -> usize {
        self.slots.get(node.index()).map_or(0, |s| s.messages.len())
    }

    /// Number of messages kept for all topics.
    pub fn total_len(&self) -> usize {
        self.total_len
    }

    /// Bytes charged against the budget (see `StoredMessage::cost_bytes`).
    pub fn used_bytes(&self) -> usize {
        self.used_bytes
    }

    pub fn budget_bytes(&self) -> usize {
        self.budget_bytes
    }

    /// By how much the newest-per-topic messages exceed the budget on their own (0
    /// normally; positive when there are more topics than the budget can hold one
    /// message each of).
    pub fn over_budget_bytes(&self) -> usize {
        self.used_bytes.saturating_sub(self.budget_bytes)
    }

    /// Changes the budget, evicting at once if it shrank.
    pub fn set_budget_bytes(&mut self, budget_bytes: usize) {
        self.budget_bytes = budget_bytes;
        self.evict_to_budget();
    }

    /// Messages dropped to stay within the budget since creation or `clear`.
    pub fn evicted_count(&self) -> u64 {
        self.evicted_count
    }

    /// Forgets all messages of `node` (not counted as evicted).
    pub fn clear_topic(&mut self, node: NodeId) {
        let Some(slot) = self.slots.get_mut(node.index()) else {
            return;
        };
        let messages = std::mem::take(&mut slot.messages);
        self.used_bytes -= messages.iter().map(StoredMessage::cost_bytes).sum::<usize>();
        self.total_len -= messages.len();
        // Its queued tokens now point at nothing; they are skipped when they come up.
        slot.stale = slot.queued;
    }

    /// Forgets all messages of `node` but its newest (its current value, which the
    /// tree shows); the forgotten ones are not counted as evicted.
    pub fn clear_older(&mut self, node: NodeId) {
        let Some(newest) = self.slots.get_mut(node.index()).and_then(|s| s.messages.pop_back()) else {
            return;
        };
        self.clear_topic(node);
        let slot = &mut self.slots[node.index()];
        self.used_bytes += newest.cost_bytes();
        self.total_len += 1;
        // No token: the kept message is pinned, like a topic's only message.
        slot.messages.push_back(newest);
    }

    /// Forgets everything, keeping the budget.
    pub fn clear(&mut self) {
        *self = Self::new(self.budget_bytes);
    }

    /// Heap bytes of the per-topic bookkeeping (not the messages), for memory tests.
    #[cfg(test)]
    pub(crate) fn slots_heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<Slot>()
    }

    #[cfg(test)]
    fn queued_tokens(&self) -> usize {
        self.fifo.len()
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
