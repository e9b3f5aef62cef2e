//! What a Sparkplug B host must remember from each message as it arrives, read straight
//! from the protobuf wire format without building the message: the payload's
//! `timestamp` and `seq`, and for a BIRTH each metric's name, alias and datatype.
//! Every message on `spBv1.0/` passes here on the ingest path, so this is a few passes
//! over varints instead of a full reflective decode (which stays for the message the
//! user looks at). Field numbers are those of Tahu's `sparkplug_b.proto`: Payload
//! `timestamp` 1, `metrics` 2, `seq` 3; Metric `name` 1, `alias` 2, `datatype` 4.

use std::collections::HashMap;
use std::sync::Arc;

use super::DecodeError;

/// The parts of one payload a host keeps.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scan {
    pub timestamp: Option<u64>,
    pub seq: Option<u64>,
    /// The metrics' definitions; filled only when asked for (BIRTH messages).
    pub metrics: Vec<MetricDef>,
}

/// A metric as a BIRTH defines it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MetricDef {
    pub name: Option<String>,
    pub alias: Option<u64>,
    pub datatype: u32,
}

/// What a BIRTH defined: names by alias, and datatypes by alias and by name (DATA
/// messages should not repeat the datatype, Sparkplug 3.0 says, yet an Int32 cannot be
/// signed without it).
#[derive(Debug, Default, Clone)]
pub struct BirthTable {
    by_alias: HashMap<u64, (Arc<str>, u32)>,
    by_name: HashMap<Arc<str>, u32>,
}

impl BirthTable {
    /// The table of a BIRTH's metrics, keeping at most `limit` of them.
    pub fn new(metrics: &[MetricDef], limit: usize) -> Self {
        let mut table = Self::default();
        for m in metrics.iter().take(limit) {
            let Some(name) = &m.name else { continue };
            let name: Arc<str> = Arc::from(name.as_str());
            if let Some(alias) = m.alias {
                table.by_alias.insert(alias, (name.clone(), m.datatype));
            }
            table.by_name.insert(name, m.datatype);
        }
        table
    }

    /// The name the BIRTH gave to `alias`.
    pub fn name(&self, alias: u64) -> Option<&str> {
        self.by_alias.get(&alias).map(|(name, _)| &**name)
    }

    /// The datatype the BIRTH gave to the metric called `name` or aliased `alias`.
    pub fn datatype(&self, name: Option<&str>, alias: Option<u64>) -> Option<u32> {
        let by_name = name.and_then(|n| self.by_name.get(n).copied());
        let by_alias = || alias.and_then(|a| self.by_alias.get(&a).map(|&(_, t)| t));
        by_name.or_else(by_alias).filter(|&t| t != 0)
    }

