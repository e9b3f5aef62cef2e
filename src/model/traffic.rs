//! Who talks the most: the top topics and subtrees by messages and bytes per second
//! now, the biggest last payloads, the topics that just stopped, and the traffic of
//! each top-level subtree over time. Shared by the Traffic pane and `topicscope top`.
//!
//! A [`scan`] reads every node's rate once (a node's rate is kept on ingest; reading it
//! is a few nanoseconds), so it is called about once a second, never per frame: 1 ms
//! for 100k topics. [`TrafficHistory`] samples only the first level, every second.

use std::collections::{HashMap, VecDeque};
use std::time::SystemTime;

use super::node::NodeId;
use super::rate::{Rate, epoch_ms};
use super::tree::TopicTree;

/// Rates below this are "idle" (less than one message a minute).
pub const IDLE_BELOW: f64 = 1.0 / 60.0;

/// One line of a top list.
#[derive(Clone, Debug, PartialEq)]
pub struct Talker {
    pub id: NodeId,
    pub topic: String,
    /// Over the last 10 s (the lists are ordered by it).
    pub rate: Rate,
    /// Over the last minute.
    pub minute: Rate,
    /// Topics here and below that received messages (1 for a single topic).
    pub topics: u32,
}

/// A topic with a large last payload.
#[derive(Clone, Debug, PartialEq)]
pub struct BigPayload {
    pub id: NodeId,
    pub topic: String,
    pub bytes: usize,
}

/// A topic that was busy and went quiet.
#[derive(Clone, Debug, PartialEq)]
pub struct Stopped {
    pub id: NodeId,
    pub topic: String,
    /// Its rate when last seen busy.
    pub was: f64,
    pub last_seen: Option<SystemTime>,
}

/// What one scan found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrafficScan {
    /// Topics by messages per second, busiest first.
    pub by_messages: Vec<Talker>,
    /// Topics by bytes per second.
    pub by_bytes: Vec<Talker>,
    /// Subtrees (nodes with children) by messages per second.
    pub subtrees: Vec<Talker>,
    pub biggest: Vec<BigPayload>,
    /// The whole tree's rate.
    pub total: Rate,
    /// The same over the last minute.
    pub total_minute: Rate,
    /// Topics that received messages.
    pub topics: usize,
}

/// The top `k` of everything at `now`, in one go (`topicscope top`, tests).
pub fn scan(tree: &TopicTree, now: SystemTime, k: usize) -> TrafficScan {
    let mut scanner = Scanner::new(now);
    while !scanner.step(tree, usize::MAX) {}
    scanner.finish(tree, k)
}

/// A scan spread over several calls, so that a window with a million topics reads them
/// a slice per frame instead of stalling one frame (nodes are only ever appended, so a
/// cursor over them stays valid; a cleared tree needs a new scanner). Rates are read
/// at the moment the scan began.
#[derive(Debug)]
pub struct Scanner {
    now_ms: u64,
    /// The next node to read.
    next: usize,
    topics: Vec<(NodeId, Rate)>,
    subtrees: Vec<(NodeId, Rate)>,
    biggest: Vec<(NodeId, usize)>,
}

impl Scanner {
    pub fn new(now: SystemTime) -> Self {
        Self {
            now_ms: epoch_ms(now),
            next: 1,
            topics: Vec::new(),
            subtrees: Vec::new(),
            biggest: Vec::new(),
        }
    }

