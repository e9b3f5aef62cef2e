//! Which decoder a topic's payloads are read with: a default for the connection plus
//! rules by MQTT topic filter (`esp32/+/raw` → a struct layout), saved with the
//! connection profile. The most specific rule wins, as for encodings.

use serde::{Deserialize, Serialize};

use super::decode::{DecodeChoice, Decoder};
use super::encoding_rules::{filter_matches, specificity};
use super::node::NodeId;
use super::payload::PayloadKind;
use super::stored::StoredMessage;
use super::tree::TopicTree;

/// One rule: topics matching `filter` are decoded as `choice` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecoderRule {
    /// An MQTT topic filter: a topic, or with `+` and `#` wildcards.
    pub filter: String,
    pub choice: DecodeChoice,
}

/// The decoders of one connection's topics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecoderRules {
    /// For topics no rule matches: detection unless the user said otherwise.
    pub default: DecodeChoice,
    /// Rules by topic filter, one per filter.
    pub rules: Vec<DecoderRule>,
}

impl DecoderRules {
    /// The choice for `topic`: the most specific matching rule's, else the default.
    pub fn for_topic(&self, topic: &str) -> &DecodeChoice {
        self.rule_for(topic).map_or(&self.default, |r| &r.choice)
    }

    /// The decoder for one payload of `topic`, if any (detection included).
    pub fn decoder_for(&self, topic: &str, payload: &[u8]) -> Option<Decoder> {
        self.for_topic(topic).decoder_for(topic, payload)
    }

    /// Whether a payload of this kind is worth trying. Detection never decodes text, so
    /// a text payload (base64, or a short struct that happens to be valid UTF-8) is only
    /// tried when the user chose a decoder somewhere; JSON and numbers never are, which
    /// keeps a filter over 100k JSON topics from building 100k topic strings.
    pub fn may_decode(&self, kind: PayloadKind) -> bool {
        let chosen = !self.rules.is_empty() || matches!(self.default, DecodeChoice::With(_));
        match kind {
            PayloadKind::Binary => !matches!(self.default, DecodeChoice::Raw) || !self.rules.is_empty(),
            PayloadKind::Text => chosen,
            _ => false,
        }
    }

    /// The tree's one-line preview of `msg`, the last message of node `id`, decoded
    /// (`{"temperature":21.5,"humidity":48,…`); `None` when no decoder applies.
    /// `sparkplug`: the connection's births, so Sparkplug B metrics read by name.
    pub fn preview(
        &self,
        tree: &TopicTree,
        id: NodeId,
        msg: &StoredMessage,
        max_chars: usize,
        sparkplug: Option<&crate::model::SparkplugRegistry>,
    ) -> Option<String> {
        self.preview_in(|| tree.full_topic(id), msg, max_chars, sparkplug)
    }

