//! Drawing decoded payload text with its invalid bytes set apart: the `\xNN` escapes of
//! bytes that are not valid in the chosen encoding are coloured, so they cannot be
//! mistaken for a backslash the device really sent, and a notice says how many there are.

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId};

use super::theme;
use crate::model::{Decoded, TextEncoding};

/// Where the escapes are in a decoded text, and how many payload bytes they stand for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvalidMarks {
    /// Byte ranges of the escapes in the text, in order.
    pub ranges: Vec<Range<usize>>,
    /// Payload bytes that were not valid.
    pub bytes: usize,
}

impl InvalidMarks {
    pub fn of(decoded: &Decoded<'_>) -> Self {
        Self {
            ranges: decoded.invalid.iter().map(|r| r.text.clone()).collect(),
            bytes: decoded.invalid.iter().map(|r| r.bytes.len()).sum(),
        }
    }

    /// The line `text[line]` with its escapes in `mark`; `None` when it has none (then
    /// the caller draws it plainly, as before).
    pub fn line_job(
        &self,
        text: &str,
        line: Range<usize>,
        font: FontId,
        color: Color32,
        mark: Color32,
    ) -> Option<LayoutJob> {
        // The first escape that ends after the line starts.
        let first = self.ranges.partition_point(|r| r.end <= line.start);
        let inside = self.ranges[first..].iter().take_while(|r| r.start < line.end);
        let mut job = LayoutJob::default();
        let mut add = |part: &str, colour: Color32| {
            if !part.is_empty() {
                job.append(part, 0.0, TextFormat::simple(font.clone(), colour));
            }
        };
        let mut at = line.start;
        let mut marked = false;
        for r in inside {
            let (start, end) = (r.start.max(line.start), r.end.min(line.end));
            add(&text[at..start], color);
            add(&text[start..end], mark);
            at = end;
            marked = true;
        }
        add(&text[at..line.end], color);
        marked.then_some(job)
    }
}

/// "3 bytes are not valid GB18030 / GBK; shown as \xNN", when there are any.
pub fn invalid_notice_ui(ui: &mut egui::Ui, marks: &InvalidMarks, encoding: TextEncoding) {
    if marks.bytes == 0 {
        return;
    }
    ui.colored_label(
        theme::palette(ui).warn,
        crate::tr!("enc-invalid-bytes", n = marks.bytes, encoding = encoding.name()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_marked_and_lines_without_any_are_left_alone() {
        let decoded = TextEncoding::Utf8.decode(b"ok\n\xffa\xfe\nend");
        let marks = InvalidMarks::of(&decoded);
        assert_eq!(marks.bytes, 2);
        let text = &decoded.text;
        assert_eq!(text, "ok\n\\xffa\\xfe\nend");
        let font = FontId::monospace(12.0);
        let (plain, red) = (Color32::WHITE, Color32::RED);
        assert!(marks.line_job(text, 0..2, font.clone(), plain, red).is_none());
        let job = marks.line_job(text, 3..12, font.clone(), plain, red).unwrap();
        let parts: Vec<(&str, Color32)> = job
            .sections
            .iter()
            .map(|s| (&job.text[s.byte_range.start.0..s.byte_range.end.0], s.format.color))
            .collect();
        assert_eq!(parts, vec![("\\xff", red), ("a", plain), ("\\xfe", red)]);
        assert!(marks.line_job(text, 13..16, font, plain, red).is_none());
    }
}
