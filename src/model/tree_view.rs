//! Display orders for the topic tree: sorted children, computed when asked rather than on
//! every insert, and the flat list of visible rows that the virtualised tree widget
//! scrolls through (only expanded branches, or with a filter only matches and their
//! ancestors).

use std::cmp::Ordering;

use super::decoder_rules::DecoderRules;
use super::filter::TopicFilterMatcher;
use super::node::{Node, NodeId};
use super::stored::StoredMessage;
use super::tree::TopicTree;

/// Order of siblings in the tree view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortKey {
    /// Natural, case-insensitive: "sensor2" before "sensor10".
    #[default]
    Name,
    /// Most messages (in the subtree) first.
    Messages,
    /// Most recently updated (in the subtree) first.
    LastUpdate,
    /// Busiest now (messages per second over the last 10 s, in the subtree) first.
    Rate,
}

/// One visible line of the tree view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub id: NodeId,
    /// 0 for first-level topics.
    pub depth: u32,
    /// The row's children follow it (it has children and is expanded, or is forced open
    /// as an ancestor of a filter match).
    pub expanded: bool,
    /// The row itself matches the filter (false when there is no filter).
    pub matched: bool,
}

const MATCHED: u8 = 1;
const ANCESTOR_OF_MATCH: u8 = 2;

impl TopicTree {
    /// The node's children in display order (empty for an unknown id).
    pub fn sorted_children(&self, id: NodeId, sort: SortKey) -> Vec<NodeId> {
        let mut children = self.get(id).map_or_else(Vec::new, |n| n.children().to_vec());
        self.sort_ids(&mut children, sort);
        children
    }

    fn sort_ids(&self, ids: &mut [NodeId], sort: SortKey) {
        let nodes = self.nodes();
        let node = |id: NodeId| &nodes[id.index()];
        let by_name = |a: &Node, b: &Node| natural_cmp(self.name_of(a), self.name_of(b));
        // Names are unique among siblings, so every order below is total and the
        // unstable sort is deterministic.
        match sort {
            SortKey::Name => ids.sort_unstable_by(|&a, &b| by_name(node(a), node(b))),
            SortKey::Messages => ids.sort_unstable_by(|&a, &b| {
                let (a, b) = (node(a), node(b));
                b.subtree_messages()
                    .cmp(&a.subtree_messages())
                    .then_with(|| by_name(a, b))
            }),
            SortKey::LastUpdate => ids.sort_unstable_by(|&a, &b| {
                let (a, b) = (node(a), node(b));
                b.last_update().cmp(&a.last_update()).then_with(|| by_name(a, b))
            }),
            SortKey::Rate => {
                // Each rate read once (reading decays it to now), then ties by name.
                let now = super::rate::epoch_ms(std::time::SystemTime::now());
                let mut keyed: Vec<(f64, NodeId)> =
                    ids.iter().map(|&id| (node(id).rate_at(now).messages, id)).collect();
                keyed.sort_unstable_by(|(ra, a), (rb, b)| rb.total_cmp(ra).then_with(|| by_name(node(*a), node(*b))));
                for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
                    *slot = id;
                }
            }
        }
    }

    /// The rows to show, depth-first in `sort` order.
    ///
    /// Without a filter (or with an empty one), a node's children are shown when
    /// `expanded(node)` is true. With a filter, a node is shown when its full topic or
    /// its last payload (as UTF-8 text) contains the query, ignoring case, or when it
    /// is an ancestor of such a node; ancestors of matches are shown expanded whatever
    /// `expanded` says.
    pub fn flatten_visible(
        &self,
        expanded: impl Fn(NodeId) -> bool,
        sort: SortKey,
        filter: Option<&TopicFilterMatcher>,
    ) -> Vec<Row> {
        self.flatten_visible_decoded(expanded, sort, filter, &DecoderRules::default())
    }

    /// [`Self::flatten_visible`], where a binary payload that `decoders` decode (a
    /// MessagePack map, a struct) is searched as its decoded JSON text.
    pub fn flatten_visible_decoded(
        &self,
        expanded: impl Fn(NodeId) -> bool,
        sort: SortKey,
        filter: Option<&TopicFilterMatcher>,
        decoders: &DecoderRules,
    ) -> Vec<Row> {
        match filter.filter(|f| !f.is_empty()) {
            None => self.flatten(sort, |_| true, |id, node| !node.children().is_empty() && expanded(id)),
            Some(matcher) => {
                let flags = self.filter_flags(matcher, decoders);
                let flag = |id: NodeId| flags[id.index()];
                self.flatten(sort, |id| flag(id) != 0, |id, _| flag(id) & ANCESTOR_OF_MATCH != 0)
                    .into_iter()
                    .map(|row| Row {
                        matched: flag(row.id) & MATCHED != 0,
                        ..row
                    })
                    .collect()
            }
        }
    }

    /// Iterative depth-first walk: `shown` picks children, `open` decides descent.
    fn flatten(&self, sort: SortKey, shown: impl Fn(NodeId) -> bool, open: impl Fn(NodeId, &Node) -> bool) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut stack: Vec<(NodeId, u32)> = Vec::new();
        let mut siblings: Vec<NodeId> = Vec::new();
        let mut push_children = |parent: &Node, depth: u32, stack: &mut Vec<(NodeId, u32)>| {
            siblings.clear();
            siblings.extend(parent.children().iter().copied().filter(|&c| shown(c)));
            self.sort_ids(&mut siblings, sort);
            stack.extend(siblings.iter().rev().map(|&c| (c, depth)));
        };
        push_children(self.root(), 0, &mut stack);
        while let Some((id, depth)) = stack.pop() {
            let node = self.node(id);
            let expanded = open(id, node);
            rows.push(Row {
                id,
                depth,
                expanded,
                matched: false,
            });
            if expanded {
                push_children(node, depth.saturating_add(1), &mut stack);
            }
        }
        rows
    }

    /// Per node: MATCHED and/or ANCESTOR_OF_MATCH.
    fn filter_flags(&self, matcher: &TopicFilterMatcher, decoders: &DecoderRules) -> Vec<u8> {
        let nodes = self.nodes();
        let mut flags = vec![0u8; nodes.len()];
        // The lower-cased path of the current node, shared by the whole walk.
        let mut path = String::new();
        let mut payload = String::new();
        // (node, length of the parent's path, whether the parent's path matched)
        let mut stack: Vec<(NodeId, usize, bool)> =
            self.root().children().iter().rev().map(|&c| (c, 0, false)).collect();
        while let Some((id, parent_len, parent_matched)) = stack.pop() {
            let node = &nodes[id.index()];
            path.truncate(parent_len);
            if node.parent() != Some(NodeId::ROOT) {
                path.push('/');
            }
            matcher.push_lowered(self.name_of(node), &mut path);
            // A path matches if its parent's did, or through the newly added level.
            let path_matched = parent_matched || matcher.matches_suffix(&path, parent_len);
            let last = self.last_message(id);
            if path_matched
                || payload_matches(last, matcher, &mut payload)
                || decoded_matches(self, id, last, decoders, matcher, &mut payload)
            {
                flags[id.index()] |= MATCHED;
            }
            let len = path.len();
            stack.extend(node.children().iter().rev().map(|&c| (c, len, path_matched)));
        }
        // Mark ancestors, stopping at the first one already marked: linear overall.
        for i in 0..flags.len() {
            if flags[i] & MATCHED == 0 {
                continue;
            }
            let mut parent = nodes[i].parent();
            while let Some(p) = parent.filter(|&p| p != NodeId::ROOT) {
                let flag = &mut flags[p.index()];
                if *flag & ANCESTOR_OF_MATCH != 0 {
                    break;
                }
                *flag |= ANCESTOR_OF_MATCH;
                parent = nodes[p.index()].parent();
            }
        }
        flags
    }
}

