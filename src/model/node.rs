//! One level of the topic tree and its counters, and the id that names it. The tree
//! (`tree.rs`) owns the arena and keeps these consistent; the UI only reads them.

use std::time::SystemTime;

use compact_str::CompactString;
use thin_vec::ThinVec;

use super::compact_time::CompactTime;

use super::rate::{MinuteWindow, Rate, RateWindow, Stamp};
use super::stored::StoredMessage;

/// A node of a [`TopicTree`](super::TopicTree). Valid until the tree is cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) u32);

impl NodeId {
    /// The invisible root; its children are the first topic levels.
    pub const ROOT: NodeId = NodeId(0);

    /// Position in the arena (dense, so usable to index side tables).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The root's parent: it has none.
pub(super) const NO_PARENT: NodeId = NodeId(u32::MAX);

/// One topic level. Counters include the node itself and all its descendants unless
/// named `own_`.
#[derive(Debug, Clone)]
pub struct Node {
    /// This level only; the full topic is rebuilt by [`TopicTree::full_topic`](super::TopicTree::full_topic).
    /// Level names up to 24 bytes (nearly all) are kept inline, without an allocation.
    name: CompactString,
    /// `NO_PARENT` for the root.
    parent: NodeId,
    /// In insertion order; see `TopicTree::sorted_children` for display orders.
    /// One pointer wide: most nodes are leaves, whose empty list allocates nothing.
    children: ThinVec<NodeId>,
    own_messages: u64,
    subtree_messages: u64,
    subtree_bytes: u64,
    subtree_topics: u32,
    retained: bool,
    last_update: CompactTime,
    /// Messages and bytes per second here and below, over the last 10 s.
    rate: RateWindow,
    /// The same over the last minute.
    minute: MinuteWindow,
}

impl Node {
    pub(super) fn new(name: &str, parent: NodeId) -> Self {
        Self {
            name: CompactString::new(name),
            parent,
            children: ThinVec::new(),
            own_messages: 0,
            subtree_messages: 0,
            subtree_bytes: 0,
            subtree_topics: 0,
            retained: false,
            last_update: CompactTime::NEVER,
            rate: RateWindow::default(),
            minute: MinuteWindow::default(),
        }
    }

    /// The level name (may be empty, e.g. the first level of "/a").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `None` for the root; `Some(NodeId::ROOT)` for first-level nodes.
    pub fn parent(&self) -> Option<NodeId> {
        (self.parent != NO_PARENT).then_some(self.parent)
    }

    pub fn children(&self) -> &[NodeId] {
        &self.children
    }

    /// Number of direct children.
    pub fn child_count(&self) -> usize {
        self.children.len()
    }

    /// Messages received on exactly this topic.
    pub fn own_messages(&self) -> u64 {
        self.own_messages
    }

    /// Messages received on this topic and every topic below it.
    pub fn subtree_messages(&self) -> u64 {
        self.subtree_messages
    }

    /// Payload bytes received on this topic and below.
    pub fn subtree_bytes(&self) -> u64 {
        self.subtree_bytes
    }

    /// Topics (nodes that received at least one message) here and below, this one
    /// included if it has messages.
    pub fn subtree_topics(&self) -> u32 {
        self.subtree_topics
    }

    /// Topics below this node that received messages (the "sub-topics" count).
    pub fn sub_topic_count(&self) -> u32 {
        self.subtree_topics - u32::from(self.own_messages > 0)
    }

    /// True when this topic received at least one message itself.
    pub fn has_messages(&self) -> bool {
        self.own_messages > 0
    }

    /// Retained flag of the last message; false after a retained clear (empty payload).
    pub fn retained(&self) -> bool {
        self.retained
    }

    /// Time of the latest message here or below (for activity highlights and sorting).
    pub fn last_update(&self) -> Option<SystemTime> {
        self.last_update.get()
    }

    /// Appends a child (insertion order is kept; display order is computed later).
    pub(super) fn push_child(&mut self, child: NodeId) {
        self.children.push(child);
    }

    /// Counts `msg` as received on exactly this topic; returns true if it is the first.
    /// An empty retained payload is the MQTT "clear retained" signal, so the topic is
    /// no longer marked retained.
    pub(super) fn count_own(&mut self, msg: &StoredMessage) -> bool {
        let first = self.own_messages == 0;
        self.own_messages += 1;
        self.retained = msg.retain && !msg.payload.is_empty();
        first
    }

    /// Counts a message received here or below (`stamp`: where it falls in the rate
    /// windows' buckets).
    pub(super) fn count_in_subtree(&mut self, bytes: u64, time: SystemTime, stamp: &Stamp, new_topic: bool) {
        self.subtree_messages += 1;
        self.subtree_bytes += bytes;
        self.subtree_topics += u32::from(new_topic);
        self.last_update = CompactTime::at(time);
        self.rate.add_in(stamp.short.0, stamp.short.1, bytes);
        self.minute.add_in(stamp.minute.0, stamp.minute.1, bytes);
    }

    /// Messages and bytes per second here and below over the minute before `now_ms`.
    pub fn minute_rate_at(&self, now_ms: u64) -> Rate {
        self.minute.at(now_ms)
    }

    /// Messages and bytes per second here and below over the 10 s before `now_ms` (ms
    /// since 1970; see [`super::rate::epoch_ms`]).
    pub fn rate_at(&self, now_ms: u64) -> Rate {
        self.rate.at(now_ms)
    }

    /// The rate now.
    pub fn rate(&self) -> Rate {
        self.rate.at(super::rate::epoch_ms(SystemTime::now()))
    }

    /// Heap bytes owned by the node beyond its arena slot (name and child list).
    pub(super) fn heap_bytes(&self) -> usize {
        let name = if self.name.is_heap_allocated() {
            self.name.len()
        } else {
            0
        };
        let children = if self.children.capacity() == 0 {
            0
        } else {
            2 * size_of::<usize>() + self.children.capacity() * size_of::<NodeId>()
        };
        name + children
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn a_node_is_small() {
        // The arena holds one per topic level: 1M topics pay this a million times.
        assert!(size_of::<Node>() <= 128, "{}", size_of::<Node>());
    }
}
