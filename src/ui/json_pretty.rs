//! Pretty-prints JSON and remembers, for every line holding a numeric leaf, the path to
//! it, so a click on "Temperature": 21.7 in the JSON view can plot that field.

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::{JsonPath, value_as_number};

/// The pretty text (two-space indent) and, per line, the path of its plottable leaf.
pub fn pretty_with_paths(v: &Value) -> (String, Vec<Option<JsonPath>>) {
    let mut out = Printer {
        text: String::new(),
        paths: Vec::new(),
    };
    out.value(v, &JsonPath::default(), 0, None, false);
    (out.text, out.paths)
}

struct Printer {
    text: String,
    paths: Vec<Option<JsonPath>>,
}

impl Printer {
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
    }

    fn value(&mut self, v: &Value, path: &JsonPath, depth: usize, key: Option<&str>, comma: bool) {
        self.line_start(depth, key);
        match v {
            Value::Object(map) if !map.is_empty() => {
                self.text.push('{');
                self.end_line(false, None);
                let n = map.len();
                for (i, (k, child)) in map.iter().enumerate() {
                    self.value(child, &path.clone().key(k.as_str()), depth + 1, Some(k), i + 1 < n);
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
                    self.value(child, &path.clone().index(i), depth + 1, None, i + 1 < n);
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
}
