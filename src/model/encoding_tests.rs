//! Decoding real bytes as the boards send them (made with Python's codecs).

use super::*;
use TextEncoding::*;

/// "温度 23.5" in GBK.
const GBK_TEMP: &[u8] = b"\xce\xc2\xb6\xc8 23.5";

fn text(enc: TextEncoding, bytes: &[u8]) -> String {
    enc.decode(bytes).text.into_owned()
}

fn stored(payload: &[u8]) -> StoredMessage {
    StoredMessage::new(
        bytes::Bytes::copy_from_slice(payload),
        0,
        false,
        std::time::UNIX_EPOCH,
        None,
    )
}

#[test]
fn each_encoding_reads_its_own_text() {
    assert_eq!(text(Gb18030, GBK_TEMP), "温度 23.5");
    assert_eq!(text(ShiftJis, b"\x89\xb7\x93\x78"), "温度");
    assert_eq!(text(Windows1251, b"\xcf\xf0\xe8\xe2\xe5\xf2"), "Привет");
    assert_eq!(text(Latin1, b"caf\xe9"), "café");
    assert_eq!(text(Utf8, "温度 23.5".as_bytes()), "温度 23.5");
    // GB18030's four-byte form, which GBK lacks: U+20AC is "\xa2\xe3", U+0080 "\x81\x30\x81\x30".
    assert_eq!(text(Gb18030, b"\x81\x30\x81\x30"), "\u{80}");
    for enc in TextEncoding::ALL {
        assert!(enc.decode(b"plain ascii 1.5").is_clean(), "{enc:?}");
        assert_eq!(text(enc, b"plain ascii 1.5"), "plain ascii 1.5", "{enc:?}");
    }
}

#[test]
fn latin1_is_iso_8859_1_not_windows_1252() {
    let all: Vec<u8> = (0..=255).collect();
    let decoded = Latin1.decode(&all);
    assert!(decoded.is_clean());
    let chars: Vec<u32> = decoded.text.chars().map(u32::from).collect();
    assert_eq!(chars, (0..=255).collect::<Vec<u32>>());
    // windows-1252 would have made 0x80 the euro sign.
    assert_eq!(text(Latin1, b"\x80"), "\u{80}");
}

#[test]
fn gbk_read_as_utf8_shows_the_bad_bytes_escaped() {
    let d = Utf8.decode(GBK_TEMP);
    // "\xc2\xb6" happens to be valid UTF-8 (¶): GBK text read as UTF-8 is a mix.
    assert_eq!(d.text, "\\xce¶\\xc8 23.5");
    assert_eq!(
        d.invalid,
        vec![
            InvalidRun {
                bytes: 0..1,
                text: 0..4
            },
            InvalidRun {
                bytes: 3..4,
                text: 6..10
            }
        ]
    );
}

#[test]
fn a_stray_ff_in_utf8_is_one_escaped_run_between_good_text() {
    let bytes = "温\u{b0}C"
        .as_bytes()
        .iter()
        .copied()
        .chain([0xff])
        .chain(*b"ok")
        .collect::<Vec<_>>();
    let d = Utf8.decode(&bytes);
    assert_eq!(d.text, "温°C\\xffok");
    assert_eq!(d.invalid.len(), 1);
    let run = &d.invalid[0];
    assert_eq!(&bytes[run.bytes.clone()], b"\xff");
    assert_eq!(&d.text[run.text.clone()], "\\xff");
}

#[test]
fn a_truncated_gbk_sequence_is_escaped_not_replaced() {
    // "温度" with its last byte lost: the lone lead byte 0xb6 at the end.
    let d = Gb18030.decode(b"\xce\xc2\xb6");
    assert_eq!(d.text, "温\\xb6");
    assert!(!d.text.contains('\u{fffd}'));
    assert_eq!(
        d.invalid,
        vec![InvalidRun {
            bytes: 2..3,
            text: 3..7
        }]
    );
    // A lead byte followed by ASCII: the ASCII is kept, only the lead byte is bad.
    let d = Gb18030.decode(b"\xb6 A\xce\xc2");
    assert_eq!(d.text, "\\xb6 A温");
    assert_eq!(d.invalid[0].bytes, 0..1);
    // A broken four-byte sequence: only its first byte is bad, the digit and letter
    // stay; one cut short by the end of the payload is bad as a whole.
    let d = Gb18030.decode(b"\x810A\x810\x81");
    assert_eq!(d.text, "\\x810A\\x81\\x30\\x81");
    let runs: Vec<_> = d.invalid.iter().map(|r| r.bytes.clone()).collect();
    assert_eq!(runs, vec![0..1, 3..6]);
}

