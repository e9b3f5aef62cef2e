//! The live topic hierarchy: an arena of nodes (one per topic level) with per-node
//! counters and the retained flag, an index from full topic to node, and the message
//! history (which always holds each topic's newest message, so nodes don't copy it).
//! Any topic string is accepted: empty levels, leading or trailing '/', the empty
//! topic, unicode, and topics tens of kilobytes long. Nothing here recurses, so even a
//! topic of 64k levels cannot overflow the stack.
//!
//! Sorting and flattening for display live in `tree_view`; this file keeps the data.

use super::chunked::ChunkedVec;
use super::history::{DEFAULT_HISTORY_BUDGET_BYTES, History};
use super::level_names::{LevelNames, NameId};
use super::node::{NO_PARENT, Node, NodeId};
use super::stored::StoredMessage;
use super::tree_index::TopicIndex;

/// The topic hierarchy.
#[derive(Debug)]
pub struct TopicTree {
    /// Chunked: growing never copies the nodes already there (see `chunked.rs`).
    nodes: ChunkedVec<Node>,
    /// Each distinct level name once.
    names: LevelNames,
    index: TopicIndex,
    history: History,
    topic_count: usize,
    /// Bumped when nodes are added or removed: a name-sorted view is stale only then.
    structure_generation: u64,
    /// Bumped on every change, counters included.
    generation: u64,
}

impl Default for TopicTree {
    fn default() -> Self {
        Self::new()
    }
}

impl TopicTree {
    pub fn new() -> Self {
        Self::with_history_budget(DEFAULT_HISTORY_BUDGET_BYTES)
    }

    /// A tree whose history keeps at most `budget_bytes` (see [`History`]).
    pub fn with_history_budget(budget_bytes: usize) -> Self {
        let mut tree = Self::with_index(TopicIndex::new());
        tree.history.set_budget_bytes(budget_bytes);
        tree
    }

    #[cfg(test)]
    pub(crate) fn with_colliding_hashes() -> Self {
        Self::with_index(TopicIndex::with_mask(0))
    }

    fn with_index(index: TopicIndex) -> Self {
        Self {
            nodes: {
                let mut nodes = ChunkedVec::new();
                nodes.push(Node::new(NameId::EMPTY, 0, NO_PARENT));
                nodes
            },
            names: LevelNames::new(),
            index,
            history: History::default(),
            topic_count: 0,
            structure_generation: 0,
            generation: 0,
        }
    }

    /// Records a message on `topic`, creating its nodes as needed, and returns its node.
    /// A retained message with an empty payload clears the retained flag.
    pub fn record(&mut self, topic: &str, msg: StoredMessage) -> NodeId {
        let id = self.get_or_insert(topic);
        let bytes = msg.payload.len() as u64;
        // The time converted once, not once per level (it was 5-7% of a burst's ingest).
        let time = msg.compact_time();
        let at_ms = time.epoch_ms().unwrap_or(0);
        let stamp = super::rate::Stamp::of(at_ms);
        let first = self.nodes[id.index()].count_own(&msg);
        self.history.push(id, msg);
        self.topic_count += usize::from(first);
        // Aggregates are kept eagerly: one walk up per message is cheap, and it lets
        // the UI read subtree counts of any visible row in O(1).
        let mut current = Some(id);
        while let Some(at) = current {
            let node = &mut self.nodes[at.index()];
            node.count_in_subtree(bytes, time, &stamp, first);
            current = node.parent();
        }
        self.generation += 1;
        id
    }

    /// The node of `topic`, creating it and its missing ancestors (without messages).
    pub fn get_or_insert(&mut self, topic: &str) -> NodeId {
        if let Some(id) = self.find(topic) {
            return id;
        }
        let mut hasher = self.index.hasher();
        let mut parent = NodeId::ROOT;
        for level in topic.split('/') {
            hasher.push(level);
            let key = hasher.key();
            // The parent is already confirmed, so one level compare confirms the path.
            let existing = self.find_keyed(key, |_, node| {
                node.parent() == Some(parent) && self.names.get(node.name_id()) == level
            });
            parent = match existing {
                Some(id) => id,
                None => self.add_node(parent, level, key),
            };
        }
        parent
    }

    fn add_node(&mut self, parent: NodeId, level: &str, key: u32) -> NodeId {
        // 4 billion nodes would need hundreds of GiB; memory runs out long before.
        let id = NodeId(u32::try_from(self.nodes.len()).expect("topic tree node count fits u32"));
        let name = self.names.intern(level);
        self.nodes.push(Node::new(name, key, parent));
        self.nodes[parent.index()].push_child(id);
        let nodes = &self.nodes;
        self.index.insert(key, id, |id| nodes[id.index()].path_key());
        self.structure_generation += 1;
        self.generation += 1;
        id
    }

    /// The node of exactly `topic`, if it exists (with or without messages).
    pub fn find(&self, topic: &str) -> Option<NodeId> {
        let key = self.index.key_of(topic);
        self.find_keyed(key, |id, _| self.path_is(id, topic))
    }