    /// [`Self::preview`] for a message of `topic` (built only when a rule could apply).
    pub fn preview_in(
        &self,
        topic: impl FnOnce() -> String,
        msg: &StoredMessage,
        max_chars: usize,
        sparkplug: Option<&crate::model::SparkplugRegistry>,
    ) -> Option<String> {
        if !self.may_decode(msg.kind()) {
            return None;
        }
        let text = self.decoded_text(topic, &msg.payload, sparkplug)?;
        Some(match text.char_indices().nth(max_chars) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        })
    }

    /// A payload's decoded value as JSON text (for the tree's filter), or `None` when no
    /// decoder applies or it fails. `topic` is only built when a rule could apply.
    pub fn decoded_text(
        &self,
        topic: impl FnOnce() -> String,
        payload: &[u8],
        sparkplug: Option<&crate::model::SparkplugRegistry>,
    ) -> Option<String> {
        // Detection needs the topic for Sparkplug B (`spBv1.0/`); only binary payloads
        // get here under Auto (see `may_decode`), and reading them costs more than the
        // topic string.
        let (decoder, topic) = if self.rules.is_empty() && !matches!(self.default, DecodeChoice::Auto) {
            (self.default.decoder_for("", payload)?, String::new())
        } else {
            let topic = topic();
            (self.decoder_for(&topic, payload)?, topic)
        };
        let value = match (&decoder, sparkplug) {
            // Metric names come from the births the connection saw, as in the inspector.
            (Decoder::Sparkplug, Some(registry)) if !topic.is_empty() => registry.read(&topic, payload),
            _ => decoder.decode(payload),
        };
        value.ok().map(|v| v.to_string())
    }

    /// The rule that decides `topic`, if any.
    pub fn rule_for(&self, topic: &str) -> Option<&DecoderRule> {
        self.rules
            .iter()
            .filter(|r| filter_matches(&r.filter, topic))
            .max_by_key(|r| specificity(&r.filter))
    }

    /// Decodes topics matching `filter` as `choice`, replacing an earlier rule for it.
    pub fn set(&mut self, filter: &str, choice: DecodeChoice) {
        match self.rules.iter_mut().find(|r| r.filter == filter) {
            Some(rule) => rule.choice = choice,
            None => self.rules.push(DecoderRule {
                filter: filter.to_owned(),
                choice,
            }),
        }
    }

    /// Forgets the rule for `filter`; true when there was one.
    pub fn remove(&mut self, filter: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.filter != filter);
        self.rules.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::StructLayout;

    #[test]
    fn the_most_specific_rule_wins_and_the_default_is_detection() {
        let mut rules = DecoderRules::default();
        assert_eq!(rules.for_topic("a/b"), &DecodeChoice::Auto);
        let layout = StructLayout::parse("f32 t; u16 h").unwrap();
        rules.set("esp32/#", DecodeChoice::With(Decoder::MessagePack));
        rules.set("esp32/+/raw", DecodeChoice::With(Decoder::Struct(layout.clone())));
        rules.set("esp32/x/raw", DecodeChoice::Raw);
        assert_eq!(rules.for_topic("esp32/a/b"), &DecodeChoice::With(Decoder::MessagePack));
        assert_eq!(
            rules.for_topic("esp32/a/raw"),
            &DecodeChoice::With(Decoder::Struct(layout))
        );
        assert_eq!(rules.for_topic("esp32/x/raw"), &DecodeChoice::Raw);
        assert_eq!(rules.decoder_for("esp32/x/raw", &[0x82, 0xa1]), None);
        assert!(rules.remove("esp32/x/raw"));
        assert!(!rules.remove("esp32/x/raw"));
        rules.set("esp32/#", DecodeChoice::With(Decoder::Cbor));
        assert_eq!(rules.rules.len(), 2);
        assert_eq!(rules.for_topic("esp32/q"), &DecodeChoice::With(Decoder::Cbor));
    }

    #[test]
    fn tree_previews_show_decoded_payloads_only_where_a_decoder_applies() {
        use crate::model::Message;
        let mut tree = TopicTree::with_history_budget(1 << 20);
        let mp = StoredMessage::from(Message::new(
            "x",
            &b"\x82\xa1t\xcb\x40\x35\x80\0\0\0\0\0\xa1h\x30"[..],
            0,
            false,
        ));
        let id = tree.record("dev/a/mp", mp.clone());
        let mut rules = DecoderRules::default();
        assert_eq!(
            rules.preview(&tree, id, &mp, 40, None).as_deref(),
            Some(r#"{"t":21.5,"h":48}"#)
        );
        assert_eq!(rules.preview(&tree, id, &mp, 5, None).as_deref(), Some(r#"{"t":…"#));
        rules.default = DecodeChoice::Raw;
        assert_eq!(rules.preview(&tree, id, &mp, 40, None), None);
        // Text is never decoded by detection.
        let text = StoredMessage::from(Message::new("x", "21.5", 0, false));
        let id = tree.record("dev/a/t", text.clone());
        assert_eq!(DecoderRules::default().preview(&tree, id, &text, 40, None), None);
    }

    #[test]
    fn rules_round_trip_through_ron_with_the_layout_as_text() {
        let mut rules = DecoderRules::default();
        let layout = StructLayout::parse("f32le temperature; u8[6] mac").unwrap();
        rules.set("esp32/+/raw", DecodeChoice::With(Decoder::Struct(layout)));
        let text = ron::to_string(&rules).unwrap();
        assert!(text.contains("\"f32le temperature; u8[6] mac\""), "{text}");
        let back: DecoderRules = ron::from_str(&text).unwrap();
        assert_eq!(back, rules);
        // A broken layout in a hand-edited file is refused in words, not silently dropped.
        let broken = text.replace("f32le temperature", "f33 temperature");
        let err = ron::from_str::<DecoderRules>(&broken).unwrap_err().to_string();
        assert!(err.contains("f33"), "{err}");
    }
}
