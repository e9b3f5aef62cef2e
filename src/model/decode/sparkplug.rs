//! Sparkplug B payloads (Eclipse Sparkplug 3.0): the `spBv1.0/` topic namespace, and the
//! protobuf `Payload` read with the embedded schema (`sparkplug_b.proto`, compiled by
//! protox on first use) into JSON whose `metrics` are keyed by metric NAME, so
//! `metrics.Temperature` plots. Names of DATA metrics sent by alias, and the datatypes
//! DATA metrics leave out, come from the last BIRTH, which
//! [`crate::model::SparkplugRegistry`] keeps; this file only reads one payload with the
//! [`BirthTable`] it is given.

use std::sync::OnceLock;

use prost_reflect::{DynamicMessage, MessageDescriptor, Value as PValue};
use serde_json::{Map, Value};

use super::proto::message_value;
pub use super::sparkplug_scan::{BirthTable, MetricDef, Scan, scan};
use super::sparkplug_values::{datatype_name, field_str, field_u64, metric_value, msg_bool, property_set_value};
use super::{Budget, DecodeError, FieldTypes, bytes_value};

/// The schema's text, as the specification's appendix gives it.
pub const SCHEMA: &str = include_str!("sparkplug_b.proto");
/// The full name of the payload message in [`SCHEMA`].
pub const PAYLOAD: &str = "org.eclipse.tahu.protobuf.Payload";
/// The topic namespace of Sparkplug B.
pub const NAMESPACE: &str = "spBv1.0";

/// What a Sparkplug topic says: `spBv1.0/<group>/<type>/<edge node>[/<device>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparkplugTopic<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub edge_node: &'a str,
    pub device: Option<&'a str>,
}

impl<'a> SparkplugTopic<'a> {
    /// Parses a topic of the namespace; `None` for any other topic (and for `STATE`,
    /// which is `spBv1.0/STATE/<host>` and JSON, not protobuf).
    pub fn parse(topic: &'a str) -> Option<Self> {
        let mut parts = topic.split('/');
        if parts.next()? != NAMESPACE {
            return None;
        }
        let group = parts.next()?;
        let kind = parts.next()?;
        let edge_node = parts.next()?;
        let device = parts.next();
        if parts.next().is_some() || group.is_empty() || edge_node.is_empty() {
            return None;
        }
        let node_kind = matches!(kind, "NBIRTH" | "NDATA" | "NDEATH" | "NCMD");
        let device_kind = matches!(kind, "DBIRTH" | "DDATA" | "DDEATH" | "DCMD");
        match device {
            None if node_kind => Some(Self {
                group,
                kind,
                edge_node,
                device,
            }),
            Some(d) if device_kind && !d.is_empty() => Some(Self {
                group,
                kind,
                edge_node,
                device,
            }),
            _ => None,
        }
    }

    /// True for NBIRTH and DBIRTH, which define the aliases.
    pub fn is_birth(&self) -> bool {
        self.kind.ends_with("BIRTH")
    }
}

/// The compiled `Payload` message type (compiled once; the schema is ours, so a failure
/// is a bug, still reported in words rather than a panic).
pub fn payload_descriptor() -> Result<MessageDescriptor, DecodeError> {
    static DESC: OnceLock<Result<MessageDescriptor, DecodeError>> = OnceLock::new();
    DESC.get_or_init(|| {
        let mut compiler = protox::Compiler::with_file_resolver(EmbeddedSchema);
        compiler.include_imports(true);
        compiler
            .open_file("sparkplug_b.proto")
            .map_err(|e| DecodeError::Proto(e.to_string()))?;
        super::proto::message(&compiler.descriptor_pool(), PAYLOAD)
    })
    .clone()
}

/// Serves the embedded schema to protox.
struct EmbeddedSchema;

impl protox::file::FileResolver for EmbeddedSchema {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        if name == "sparkplug_b.proto" {
            protox::file::File::from_source(name, SCHEMA)
        } else {
            Err(protox::Error::file_not_found(name))
        }
    }
}

