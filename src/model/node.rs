//! One level of the topic tree and its counters, and the id that names it. The tree
//! (`tree.rs`) owns the arena and keeps these consistent; the UI only reads them.

use std::time::SystemTime;

use thin_vec::ThinVec;

use super::compact_time::CompactTime;
use super::level_names::NameId;

use super::rate::{MINUTE_MS, MinuteWindow, Rate, RateWindow, Stamp, WINDOW_MS, Window};
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

/// The top bit of a node's `own` field: the last message here was retained.
const RETAINED_BIT: u64 = 1 << 63;

/// The root's parent: it has none.
pub(super) const NO_PARENT: NodeId = NodeId(u32::MAX);

/// One topic level. Counters include the node itself and all its descendants unless
/// named `own`.
#[derive(Debug, Clone)]
pub struct Node {
    /// This level only, stored once per distinct name in the tree's table
    /// ([`TopicTree::name`](super::TopicTree::name)); the full topic is rebuilt by
    /// [`TopicTree::full_topic`](super::TopicTree::full_topic).
    name: NameId,
    /// `NO_PARENT` for the root.
    parent: NodeId,
    /// The key of this node's path in the topic index (`tree_index.rs`), which keeps
    /// only node ids and reads their keys here.
    path_key: u32,
    subtree_topics: u32,
    /// In insertion order; see `TopicTree::sorted_children` for display orders.
    /// One pointer wide: most nodes are leaves, whose empty list allocates nothing.
    children: ThinVec<NodeId>,
    /// Messages on exactly this topic (low 63 bits) and, in the top bit, whether the
    /// last one was retained: one field where two took 16 bytes with padding.
    own: u64,
    subtree_messages: u64,
    subtree_bytes: u64,
    last_update: CompactTime,
    /// Messages and bytes per second here and below, over the last 10 s and the last
    /// minute. `None` until the second message here or below: the one message's time
    /// and size are `last_update` and `subtree_bytes`, so its rates are derived from
    /// them. A million retained topics with one message each then pay 8 bytes a node
    /// for their rates instead of 48.
    rates: Option<Box<Rates>>,
}

/// Both rate windows of a node that has seen more than one message.
#[derive(Debug, Clone, Copy, Default)]
struct Rates {
    rate: RateWindow,
    minute: MinuteWindow,
}

impl Node {
    pub(super) fn new(name: NameId, path_key: u32, parent: NodeId) -> Self {
        Self {
            name,
            parent,
            path_key,
            children: ThinVec::new(),
            own: 0,
            subtree_messages: 0,
            subtree_bytes: 0,
            subtree_topics: 0,
            last_update: CompactTime::NEVER,
            rates: None,
        }
    }

    /// The level name's id; [`TopicTree::name`](super::TopicTree::name) reads it (it may
    /// be empty, e.g. the first level of "/a").
    pub fn name_id(&self) -> NameId {
        self.name
    }

    pub(super) fn path_key(&self) -> u32 {
        self.path_key
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
        self.own & !RETAINED_BIT
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
        self.subtree_topics - u32::from(self.has_messages())
    }

    /// True when this topic received at least one message itself.
    pub fn has_messages(&self) -> bool {
        self.own_messages() > 0
    }

    /// Retained flag of the last message; false after a retained clear (empty payload).
    pub fn retained(&self) -> bool {
        self.own & RETAINED_BIT != 0
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
        let count = self.own_messages();
        // 2^63 messages cannot arrive; saturating keeps the flag's bit clear regardless.
        let count_after = (count + 1).min(!RETAINED_BIT);
        let retained = msg.retain && !msg.payload.is_empty();
        self.own = count_after | if retained { RETAINED_BIT } else { 0 };
        count == 0
    }

    /// Counts a message received here or below (`stamp`: where it falls in the rate
    /// windows' buckets).
    pub(super) fn count_in_subtree(&mut self, bytes: u64, time: CompactTime, stamp: &Stamp, new_topic: bool) {
        if self.subtree_messages == 1 {
            // The second message: the windows start with the first one, as if they had
            // counted it when it came.
            self.rates = Some(Box::new(self.only_message_rates()));
        }
        self.subtree_messages += 1;
        self.subtree_bytes += bytes;
        self.subtree_topics += u32::from(new_topic);
        self.last_update = time;
        if let Some(r) = &mut self.rates {
            r.rate.add_in(stamp.short.0, stamp.short.1, bytes);
            r.minute.add_in(stamp.minute.0, stamp.minute.1, bytes);
        }
    }

