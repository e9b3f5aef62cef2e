//! Turning payload bytes into text for display: pretty JSON, hex dump lines, escaped
//! text for invalid UTF-8, and one-line previews for the tree. Nothing here truncates
//! silently: a cut preview ends in "…", and full-size views are line-addressable.

use std::fmt::Write as _;

use super::payload::{PayloadKind, classify};

/// Bytes shown per hex dump line.
pub const HEX_BYTES_PER_LINE: usize = 16;

/// Deeper levels of pretty JSON are indented like this one. Real payloads never get
/// here; hostile ones ("[[[[...") would otherwise grow quadratically when indented.
pub const MAX_INDENT_LEVELS: usize = 32;

/// Re-indents valid JSON (two spaces per level, up to [`MAX_INDENT_LEVELS`]). Returns
/// `None` when the payload is not valid JSON. Works at any nesting depth.
///
/// The original text of every key, string and number is kept: going through
/// `serde_json::Value` would rewrite `21.70` as `21.7` and round big integers.
pub fn pretty_json(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i)?;
                out.push_str(text.get(i..=end)?);
                i = end + 1;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let next = skip_whitespace(b, i + 1);
                if b.get(next) == Some(&close) {
                    // Empty containers stay on one line.
                    out.push(char::from(open));
                    out.push(char::from(close));
                    i = next + 1;
                } else {
                    out.push(char::from(open));
                    depth += 1;
                    newline(&mut out, depth);
                    i += 1;
                }
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(char::from(close));
                i += 1;
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
                i += 1;
            }
            b':' => {
                out.push_str(": ");
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                // A number, true, false or null: ASCII up to the next delimiter.
                let end = b[i..]
                    .iter()
                    .position(|c| b",:]} \t\n\r".contains(c))
                    .map_or(b.len(), |n| i + n);
                out.push_str(text.get(i..end)?);
                i = end;
            }
        }
    }
    Some(out)
}

/// Index of the quote closing the string that opens at `start`.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j),
            _ => j += 1,
        }
    }
    None
}

fn skip_whitespace(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n("  ", depth.min(MAX_INDENT_LEVELS)));
}

/// Number of hex dump lines a payload of `len_bytes` needs (for virtualised scrolling).
pub fn hex_dump_line_count(len_bytes: usize) -> usize {
    len_bytes.div_ceil(HEX_BYTES_PER_LINE)
}

/// One `hexdump -C` style line for the 16 bytes starting at `offset`:
/// `00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|`.
/// Empty when `offset` is past the end.
pub fn hex_dump_line(bytes: &[u8], offset: usize) -> String {
    hex_dump_line_of(bytes, offset, HEX_BYTES_PER_LINE)
}

/// Characters in a full hex dump line of `per_line` bytes ([`hex_dump_line_of`]).
pub fn hex_dump_line_chars(per_line: usize) -> usize {
    // offset and two spaces, three per byte, the middle gap (16 a line), " |", the text, "|"
    10 + 3 * per_line + usize::from(per_line > 8) + 2 + per_line + 1
}

/// [`hex_dump_line`] with `per_line` bytes a line (a narrow pane shows 8; 1 to 16).
pub fn hex_dump_line_of(bytes: &[u8], offset: usize, per_line: usize) -> String {
    let per_line = per_line.clamp(1, HEX_BYTES_PER_LINE);
    let Some(rest) = bytes.get(offset..).filter(|r| !r.is_empty()) else {
        return String::new();
    };
    let line = &rest[..rest.len().min(per_line)];
    let mut out = String::with_capacity(80);
    let _ = write!(out, "{offset:08x}  ");
    for i in 0..per_line {
        match line.get(i) {
            Some(byte) => {
                let _ = write!(out, "{byte:02x} ");
            }
            None => out.push_str("   "),
        }
        if i == 7 && per_line > 8 {
            out.push(' ');
        }
    }
    out.push_str(" |");
    out.extend(line.iter().map(|&c| {
        if c.is_ascii_graphic() || c == b' ' {
            char::from(c)
        } else {
            '.'
        }
    }));
    out.push('|');
    out
}

/// The payload as text: valid UTF-8 passes through unchanged, each invalid byte
/// becomes `\xNN`.
pub fn escape_non_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// A one-line preview for lists: whitespace runs (newlines included) collapse to one
/// space, other control characters show as "·" (the bundled fonts have no U+FFFD), and the text is cut at `max_chars`
/// characters with a trailing "…". Non-text payloads are described instead:
/// "(empty)", "(binary, 1,234 bytes)", "(PNG image, 1,234 bytes)", in the interface's
/// language.
pub fn preview(bytes: &[u8], max_chars: usize) -> String {
    preview_with_kind(bytes, classify(bytes), max_chars)
}

/// [`preview`] with an already known classification (e.g. `StoredMessage::kind`), so
/// only the shown prefix of a large payload is read.
pub fn preview_with_kind(bytes: &[u8], kind: PayloadKind, max_chars: usize) -> String {
    match kind {
        PayloadKind::Empty => crate::tr!("panes-empty"),
        PayloadKind::Binary => crate::tr!("panes-preview-binary", n = bytes.len()),
        PayloadKind::Image(format) => crate::tr!("panes-preview-image", format = format.name(), n = bytes.len()),
        PayloadKind::Json | PayloadKind::Number | PayloadKind::Text => one_line_prefix(bytes, max_chars),
    }
}

