//! The types a decoder knew, kept beside the decoded `serde_json::Value`: JSON has no
//! f32 or u16, and a MessagePack float, a struct's `u16le` or a Sparkplug `Int32` all
//! become plain JSON numbers. The inspector shows them as small tags; everything else
//! (filters, diff, plots) keeps working on the `Value` alone.
//!
//! Types are keyed by JSON pointer (RFC 6901: `/metrics/Temperature`, `/samples/0`).
//! Recording them is off unless asked for ([`TypeSink::on`]), so the CLI, the plots and
//! the filters, which decode every message, pay one branch per value and nothing else.

use std::collections::HashMap;

/// JSON pointer → type name, as the decoder named it (`f32`, `u16`, `str`, `Int32`…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldTypes {
    map: HashMap<String, String>,
}

impl FieldTypes {
    /// The type of the value at `pointer` (`""` is the whole value), if known.
    pub fn get(&self, pointer: &str) -> Option<&str> {
        self.map.get(pointer).map(String::as_str)
    }

    /// How many values have a type.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the decoder knew no types (JSON inside base64, for one).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Records the type of the value at `pointer`.
    pub fn insert(&mut self, pointer: String, ty: impl Into<String>) {
        self.map.insert(pointer, ty.into());
    }

    /// Every type name recorded, in no order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.values().map(String::as_str)
    }
}

/// Appends one pointer segment to `pointer`, escaped as RFC 6901 says (`~` → `~0`,
/// `/` → `~1`), so a key "a/b" is not taken for two levels.
pub fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Collects types while a decoder walks its input; the current position is a pointer
/// grown and cut as the walk enters and leaves containers.
#[derive(Debug, Default)]
pub struct TypeSink {
    on: bool,
    pointer: String,
    types: FieldTypes,
}

impl TypeSink {
    /// A sink that records.
    pub fn on() -> Self {
        Self {
            on: true,
            ..Self::default()
        }
    }

    /// Enters the member `key`; returns the mark [`TypeSink::leave`] goes back to.
    pub fn enter_key(&mut self, key: &str) -> usize {
        let mark = self.pointer.len();
        if self.on {
            push_segment(&mut self.pointer, key);
        }
        mark
    }

    /// Enters the array item `index`.
    pub fn enter_index(&mut self, index: usize) -> usize {
        let mark = self.pointer.len();
        if self.on {
            use std::fmt::Write as _;
            let _ = write!(self.pointer, "/{index}");
        }
        mark
    }

    /// Goes back to where `enter_*` returned `mark`.
    pub fn leave(&mut self, mark: usize) {
        self.pointer.truncate(mark);
    }

    /// Records the type of the value at the current position.
    pub fn note(&mut self, ty: &str) {
        if self.on {
            self.types.insert(self.pointer.clone(), ty);
        }
    }

    /// True when recording (a caller may skip building a type name otherwise).
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// The types recorded.
    pub fn finish(self) -> FieldTypes {
        self.types
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_follow_the_walk_and_escape_keys() {
        let mut sink = TypeSink::on();
        sink.note("map");
        let a = sink.enter_key("a/b~c");
        let i = sink.enter_index(3);
        sink.note("f32");
        sink.leave(i);
        sink.leave(a);
        let k = sink.enter_key("n");
        sink.note("u16");
        sink.leave(k);
        let types = sink.finish();
        assert_eq!(types.get(""), Some("map"));
        assert_eq!(types.get("/a~1b~0c/3"), Some("f32"));
        assert_eq!(types.get("/n"), Some("u16"));
        assert_eq!(types.len(), 3);
    }

    #[test]
    fn an_off_sink_records_nothing() {
        let mut sink = TypeSink::default();
        let m = sink.enter_key("a");
        sink.note("f32");
        sink.leave(m);
        assert!(sink.finish().is_empty());
    }
}
