//! A message as the model keeps it (in the tree and in the history): the payload exactly
//! as received plus its metadata, with the payload classification computed on first use
//! and cached, so a flood of messages costs no decoding until someone looks at one.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::SystemTime;

use bytes::Bytes;

use super::compact_time::CompactTime;
use super::kept_payload::KeptPayload;

use super::message::{Message, MessageProperties};
use super::payload::{ImageFormat, PayloadKind, classify};
use super::render::preview_with_kind;

/// Bytes charged to the history budget for every stored message on top of its payload.
///
/// Why 96: a `StoredMessage` slot in its topic's ring buffer is 32 bytes, the global
/// eviction queue holds a 4-byte `NodeId` per message, and both ring buffers grow by
/// doubling, so on average roughly another quarter of a slot is reserved but unused;
/// the rest is margin (the charge was set when a slot took 56 bytes, and lowering it
/// would let a flood keep more messages in the same memory).
/// MQTT 5 properties, when present, are charged on top (see [`StoredMessage::cost_bytes`]).
pub const MESSAGE_OVERHEAD_BYTES: usize = 96;

/// One received message, kept without its topic (the tree knows where it lives).
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// The payload exactly as received; never truncated. Cloning copies a small one and
    /// shares a large one (see `kept_payload.rs`). The MQTT 5 properties ride with it:
    /// [`Self::properties`].
    pub payload: KeptPayload,
    /// 0, 1 or 2.
    pub qos: u8,
    pub retain: bool,
    /// When it was received: [`Self::time`].
    time: CompactTime,
    kind: KindCache,
}

impl StoredMessage {
    pub fn new(
        payload: impl Into<Bytes>,
        qos: u8,
        retain: bool,
        time: SystemTime,
        properties: Option<Box<MessageProperties>>,
    ) -> Self {
        Self {
            payload: KeptPayload::new(payload.into(), properties),
            qos,
            retain,
            time: CompactTime::at(time),
            kind: KindCache::default(),
        }
    }

    /// The MQTT 5 properties, if the message had any.
    pub fn properties(&self) -> Option<&MessageProperties> {
        self.payload.properties()
    }

    /// When it was received, as stored.
    pub(super) fn compact_time(&self) -> CompactTime {
        self.time
    }

    /// When it was received.
    pub fn time(&self) -> SystemTime {
        self.time.time()
    }

    /// What the payload looks like; computed once, then cached.
    pub fn kind(&self) -> PayloadKind {
        self.kind.get_or_compute(|| classify(&self.payload))
    }

    /// A one-line preview of at most `max_chars` characters (plus "…" when cut), using
    /// the cached classification so only the shown prefix is decoded.
    pub fn preview(&self, max_chars: usize) -> String {
        preview_with_kind(&self.payload, self.kind(), max_chars)
    }

    /// True for the MQTT "clear retained message" signal: retained with an empty payload.
    pub fn clears_retained(&self) -> bool {
        self.retain && self.payload.is_empty()
    }

    /// What this message counts against the history budget: payload, the fixed
    /// [`MESSAGE_OVERHEAD_BYTES`], and an estimate of its MQTT 5 properties (which can be
    /// as large as a payload, so leaving them out would let them escape the budget).
    pub fn cost_bytes(&self) -> usize {
        let properties = self.properties().map_or(0, properties_cost_bytes);
        self.payload.len() + MESSAGE_OVERHEAD_BYTES + properties
    }
}

impl From<Message> for StoredMessage {
    fn from(msg: Message) -> Self {
        Self::new(msg.payload, msg.qos, msg.retain, msg.time, msg.properties)
    }
}

/// Heap bytes held by a message's properties (box, strings, user properties).
fn properties_cost_bytes(p: &MessageProperties) -> usize {
    let string = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let user: usize = p
        .user_properties
        .iter()
        .map(|(k, v)| size_of::<(String, String)>() + k.len() + v.len())
        .sum();
    size_of::<MessageProperties>()
        + string(&p.content_type)
        + string(&p.response_topic)
        + p.correlation_data.as_ref().map_or(0, Bytes::len)
        + user
}

/// A lazily filled `PayloadKind` in one byte. An atomic keeps `StoredMessage` `Sync`
/// and cheaper than `OnceLock` (which would grow the struct from 32 to 40 bytes); two
/// threads racing both compute the same value, which is harmless.
#[derive(Debug)]
struct KindCache(AtomicU8);

