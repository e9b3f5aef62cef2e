//! Pretty-prints JSON and remembers, for every line holding a numeric leaf, the path to
//! it, so a click on "Temperature": 21.7 in the JSON view can plot that field; and, for
//! a decoded payload, the type its decoder knew for the value starting on each line.

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::decode::{FieldTypes, push_segment};
use crate::model::{JsonPath, value_as_number};

/// The pretty text (two-space indent) and, per line, the path of its plottable leaf.
pub fn pretty_with_paths(v: &Value) -> (String, Vec<Option<JsonPath>>) {
    let p = pretty_with_types(v, &FieldTypes::default());
    (p.text, p.paths)
}

/// Pretty JSON with, per line, its plottable path and its value's type tag.
#[derive(Debug, Default)]
pub struct Pretty {
    pub text: String,
    pub paths: Vec<Option<JsonPath>>,
    /// The type of the value that starts on the line, where `types` had one.
    pub tags: Vec<Option<String>>,
}

/// As [`pretty_with_paths`], with the tags of `types` (keyed by JSON pointer).
pub fn pretty_with_types(v: &Value, types: &FieldTypes) -> Pretty {
    let mut out = Printer {
        text: String::new(),
        paths: Vec::new(),
        tags: Vec::new(),
        types,
        pointer: String::new(),
    };
    out.value(v, &JsonPath::default(), 0, None, false);
    Pretty {
        text: out.text,
        paths: out.paths,
        tags: out.tags,
    }
}

struct Printer<'a> {
    text: String,
    paths: Vec<Option<JsonPath>>,
    tags: Vec<Option<String>>,
    types: &'a FieldTypes,
    /// The JSON pointer of the value being printed (kept only when there are types).
    pointer: String,
}

impl Printer<'_> {
    fn line_start(&mut self, depth: usize, key: Option<&str>) {
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        if let Some(k) = key {
            self.text.push_str(&Value::String(k.to_owned()).to_string());
            self.text.push_str(": ");
        }
    }

    fn end_line(&mut self, comma: bool, path: Option<JsonPath>) {
        if comma {
            self.text.push(',');
        }
        self.text.push('\n');
        self.paths.push(path);
        if self.tags.len() < self.paths.len() {
            self.tags.push(None);
        }
    }

    /// Tags the line being written with the type of the value at the current pointer.
    fn tag(&mut self) {
        if let Some(ty) = self.types.get(&self.pointer) {
            self.tags.push(Some(ty.to_owned()));
        }
    }

    /// Moves the pointer into `key` or `index`; returns where to cut it back to.
    fn enter(&mut self, key: Option<&str>, index: usize) -> usize {
        let mark = self.pointer.len();
        if !self.types.is_empty() {
            match key {
                Some(k) => push_segment(&mut self.pointer, k),
                None => {
                    let _ = write!(self.pointer, "/{index}");
                }
            }
        }
        mark
    }

    fn value(&mut self, v: &Value, path: &JsonPath, depth: usize, key: Option<&str>, comma: bool) {
        self.line_start(depth, key);
        self.tag();
        match v {
            Value::Object(map) if !map.is_empty() => {
                self.text.push('{');
                self.end_line(false, None);
                let n = map.len();
                for (i, (k, child)) in map.iter().enumerate() {
                    let mark = self.enter(Some(k), i);
                    self.value(child, &path.clone().key(k.as_str()), depth + 1, Some(k), i + 1 < n);
                    self.pointer.truncate(mark);
                }
                self.line_start(depth, None);
                self.text.push('}');
                self.end_line(comma, None);
            }
            Value::Array(items) if !items.is_empty() => {
                self.text.push('[');
                self.end_line(false, None);
                let n = items.len();
                for (i, child) in items.iter().enumerate() {
                    let mark = self.enter(None, i);
                    self.value(child, &path.clone().index(i), depth + 1, None, i + 1 < n);
                    self.pointer.truncate(mark);
                }
                self.line_start(depth, None);
                self.text.push(']');
                self.end_line(comma, None);
            }
            scalar => {
                let _ = write!(self.text, "{scalar}");
                let plottable = value_as_number(scalar).is_some() && !path.is_root();
                self.end_line(comma, plottable.then(|| path.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_the_paths_of_numeric_leaves() {
        let v: Value =
            serde_json::from_str(r#"{"AM2301":{"Temperature":21.7,"Unit":"C"},"samples":[1,2],"e":{}}"#).unwrap();
        let (text, paths) = pretty_with_paths(&v);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), paths.len());
        assert_eq!(lines[2], "    \"Temperature\": 21.7,");
        assert_eq!(
            paths[2].as_ref().map(ToString::to_string).as_deref(),
            Some("AM2301.Temperature")
        );
        assert_eq!(paths[3], None, "a non-numeric string is not plottable");
        assert_eq!(lines[6], "    1,");
        assert_eq!(
            paths[6].as_ref().map(ToString::to_string).as_deref(),
            Some("samples[0]")
        );
        assert_eq!(lines[9], "  \"e\": {}");
        // Same text as serde_json's pretty printer.
        assert_eq!(text.trim_end(), serde_json::to_string_pretty(&v).unwrap());
    }

    #[test]
    fn lines_carry_the_decoders_types() {
        let v: Value = serde_json::from_str(r#"{"a/b":{"t":21.5,"h":[1,2]},"n":"x"}"#).unwrap();
        let mut types = FieldTypes::default();
        types.insert("".into(), "map");
        types.insert("/a~1b/t".into(), "f32");
        types.insert("/a~1b/h".into(), "u16[2]");
        types.insert("/a~1b/h/1".into(), "u16");
        let p = pretty_with_types(&v, &types);
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(p.tags.len(), lines.len());
        let tag = |i: usize| p.tags[i].as_deref();
        assert_eq!((lines[0], tag(0)), ("{", Some("map")));
        assert_eq!(tag(1), None, "no type known for the object a/b");
        assert_eq!((lines[2].trim(), tag(2)), ("\"t\": 21.5,", Some("f32")));
        assert_eq!((lines[3].trim(), tag(3)), ("\"h\": [", Some("u16[2]")));
        assert_eq!((lines[4].trim(), tag(4)), ("1,", None));
        assert_eq!((lines[5].trim(), tag(5)), ("2", Some("u16")));
        assert_eq!(tag(6), None, "a closing bracket has no tag");
        assert_eq!(p.paths.len(), lines.len(), "paths unchanged");
        // The text is the same with or without types.
        assert_eq!(p.text, pretty_with_paths(&v).0);
    }
}