fn one_line_prefix(bytes: &[u8], max_chars: usize) -> String {
    // A char is at most 4 bytes; the extra 4 lets us see whether more text follows.
    let window = max_chars.saturating_mul(4).saturating_add(4);
    let prefix = &bytes[..bytes.len().min(window)];
    let text = prefix.utf8_chunks().next().map_or("", |c| c.valid());
    let mut out = String::with_capacity(max_chars.min(256) + 4);
    let mut count = 0;
    let mut cut = text.len() < bytes.len();
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = count > 0;
            continue;
        }
        let needed = 1 + usize::from(pending_space);
        if count + needed > max_chars {
            cut = true;
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if c.is_control() { '·' } else { c });
        count += needed;
    }
    if cut {
        out.push('…');
    }
    out
}

/// "1.5 KiB", "12 bytes" ("12 字节").
pub fn bytes_text(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return crate::tr!("panes-bytes", n = n);
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Messages a second as a row shows it: "0.4/s", "12/s", "1,250/s".
pub fn rate_text(per_sec: f64) -> String {
    let shown = if per_sec < 10.0 {
        format!("{per_sec:.1}")
    } else {
        thousands(per_sec.round() as u64)
    };
    crate::tr!("rate-per-sec", rate = shown)
}

/// "1,234,567": counts and sizes people read at a glance (the window and the worker's
/// messages both use it).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn pretty_json_keeps_order_and_number_text() {
        let src = br#"{"b": 21.70, "a": [1, {"x": "q\"}{,:"}, []], "big": 123456789012345678901234, "e": {}}"#;
        let want = "{\n  \"b\": 21.70,\n  \"a\": [\n    1,\n    {\n      \"x\": \"q\\\"}{,:\"\n    },\n    []\n  ],\n  \"big\": 123456789012345678901234,\n  \"e\": {}\n}";
        assert_eq!(pretty_json(src).as_deref(), Some(want));
    }

    #[test]
    fn pretty_json_scalars_and_invalid() {
        assert_eq!(pretty_json(b" 42 ").as_deref(), Some("42"));
        assert_eq!(pretty_json(b"\"\\u00b0C\"").as_deref(), Some("\"\\u00b0C\""));
        assert_eq!(pretty_json(b"{\"a\": }"), None);
        assert_eq!(pretty_json(b"\xff"), None);
        assert_eq!(pretty_json(b""), None);
    }

    #[test]
    fn pretty_json_output_stays_linear_in_depth() {
        let depth = 100_000;
        let deep = "[".repeat(depth) + &"]".repeat(depth);
        let pretty = pretty_json(deep.as_bytes()).unwrap();
        // Innermost pair stays "[]"; every other bracket gets its own capped line.
        assert_eq!(pretty.lines().count(), 2 * depth - 1);
        assert!(pretty.len() < deep.len() * (2 * MAX_INDENT_LEVELS + 2));
        assert!(pretty.lines().all(|l| l.len() <= 2 * MAX_INDENT_LEVELS + 2));
        let two = "[[1]]";
        assert_eq!(pretty_json(two.as_bytes()).as_deref(), Some("[\n  [\n    1\n  ]\n]"));
    }

    #[test]
    fn hex_dump_lines() {
        let data = b"Hello world\n\x00\x01\x7f\xffABCDEFGH";
        assert_eq!(hex_dump_line_count(data.len()), 2);
        assert_eq!(hex_dump_line_count(0), 0);
        assert_eq!(
            hex_dump_line(data, 0),
            "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 7f ff  |Hello world.....|"
        );
        assert_eq!(
            hex_dump_line(data, 16),
            "00000010  41 42 43 44 45 46 47 48                           |ABCDEFGH|"
        );
        assert_eq!(hex_dump_line(data, 24), "");
        assert_eq!(hex_dump_line(data, usize::MAX), "");
        assert_eq!(hex_dump_line(data, 0).chars().count(), hex_dump_line_chars(16));
        // Eight a line, for a narrow pane.
        assert_eq!(
            hex_dump_line_of(data, 8, 8),
            "00000008  72 6c 64 0a 00 01 7f ff  |rld.....|"
        );
        assert_eq!(hex_dump_line_of(data, 8, 8).chars().count(), hex_dump_line_chars(8));
        assert_eq!(
            hex_dump_line_of(data, 16, 8),
            "00000010  41 42 43 44 45 46 47 48  |ABCDEFGH|"
        );
    }

    #[test]
    fn escapes_invalid_bytes_only() {
        assert_eq!(escape_non_utf8("°C ok\\".as_bytes()), "°C ok\\");
        assert_eq!(escape_non_utf8(b"a\xffb\xc3"), "a\\xffb\\xc3");
        assert_eq!(escape_non_utf8(b""), "");
    }

    #[test]
    fn previews() {
        assert_eq!(preview(b"", 10), "(empty)");
        assert_eq!(preview(&[0xff; 1234], 10), "(binary, 1,234 bytes)");

        assert_eq!(preview(b"\x89PNG\r\n\x1a\n..", 10), "(PNG image, 10 bytes)");
        assert_eq!(
            preview(b"  {\n  \"a\": 1,\r\n\t\"b\": 2 }\n", 40),
            "{ \"a\": 1, \"b\": 2 }"
        );
        assert_eq!(preview(b"abcdef", 6), "abcdef");
        assert_eq!(preview(b"abcdefg", 6), "abcdef…");
        assert_eq!(preview("温度温度".as_bytes(), 3), "温度温…");
        assert_eq!(preview(b"a\x07b", 5), "a·b");
        assert_eq!(preview(b"abc", 0), "…");
    }

    #[test]
    fn long_whitespace_before_text_is_marked_as_cut() {
        let mut big = vec![b' '; 10_000];
        big.extend_from_slice(b"tail");
        assert_eq!(preview(&big, 8), "…");
        let mut big = vec![b'x'; 3];
        big.extend(std::iter::repeat_n(b'\n', 10_000));
        assert_eq!(preview(&big, 8), "xxx…");
    }
}