#[test]
fn bad_bytes_in_the_other_encodings_are_located() {
    // 0xa0 and 0xfd..0xff are not Shift_JIS.
    let d = ShiftJis.decode(b"\x89\xb7\xff\x93\x78");
    assert_eq!(d.text, "温\\xff度");
    assert_eq!(d.invalid[0].bytes, 2..3);
    // Windows-1251 (WHATWG) assigns every byte; its one gap, 0x98, is the C1 control
    // U+0098, which makes the payload binary rather than text.
    let d = Windows1251.decode(b"\xcf\x98\xf0");
    assert!(d.is_clean());
    assert_eq!(d.text, "П\u{98}р");
    assert_eq!(Windows1251.classify(b"\xcf\x98\xf0"), PayloadKind::Binary);
}

#[test]
fn many_bad_bytes_grow_the_output_past_the_decoders_estimate() {
    let mut bytes = vec![0xffu8; 10_000];
    bytes.extend_from_slice(b"ok");
    let d = ShiftJis.decode(&bytes);
    assert!(d.text.ends_with("\\xffok"));
    assert_eq!(d.text.len(), 40_002);
    assert_eq!(d.invalid.len(), 1, "adjacent bad bytes form one run");
    assert_eq!(d.invalid[0].bytes, 0..10_000);
    assert_eq!(d.invalid[0].text, 0..40_000);
}

#[test]
fn classification_follows_the_encoding() {
    let json = b"{\"\xce\xc2\xb6\xc8\": 23.5}";
    assert_eq!(Utf8.classify(json), PayloadKind::Binary);
    assert_eq!(Gb18030.classify(json), PayloadKind::Json);
    assert_eq!(Gb18030.classify(b"23.5"), PayloadKind::Number);
    assert_eq!(Gb18030.classify(GBK_TEMP), PayloadKind::Text);
    assert_eq!(Gb18030.classify(b""), PayloadKind::Empty);
    assert_eq!(
        Latin1.classify(b"\x89PNG\r\n\x1a\n"),
        PayloadKind::Image(super::super::ImageFormat::Png)
    );
    // Every byte is valid Latin-1, but a float frame with NULs is not text.
    assert_eq!(Latin1.classify(b"\x00\x00\xbcA"), PayloadKind::Binary);
    assert_eq!(Gb18030.classify(b"\xce\xc2\xb6"), PayloadKind::Binary);
    assert_eq!(Gb18030.kind_of(&stored(json)), PayloadKind::Json);
    assert_eq!(Utf8.kind_of(&stored(json)), PayloadKind::Binary);
}

#[test]
fn previews_decode_only_the_start_and_mark_cuts() {
    assert_eq!(Gb18030.preview(&stored(GBK_TEMP), 20), "温度 23.5");
    assert_eq!(Utf8.preview(&stored(GBK_TEMP), 20), "(binary, 9 bytes)");
    assert_eq!(Gb18030.preview(&stored(b""), 20), "(empty)");
    assert_eq!(Latin1.preview(&stored(b"\x00\x01"), 20), "(binary, 2 bytes)");
    // A long GBK text: the window cuts a character in two, which is not an error.
    let long: Vec<u8> = GBK_TEMP.iter().copied().cycle().take(9 * 100).collect();
    let shown = Gb18030.preview(&stored(&long), 10);
    assert_eq!(shown, "温度 23.5温度…");
    assert!(!shown.contains("\\x"));
}

#[test]
fn labels_people_write_name_the_encodings() {
    for (label, enc) in [
        ("GBK", Gb18030),
        ("gb2312", Gb18030),
        ("GB18030", Gb18030),
        ("Shift_JIS", ShiftJis),
        ("sjis", ShiftJis),
        ("cp1251", Windows1251),
        ("windows-1251", Windows1251),
        ("ISO-8859-1", Latin1),
        ("latin1", Latin1),
        ("utf8", Utf8),
        ("UTF-8", Utf8),
    ] {
        assert_eq!(TextEncoding::from_label(label), Some(enc), "{label}");
    }
    assert_eq!(TextEncoding::from_label("ebcdic"), None);
}

proptest::proptest! {
    /// Any bytes in any encoding: no panic, the runs are in order, each run's text is
    /// exactly the escapes of its bytes, and clean UTF-8 comes back unchanged.
    #[test]
    fn every_invalid_run_is_located_exactly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
        for enc in TextEncoding::ALL {
            let d = enc.decode(&bytes);
            let mut last_end = (0, 0);
            for run in &d.invalid {
                proptest::prop_assert!(run.bytes.start >= last_end.0 && run.text.start >= last_end.1);
                proptest::prop_assert!(!run.bytes.is_empty());
                let escapes: String = bytes[run.bytes.clone()].iter().map(|b| format!("\\x{b:02x}")).collect();
                proptest::prop_assert_eq!(&d.text[run.text.clone()], escapes.as_str());
                last_end = (run.bytes.end, run.text.end);
            }
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            proptest::prop_assert_eq!(Utf8.decode(&bytes).text, text);
        }
    }
}
