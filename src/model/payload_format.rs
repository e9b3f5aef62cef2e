//! Payload formats of a publish (the pane's, a saved command's, the CLI's): text, JSON
//! (checked, with line and column on error) and hex (spaces, newlines, `0x` prefixes and
//! colons allowed).

use bytes::Bytes;

/// Bytes per line when a payload is written out as hex.
pub const HEX_BYTES_PER_LINE: usize = 16;

/// How the payload text is turned into bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadFormat {
    #[default]
    Text,
    Json,
    Hex,
}

impl PayloadFormat {
    pub const ALL: [Self; 3] = [Self::Text, Self::Json, Self::Hex];

    /// The name kept in the publish history.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Hex => "hex",
        }
    }

    /// The name shown to the user (JSON and Hex are the same in every language).
    pub fn label(&self) -> String {
        match self {
            Self::Text => crate::tr!("panes-view-text"),
            Self::Json => "JSON".to_owned(),
            Self::Hex => "Hex".to_owned(),
        }
    }

    /// The format of a history record; unknown names are text.
    pub fn from_name(name: &str) -> Self {
        match name {
            "json" => Self::Json,
            "hex" => Self::Hex,
            _ => Self::Text,
        }
    }

    /// The bytes to send for `text`, or why it cannot be sent in this format.
    ///
    /// JSON is validated but sent as typed, so the numbers and key order the user
    /// wrote reach the device unchanged.
    pub fn encode(&self, text: &str) -> Result<Bytes, String> {
        match self {
            Self::Text => Ok(Bytes::copy_from_slice(text.as_bytes())),
            Self::Json => {
                check_json(text)?;
                Ok(Bytes::copy_from_slice(text.as_bytes()))
            }
            Self::Hex => parse_hex(text).map(Bytes::from),
        }
    }
}

pub fn check_json(text: &str) -> Result<(), String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(drop)
        .map_err(|e| crate::tr!("panes-pub-json-invalid", at = json_error(&e)))
}

/// Hex digits to bytes. Whitespace, ':' and ',' separate groups; a group may start
/// with "0x" (as in C arrays), so "de ad", "de:ad", "0xde, 0xad" and "dead" all work.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let multiline = text.contains('\n');
    let at = |line: usize, column: usize| {
        if multiline {
            crate::tr!("panes-hex-line-column", line = line, column = column)
        } else {
            crate::tr!("panes-hex-position", column = column)
        }
    };
    let mut digits = Vec::with_capacity(text.len() / 2 + 1);
    let (mut line, mut column) = (1, 0);
    let mut group_start = true;
    // Where a "0x" opened the current group, while it has no digit yet.
    let mut bare_prefix: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c.is_whitespace() || c == ':' || c == ',' {
            if let Some(pos) = bare_prefix.take() {
                return Err(crate::tr!("panes-hex-bare-prefix", at = pos));
            }
            if c == '\n' {
                line += 1;
                column = 0;
            }
            group_start = true;
            continue;
        }
        if group_start && c == '0' && matches!(chars.peek(), Some('x' | 'X')) {
            bare_prefix = Some(at(line, column));
            chars.next();
            column += 1;
            group_start = false;
            continue;
        }
        group_start = false;
        match c.to_digit(16) {
            Some(d) => {
                digits.push(d as u8);
                bare_prefix = None;
            }
            None => {
                return Err(crate::tr!(
                    "panes-hex-not-digit",
                    char = c.to_string(),
                    at = at(line, column)
                ));
            }
        }
    }
    if let Some(pos) = bare_prefix {
        return Err(crate::tr!("panes-hex-bare-prefix", at = pos));
    }
    if digits.len() % 2 == 1 {
        return Err(crate::tr!("panes-hex-odd", n = digits.len()));
    }
    Ok(digits.chunks_exact(2).map(|p| (p[0] << 4) | p[1]).collect())
}

/// `bytes` as hex pairs, 16 per line, for loading a binary payload into the form.
pub fn hex_text(bytes: &[u8]) -> String {
    bytes
        .chunks(HEX_BYTES_PER_LINE)
        .map(|line| line.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where and why JSON does not parse, in words: "at line 1, column 6: expected value".
/// serde_json's common reasons are translated; a rarer one is shown as serde says it.
pub fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we say it our way, first.
    let reason = full.rsplit_once(" at line ").map_or(full.as_str(), |(r, _)| r);
    let reason = match reason {
        _ if e.is_eof() => crate::tr!("panes-json-eof"),
        "expected value" => crate::tr!("panes-json-expected-value"),
        "trailing characters" => crate::tr!("panes-json-trailing"),
        "key must be a string" => crate::tr!("panes-json-key-string"),
        "invalid number" => crate::tr!("panes-json-invalid-number"),
        "expected `:`" => crate::tr!("panes-json-expected-colon"),
        "expected `,` or `}`" => crate::tr!("panes-json-expected-comma-brace"),
        "expected `,` or `]`" => crate::tr!("panes-json-expected-comma-bracket"),
        other => other.to_owned(),
    };
    crate::tr!("panes-json-at", line = e.line(), column = e.column(), reason = reason)
}
