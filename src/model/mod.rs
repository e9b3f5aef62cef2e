//! The pure data model: topic tree, message history, payload decoding and number
//! extraction. No GUI, async runtime or MQTT client types here, so benchmarks and most
//! tests can drive it directly. [`Model`] is the one entry point for received messages.
//!
//! Everything public is re-exported here, so `model::PayloadKind` and
//! `model::payload::PayloadKind` name the same thing.

pub mod binary;
pub mod broker_sys;
mod chunked;
pub mod compact_time;
pub mod decode;
pub mod decoder_rules;
pub mod devices;
pub mod encoding;
pub mod encoding_rules;
pub mod filter;
pub mod ha_browser;
pub mod history;
mod history_ring;
pub mod json_path;
pub mod kept_payload;
mod level_names;
pub mod message;
pub mod message_json;
pub mod node;
pub mod number_text;
pub mod numbers;
pub mod payload;
pub mod payload_format;
pub mod rate;
pub mod render;
pub mod repeat;
pub mod saved_command;
pub mod series;
pub mod shell;
pub mod sparkplug_registry;
pub mod stored;
pub mod template;
pub mod traffic;
pub mod tree;
mod tree_index;
pub mod tree_view;

#[cfg(test)]
mod test_corpus;

pub use binary::{BinaryKind, BinaryNumber};
pub use decode::{DecodeChoice, DecodeError, Decoder, StructLayout};
pub use decoder_rules::{DecoderRule, DecoderRules};
pub use encoding::{Decoded, InvalidRun, TextEncoding};
pub use encoding_rules::{EncodingRule, EncodingRules};
pub use filter::TopicFilterMatcher;
pub use history::{DEFAULT_HISTORY_BUDGET_BYTES, History};
pub use json_path::{JsonPath, JsonPathError, PathSegment, numeric_paths, value_as_number};
pub use kept_payload::KeptPayload;
pub use level_names::NameId;
pub use message::{Message, MessageProperties, TextOrHex};
pub use node::{Node, NodeId};
pub use numbers::extract_number;
pub use payload::{ImageFormat, PayloadKind, classify, image_format};
pub use render::{
    HEX_BYTES_PER_LINE, escape_non_utf8, hex_dump_line, hex_dump_line_chars, hex_dump_line_count, hex_dump_line_of,
    pretty_json, preview, preview_with_kind, thousands,
};
pub use sparkplug_registry::SparkplugRegistry;
pub use stored::{MESSAGE_OVERHEAD_BYTES, StoredMessage};
pub use tree::{Ancestors, Subtree, TopicTree};
pub use tree_view::{Row, SortKey, natural_cmp};

/// Everything received: the topic tree, the history, and running totals.
#[derive(Debug)]
pub struct Model {
    tree: TopicTree,
    total_messages: u64,
    total_bytes: u64,
    /// Sparkplug B births and sequence numbers, fed by every `spBv1.0/` message.
    sparkplug: SparkplugRegistry,
}

impl Default for Model {
    fn default() -> Self {
        Self::new(DEFAULT_HISTORY_BUDGET_BYTES)
    }
}

impl Model {
    pub fn new(history_budget_bytes: usize) -> Self {
        Self {
            tree: TopicTree::with_history_budget(history_budget_bytes),
            total_messages: 0,
            total_bytes: 0,
            sparkplug: SparkplugRegistry::default(),
        }
    }

    /// Records a received message in the tree and the history; returns its topic's node.
    /// The payload is not copied when the message holds its only handle (see `KeptPayload`).
    pub fn ingest(&mut self, msg: Message) -> NodeId {
        let Message {
            topic,
            payload,
            qos,
            retain,
            time,
            properties,
        } = msg;
        self.total_messages += 1;
        self.total_bytes += payload.len() as u64;
        // Births must be remembered as they pass, or later DATA shows aliases, not
        // names; a cheap prefix test keeps every other topic free of the cost.
        if topic.starts_with("spBv1.0/") {
            let _ = self.sparkplug.remember(&topic, &payload);
        }
        let stored = StoredMessage::new(payload, qos, retain, time, properties);
        self.tree.record(&topic, stored)
    }

