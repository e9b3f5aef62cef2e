//! Text encodings of payloads: UTF-8 by default, and the legacy ones some boards still
//! send (GBK/GB18030, Shift_JIS, Windows-1251, Latin-1). Decoding never replaces a bad
//! byte with U+FFFD: each run of bytes that is not valid in the chosen encoding is shown
//! as `\xNN` escapes, and [`Decoded::invalid`] says where they are so a view can mark
//! them apart from text that happens to contain a backslash.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use encoding_rs::{DecoderResult, Encoding};
use serde::{Deserialize, Serialize};

use super::payload::{PayloadKind, classify, classify_text, image_format};
use super::render::preview_with_kind;
use super::stored::StoredMessage;

/// How payload bytes become text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8 (and so ASCII): what MQTT 5 calls "UTF-8 payload format", and nearly everyone sends.
    #[default]
    Utf8,
    /// GB18030, a superset of GBK and GB2312: Chinese boards and Windows in China.
    Gb18030,
    /// Shift_JIS: Japanese devices.
    ShiftJis,
    /// Windows-1251: Cyrillic.
    Windows1251,
    /// ISO-8859-1 exactly: byte N is U+00NN. Not windows-1252, which is what
    /// encoding_rs (and browsers) give for the label "latin1": a board that says
    /// Latin-1 means the bytes as code points, 0x80–0x9F included.
    Latin1,
}

impl TextEncoding {
    /// Every encoding, in the order the picker lists them.
    pub const ALL: [TextEncoding; 5] = [
        Self::Utf8,
        Self::Gb18030,
        Self::ShiftJis,
        Self::Windows1251,
        Self::Latin1,
    ];

    /// The encoding's name, the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Gb18030 => "GB18030 / GBK",
            Self::ShiftJis => "Shift_JIS",
            Self::Windows1251 => "Windows-1251",
            Self::Latin1 => "Latin-1 (ISO-8859-1)",
        }
    }

    /// The encoding a label names, as people write it: "gbk", "GB2312", "sjis",
    /// "cp1251", "iso-8859-1"… `None` for anything else.
    pub fn from_label(label: &str) -> Option<Self> {
        let key: String = label
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match key.as_str() {
            "utf8" => Self::Utf8,
            "gbk" | "gb18030" | "gb2312" | "cp936" => Self::Gb18030,
            "shiftjis" | "sjis" | "cp932" => Self::ShiftJis,
            "windows1251" | "cp1251" => Self::Windows1251,
            "latin1" | "iso88591" => Self::Latin1,
            _ => return None,
        })
    }

    /// `bytes` as text; invalid byte runs become `\xNN` escapes, listed in the result.
    /// Linear in the length; borrows when the payload is clean UTF-8.
    pub fn decode(self, bytes: &[u8]) -> Decoded<'_> {
        match self {
            Self::Utf8 => decode_utf8(bytes),
            Self::Latin1 => Decoded {
                text: Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
                invalid: Vec::new(),
            },
            Self::Gb18030 => decode_with(encoding_rs::GB18030, bytes),
            Self::ShiftJis => decode_with(encoding_rs::SHIFT_JIS, bytes),
            Self::Windows1251 => decode_with(encoding_rs::WINDOWS_1251, bytes),
        }
    }

    /// The shape of `bytes` read in this encoding. For UTF-8 this is [`classify`]; in
    /// another encoding a payload is text when it decodes without a bad byte and holds no
    /// control character but tab and line breaks: Latin-1 and Windows-1251 accept almost
    /// any byte, so without that second test every raw sensor frame would read as text.
    pub fn classify(self, bytes: &[u8]) -> PayloadKind {
        if self == Self::Utf8 {
            return classify(bytes);
        }
        if bytes.is_empty() {
            return PayloadKind::Empty;
        }
        classify_decoded(bytes, &self.decode(bytes))
    }

    /// [`Self::classify`] for a stored message, using its cached UTF-8 answer when it can.
    pub fn kind_of(self, msg: &StoredMessage) -> PayloadKind {
        match self {
            Self::Utf8 => msg.kind(),
            _ => self.classify(&msg.payload),
        }
    }

    /// A one-line preview of `msg` in this encoding (see [`super::render::preview`]).
    /// Only the start of a large payload is decoded, and judged: lists call this for
    /// every visible row on every frame.
    pub fn preview(self, msg: &StoredMessage, max_chars: usize) -> String {
        if self == Self::Utf8 {
            return msg.preview(max_chars);
        }
        let payload = &msg.payload[..];
        let window = max_chars.saturating_mul(4).saturating_add(4);
        let cut = payload.len() > window;
        let prefix = &payload[..payload.len().min(window)];
        let mut decoded = self.decode(prefix);
        if cut && let Some(last) = decoded.invalid.pop_if(|r| r.bytes.end == prefix.len()) {
            // The window most likely split a multi-byte character: not an error.
            decoded.text.to_mut().truncate(last.text.start);
        }
        let kind = if payload.is_empty() {
            PayloadKind::Empty
        } else {
            classify_decoded(prefix, &decoded)
        };
        if !kind.is_text() {
            return preview_with_kind(payload, kind, max_chars);
        }
        let mut shown = preview_with_kind(decoded.text.as_bytes(), PayloadKind::Text, max_chars);
        if cut && !shown.ends_with('…') {
            shown.push('…');
        }
        shown
    }
}