    /// The node filed under path key `key` whose key matches and that `confirm` accepts.
    fn find_keyed(&self, key: u32, confirm: impl Fn(NodeId, &Node) -> bool) -> Option<NodeId> {
        self.index.find(key, |id| {
            let node = &self.nodes[id.index()];
            node.path_key() == key && confirm(id, node)
        })
    }

    /// True when the node's path spells `topic`.
    fn path_is(&self, id: NodeId, topic: &str) -> bool {
        let mut current = id;
        for level in topic.rsplit('/') {
            if current == NodeId::ROOT {
                return false;
            }
            let node = &self.nodes[current.index()];
            if self.names.get(node.name_id()) != level {
                return false;
            }
            current = node.parent().unwrap_or(NodeId::ROOT);
        }
        current == NodeId::ROOT
    }

    /// The node; panics for an id that does not come from this tree (or predates a
    /// `clear`). Use [`TopicTree::get`] for ids that may be stale.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The node's level name ("" for the root or an unknown id).
    pub fn name(&self, id: NodeId) -> &str {
        self.get(id).map_or("", |node| self.name_of(node))
    }

    /// The level name of a node of this tree.
    pub fn name_of(&self, node: &Node) -> &str {
        self.names.get(node.name_id())
    }

    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The root (its counters are the totals of the whole tree).
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    pub fn contains(&self, id: NodeId) -> bool {
        id.index() < self.nodes.len()
    }

    /// Number of nodes, not counting the invisible root.
    pub fn len(&self) -> usize {
        self.nodes.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of topics that received at least one message.
    pub fn topic_count(&self) -> usize {
        self.topic_count
    }

    /// Changes whenever nodes are added or the tree is cleared.
    pub fn structure_generation(&self) -> u64 {
        self.structure_generation
    }

    /// Changes on every modification (a cheap "redraw needed" check).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The full topic of a node ("" for the root or an unknown id).
    pub fn full_topic(&self, id: NodeId) -> String {
        if !self.contains(id) || id == NodeId::ROOT {
            return String::new();
        }
        let mut levels: Vec<&str> = std::iter::once(id)
            .chain(self.ancestors(id))
            .map(|a| self.name(a))
            .collect();
        levels.reverse();
        levels.join("/")
    }

    /// Number of levels above the node: 0 for a first-level node (and the root).
    pub fn depth(&self, id: NodeId) -> usize {
        self.ancestors(id).count()
    }

    /// Parent, grandparent, ... up to but excluding the root.
    pub fn ancestors(&self, id: NodeId) -> Ancestors<'_> {
        let next = self.get(id).and_then(Node::parent).filter(|&p| p != NodeId::ROOT);
        Ancestors { tree: self, next }
    }

    /// The node and all its descendants, depth-first, parents before children, children
    /// in insertion order. Empty for an unknown id.
    pub fn iter_subtree(&self, id: NodeId) -> Subtree<'_> {
        let stack = if self.contains(id) { vec![id] } else { Vec::new() };
        Subtree { tree: self, stack }
    }

    /// The last message received on exactly this topic.
    pub fn last_message(&self, id: NodeId) -> Option<&StoredMessage> {
        self.history.newest(id)
    }

    /// Stored messages of every topic.
    pub fn history(&self) -> &History {
        &self.history
    }

    pub(super) fn history_mut(&mut self) -> &mut History {
        &mut self.history
    }

    /// Removes every node, counter and message. Previously returned ids become invalid.
    pub fn clear(&mut self) {
        self.history.clear();
        self.nodes.clear_keeping(1024);
        self.nodes.push(Node::new(NameId::EMPTY, 0, NO_PARENT));
        self.names.clear();
        self.index.clear();
        self.topic_count = 0;
        self.structure_generation += 1;
        self.generation += 1;
    }

    /// Approximate heap bytes held by the tree structure itself (arena, names, child
    /// lists, index); messages are not included.
    pub fn approx_heap_bytes(&self) -> usize {
        let per_node: usize = self.nodes.iter().map(Node::heap_bytes).sum();
        self.nodes.capacity() * size_of::<Node>() + per_node + self.names.heap_bytes() + self.index.approx_heap_bytes()
    }

    pub(super) fn nodes(&self) -> &ChunkedVec<Node> {
        &self.nodes
    }
}

/// Iterator over a node's ancestors; see [`TopicTree::ancestors`].
#[derive(Debug)]
pub struct Ancestors<'t> {
    tree: &'t TopicTree,
    next: Option<NodeId>,
}

impl Iterator for Ancestors<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        self.next = self.tree.node(id).parent().filter(|&p| p != NodeId::ROOT);
        Some(id)
    }
}

/// Depth-first iterator over a subtree; see [`TopicTree::iter_subtree`].
#[derive(Debug)]
pub struct Subtree<'t> {
    tree: &'t TopicTree,
    stack: Vec<NodeId>,
}

impl Iterator for Subtree<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack.extend(self.tree.node(id).children().iter().rev().copied());
        Some(id)
    }
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