    /// The Sparkplug B aliases and sequence numbers seen on this connection.
    pub fn sparkplug(&self) -> &SparkplugRegistry {
        &self.sparkplug
    }

    pub fn tree(&self) -> &TopicTree {
        &self.tree
    }

    pub fn history(&self) -> &History {
        self.tree.history()
    }

    /// Changes the history budget, evicting at once if it shrank.
    pub fn set_history_budget_bytes(&mut self, budget_bytes: usize) {
        self.tree.history_mut().set_budget_bytes(budget_bytes);
    }

    /// Forgets the stored history of one topic but its newest message (its current value).
    pub fn clear_topic_history(&mut self, id: NodeId) {
        self.tree.history_mut().clear_older(id);
    }

    /// Messages ingested since creation or the last `clear`.
    pub fn total_messages(&self) -> u64 {
        self.total_messages
    }

    /// Payload bytes ingested since creation or the last `clear`.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Forgets everything except the history budget. All `NodeId`s become invalid.
    pub fn clear(&mut self) {
        self.tree.clear();
        self.sparkplug.clear();
        self.total_messages = 0;
        self.total_bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_corpus::corpus;

    #[test]
    fn ingest_records_in_tree_and_history() {
        let mut model = Model::new(1024 * 1024);
        let a = model.ingest(Message::new("home/temp", "21.5", 0, false));
        let b = model.ingest(Message::new("home/temp", "21.7", 1, true));
        assert_eq!(a, b);
        model.ingest(Message::new("home/hum", "40", 0, false));
        assert_eq!(model.total_messages(), 3);
        assert_eq!(model.total_bytes(), 10);
        assert_eq!(model.tree().topic_count(), 2);
        assert_eq!(model.tree().node(a).own_messages(), 2);
        assert!(model.tree().node(a).retained());
        let history: Vec<_> = model.history().messages(a).map(|m| m.payload.clone()).collect();
        assert_eq!(history, ["21.7", "21.5"]);
        // The tree's last message is the history's newest, not a copy.
        let last = model.tree().last_message(a).unwrap();
        let newest = model.history().newest(a).unwrap();
        assert!(std::ptr::eq(last, newest));
        assert_eq!(newest.qos, 1);
    }

    #[test]
    fn clear_resets_everything_but_the_budget() {
        let mut model = Model::new(4096);
        let id = model.ingest(Message::new("a/b", "x", 0, false));
        model.clear();
        assert_eq!((model.total_messages(), model.total_bytes()), (0, 0));
        assert_eq!(model.tree().len(), 0);
        assert_eq!(model.tree().find("a/b"), None);
        assert_eq!(model.history().len(id), 0);
        assert_eq!(model.history().budget_bytes(), 4096);
        assert_eq!(Model::default().history().budget_bytes(), 256 * 1024 * 1024);
    }

    #[test]
    fn ingests_the_whole_corpus() {
        let mut model = Model::default();
        let entries = corpus();
        for e in &entries {
            let mut msg = Message::new(e.topic.clone(), e.payload.clone(), e.qos, e.retain);
            msg.time = std::time::UNIX_EPOCH;
            let id = model.ingest(msg);
            assert_eq!(model.tree().full_topic(id), e.topic);
            assert_eq!(model.tree().find(&e.topic), Some(id));
        }
        let payload_bytes: usize = entries.iter().map(|e| e.payload.len()).sum();
        assert_eq!(model.total_messages(), 46);
        assert_eq!(model.total_bytes(), payload_bytes as u64);
        assert_eq!(model.tree().topic_count(), 46);
        assert_eq!(model.tree().root().subtree_topics(), 46);
        assert_eq!(model.tree().root().subtree_bytes(), payload_bytes as u64);
        assert_eq!(model.history().total_len(), 46);
        let retained: Vec<_> = entries
            .iter()
            .filter(|e| model.tree().node(model.tree().find(&e.topic).unwrap()).retained())
            .map(|e| e.topic.as_str())
            .collect();
        assert_eq!(
            retained,
            [
                "tele/tasmota_5C3F21/LWT",
                "greenhouse/status",
                "zigbee2mqtt/bridge/state",
                "homeassistant/sensor/esp32_a1b2c3/temperature/config"
            ]
        );
    }
}