/// The shape of non-empty `bytes` in a legacy encoding, given their decoding.
fn classify_decoded(bytes: &[u8], decoded: &Decoded<'_>) -> PayloadKind {
    if let Some(format) = image_format(bytes) {
        return PayloadKind::Image(format);
    }
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !decoded.is_clean() || decoded.text.chars().any(control) {
        return PayloadKind::Binary;
    }
    classify_text(&decoded.text)
}

/// Text decoded from payload bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, with each invalid byte run written as `\xNN` escapes.
    pub text: Cow<'a, str>,
    /// The invalid runs, in order.
    pub invalid: Vec<InvalidRun>,
}

impl Decoded<'_> {
    /// True when every byte was valid in the encoding.
    pub fn is_clean(&self) -> bool {
        self.invalid.is_empty()
    }
}

/// Bytes that are not valid in the chosen encoding, and where their escapes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRun {
    /// Byte range in the payload.
    pub bytes: Range<usize>,
    /// Byte range of the `\xNN` escapes in [`Decoded::text`].
    pub text: Range<usize>,
}

fn decode_utf8(bytes: &[u8]) -> Decoded<'_> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            invalid: Vec::new(),
        };
    }
    let mut out = Decoded {
        text: Cow::Owned(String::with_capacity(bytes.len() + 16)),
        invalid: Vec::new(),
    };
    let mut pos = 0;
    for chunk in bytes.utf8_chunks() {
        out.text.to_mut().push_str(chunk.valid());
        pos += chunk.valid().len();
        let bad = chunk.invalid().len();
        if bad > 0 {
            push_invalid(&mut out, bytes, pos..pos + bad);
            pos += bad;
        }
    }
    out
}

fn decode_with<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> Decoded<'a> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = |decoder: &encoding_rs::Decoder, len: usize| {
        decoder
            .max_utf8_buffer_length_without_replacement(len)
            .unwrap_or(len.saturating_mul(3))
    };
    let mut out = Decoded {
        text: Cow::Owned(String::with_capacity(capacity(&decoder, bytes.len()))),
        invalid: Vec::new(),
    };
    let mut pos = 0;
    loop {
        let text = out.text.to_mut();
        let (result, read) = decoder.decode_to_string_without_replacement(&bytes[pos..], text, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                // The escapes used up the room the decoder counted on.
                let more = capacity(&decoder, bytes.len() - pos) + 16;
                text.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                // The bad bytes end `after` bytes before the read position; those
                // `after` bytes were consumed but not yet written (they come next).
                let end = pos - usize::from(after);
                let start = end.saturating_sub(usize::from(bad));
                push_invalid(&mut out, bytes, start..end);
            }
        }
    }
    out
}

/// Appends the escapes of `bytes[range]`, joining a run that directly follows the last.
fn push_invalid(out: &mut Decoded<'_>, bytes: &[u8], range: Range<usize>) {
    let text = out.text.to_mut();
    let text_start = text.len();
    for byte in &bytes[range.clone()] {
        let _ = write!(text, "\\x{byte:02x}");
    }
    let text_end = text.len();
    match out.invalid.last_mut() {
        Some(last) if last.bytes.end == range.start && last.text.end == text_start => {
            last.bytes.end = range.end;
            last.text.end = text_end;
        }
        _ => out.invalid.push(InvalidRun {
            bytes: range,
            text: text_start..text_end,
        }),
    }
}

#[cfg(test)]
#[path = "encoding_tests.rs"]
mod tests;