    /// Reads up to `budget` nodes; true when every node has been read.
    pub fn step(&mut self, tree: &TopicTree, budget: usize) -> bool {
        let now_ms = self.now_ms;
        let nodes = tree.nodes();
        let end = self.next.saturating_add(budget).min(nodes.len());
        for i in self.next..end {
            let (id, node) = (NodeId(i as u32), &nodes[i]);
            let rate = node.rate_at(now_ms);
            if node.has_messages() {
                // A topic's own rate: its subtree's minus its children's.
                let own = if node.child_count() == 0 {
                    rate
                } else {
                    let below = node.children().iter().fold(Rate::default(), |acc, c| {
                        let r = nodes[c.index()].rate_at(now_ms);
                        Rate {
                            messages: acc.messages + r.messages,
                            bytes: acc.bytes + r.bytes,
                        }
                    });
                    Rate {
                        messages: (rate.messages - below.messages).max(0.0),
                        bytes: (rate.bytes - below.bytes).max(0.0),
                    }
                };
                if own.messages >= IDLE_BELOW {
                    self.topics.push((id, own));
                }
                if let Some(last) = tree.last_message(id) {
                    self.biggest.push((id, last.payload.len()));
                }
            }
            if node.child_count() > 0 && rate.messages >= IDLE_BELOW {
                self.subtrees.push((id, rate));
            }
        }
        self.next = end;
        self.next >= nodes.len()
    }

    /// Nodes read so far.
    pub fn read(&self) -> usize {
        self.next
    }

    /// The top `k` lists from what was read.
    pub fn finish(self, tree: &TopicTree, k: usize) -> TrafficScan {
        let Self {
            now_ms,
            mut topics,
            mut subtrees,
            mut biggest,
            ..
        } = self;
        let nodes = tree.nodes();
        // A tree emptied under a scan (the caller should have dropped it) lists nothing
        // it no longer has.
        topics.retain(|(id, _)| id.index() < nodes.len());
        subtrees.retain(|(id, _)| id.index() < nodes.len());
        biggest.retain(|(id, _)| id.index() < nodes.len());
        // The minute's rate of a listed row: a topic's own (without its children's), a
        // subtree's whole.
        let minute_of = |id: NodeId, own: bool| -> Rate {
            let node = &nodes[id.index()];
            let whole = node.minute_rate_at(now_ms);
            if !own || node.child_count() == 0 {
                return whole;
            }
            node.children().iter().fold(whole, |acc, c| {
                let r = nodes[c.index()].minute_rate_at(now_ms);
                Rate {
                    messages: (acc.messages - r.messages).max(0.0),
                    bytes: (acc.bytes - r.bytes).max(0.0),
                }
            })
        };
        let top = |list: &mut Vec<(NodeId, Rate)>, key: fn(&Rate) -> f64, own: bool| -> Vec<Talker> {
            let order = |a: &(NodeId, Rate), b: &(NodeId, Rate)| key(&b.1).total_cmp(&key(&a.1)).then(a.0.cmp(&b.0));
            // The top k in linear time, then only those sorted: 100k busy topics would
            // otherwise cost a full sort each second.
            if list.len() > k && k > 0 {
                list.select_nth_unstable_by(k - 1, order);
            }
            let mut first: Vec<(NodeId, Rate)> = list.iter().take(k).copied().collect();
            first.sort_unstable_by(order);
            first
                .iter()
                .take(k)
                .map(|&(id, rate)| Talker {
                    id,
                    topic: tree.full_topic(id),
                    rate,
                    minute: minute_of(id, own),
                    topics: tree.node(id).subtree_topics(),
                })
                .collect()
        };
        let by_messages = top(&mut topics, |r| r.messages, true);
        let by_bytes = top(&mut topics, |r| r.bytes, true);
        let subtrees = top(&mut subtrees, |r| r.messages, false);
        let by_size = |a: &(NodeId, usize), b: &(NodeId, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if biggest.len() > k && k > 0 {
            biggest.select_nth_unstable_by(k - 1, by_size);
            biggest.truncate(k);
        }
        biggest.sort_unstable_by(by_size);
        let biggest = biggest
            .into_iter()
            .take(k)
            .map(|(id, bytes)| BigPayload {
                id,
                topic: tree.full_topic(id),
                bytes,
            })
            .collect();
        TrafficScan {
            by_messages,
            by_bytes,
            subtrees,
            biggest,
            total: tree.root().rate_at(now_ms),
            total_minute: tree.root().minute_rate_at(now_ms),
            topics: tree.topic_count(),
        }
    }
}

/// Follows the busy topics from scan to scan and lists those that went quiet.
#[derive(Debug, Default)]
pub struct StopWatch {
    /// Topics busy at the last scan, with their rate.
    busy: HashMap<NodeId, f64>,
    /// Newest first.
    pub stopped: VecDeque<Stopped>,
}

/// Most stopped topics kept.
const STOPPED_MAX: usize = 50;

impl StopWatch {
    /// Compares `scan` with the last one: a topic in the last top list whose rate is now
    /// idle has stopped (one that merely fell out of the top list has not).
    pub fn update(&mut self, tree: &TopicTree, scan: &TrafficScan, now: SystemTime) {
        let now_ms = epoch_ms(now);
        for (&id, &was) in &self.busy {
            let Some(node) = tree.get(id) else { continue };
            if node.rate_at(now_ms).messages < IDLE_BELOW {
                self.stopped.retain(|s| s.id != id);
                self.stopped.push_front(Stopped {
                    id,
                    topic: tree.full_topic(id),
                    was,
                    last_seen: node.last_update(),
                });
            }
        }
        self.stopped.truncate(STOPPED_MAX);
        self.busy = scan.by_messages.iter().map(|t| (t.id, t.rate.messages)).collect();
        // A topic busy again is no longer "stopped".
        self.stopped.retain(|s| !self.busy.contains_key(&s.id));
    }

