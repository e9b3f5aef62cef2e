//! What a Sparkplug B host must remember between messages, per connection: the metric
//! aliases of each edge node's NBIRTH and each device's DBIRTH (DATA messages may carry
//! only aliases), and each edge node's last sequence number (0–255, wrapping) to flag
//! lost messages. Fed with every message as it arrives ([`SparkplugRegistry::observe`]);
//! a message shown later is named with [`SparkplugRegistry::read`], which changes nothing.
//!
//! Bounded: at most [`MAX_EDGE_NODES`] edge nodes, [`MAX_DEVICES`] devices per node and
//! [`MAX_ALIASES`] aliases per birth; past a bound the newcomer is not remembered (its
//! metrics then show as `alias N` with a warning, never a crash or unbounded memory).

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::decode::sparkplug::{self, SparkplugTopic};
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
    /// Aliases from the last NBIRTH; `None` before one was seen.
    aliases: Option<HashMap<u64, String>>,
    /// Aliases from each device's last DBIRTH.
    devices: HashMap<String, HashMap<u64, String>>,
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
    /// Takes one message as it arrives: remembers a BIRTH's aliases, checks the sequence
    /// number, and returns the payload decoded with names resolved and any warnings (a
    /// sequence gap, an unknown alias) in a `warnings` list. `None` for a topic outside
    /// the Sparkplug B protobuf namespace.
    pub fn observe(&mut self, topic: &str, payload: &[u8]) -> Option<Result<Value, DecodeError>> {
        let t = SparkplugTopic::parse(topic)?;
        let key = (t.group.to_owned(), t.edge_node.to_owned());
        if !self.nodes.contains_key(&key) && self.nodes.len() >= MAX_EDGE_NODES {
            return Some(self.read(topic, payload));
        }
        let node = self.nodes.entry(key).or_default();
        let read = match sparkplug::read(payload, None) {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let mut warnings = Vec::new();
        // The sequence: NBIRTH starts it, NDEATH (sent by the broker as the will) and
        // commands (sent by hosts) are outside it.
        match (t.kind, read.seq) {
            ("NBIRTH", seq) => node.last_seq = seq,
            ("NDEATH" | "NCMD" | "DCMD", _) => {}
            (_, Some(seq)) => {
                if let Some(last) = node.last_seq {
                    let expected = (last + 1) % 256;
                    if seq != expected {
                        warnings.push(crate::tr!("proto-sp-seq-gap", expected = expected, seq = seq));
                        if self.gaps.len() >= MAX_GAPS {
                            self.gaps.pop_front();
                        }
                        let at = read.value.get("timestamp").and_then(serde_json::Value::as_u64);
                        self.gaps.push_back((topic.to_owned(), at, seq, expected));
                    }
                }
                node.last_seq = Some(seq);
            }
            (_, None) => {}
        }
        if t.is_birth() {
            let table: HashMap<u64, String> = read.aliases.iter().take(MAX_ALIASES).cloned().collect();
            match t.device {
                None => {
                    node.aliases = Some(table);
                    // A new NBIRTH means the node restarted: its devices will be born again.
                    node.devices.clear();
                }
                Some(d) if node.devices.contains_key(d) || node.devices.len() < MAX_DEVICES => {
                    node.devices.insert(d.to_owned(), table);
                }
                Some(_) => {}
            }
        }
        let mut value = self.resolve(&t, payload, read, false).value;
        push_warnings(&mut value, warnings);
        Some(Ok(value))
    }

    /// A payload of `topic` decoded with the aliases known now, remembering nothing.
    pub fn read(&self, topic: &str, payload: &[u8]) -> Result<Value, DecodeError> {
        self.read_as(topic, payload, false).map(|t| t.value)
    }

    /// As [`SparkplugRegistry::read`], with the metrics' datatypes (for the inspector).
    pub fn read_typed(&self, topic: &str, payload: &[u8]) -> Result<Typed, DecodeError> {
        self.read_as(topic, payload, true)
    }

    fn read_as(&self, topic: &str, payload: &[u8], typed: bool) -> Result<Typed, DecodeError> {
        let read_once = |aliases| match typed {
            true => sparkplug::read_typed(payload, aliases),
            false => sparkplug::read(payload, aliases),
        };
        let Some(t) = SparkplugTopic::parse(topic) else {
            return read_once(None).map(|r| Typed {
                value: r.value,
                types: r.types,
            });
        };
        let read = read_once(None)?;
        let at = read.value.get("timestamp").and_then(serde_json::Value::as_u64);
        let gap = read.seq.and_then(|seq| {
            self.gaps
                .iter()
                .rev()
                .find(|(gt, gat, gseq, _)| gt == topic && *gat == at && *gseq == seq)
                .map(|&(_, _, seq, expected)| crate::tr!("proto-sp-seq-gap", expected = expected, seq = seq))
        });
        let mut typed_read = self.resolve(&t, payload, read, typed);
        push_warnings(&mut typed_read.value, gap.into_iter().collect());
        Ok(typed_read)
    }

    /// Names the alias-only metrics of `read` (read again with the right table).
    fn resolve(&self, t: &SparkplugTopic<'_>, payload: &[u8], read: sparkplug::Read, typed: bool) -> Typed {
        let node = self.nodes.get(&(t.group.to_owned(), t.edge_node.to_owned()));
        let (table, birth) = match t.device {
            None => (node.and_then(|n| n.aliases.as_ref()), "NBIRTH"),
            Some(d) => (node.and_then(|n| n.devices.get(d)), "DBIRTH"),
        };
        if read.unknown_aliases.is_empty() {
            return Typed {
                value: read.value,
                types: read.types,
            };
        }
        let again = |table| match typed {
            true => sparkplug::read_typed(payload, Some(table)),
            false => sparkplug::read(payload, Some(table)),
        };
        let read = match table {
            Some(table) => again(table).unwrap_or(read),
            None => read,
        };
        let mut value = read.value;
        let warnings = read
            .unknown_aliases
            .iter()
            .map(|&alias| match table {
                None => crate::tr!("proto-sp-no-birth", alias = alias, birth = birth),
                Some(_) => crate::tr!("proto-sp-unknown-alias", alias = alias, birth = birth),
            })
            .collect();
        push_warnings(&mut value, warnings);
        Typed {
            value,
            types: read.types,
        }
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
