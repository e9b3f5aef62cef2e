//! Syntax colours for one line of pretty-printed JSON.
//!
//! Works line by line so the payload view can colour only the rows on screen.

use egui::text::LayoutJob;
use egui::{FontId, TextFormat};

use super::theme::Palette;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Key,
    Str,
    Num,
    Lit,
    Punct,
    Space,
}

/// Splits a line into (kind, byte range) spans.
fn spans(line: &str) -> Vec<(Tok, std::ops::Range<usize>)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let tok = match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                // A string followed by ':' is a key.
                let rest = line[i..].trim_start();
                if rest.starts_with(':') { Tok::Key } else { Tok::Str }
            }
            b'-' | b'0'..=b'9' => {
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                Tok::Num
            }
            b't' | b'f' | b'n' => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                Tok::Lit
            }
            c if c.is_ascii_whitespace() => {
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                Tok::Space
            }
            _ => {
                // One char (may be multi-byte in a broken line): advance to the next boundary.
                i += 1;
                while i < b.len() && !line.is_char_boundary(i) {
                    i += 1;
                }
                Tok::Punct
            }
        };
        out.push((tok, start..i));
    }
    out
}

/// A coloured layout for one pretty-JSON line.
pub fn json_line_job(line: &str, font: FontId, p: &Palette, default: egui::Color32) -> LayoutJob {
    let mut job = LayoutJob::default();
    for (tok, range) in spans(line) {
        let color = match tok {
            Tok::Key => p.json_key,
            Tok::Str => p.json_string,
            Tok::Num => p.json_number,
            Tok::Lit => p.json_literal,
            Tok::Punct => p.json_punct,
            Tok::Space => default,
        };
        job.append(&line[range], 0.0, TextFormat::simple(font.clone(), color));
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_keys_strings_numbers_literals() {
        let line = r#"  "Temperature": 21.7, "ok": true, "name": "a\"b", "n": null"#;
        let kinds: Vec<(Tok, &str)> = spans(line)
            .into_iter()
            .filter(|(t, _)| *t != Tok::Space)
            .map(|(t, r)| (t, &line[r]))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Tok::Key, "\"Temperature\""),
                (Tok::Punct, ":"),
                (Tok::Num, "21.7"),
                (Tok::Punct, ","),
                (Tok::Key, "\"ok\""),
                (Tok::Punct, ":"),
                (Tok::Lit, "true"),
                (Tok::Punct, ","),
                (Tok::Key, "\"name\""),
                (Tok::Punct, ":"),
                (Tok::Str, "\"a\\\"b\""),
                (Tok::Punct, ","),
                (Tok::Key, "\"n\""),
                (Tok::Punct, ":"),
                (Tok::Lit, "null"),
            ]
        );
    }

    #[test]
    fn never_panics_on_broken_input() {
        for line in ["\"unterminated", "\"\\", "é:ü", "-", "\u{1F600}\"x\":"] {
            let total: usize = spans(line).iter().map(|(_, r)| r.len()).sum();
            assert_eq!(total, line.len());
        }
    }
}