    /// Forgets everything (the tree was cleared: its node ids mean other topics now).
    pub fn clear(&mut self) {
        self.busy.clear();
        self.stopped.clear();
    }
}

/// The messages per second of each first-level subtree, one sample a second, for the
/// stacked chart; bounded.
#[derive(Debug)]
pub struct TrafficHistory {
    /// Oldest first: (seconds since 1970, rate per first-level name).
    pub samples: VecDeque<(f64, Vec<(String, f64)>)>,
    capacity: usize,
    last_ms: u64,
}

impl TrafficHistory {
    /// Keeps `capacity` samples (one a second: 600 is ten minutes).
    pub fn new(capacity: usize) -> Self {
        Self {
            samples: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            last_ms: 0,
        }
    }

    /// Takes a sample if a second has passed since the last one.
    pub fn sample(&mut self, tree: &TopicTree, now: SystemTime) {
        let now_ms = epoch_ms(now);
        if now_ms < self.last_ms + 1000 {
            return;
        }
        self.last_ms = now_ms;
        let levels: Vec<(String, f64)> = tree
            .root()
            .children()
            .iter()
            .map(|&id| {
                let node = tree.node(id);
                (tree.name_of(node).to_owned(), node.rate_at(now_ms).messages)
            })
            .filter(|(_, r)| *r > 0.0)
            .collect();
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back((now_ms as f64 / 1000.0, levels));
    }

    pub fn clear(&mut self) {
        self.samples.clear();
        self.last_ms = 0;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::Message;
    use crate::model::stored::StoredMessage;

    /// A tree fed `per_sec` messages a second on each topic for the 10 s before `now`.
    fn tree_at(now: SystemTime, streams: &[(&str, u64, usize)]) -> TopicTree {
        let mut tree = TopicTree::new();
        for &(topic, per_sec, size) in streams {
            let n = per_sec * 10;
            for i in 0..n {
                let mut m = Message::new(topic, vec![b'x'; size], 0, false);
                m.time = now - Duration::from_millis(10_000 - i * 10_000 / n);
                tree.record(topic, StoredMessage::from(m));
            }
        }
        tree
    }

    #[test]
    fn the_busiest_topics_and_subtrees_come_first() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_460_800);
        let tree = tree_at(
            now,
            &[
                ("plant/line1/temp", 50, 10),
                ("plant/line2/temp", 5, 10),
                ("cam/frame", 2, 40_000),
                ("home/a", 20, 10),
            ],
        );
        let s = scan(&tree, now, 3);
        let names: Vec<&str> = s.by_messages.iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(names, ["plant/line1/temp", "home/a", "plant/line2/temp"]);
        assert!((s.by_messages[0].rate.messages - 50.0).abs() < 2.5);
        assert_eq!(s.by_bytes[0].topic, "cam/frame", "the camera sends the most bytes");
        assert_eq!(s.subtrees[0].topic, "plant");
        assert!((s.subtrees[0].rate.messages - 55.0).abs() < 3.0);
        assert_eq!(s.biggest[0].bytes, 40_000);
        assert!((s.total.messages - 77.0).abs() < 4.0);
        assert_eq!(s.topics, 4);
    }

