//! Making broker-controlled text safe for a terminal, and writing to a stdout that may
//! be closed under us.
//!
//! Topics and payloads come from anyone who can publish to the broker. Printed raw, an
//! ESC sequence can rewrite the screen, set the window title, or (with some terminals)
//! answer back as if typed; a carriage return can hide the start of a line. Text output
//! therefore shows every C0 and C1 control character and DEL escaped. JSON output needs
//! none of this: serde escapes control characters already.

use std::fmt::Write as _;

/// `text` with control characters escaped: C0 and DEL as `\xNN`, C1 (U+0080–U+009F) as
/// `\u{NN}`. Backslashes are not doubled: text output is for people (JSON output is the
/// one to parse). `keep_newlines` leaves `\n` and `\t` as they are so multi-line
/// payloads stay readable; topics escape them too.
pub fn escape_controls(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| is_control(c) && !(keep_newlines && (c == '\n' || c == '\t'));
    if !text.chars().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:02x}}}", c as u32);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    matches!(c as u32, 0x00..=0x1f | 0x7f..=0x9f)
}

/// True for the error a write gets when the reader went away (`| head`, `| true`):
/// the command then stops quietly, as other Unix tools do.
pub fn is_closed_pipe(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::BrokenPipe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_c1_controls_are_shown_not_sent() {
        assert_eq!(escape_controls("plain/topic é", false), "plain/topic é");
        assert_eq!(escape_controls("a\u{1b}]0;owned\u{7}b", false), "a\\x1b]0;owned\\x07b");
        assert_eq!(escape_controls("x\u{9b}31m\u{7f}", false), "x\\u{9b}31m\\x7f");
        assert_eq!(escape_controls("l1\nl2\tz\r", false), "l1\\x0al2\\x09z\\x0d");
        assert_eq!(escape_controls("l1\nl2\tz\r", true), "l1\nl2\tz\\x0d");
    }
}
