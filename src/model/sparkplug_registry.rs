//! What a Sparkplug B host must remember between messages, per connection: the metric
//! metric names, aliases and datatypes of each edge node's NBIRTH and each device's
//! DBIRTH (DATA messages may carry only aliases, and should not repeat datatypes), and
//! each edge node's last sequence number (0–255, wrapping) to flag
//! lost messages. Fed with every message as it arrives ([`SparkplugRegistry::observe`]);
//! a message shown later is named with [`SparkplugRegistry::read`], which changes nothing.
//!
//! Bounded: at most [`MAX_EDGE_NODES`] edge nodes, [`MAX_DEVICES`] devices per node and
//! [`MAX_ALIASES`] aliases per birth; past a bound the newcomer is not remembered (its
//! metrics then show as `alias N` with a warning, never a crash or unbounded memory).

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::decode::sparkplug::{self, BirthTable, SparkplugTopic};
use super::decode::{DecodeError, Typed};

/// Most edge nodes remembered per connection.
pub const MAX_EDGE_NODES: usize = 4096;
/// Most devices remembered per edge node.
pub const MAX_DEVICES: usize = 1024;
/// Most aliases remembered per BIRTH.
pub const MAX_ALIASES: usize = 65_536;
/// Most sequence gaps remembered (so a message shown later still says it came after one).
pub const MAX_GAPS: usize = 256;

/// One edge node's state.
#[derive(Debug, Default)]
struct EdgeNode {
    /// What the last NBIRTH defined; `None` before one was seen.
    birth: Option<BirthTable>,
    /// What each device's last DBIRTH defined.
    devices: HashMap<String, BirthTable>,
    /// The last sequence number seen, to check the next one.
    last_seq: Option<u64>,
}

/// The Sparkplug B memory of one connection.
#[derive(Debug, Default)]
pub struct SparkplugRegistry {
    nodes: HashMap<(String, String), EdgeNode>,
    /// The messages that came after a gap: (topic, payload timestamp, seq, expected).
    gaps: VecDeque<(String, Option<u64>, u64, u64)>,
}

impl SparkplugRegistry {
    /// Takes one message as it arrives and returns it decoded with names resolved and
    /// any warnings (a sequence gap, an unknown alias) in a `warnings` list: what
    /// [`SparkplugRegistry::remember`] does, then [`SparkplugRegistry::read`]. `None`
    /// for a topic outside the Sparkplug B protobuf namespace.
    pub fn observe(&mut self, topic: &str, payload: &[u8]) -> Option<Result<Value, DecodeError>> {
        match self.remember(topic, payload)? {
            Ok(()) => Some(self.read(topic, payload)),
            Err(e) => Some(Err(e)),
        }
    }

    /// Takes one message as it arrives, decoding nothing but what must be remembered: a
    /// BIRTH's names, aliases and datatypes, and the sequence number to check. This is
    /// the ingest path's cost for every `spBv1.0/` message. `None` for a topic outside
    /// the namespace.
    pub fn remember(&mut self, topic: &str, payload: &[u8]) -> Option<Result<(), DecodeError>> {
        let t = SparkplugTopic::parse(topic)?;
        let key = (t.group.to_owned(), t.edge_node.to_owned());
        if !self.nodes.contains_key(&key) && self.nodes.len() >= MAX_EDGE_NODES {
            return Some(sparkplug::scan(payload, false).map(drop));
        }
        let scan = match sparkplug::scan(payload, t.is_birth()) {
            Ok(s) => s,
            Err(e) => return Some(Err(e)),
        };
        let node = self.nodes.entry(key).or_default();
        // The sequence: NBIRTH starts it, NDEATH (sent by the broker as the will) and
        // commands (sent by hosts) are outside it.
        match (t.kind, scan.seq) {
            ("NBIRTH", seq) => node.last_seq = seq,
            ("NDEATH" | "NCMD" | "DCMD", _) => {}
            (_, Some(seq)) => {
                if let Some(last) = node.last_seq {
                    let expected = (last + 1) % 256;
                    if seq != expected {
                        if self.gaps.len() >= MAX_GAPS {
                            self.gaps.pop_front();
                        }
                        self.gaps.push_back((topic.to_owned(), scan.timestamp, seq, expected));
                    }
                }
                node.last_seq = Some(seq);
            }
            (_, None) => {}
        }
        if t.is_birth() {
            let table = BirthTable::new(&scan.metrics, MAX_ALIASES);
            match t.device {
                None => {
                    node.birth = Some(table);
                    // A new NBIRTH means the node restarted: its devices will be born again.
                    node.devices.clear();
                }
                Some(d) if node.devices.contains_key(d) || node.devices.len() < MAX_DEVICES => {
                    node.devices.insert(d.to_owned(), table);
                }
                Some(_) => {}
            }
        }
        Some(Ok(()))
    }