/// Whether the node's last payload, read as UTF-8 text, contains the query.
fn payload_matches(last: Option<&StoredMessage>, matcher: &TopicFilterMatcher, scratch: &mut String) -> bool {
    let Some(msg) = last else {
        return false;
    };
    // The cached kind skips binary payloads without scanning them again.
    if !msg.kind().is_text() {
        return false;
    }
    let Ok(text) = std::str::from_utf8(&msg.payload) else {
        return false;
    };
    scratch.clear();
    matcher.push_lowered(text, scratch);
    matcher.matches_lowered(scratch)
}

/// Whether the node's last payload, binary but decoded by `decoders`, contains the query
/// in its JSON text. Binary payloads without a rule and without a detectable first byte
/// cost one byte's look (no topic string is built): filtering 100k binary topics stays cheap.
fn decoded_matches(
    tree: &TopicTree,
    id: NodeId,
    last: Option<&StoredMessage>,
    decoders: &DecoderRules,
    matcher: &TopicFilterMatcher,
    scratch: &mut String,
) -> bool {
    let Some(msg) = last.filter(|m| decoders.may_decode(m.kind())) else {
        return false;
    };
    let Some(text) = decoders.decoded_text(|| tree.full_topic(id), &msg.payload, None) else {
        return false;
    };
    scratch.clear();
    matcher.push_lowered(&text, scratch);
    matcher.matches_lowered(scratch)
}

/// Natural, case-insensitive order: digit runs compare by value ("sensor2" before
/// "sensor10"), other bytes by ASCII-lower-cased value; ties (different case or leading
/// zeros) fall back to plain byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < x.len() && x[i].is_ascii_digit() {
                i += 1;
            }
            while j < y.len() && y[j].is_ascii_digit() {
                j += 1;
            }
            let (m, n) = (trim_zeros(&x[si..i]), trim_zeros(&y[sj..j]));
            let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
            if order != Ordering::Equal {
                return order;
            }
        } else {
            let order = x[i].to_ascii_lowercase().cmp(&y[j].to_ascii_lowercase());
            if order != Ordering::Equal {
                return order;
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| x.cmp(y))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let first = digits.iter().position(|&d| d != b'0').unwrap_or(digits.len());
    &digits[first..]
}

#[cfg(test)]
#[path = "tree_view_tests.rs"]
mod tests;