    #[test]
    fn a_scan_read_in_slices_lists_what_one_read_lists() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_460_800);
        let streams: Vec<(String, u64, usize)> = (0..40)
            .map(|i| (format!("fleet/dev{i}/temp"), 1 + i % 7, 10 + i as usize))
            .collect();
        let refs: Vec<(&str, u64, usize)> = streams.iter().map(|(t, r, b)| (t.as_str(), *r, *b)).collect();
        let tree = tree_at(now, &refs);
        let whole = scan(&tree, now, 5);
        let mut scanner = Scanner::new(now);
        let mut steps = 1;
        while !scanner.step(&tree, 7) {
            steps += 1;
        }
        assert!(steps > 10, "{steps} slices");
        assert_eq!(scanner.read(), tree.nodes().len());
        assert_eq!(scanner.finish(&tree, 5), whole);
        // A scanner over a tree that was emptied lists nothing and does not panic.
        let mut scanner = Scanner::new(now);
        scanner.step(&tree, usize::MAX);
        let empty = TopicTree::new();
        let s = scanner.finish(&empty, 5);
        assert!(s.by_messages.is_empty() && s.biggest.is_empty());
    }

    #[test]
    fn a_topic_with_children_counts_only_its_own_messages() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_460_800);
        let tree = tree_at(now, &[("a", 5, 1), ("a/b", 30, 1)]);
        let s = scan(&tree, now, 5);
        let a = s.by_messages.iter().find(|t| t.topic == "a").unwrap();
        assert!((a.rate.messages - 5.0).abs() < 0.5, "{a:?}");
        // The minute's figure too (the streams are 10 s old: they count over their age).
        assert!((a.minute.messages - 5.0).abs() < 0.5, "{a:?}");
        assert!(
            (s.subtrees[0].minute.messages - 35.0).abs() < 2.0,
            "{:?}",
            s.subtrees[0]
        );
        assert!((s.total_minute.messages - 35.0).abs() < 2.0, "{:?}", s.total_minute);
    }

    #[test]
    fn a_busy_topic_that_goes_quiet_is_listed_as_stopped() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_460_800);
        let tree = tree_at(t0, &[("a", 10, 1), ("b", 10, 1)]);
        let mut watch = StopWatch::default();
        let first = scan(&tree, t0, 5);
        watch.update(&tree, &first, t0);
        assert!(watch.stopped.is_empty());
        // 30 s later nothing arrived: both stopped.
        let later = t0 + Duration::from_secs(30);
        let second = scan(&tree, later, 5);
        watch.update(&tree, &second, later);
        let mut names: Vec<&str> = watch.stopped.iter().map(|s| s.topic.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["a", "b"]);
        assert!((watch.stopped[0].was - 10.0).abs() < 1.0);
    }

    #[test]
    fn the_history_samples_each_first_level_once_a_second_and_is_bounded() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_460_800);
        let tree = tree_at(now, &[("plant/x", 10, 1), ("home/y", 4, 1)]);
        let mut h = TrafficHistory::new(3);
        for s in 0..5 {
            h.sample(&tree, now + Duration::from_millis(s * 500));
        }
        assert_eq!(h.samples.len(), 3, "one a second, at most three");
        let (_, first) = &h.samples[0];
        assert!(
            first.iter().any(|(n, r)| n == "plant" && (*r - 10.0).abs() < 1.0),
            "{first:?}"
        );
    }
}
