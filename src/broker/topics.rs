//! Topics rumqttd can route: a marker byte before every topic and filter whose first
//! character is not ASCII.
//!
//! rumqttd 0.20 checks for `$` with `topic[..1]` (`protocol::matches`), which panics
//! inside a multi-byte character and takes its router (the whole broker) down: one board
//! publishing `家/客厅/温度` would end every client's session. So the front hands rumqttd
//! `\x1f家/客厅/温度` and takes the marker off again on the way back.
//!
//! The mapping is a prefix code on the first byte, so it is exact both ways: a topic or
//! filter gets the marker when it starts with a byte ≥ 0x80 or with the marker itself
//! (a real topic starting with 0x1f is escaped, not confused); on the way out one leading
//! marker is removed. Only the first level changes and stays one level, and the marker is
//! neither `$`, `/`, `+` nor `#`, so wildcards (`+/客厅/#`, `#`) and retained messages
//! match exactly as they would unmapped. Filters starting with a wildcard need nothing:
//! their first byte is ASCII. (`$` filters are the exception below.)
//!
//! rumqttd also ends the whole connection when a SUBSCRIBE holds a filter starting with
//! `$` (other than `$share/`): a client asking for `$SYS/#`, as MQTT explorers and the
//! default profile do, was cut off and reconnected in a loop. Such a filter gets the
//! marker too. rumqttd then grants it and it matches nothing, since no topic rumqttd
//! routes starts with the marker followed by `$` (rumqttd routes no `$` topic, and a real
//! topic starting with the marker gets a second one): as on a broker that publishes no
//! `$SYS` topics, which is what this one is.

/// What rumqttd sees before a non-ASCII topic: ASCII (so `topic[..1]` is a character),
/// a control character (MQTT topics "should not" contain them, so real ones are rare and
/// are escaped anyway), and not a character rumqttd treats specially.
pub const MARKER: u8 = 0x1f;

/// Whether a topic (or filter, or a shared subscription's filter part) gets the marker
/// for its first character ([`map_filter`] also marks a filter starting with `$`).
pub fn needs_marker(topic: &[u8]) -> bool {
    matches!(topic.first(), Some(&b) if b >= 0x80 || b == MARKER)
}

/// The filter as rumqttd must see it, or `None` when it passes unchanged.
/// `$share/GROUP/FILTER` maps its FILTER part, since that is what rumqttd matches.
pub fn map_filter(filter: &[u8]) -> Option<Vec<u8>> {
    let at = match filter.strip_prefix(b"$share/") {
        Some(rest) => {
            let group_end = rest.iter().position(|&b| b == b'/')?;
            b"$share/".len() + group_end + 1
        }
        None => 0,
    };
    let dollar = at == 0 && filter.first() == Some(&b'$');
    if !needs_marker(&filter[at..]) && !dollar {
        return None;
    }
    let mut mapped = Vec::with_capacity(filter.len() + 1);
    mapped.extend_from_slice(&filter[..at]);
    mapped.push(MARKER);
    mapped.extend_from_slice(&filter[at..]);
    Some(mapped)
}

/// Appends MQTT's variable-byte integer (the remaining length).
pub fn put_varint(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let mut byte = (value % 128) as u8;
        value /= 128;
        if value > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if value == 0 {
            return;
        }
    }
}

/// Reads a variable-byte integer: `Some(Ok((value, bytes used)))`, `None` when `bytes`
/// ends inside it, `Some(Err(()))` when it is longer than MQTT's 4 bytes.
pub fn varint(bytes: &[u8]) -> Option<Result<(usize, usize), ()>> {
    let mut value = 0usize;
    for (i, &byte) in bytes.iter().enumerate().take(4) {
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(Ok((value, i + 1)));
        }
    }
    if bytes.len() >= 4 { Some(Err(())) } else { None }
}

/// Length of the fixed header (type byte and remaining length) and the remaining length
/// of a whole packet.
fn fixed_header(packet: &[u8]) -> Option<(usize, usize)> {
    let (remaining, used) = varint(packet.get(1..)?)?.ok()?;
    Some((1 + used, remaining))
}

