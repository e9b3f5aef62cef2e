//! Paths to numeric fields inside JSON payloads ("AM2301.Temperature", "samples\[0\]",
//! "wifi.rssi"), so a plot can follow one field of a topic's JSON over time, and a
//! listing of every plottable field of a payload to pick from.
//!
//! Syntax: keys separated by `.`, array indices as `[n]`, and keys that contain `.`,
//! `[` or `]` (or are empty) as a JSON string in brackets: `["a.b"]`. `Display` writes
//! the same syntax back, so every path round-trips through text (and through serde).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::numbers::extract_number;

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// A key of an object.
    Key(String),
    /// An index into an array.
    Index(usize),
}

/// A path from the root of a JSON value to one field. The empty path is the root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JsonPath {
    segments: Vec<PathSegment>,
}

/// Why a path string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON path at byte {position}: {reason}")]
pub struct JsonPathError {
    pub position: usize,
    pub reason: &'static str,
}

impl JsonPath {
    /// Parses the path syntax described in the module docs.
    pub fn parse(text: &str) -> Result<Self, JsonPathError> {
        let err = |position, reason| JsonPathError { position, reason };
        let b = text.as_bytes();
        let mut segments = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'[' {
                let (segment, next) = parse_bracket(text, i)?;
                segments.push(segment);
                i = next;
                continue;
            }
            let start = match b[i] {
                b'.' if i > 0 => i + 1,
                b'.' => return Err(err(i, "a path cannot start with '.'")),
                _ if i == 0 => 0,
                _ => return Err(err(i, "expected '.' or '[' after ']'")),
            };
            let end = b[start..]
                .iter()
                .position(|&c| c == b'.' || c == b'[')
                .map_or(b.len(), |n| start + n);
            let key = text.get(start..end).unwrap_or_default();
            if key.is_empty() {
                return Err(err(start, "empty key (write [\"\"] for an empty key)"));
            }
            if let Some(n) = key.find(']') {
                return Err(err(start + n, "unexpected ']'"));
            }
            segments.push(PathSegment::Key(key.to_owned()));
            i = end;
        }
        Ok(Self { segments })
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// True for the empty path (the whole value).
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// This path extended by an object key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.segments.push(PathSegment::Key(key.into()));
        self
    }

    /// This path extended by an array index.
    pub fn index(mut self, index: usize) -> Self {
        self.segments.push(PathSegment::Index(index));
        self
    }

    /// The value at this path, if the JSON has one there.
    pub fn get<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        self.segments.iter().try_fold(root, |value, segment| match segment {
            PathSegment::Key(key) => value.as_object()?.get(key),
            PathSegment::Index(index) => value.as_array()?.get(*index),
        })
    }

    /// The numeric value at this path (see [`value_as_number`]).
    pub fn extract(&self, root: &Value) -> Option<f64> {
        self.get(root).and_then(value_as_number)
    }
}

/// Parses `[n]` or `["key"]` starting at `open`; returns the segment and the index after `]`.
fn parse_bracket(text: &str, open: usize) -> Result<(PathSegment, usize), JsonPathError> {
    let err = |position, reason| JsonPathError { position, reason };
    let b = text.as_bytes();
    let inner = open + 1;
    if b.get(inner) == Some(&b'"') {
        let mut j = inner + 1;
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        let quoted = text
            .get(inner..=j)
            .ok_or_else(|| err(inner, "unterminated quoted key"))?;
        let key: String = serde_json::from_str(quoted).map_err(|_| err(inner, "invalid quoted key"))?;
        if b.get(j + 1) != Some(&b']') {
            return Err(err(j + 1, "expected ']' after a quoted key"));
        }
        return Ok((PathSegment::Key(key), j + 2));
    }
    let close = b[inner..]
        .iter()
        .position(|&c| c == b']')
        .map(|n| inner + n)
        .ok_or_else(|| err(open, "unclosed '['"))?;
    let digits = text.get(inner..close).unwrap_or_default();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(err(inner, "an index must be digits"));
    }
    let index = digits.parse().map_err(|_| err(inner, "index out of range"))?;
    Ok((PathSegment::Index(index), close + 1))
}