/// One payload read: the JSON, and the aliases no name was found for.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub value: Value,
    /// The datatypes of the metrics (and of DataSet cells and Template members), when
    /// read with [`read_typed`].
    pub types: FieldTypes,
    pub unknown_aliases: Vec<u64>,
    pub seq: Option<u64>,
}

/// Decodes a Sparkplug B payload, naming alias-only metrics and typing the metrics sent
/// without a datatype from `birth`.
pub fn read(bytes: &[u8], birth: Option<&BirthTable>) -> Result<Read, DecodeError> {
    read_with(bytes, birth, Budget::default())
}

/// As [`read`], with the metrics' datatypes in [`Read::types`].
pub fn read_typed(bytes: &[u8], birth: Option<&BirthTable>) -> Result<Read, DecodeError> {
    read_with(bytes, birth, Budget::typed())
}

pub(super) fn read_with(bytes: &[u8], birth: Option<&BirthTable>, mut budget: Budget) -> Result<Read, DecodeError> {
    let desc = payload_descriptor()?;
    let msg = DynamicMessage::decode(desc, bytes).map_err(|e| {
        DecodeError::Proto(crate::tr!(
            "proto-err-payload",
            message = "Sparkplug B Payload",
            detail = e.to_string()
        ))
    })?;
    let mut out = Map::new();
    let mut read = Read::default();
    if let Some(t) = field_u64(&msg, "timestamp") {
        out.insert("timestamp".into(), Value::from(t));
    }
    if let Some(seq) = field_u64(&msg, "seq") {
        read.seq = Some(seq);
        out.insert("seq".into(), Value::from(seq));
    }
    let mut metrics = Map::new();
    let mut info = Map::new();
    let metrics_mark = budget.types.enter_key("metrics");
    if let Some(list) = msg.get_field_by_name("metrics")
        && let Some(items) = list.as_list()
    {
        for item in items {
            let Some(metric) = item.as_message() else { continue };
            budget.take(2)?;
            let alias = field_u64(metric, "alias");
            let name = match (field_str(metric, "name"), alias) {
                (Some(name), _) => name,
                (None, Some(a)) => match birth.and_then(|b| b.name(a)) {
                    Some(name) => name.to_owned(),
                    None => {
                        read.unknown_aliases.push(a);
                        format!("alias {a}")
                    }
                },
                (None, None) => format!("metric {}", metrics.len() + 1),
            };
            let datatype = field_u64(metric, "datatype")
                .filter(|&t| t != 0)
                .or_else(|| birth.and_then(|b| b.datatype(Some(&name), alias)).map(u64::from))
                .unwrap_or(0);
            let mark = budget.types.enter_key(&name);
            if datatype != 0 && budget.types.is_on() {
                budget.types.note(&datatype_name(datatype));
            }
            let value = metric_value(metric, datatype, 2, &mut budget);
            budget.types.leave(mark);
            metrics.insert(name.clone(), value?);
            let mut about = Map::new();
            if let Some(a) = alias {
                about.insert("alias".into(), Value::from(a));
            }
            if datatype != 0 {
                about.insert("datatype".into(), Value::String(datatype_name(datatype)));
            }
            if let Some(t) = field_u64(metric, "timestamp") {
                about.insert("timestamp".into(), Value::from(t));
            }
            for flag in ["is_historical", "is_transient"] {
                if msg_bool(metric, flag) {
                    about.insert(flag.into(), Value::Bool(true));
                }
            }
            for nested in ["metadata", "properties"] {
                if metric.has_field_by_name(nested)
                    && let Some(PValue::Message(m)) = metric.get_field_by_name(nested).map(|v| v.into_owned())
                {
                    // Their types belong under `metric_info`, not under `metrics`: step
                    // out of `/metrics` and back in around them.
                    budget.types.leave(metrics_mark);
                    budget.types.enter_key("metric_info");
                    budget.types.enter_key(&name);
                    budget.types.enter_key(nested);
                    let shown = match nested {
                        "properties" => property_set_value(&m, 3, &mut budget),
                        _ => message_value(&m, 3, &mut budget),
                    };
                    budget.types.leave(metrics_mark);
                    budget.types.enter_key("metrics");
                    about.insert(nested.into(), shown?);
                }
            }
            info.insert(name, Value::Object(about));
        }
    }
    budget.types.leave(metrics_mark);
    out.insert("metrics".into(), Value::Object(metrics));
    out.insert("metric_info".into(), Value::Object(info));
    if let Some(uuid) = field_str(&msg, "uuid") {
        out.insert("uuid".into(), Value::String(uuid));
    }
    if msg.has_field_by_name("body")
        && let Some(PValue::Bytes(b)) = msg.get_field_by_name("body").map(|v| v.into_owned())
    {
        out.insert("body".into(), bytes_value(&b));
    }
    read.value = Value::Object(out);
    read.types = budget.types.finish();
    Ok(read)
}

