//! The topic filter box: a case-insensitive substring matched against full topic paths
//! and last payloads. Lower-casing goes into caller-owned buffers so filtering 100k
//! topics allocates almost nothing.

/// A prepared filter query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicFilterMatcher {
    /// The query, lower-cased the same way haystacks are.
    needle: String,
    /// ASCII queries (the common case) only need ASCII lower-casing of haystacks, which
    /// is cheap and keeps byte lengths.
    ascii: bool,
}

impl TopicFilterMatcher {
    pub fn new(query: &str) -> Self {
        let ascii = query.is_ascii();
        let needle = if ascii {
            query.to_ascii_lowercase()
        } else {
            query.to_lowercase()
        };
        Self { needle, ascii }
    }

    /// An empty query matches everything; `flatten_visible` treats it as no filter.
    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    /// The lower-cased query.
    pub fn needle(&self) -> &str {
        &self.needle
    }

    /// True when `text` contains the query, ignoring case.
    pub fn matches(&self, text: &str) -> bool {
        let mut lowered = String::new();
        self.push_lowered(text, &mut lowered);
        self.matches_lowered(&lowered)
    }

    /// Appends `text` lower-cased the way the needle was.
    pub(super) fn push_lowered(&self, text: &str, out: &mut String) {
        if self.ascii {
            let start = out.len();
            out.push_str(text);
            if let Some(tail) = out.get_mut(start..) {
                tail.make_ascii_lowercase();
            }
        } else {
            out.extend(text.chars().flat_map(char::to_lowercase));
        }
    }

    /// True when already lower-cased text contains the needle.
    pub(super) fn matches_lowered(&self, lowered: &str) -> bool {
        lowered.contains(self.needle.as_str())
    }

    /// Whether the lower-cased `path` contains the needle in a match that ends after
    /// byte `new_from`. Used when a level is appended to a path whose prefix is known
    /// not to match: only the window around the new level needs searching, which keeps
    /// very deep topics linear instead of quadratic.
    pub(super) fn matches_suffix(&self, path: &str, new_from: usize) -> bool {
        let start = new_from.saturating_sub(self.needle.len().saturating_sub(1));
        let start = path.floor_char_boundary(start);
        path.get(start..)
            .is_some_and(|window| window.contains(self.needle.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_ascii_and_unicode() {
        let m = TopicFilterMatcher::new("TeMp");
        assert!(m.matches("sensor/temperature"));
        assert!(m.matches("AIR_TEMP"));
        assert!(!m.matches("te mp"));
        let u = TopicFilterMatcher::new("ÄRGER");
        assert_eq!(u.needle(), "ärger");
        assert!(u.matches("viel Ärger hier"));
        assert!(TopicFilterMatcher::new("温度").matches("unicode/温度/传感器"));
        assert!(TopicFilterMatcher::new("").is_empty());
    }

    #[test]
    fn suffix_window_finds_matches_spanning_the_join() {
        let m = TopicFilterMatcher::new("b/c");
        assert!(m.matches_suffix("a/b/c", 3));
        assert!(!m.matches_suffix("b/cx/d", 4));
        let u = TopicFilterMatcher::new("度/传");
        assert!(u.matches_suffix("温度/传感器", "温度".len()));
    }
}