/// Rebuilds a packet from its first byte and a new body (re-encoding the length).
fn rebuild(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(first);
    put_varint(&mut out, body.len());
    out.extend_from_slice(body);
    out
}

/// Reads a two-byte length at `at` and returns the range of the string after it.
fn string_at(body: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let len = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let range = at + 2..at + 2 + len;
    (range.end <= body.len()).then_some(range)
}

/// Skips MQTT 5 properties at `at` (their length, then the properties).
fn skip_properties(body: &[u8], at: usize) -> Option<usize> {
    let (len, used) = varint(body.get(at..)?)?.ok()?;
    let end = at + used + len;
    (end <= body.len()).then_some(end)
}

/// A SUBSCRIBE (`with_options`) or UNSUBSCRIBE from a client, with its filters mapped;
/// `None` when none changes (or the packet is malformed: rumqttd will say so).
pub fn map_filters(packet: &[u8], v5: bool, with_options: bool) -> Option<Vec<u8>> {
    let (header_len, remaining) = fixed_header(packet)?;
    let body = packet.get(header_len..header_len + remaining)?;
    let mut at = 2; // packet id
    if v5 {
        at = skip_properties(body, at)?;
    }
    let mut out = body[..at].to_vec();
    let mut changed = false;
    while at < body.len() {
        let range = string_at(body, at)?;
        let filter = &body[range.clone()];
        match map_filter(filter) {
            Some(mapped) => {
                let len = u16::try_from(mapped.len()).ok()?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(&mapped);
                changed = true;
            }
            None => out.extend_from_slice(&body[at..range.end]),
        }
        at = range.end;
        if with_options {
            out.push(*body.get(at)?);
            at += 1;
        }
    }
    changed.then(|| rebuild(packet[0], &out))
}