const KIND_UNKNOWN: u8 = 0;

impl Default for KindCache {
    fn default() -> Self {
        Self(AtomicU8::new(KIND_UNKNOWN))
    }
}

impl KindCache {
    fn get_or_compute(&self, compute: impl FnOnce() -> PayloadKind) -> PayloadKind {
        if let Some(kind) = decode_kind(self.0.load(Ordering::Relaxed)) {
            return kind;
        }
        let kind = compute();
        self.0.store(encode_kind(kind), Ordering::Relaxed);
        kind
    }
}

impl Clone for KindCache {
    fn clone(&self) -> Self {
        Self(AtomicU8::new(self.0.load(Ordering::Relaxed)))
    }
}

fn encode_kind(kind: PayloadKind) -> u8 {
    match kind {
        PayloadKind::Empty => 1,
        PayloadKind::Json => 2,
        PayloadKind::Number => 3,
        PayloadKind::Text => 4,
        PayloadKind::Binary => 5,
        PayloadKind::Image(ImageFormat::Png) => 6,
        PayloadKind::Image(ImageFormat::Jpeg) => 7,
    }
}

fn decode_kind(code: u8) -> Option<PayloadKind> {
    Some(match code {
        1 => PayloadKind::Empty,
        2 => PayloadKind::Json,
        3 => PayloadKind::Number,
        4 => PayloadKind::Text,
        5 => PayloadKind::Binary,
        6 => PayloadKind::Image(ImageFormat::Png),
        7 => PayloadKind::Image(ImageFormat::Jpeg),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(payload: &'static [u8], retain: bool) -> StoredMessage {
        StoredMessage::new(Bytes::from_static(payload), 1, retain, SystemTime::UNIX_EPOCH, None)
    }

    #[test]
    fn stored_message_is_small() {
        // Payload (and properties) 16, time 8, QoS, retain and the kind cache.
        assert_eq!(size_of::<StoredMessage>(), 32);
        assert_eq!(size_of::<Option<StoredMessage>>(), 32);
        // The documented overhead must cover at least the slot and the queue entry.
        assert!(MESSAGE_OVERHEAD_BYTES >= size_of::<StoredMessage>() + 4);
    }

    #[test]
    fn kind_codes_round_trip() {
        for code in 1..=7 {
            let kind = decode_kind(code).unwrap();
            assert_eq!(encode_kind(kind), code);
        }
        assert_eq!(decode_kind(KIND_UNKNOWN), None);
        assert_eq!(decode_kind(8), None);
    }

    #[test]
    fn kind_is_cached_and_survives_clone() {
        let m = stored(b"{\"a\": 1}", false);
        assert_eq!(m.kind.0.load(Ordering::Relaxed), KIND_UNKNOWN);
        assert_eq!(m.kind(), PayloadKind::Json);
        assert_eq!(m.kind.0.load(Ordering::Relaxed), 2);
        assert_eq!(m.clone().kind.0.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn cost_counts_payload_overhead_and_properties() {
        assert_eq!(stored(b"12345", false).cost_bytes(), 5 + MESSAGE_OVERHEAD_BYTES);
        let m = StoredMessage::new(
            Bytes::from_static(b"12345"),
            1,
            false,
            SystemTime::UNIX_EPOCH,
            Some(Box::new(MessageProperties {
                content_type: Some("text/plain".into()),
                user_properties: vec![("k".into(), "vv".into())],
                ..MessageProperties::default()
            })),
        );
        let expected =
            5 + MESSAGE_OVERHEAD_BYTES + size_of::<MessageProperties>() + 10 + size_of::<(String, String)>() + 3;
        assert_eq!(m.cost_bytes(), expected);
    }

    #[test]
    fn retained_clear_signal() {
        assert!(stored(b"", true).clears_retained());
        assert!(!stored(b"", false).clears_retained());
        assert!(!stored(b"x", true).clears_retained());
    }

    #[test]
    fn from_message_keeps_everything_but_the_topic() {
        let msg = Message::new("a/b", "hi", 2, true);
        let time = msg.time;
        let m = StoredMessage::from(msg);
        assert_eq!(&m.payload[..], b"hi");
        assert_eq!((m.qos, m.retain, m.time()), (2, true, time));
        assert_eq!(m.preview(10), "hi");
    }
}