    /// A payload of `topic` decoded with the births known now, remembering nothing.
    pub fn read(&self, topic: &str, payload: &[u8]) -> Result<Value, DecodeError> {
        self.read_as(topic, payload, false).map(|t| t.value)
    }

    /// As [`SparkplugRegistry::read`], with the metrics' datatypes (for the inspector).
    pub fn read_typed(&self, topic: &str, payload: &[u8]) -> Result<Typed, DecodeError> {
        self.read_as(topic, payload, true)
    }

    fn read_as(&self, topic: &str, payload: &[u8], typed: bool) -> Result<Typed, DecodeError> {
        let t = SparkplugTopic::parse(topic);
        let node = t
            .as_ref()
            .and_then(|t| self.nodes.get(&(t.group.to_owned(), t.edge_node.to_owned())));
        let (table, birth) = match t.as_ref().and_then(|t| t.device) {
            None => (node.and_then(|n| n.birth.as_ref()), "NBIRTH"),
            Some(d) => (node.and_then(|n| n.devices.get(d)), "DBIRTH"),
        };
        let read = match typed {
            true => sparkplug::read_typed(payload, table)?,
            false => sparkplug::read(payload, table)?,
        };
        let mut value = read.value;
        let mut warnings = Vec::new();
        if t.is_some() {
            let at = value.get("timestamp").and_then(serde_json::Value::as_u64);
            if let Some(seq) = read.seq
                && let Some(&(_, _, seq, expected)) = self
                    .gaps
                    .iter()
                    .rev()
                    .find(|(gt, gat, gseq, _)| gt == topic && *gat == at && *gseq == seq)
            {
                warnings.push(crate::tr!("proto-sp-seq-gap", expected = expected, seq = seq));
            }
            warnings.extend(read.unknown_aliases.iter().map(|&alias| match table {
                None => crate::tr!("proto-sp-no-birth", alias = alias, birth = birth),
                Some(_) => crate::tr!("proto-sp-unknown-alias", alias = alias, birth = birth),
            }));
        }
        push_warnings(&mut value, warnings);
        Ok(Typed {
            value,
            types: read.types,
        })
    }

    /// How many edge nodes are remembered.
    pub fn edge_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Forgets everything (a new session: births will come again).
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.gaps.clear();
    }
}

/// Appends `warnings` to the value's `warnings` list.
fn push_warnings(value: &mut Value, warnings: Vec<String>) {
    if warnings.is_empty() {
        return;
    }
    if let Value::Object(map) = value {
        let list = map.entry("warnings").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            items.extend(warnings.into_iter().map(Value::String));
        }
    }
}

/// The Node Control/Rebirth command for the edge node of `topic` (any Sparkplug topic of
/// that node or its devices): its NCMD topic and payload.
pub fn rebirth_command(topic: &str, timestamp_ms: u64) -> Option<(String, Result<Vec<u8>, DecodeError>)> {
    let t = SparkplugTopic::parse(topic)?;
    let cmd_topic = format!("{}/{}/NCMD/{}", sparkplug::NAMESPACE, t.group, t.edge_node);
    let metric = sparkplug::Metric {
        name: Some("Node Control/Rebirth".to_owned()),
        alias: None,
        value: sparkplug::MetricValue::Boolean(true),
    };
    Some((cmd_topic, sparkplug::encode(timestamp_ms, None, &[metric])))
}