    /// How many metrics it names.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when it names none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// Reads the payload's timestamp and seq, and the metrics' definitions when `metrics`.
pub fn scan(bytes: &[u8], metrics: bool) -> Result<Scan, DecodeError> {
    let mut out = Scan::default();
    let mut r = Reader { bytes, at: 0 };
    while let Some((field, wire)) = r.key()? {
        match (field, wire) {
            (1, 0) => out.timestamp = Some(r.varint()?),
            (3, 0) => out.seq = Some(r.varint()?),
            (2, 2) if metrics => out.metrics.push(metric_def(r.len_delimited()?)?),
            _ => r.skip(wire)?,
        }
    }
    Ok(out)
}

fn metric_def(bytes: &[u8]) -> Result<MetricDef, DecodeError> {
    let mut def = MetricDef::default();
    let mut r = Reader { bytes, at: 0 };
    while let Some((field, wire)) = r.key()? {
        match (field, wire) {
            (1, 2) => def.name = Some(String::from_utf8_lossy(r.len_delimited()?).into_owned()),
            (2, 0) => def.alias = Some(r.varint()?),
            // A datatype past u32 is no datatype the schema knows: unknown, as 0 says.
            (4, 0) => def.datatype = u32::try_from(r.varint()?).unwrap_or(0),
            _ => r.skip(wire)?,
        }
    }
    Ok(def)
}

/// A cursor over protobuf wire bytes; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// The next field number and wire type, or `None` at the end.
    fn key(&mut self) -> Result<Option<(u64, u8)>, DecodeError> {
        if self.at >= self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        Ok(Some((key >> 3, (key & 7) as u8)))
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or_else(truncated)?;
            self.at += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(malformed("a varint longer than 10 bytes"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(truncated)?;
        let part = &self.bytes[self.at..end];
        self.at = end;
        Ok(part)
    }

    fn len_delimited(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = usize::try_from(self.varint()?).map_err(|_| truncated())?;
        self.take(n)
    }

    fn skip(&mut self, wire: u8) -> Result<(), DecodeError> {
        match wire {
            0 => self.varint().map(drop),
            1 => self.take(8).map(drop),
            2 => self.len_delimited().map(drop),
            5 => self.take(4).map(drop),
            // Groups (3, 4) are not in the schema, and 6, 7 are no wire type at all.
            _ => Err(malformed(&format!("wire type {wire}"))),
        }
    }
}

fn truncated() -> DecodeError {
    malformed("the payload ends inside a field")
}

fn malformed(detail: &str) -> DecodeError {
    DecodeError::Proto(crate::tr!(
        "proto-err-payload",
        message = "Sparkplug B Payload",
        detail = detail
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::sparkplug::{Metric, MetricValue, encode};

    fn birth() -> Vec<u8> {
        let metric = |name: &str, alias, value| Metric {
            name: Some(name.to_owned()),
            alias: Some(alias),
            value,
        };
        encode(
            1_700_000_000_000,
            Some(0),
            &[
                metric("Temperature", 1, MetricValue::Float(21.5)),
                metric("温度/偏移", 2, MetricValue::Int32(-7)),
                metric("Label", 3, MetricValue::String("泵房".into())),
            ],
        )
        .expect("encodes")
    }

    #[test]
    fn a_birth_gives_its_names_aliases_and_datatypes() {
        let scan = scan(&birth(), true).expect("scans");
        assert_eq!(scan.timestamp, Some(1_700_000_000_000));
        assert_eq!(scan.seq, Some(0));
        let defs: Vec<_> = scan
            .metrics
            .iter()
            .map(|m| (m.name.as_deref(), m.alias, m.datatype))
            .collect();
        assert_eq!(
            defs,
            [
                (Some("Temperature"), Some(1), 9),
                (Some("温度/偏移"), Some(2), 3),
                (Some("Label"), Some(3), 12)
            ]
        );
        let table = BirthTable::new(&scan.metrics, usize::MAX);
        assert_eq!(table.name(2), Some("温度/偏移"));
        assert_eq!(table.datatype(None, Some(2)), Some(3));
        assert_eq!(table.datatype(Some("Label"), None), Some(12));
        assert_eq!(table.datatype(Some("unknown"), Some(99)), None);
        assert_eq!(BirthTable::new(&scan.metrics, 2).len(), 2, "the limit holds");
    }

    #[test]
    fn without_metrics_asked_only_the_header_is_read() {
        let scan = scan(&birth(), false).expect("scans");
        assert_eq!((scan.timestamp, scan.seq), (Some(1_700_000_000_000), Some(0)));
        assert!(scan.metrics.is_empty());
    }

    #[test]
    fn cut_or_hostile_bytes_are_errors_in_words_never_a_panic() {
        let whole = birth();
        for cut in 0..whole.len() {
            // Every prefix either scans (it ends between fields) or says why not.
            if let Err(e) = scan(&whole[..cut], true) {
                assert!(e.to_string().contains("Sparkplug"), "{e}");
            }
        }
        let huge_length = [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
        assert!(scan(&huge_length, true).is_err(), "a length past the end");
        let long_varint = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        assert!(scan(&long_varint, true).is_err());
        assert!(scan(&[0x0B], true).is_err(), "a group start");
        assert!(scan(b"{\"temp\": 21.5}", true).is_err(), "JSON is not a payload");
    }
}