    /// The windows of a node whose one message (or none) is `last_update` and
    /// `subtree_bytes`.
    fn only_message_rates(&self) -> Rates {
        let at_ms = self.only_message_ms();
        Rates {
            rate: self.only_message_window(at_ms),
            minute: self.only_message_window(at_ms),
        }
    }

    /// A window of `MS` holding the node's one message, received at `at_ms` (empty
    /// without one).
    fn only_message_window<const MS: u64>(&self, at_ms: Option<u64>) -> Window<MS> {
        let mut window = Window::default();
        if let Some(at_ms) = at_ms {
            window.add(at_ms, self.subtree_bytes);
        }
        window
    }

    /// When the node's only message came, in ms since 1970 (`None` unless it has
    /// exactly one).
    fn only_message_ms(&self) -> Option<u64> {
        if self.subtree_messages != 1 {
            return None;
        }
        self.last_update.epoch_ms()
    }

    /// The rate over a window of `MS` of a node without windows. A message two buckets
    /// back or more reads 0 without building a window, as the window would read it:
    /// most retained topics, read by every traffic scan, are in that case.
    fn one_message_rate<const MS: u64>(&self, now_ms: u64) -> Rate {
        match self.only_message_ms() {
            Some(at_ms) if now_ms / MS <= at_ms / MS + 1 => self.only_message_window::<MS>(Some(at_ms)).at(now_ms),
            _ => Rate::default(),
        }
    }

    /// Messages and bytes per second here and below over the minute before `now_ms`.
    pub fn minute_rate_at(&self, now_ms: u64) -> Rate {
        match &self.rates {
            Some(r) => r.minute.at(now_ms),
            None => self.one_message_rate::<MINUTE_MS>(now_ms),
        }
    }

    /// Messages and bytes per second here and below over the 10 s before `now_ms` (ms
    /// since 1970; see [`super::rate::epoch_ms`]).
    pub fn rate_at(&self, now_ms: u64) -> Rate {
        match &self.rates {
            Some(r) => r.rate.at(now_ms),
            None => self.one_message_rate::<WINDOW_MS>(now_ms),
        }
    }

    /// The rate now.
    pub fn rate(&self) -> Rate {
        self.rate_at(super::rate::epoch_ms(SystemTime::now()))
    }

    /// Heap bytes owned by the node beyond its arena slot (child list, rates).
    pub(super) fn heap_bytes(&self) -> usize {
        let children = if self.children.capacity() == 0 {
            0
        } else {
            2 * size_of::<usize>() + self.children.capacity() * size_of::<NodeId>()
        };
        let rates = if self.rates.is_some() { size_of::<Rates>() } else { 0 };
        children + rates
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn a_node_is_small() {
        // The arena holds one per topic level: 1M topics pay this a million times.
        assert_eq!(size_of::<Node>(), 64);
    }

    #[test]
    fn rates_read_the_same_before_and_after_the_windows_are_allocated() {
        use super::super::rate::epoch_ms;
        use std::time::{Duration, UNIX_EPOCH};
        let start = UNIX_EPOCH + Duration::from_millis(1_700_000_003_250);
        let mut node = Node::new(NameId::EMPTY, 0, NodeId::ROOT);
        // Every message counted as it comes, as before the windows were made lazy.
        let mut counted = Rates::default();
        let check = |node: &Node, counted: &Rates, step: &str| {
            // From the first message's instant (a young stream, read over its own age) to
            // long after the last one, in both windows.
            for after_ms in [
                0, 1, 500, 1_000, 3_699, 5_000, 9_999, 10_000, 12_000, 12_101, 12_500, 15_000, 21_000, 59_000, 70_000,
                130_000,
            ] {
                let now = epoch_ms(start) + after_ms;
                assert_eq!(node.rate_at(now), counted.rate.at(now), "{step}, +{after_ms} ms");
                assert_eq!(
                    node.minute_rate_at(now),
                    counted.minute.at(now),
                    "{step}, +{after_ms} ms"
                );
            }
        };
        check(&node, &counted, "no message");
        assert_eq!(node.rate_at(epoch_ms(start)), Rate::default());
        for (i, (after_ms, bytes)) in [(0u64, 100u64), (3_700, 7), (12_100, 5_000_000_000), (12_101, 0)]
            .into_iter()
            .enumerate()
        {
            let at = start + Duration::from_millis(after_ms);
            let ms = epoch_ms(at);
            node.count_in_subtree(bytes, CompactTime::at(at), &Stamp::of(ms), i == 0);
            counted.rate.add(ms, bytes);
            counted.minute.add(ms, bytes);
            assert_eq!(node.rates.is_some(), i > 0, "windows allocated from the second message");
            check(&node, &counted, &format!("after message {}", i + 1));
        }
    }
}