/// A key that can be written without brackets and quotes.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty() && !key.contains(['.', '[', ']'])
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if is_plain_key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => {
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl FromStr for JsonPath {
    type Err = JsonPathError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for JsonPath {
    type Error = JsonPathError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<JsonPath> for String {
    fn from(path: JsonPath) -> Self {
        path.to_string()
    }
}

/// The number a JSON leaf stands for: finite numbers as they are, booleans as 1/0, and
/// strings that [`extract_number`] accepts ("21.5", "ON", "57%").
pub fn value_as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|v| v.is_finite()),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::String(s) => extract_number(s),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Every leaf with a numeric value (see [`value_as_number`]), in document order.
pub fn numeric_paths(root: &Value) -> Vec<(JsonPath, f64)> {
    let mut found = Vec::new();
    // Iterative so that a deeply nested value cannot overflow the stack.
    let mut stack = vec![(JsonPath::default(), root)];
    while let Some((path, value)) = stack.pop() {
        match value {
            Value::Object(map) => stack.extend(
                map.iter()
                    .rev()
                    .map(|(key, child)| (path.clone().key(key.as_str()), child)),
            ),
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, child)| (path.clone().index(i), child)),
            ),
            leaf => {
                if let Some(number) = value_as_number(leaf) {
                    found.push((path, number));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_corpus::corpus;

    fn path(text: &str) -> JsonPath {
        JsonPath::parse(text).unwrap()
    }

    fn corpus_json(topic: &str) -> Value {
        let entry = corpus().into_iter().find(|e| e.topic == topic).unwrap();
        serde_json::from_slice(&entry.payload).unwrap()
    }

    #[test]
    fn parses_and_round_trips() {
        let p = path("a.b[2].c");
        let want = [
            PathSegment::Key("a".into()),
            PathSegment::Key("b".into()),
            PathSegment::Index(2),
            PathSegment::Key("c".into()),
        ];
        assert_eq!(p.segments(), want);
        for text in [
            "",
            "AM2301.Temperature",
            "samples[0]",
            "wifi.rssi",
            "a.b[2].c",
            "[0][1]",
            "[\"a.b\"].c",
            "x[\"\"]",
            "[\"[x]\"]",
            "温度.值",
            "switch:0.tC",
            "a\"b",
        ] {
            assert_eq!(path(text).to_string(), text);
        }
        let odd = JsonPath::default().key("a.b").key("").index(3).key("q\"]");
        assert_eq!(odd.to_string(), r#"["a.b"][""][3]["q\"]"]"#);
        assert_eq!(path(&odd.to_string()), odd);
    }

    #[test]
    fn rejects_malformed_paths() {
        for (text, position) in [
            (".a", 0),
            ("a.", 2),
            ("a..b", 2),
            ("a[", 1),
            ("a[x]", 2),
            ("a[]", 2),
            ("a[-1]", 2),
            ("a[99999999999999999999999]", 2),
            ("a]", 1),
            ("a[0]b", 4),
            ("[\"a\"", 4),
            ("[\"a", 1),
            ("[\"\\q\"]", 1),
        ] {
            let e = JsonPath::parse(text).unwrap_err();
            assert_eq!(e.position, position, "{text}: {e}");
        }
    }

    #[test]
    fn serde_uses_the_text_form() {
        let p = path("a.b[2]");
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"a.b[2]\"");
        let back: JsonPath = serde_json::from_str("\"a.b[2]\"").unwrap();
        assert_eq!(back, p);
        assert!(serde_json::from_str::<JsonPath>("\"a..b\"").is_err());
    }

    #[test]
    fn extracts_from_corpus_payloads() {
        let sensor = corpus_json("tele/tasmota_5C3F21/SENSOR");
        assert_eq!(path("AM2301.Temperature").extract(&sensor), Some(21.7));
        assert_eq!(path("TempUnit").extract(&sensor), None);
        assert_eq!(path("Missing.Field").extract(&sensor), None);
        let state = corpus_json("tele/tasmota_5C3F21/STATE");
        assert_eq!(path("Wifi.RSSI").extract(&state), Some(72.0));
        assert_eq!(path("Wifi.Signal").extract(&state), Some(-64.0));
        assert_eq!(path("POWER").extract(&state), Some(0.0));
        assert_eq!(path("Wifi[0]").extract(&state), None);
        let accel = corpus_json("esp32/a1b2c3/accel");
        assert_eq!(path("samples[0]").extract(&accel), Some(0.01));
        assert_eq!(path("samples[3]").extract(&accel), Some(0.011));
        assert_eq!(path("samples[4]").extract(&accel), None);
        assert_eq!(path("samples").extract(&accel), None);
        let shelly = corpus_json("shellyplus1-08b61fd1/status/switch:0");
        assert_eq!(path("temperature.tC").extract(&shelly), Some(42.1));
        assert_eq!(path("output").extract(&shelly), Some(0.0));
        let bridge = corpus_json("zigbee2mqtt/bridge/state");
        assert_eq!(path("state").extract(&bridge), Some(1.0));
        assert_eq!(path("").extract(&Value::from(5)), Some(5.0));
    }

    fn listed(value: &Value) -> Vec<(String, f64)> {
        numeric_paths(value)
            .into_iter()
            .map(|(p, v)| (p.to_string(), v))
            .collect()
    }

    #[test]
    fn lists_numeric_leaves_in_document_order() {
        let strs = |v: &[(&str, f64)]| -> Vec<(String, f64)> { v.iter().map(|(p, x)| (p.to_string(), *x)).collect() };
        assert_eq!(
            listed(&corpus_json("tele/tasmota_5C3F21/SENSOR")),
            strs(&[
                ("AM2301.Temperature", 21.7),
                ("AM2301.Humidity", 48.3),
                ("AM2301.DewPoint", 10.3)
            ])
        );
        assert_eq!(
            listed(&corpus_json("tele/tasmota_5C3F21/STATE")),
            strs(&[
                ("Heap", 26.0),
                ("LoadAvg", 19.0),
                ("POWER", 0.0),
                ("Wifi.AP", 1.0),
                ("Wifi.Channel", 6.0),
                ("Wifi.RSSI", 72.0),
                ("Wifi.Signal", -64.0)
            ])
        );
        assert_eq!(
            listed(&corpus_json("esp32/a1b2c3/accel")),
            strs(&[
                ("x", 0.012),
                ("y", -0.998),
                ("z", 0.044),
                ("samples[0]", 0.01),
                ("samples[1]", 0.02),
                ("samples[2]", 0.015),
                ("samples[3]", 0.011)
            ])
        );
        let config = "homeassistant/sensor/esp32_a1b2c3/temperature/config";
        assert_eq!(listed(&corpus_json(config)), vec![]);
        assert_eq!(listed(&Value::from(3.5)), strs(&[("", 3.5)]));
    }

    #[test]
    fn every_listed_path_extracts_its_value() {
        for entry in corpus() {
            let Ok(value) = serde_json::from_slice::<Value>(&entry.payload) else {
                continue;
            };
            for (p, v) in numeric_paths(&value) {
                let reparsed = path(&p.to_string());
                assert_eq!(reparsed.extract(&value), Some(v), "{} {p}", entry.topic);
            }
        }
    }
}
