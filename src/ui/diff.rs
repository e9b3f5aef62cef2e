//! Line diff of two payloads (pretty JSON when both are JSON, text otherwise).

use similar::{ChangeTag, TextDiff};

/// Diffs beyond this many lines on either side are cut, and say so.
pub const MAX_DIFF_LINES: usize = 20_000;

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub tag: DiffTag,
    pub text: String,
}

/// Whether a line was kept, added or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffTag {
    Same,
    Added,
    Removed,
}

/// The lines of `old` → `new` and whether the inputs were cut to [`MAX_DIFF_LINES`].
pub fn diff_lines(old: &str, new: &str) -> (Vec<DiffLine>, bool) {
    let cut = |s: &str| -> (String, bool) {
        match s.match_indices('\n').nth(MAX_DIFF_LINES) {
            Some((i, _)) => (s[..i].to_owned(), true),
            None => (s.to_owned(), false),
        }
    };
    let (old, old_cut) = cut(old);
    let (new, new_cut) = cut(new);
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(&old, &new);
    let lines = diff
        .iter_all_changes()
        .map(|c| DiffLine {
            tag: match c.tag() {
                ChangeTag::Equal => DiffTag::Same,
                ChangeTag::Insert => DiffTag::Added,
                ChangeTag::Delete => DiffTag::Removed,
            },
            text: c.value().trim_end_matches(['\n', '\r']).to_owned(),
        })
        .collect();
    (lines, old_cut || new_cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_lines() {
        let (lines, cut) = diff_lines("{\n  \"t\": 1,\n  \"h\": 2\n}", "{\n  \"t\": 3,\n  \"h\": 2\n}");
        assert!(!cut);
        let tags: Vec<(DiffTag, &str)> = lines.iter().map(|l| (l.tag, l.text.as_str())).collect();
        assert_eq!(
            tags,
            vec![
                (DiffTag::Same, "{"),
                (DiffTag::Removed, "  \"t\": 1,"),
                (DiffTag::Added, "  \"t\": 3,"),
                (DiffTag::Same, "  \"h\": 2"),
                (DiffTag::Same, "}"),
            ]
        );
    }
}