/// A CONNECT whose will topic needs the marker, with it added (rumqttd publishes the will
/// through the same matching); `None` when it passes unchanged.
pub fn map_will_topic(packet: &[u8], level: u8) -> Option<Vec<u8>> {
    let (header_len, remaining) = fixed_header(packet)?;
    let body = packet.get(header_len..header_len + remaining)?;
    let name = string_at(body, 0)?;
    let flags = *body.get(name.end + 1)?;
    if flags & 0x04 == 0 {
        return None; // no will
    }
    let mut at = name.end + 4; // level, flags, keep alive
    if level == 5 {
        at = skip_properties(body, at)?;
    }
    at = string_at(body, at)?.end; // client id
    if level == 5 {
        at = skip_properties(body, at)?; // will properties
    }
    let topic = string_at(body, at)?;
    if !needs_marker(&body[topic.clone()]) {
        return None;
    }
    let len = u16::try_from(topic.len() + 1).ok()?;
    let mut out = Vec::with_capacity(body.len() + 1);
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(&len.to_be_bytes());
    out.push(MARKER);
    out.extend_from_slice(&body[topic.start..]);
    Some(rebuild(packet[0], &out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(first: u8, body: &[u8]) -> Vec<u8> {
        rebuild(first, body)
    }

    fn string(s: &[u8]) -> Vec<u8> {
        let mut out = (s.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(s);
        out
    }

    #[test]
    fn only_non_ascii_and_marker_starts_are_mapped() {
        assert!(needs_marker("家/客厅".as_bytes()));
        assert!(needs_marker(b"\x1fx"));
        for plain in [&b"a/b"[..], b"+/x", b"#", b"$SYS/#", b"/x", b""] {
            assert!(!needs_marker(plain), "{plain:?}");
        }
        assert_eq!(map_filter("家/#".as_bytes()).unwrap(), "\u{1f}家/#".as_bytes());
        assert_eq!(map_filter("+/客厅/#".as_bytes()), None);
        assert_eq!(
            map_filter("$share/g/家/#".as_bytes()).unwrap(),
            "$share/g/\u{1f}家/#".as_bytes()
        );
        assert_eq!(map_filter(b"$share/g/a/#"), None);
        // rumqttd would end the connection over these; marked, they match nothing.
        assert_eq!(map_filter(b"$SYS/#").unwrap(), b"\x1f$SYS/#");
        assert_eq!(map_filter(b"$sharefoo/#").unwrap(), b"\x1f$sharefoo/#");
        assert_eq!(map_filter(b"$share/g/$SYS/#"), None);
    }

    #[test]
    fn varints_round_trip_across_their_byte_boundaries() {
        for value in [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            assert_eq!(varint(&out), Some(Ok((value, out.len()))));
            assert_eq!(varint(&out[..out.len() - 1]), None);
        }
        assert_eq!(varint(&[0xff, 0xff, 0xff, 0xff]), Some(Err(())));
    }

    #[test]
    fn subscribe_filters_are_mapped_in_both_versions_and_the_length_re_encoded() {
        let long = format!("家/{}", "x".repeat(94)); // the body grows from 127 to 128 bytes
        let mut v4 = vec![0, 7];
        for f in [long.as_str(), "a/b", "+/客厅/温度"] {
            v4.extend(string(f.as_bytes()));
            v4.push(1);
        }
        let mapped = map_filters(&packet(0x82, &v4), false, true).unwrap();
        let mut want = vec![0, 7];
        for f in [format!("\u{1f}{long}"), "a/b".into(), "+/客厅/温度".into()] {
            want.extend(string(f.as_bytes()));
            want.push(1);
        }
        assert_eq!(mapped, packet(0x82, &want));
        assert!(
            v4.len() < 128 && want.len() >= 128,
            "the test must cross a varint boundary"
        );

        // MQTT 5: properties (a subscription identifier) before the filters.
        let mut v5 = vec![0, 9, 2, 0x0b, 5];
        v5.extend(string("日本/#".as_bytes()));
        v5.push(0);
        let mapped = map_filters(&packet(0x82, &v5), true, true).unwrap();
        let mut want = vec![0, 9, 2, 0x0b, 5];
        want.extend(string("\u{1f}日本/#".as_bytes()));
        want.push(0);
        assert_eq!(mapped, packet(0x82, &want));

        // UNSUBSCRIBE has no options byte; an ASCII-only one is left alone.
        let mut un = vec![0, 3];
        un.extend(string("한국/온도".as_bytes()));
        let mut want = vec![0, 3];
        want.extend(string("\u{1f}한국/온도".as_bytes()));
        assert_eq!(
            map_filters(&packet(0xa2, &un), false, false).unwrap(),
            packet(0xa2, &want)
        );
        let mut ascii = vec![0, 3];
        ascii.extend(string(b"a/#"));
        assert_eq!(map_filters(&packet(0xa2, &ascii), false, false), None);
        // Truncated: left for rumqttd to refuse.
        assert_eq!(map_filters(&[0x82, 4, 0, 1, 0, 9], false, true), None);
    }

    #[test]
    fn a_will_topic_gets_the_marker_in_both_versions() {
        for level in [4u8, 5] {
            let mut body = string(b"MQTT");
            body.extend([level, 0x06, 0, 30]);
            if level == 5 {
                body.extend([0]);
            }
            body.extend(string(b"esp32"));
            if level == 5 {
                body.extend([2, 0x01, 1]); // will properties: payload format
            }
            let head = body.len();
            body.extend(string("家/状态".as_bytes()));
            body.extend(string(b"offline"));
            let mapped = map_will_topic(&packet(0x10, &body), level).unwrap();
            let mut want = body[..head].to_vec();
            want.extend(string("\u{1f}家/状态".as_bytes()));
            want.extend(string(b"offline"));
            assert_eq!(mapped, packet(0x10, &want), "level {level}");
            // No will flag: nothing to do.
            let mut no_will = body.clone();
            no_will[7] = 0x02;
            assert_eq!(map_will_topic(&packet(0x10, &no_will), level), None);
        }
    }
}
