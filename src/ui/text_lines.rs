//! Splits a large text into display lines once, so a virtualised view can show any
//! slice of it without scanning the whole text each frame.

use std::ops::Range;

/// Longest display line in characters; longer lines (minified JSON, base64) are wrapped.
pub const WRAP_CHARS: usize = 400;

/// Byte ranges of the display lines of `text`: split at '\n' (a trailing '\r' removed)
/// and hard-wrapped at [`WRAP_CHARS`] characters, always at char boundaries.
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        let mut start = line_start;
        let end = line_start + content.len();
        loop {
            let chunk = &text[start..end];
            match chunk.char_indices().nth(WRAP_CHARS) {
                Some((offset, _)) => {
                    out.push(start..start + offset);
                    start += offset;
                }
                None => {
                    out.push(start..end);
                    break;
                }
            }
        }
        line_start += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_wraps_long_ones() {
        let text = "a\r\nbb\n\nccc";
        let lines: Vec<&str> = line_ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, vec!["a", "bb", "", "ccc"]);

        let long = "é".repeat(WRAP_CHARS * 2 + 3);
        let ranges = line_ranges(&long);
        assert_eq!(ranges.len(), 3);
        assert_eq!(long[ranges[0].clone()].chars().count(), WRAP_CHARS);
        assert_eq!(long[ranges[2].clone()].chars().count(), 3);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(line_ranges(""), vec![0..0]);
    }
}