/// Encodes a Sparkplug B payload from JSON-like parts: used by the Rebirth button, the
/// demo edge node and the tests (the same schema reads and writes). Metrics with an
/// alias and no name are written without their datatype, as DATA metrics should be.
pub fn encode(timestamp_ms: u64, seq: Option<u64>, metrics: &[Metric]) -> Result<Vec<u8>, DecodeError> {
    use prost::Message as _;
    let desc = payload_descriptor()?;
    let metric_desc = desc
        .get_field_by_name("metrics")
        .and_then(|f| f.kind().as_message().cloned())
        .ok_or_else(|| DecodeError::Proto("Sparkplug schema has no Metric".into()))?;
    let mut payload = DynamicMessage::new(desc);
    payload.set_field_by_name("timestamp", PValue::U64(timestamp_ms));
    if let Some(seq) = seq {
        payload.set_field_by_name("seq", PValue::U64(seq));
    }
    let list = metrics
        .iter()
        .map(|m| {
            let mut dm = DynamicMessage::new(metric_desc.clone());
            if let Some(name) = &m.name {
                dm.set_field_by_name("name", PValue::String(name.clone()));
            }
            if let Some(alias) = m.alias {
                dm.set_field_by_name("alias", PValue::U64(alias));
            }
            // An alias-only metric is a DATA metric, which Sparkplug 3.0 says should not
            // repeat the datatype its BIRTH gave (a host takes it from there).
            if m.name.is_some() || m.alias.is_none() {
                dm.set_field_by_name("datatype", PValue::U32(m.value.datatype()));
            }
            let (field, value) = m.value.field();
            dm.set_field_by_name(field, value);
            PValue::Message(dm)
        })
        .collect();
    payload.set_field_by_name("metrics", PValue::List(list));
    Ok(payload.encode_to_vec())
}

/// One metric to encode.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: Option<String>,
    pub alias: Option<u64>,
    pub value: MetricValue,
}

/// The metric values [`encode`] writes.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricValue {
    Int32(i32),
    Int64(i64),
    Float(f32),
    Double(f64),
    Boolean(bool),
    String(String),
}

impl MetricValue {
    fn datatype(&self) -> u32 {
        match self {
            Self::Int32(_) => 3,
            Self::Int64(_) => 4,
            Self::Float(_) => 9,
            Self::Double(_) => 10,
            Self::Boolean(_) => 11,
            Self::String(_) => 12,
        }
    }

    fn field(&self) -> (&'static str, PValue) {
        match self {
            Self::Int32(n) => ("int_value", PValue::U32(*n as u32)),
            Self::Int64(n) => ("long_value", PValue::U64(*n as u64)),
            Self::Float(n) => ("float_value", PValue::F32(*n)),
            Self::Double(n) => ("double_value", PValue::F64(*n)),
            Self::Boolean(b) => ("boolean_value", PValue::Bool(*b)),
            Self::String(s) => ("string_value", PValue::String(s.clone())),
        }
    }
}
