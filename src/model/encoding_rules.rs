//! Which encoding a topic's payloads are read in: a default for the connection plus
//! rules by MQTT topic filter (`legacy/#` → GBK), saved with the connection profile.
//! The most specific matching rule wins, so one board can differ from its subtree.

use serde::{Deserialize, Serialize};

use super::encoding::TextEncoding;
use super::node::NodeId;
use super::stored::StoredMessage;
use super::tree::TopicTree;

/// One rule: topics matching `filter` are read in `encoding`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodingRule {
    /// An MQTT topic filter: a topic, or with `+` and `#` wildcards.
    pub filter: String,
    pub encoding: TextEncoding,
}

/// The encodings of one connection's topics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EncodingRules {
    /// For topics no rule matches.
    pub default: TextEncoding,
    /// Rules by topic filter, one per filter.
    pub rules: Vec<EncodingRule>,
}

impl EncodingRules {
    /// The encoding of `topic`: the most specific matching rule's (a topic without
    /// wildcards before any filter, then the filter with more literal levels; among
    /// equals the later rule), else the default.
    pub fn for_topic(&self, topic: &str) -> TextEncoding {
        self.rule_for(topic).map_or(self.default, |r| r.encoding)
    }

    /// The rule that decides `topic`, if any.
    pub fn rule_for(&self, topic: &str) -> Option<&EncodingRule> {
        self.rules
            .iter()
            .filter(|r| filter_matches(&r.filter, topic))
            .max_by_key(|r| specificity(&r.filter))
    }

    /// Reads topics matching `filter` in `encoding`, replacing an earlier rule for the
    /// same filter.
    pub fn set(&mut self, filter: &str, encoding: TextEncoding) {
        match self.rules.iter_mut().find(|r| r.filter == filter) {
            Some(rule) => rule.encoding = encoding,
            None => self.rules.push(EncodingRule {
                filter: filter.to_owned(),
                encoding,
            }),
        }
    }

    /// The one-line preview of `msg`, the last message of node `id` in `tree`, in its
    /// topic's encoding. With no choice made (all UTF-8) the topic is not even looked up:
    /// the tree calls this for every visible row on every frame.
    pub fn preview(&self, tree: &TopicTree, id: NodeId, msg: &StoredMessage, max_chars: usize) -> String {
        if self.rules.is_empty() && self.default == TextEncoding::Utf8 {
            return msg.preview(max_chars);
        }
        self.for_topic(&tree.full_topic(id)).preview(msg, max_chars)
    }

    /// Forgets the rule for `filter`; true when there was one.
    pub fn remove(&mut self, filter: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.filter != filter);
        self.rules.len() != before
    }
}

/// Orders filters from least to most specific.
pub(crate) fn specificity(filter: &str) -> (bool, usize) {
    let exact = !filter.contains(['+', '#']);
    let literal = filter.split('/').filter(|l| *l != "+" && *l != "#").count();
    (exact, literal)
}

/// True when the MQTT filter `filter` matches `topic` (MQTT 3.1.1 §4.7): `+` is one
/// level, a final `#` is this level and everything below, and topics starting with `$`
/// are not matched by a wildcard in the first level. `a/#` matches `a` itself.
pub fn filter_matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && filter.starts_with(['+', '#']) {
        return false;
    }
    let mut levels = topic.split('/');
    for part in filter.split('/') {
        match part {
            "#" => return true,
            "+" => {
                if levels.next().is_none() {
                    return false;
                }
            }
            literal => {
                if levels.next() != Some(literal) {
                    return false;
                }
            }
        }
    }
    levels.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TextEncoding::*;

    #[test]
    fn filters_match_as_mqtt_says() {
        assert!(filter_matches("legacy/#", "legacy"));
        assert!(filter_matches("legacy/#", "legacy/a/b"));
        assert!(!filter_matches("legacy/#", "legacyx/a"));
        assert!(filter_matches("+/temp", "a/temp"));
        assert!(!filter_matches("+/temp", "a/b/temp"));
        assert!(!filter_matches("+/temp", "a"));
        assert!(filter_matches("a/b", "a/b"));
        assert!(!filter_matches("a/b", "a/b/c"));
        assert!(!filter_matches("a/b/c", "a/b"));
        assert!(filter_matches("#", "x/y"));
        assert!(!filter_matches("#", "$SYS/broker"));
        assert!(filter_matches("$SYS/#", "$SYS/broker"));
        assert!(filter_matches("家/#", "家/客厅/温度"));
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let mut rules = EncodingRules::default();
        assert_eq!(rules.for_topic("legacy/a"), Utf8);
        rules.set("legacy/#", Gb18030);
        rules.set("legacy/jp/#", ShiftJis);
        rules.set("legacy/jp/one", Latin1);
        rules.set("+/ru/+", Windows1251);
        assert_eq!(rules.for_topic("legacy/a"), Gb18030);
        assert_eq!(rules.for_topic("legacy"), Gb18030);
        assert_eq!(rules.for_topic("legacy/jp/two"), ShiftJis);
        assert_eq!(rules.for_topic("legacy/jp/one"), Latin1);
        // Two literal levels beat one.
        assert_eq!(rules.for_topic("legacy/ru/x"), Windows1251);
        assert_eq!(rules.for_topic("modern/x"), Utf8);
        rules.default = Gb18030;
        assert_eq!(rules.for_topic("modern/x"), Gb18030);
    }

    #[test]
    fn tree_previews_follow_the_rules() {
        let mut tree = TopicTree::with_history_budget(1 << 20);
        let gbk = StoredMessage::from(super::super::Message::new("x", &b"\xce\xc2\xb6\xc8"[..], 0, false));
        let id = tree.record("legacy/a", gbk.clone());
        let mut rules = EncodingRules::default();
        assert_eq!(rules.preview(&tree, id, &gbk, 20), "(binary, 4 bytes)");
        rules.set("legacy/#", Gb18030);
        assert_eq!(rules.preview(&tree, id, &gbk, 20), "温度");
    }

    #[test]
    fn setting_a_filter_again_replaces_its_rule_and_remove_forgets_it() {
        let mut rules = EncodingRules::default();
        rules.set("a/#", Gb18030);
        rules.set("a/#", ShiftJis);
        assert_eq!(rules.rules.len(), 1);
        assert_eq!(rules.for_topic("a/b"), ShiftJis);
        assert_eq!(rules.rule_for("a/b").map(|r| r.filter.as_str()), Some("a/#"));
        assert!(rules.remove("a/#"));
        assert!(!rules.remove("a/#"));
        assert_eq!(rules.for_topic("a/b"), Utf8);
    }
}
