//! A stored message's payload, and its MQTT 5 properties when it has any, in 16 bytes
//! where `Bytes` and a properties pointer took 40. (The shared case is one pointer,
//! placed beside the box's never-null pointer, so the two need no tag word.)
//!
//! Most payloads are small (a reading, a state, a JSON object) and carry no properties,
//! and a million retained topics hold a million of them: they are kept in an exact-size
//! boxed slice, whose handle is two words, and a clone copies them, which for a few
//! kilobytes costs less than the allocation itself. Large payloads (images, firmware,
//! logs) and messages with properties (rare: MQTT 5 requests and replies) are shared
//! instead: a clone (the inspector takes one of the message it shows, every frame) only
//! bumps a count.

use std::ops::Deref;
use std::sync::Arc;

use bytes::Bytes;

use super::message::MessageProperties;

/// Payloads from this size on are shared between clones rather than copied.
pub const SHARED_FROM_BYTES: usize = 4096;

/// The payload exactly as received (it dereferences to its bytes), with the message's
/// MQTT 5 properties if it had any.
#[derive(Clone)]
pub enum KeptPayload {
    /// Copied on clone: under [`SHARED_FROM_BYTES`], no properties.
    Small(Box<[u8]>),
    /// Shared on clone: large, or with properties.
    Shared(Arc<SharedPayload>),
}

/// A payload kept behind a shared pointer.
#[derive(Debug)]
pub struct SharedPayload {
    bytes: Bytes,
    properties: Option<Box<MessageProperties>>,
}

impl KeptPayload {
    /// The payload with the message's properties (`None` under MQTT 3.1.1 or when it had
    /// none). A unique exact-size buffer (the worker copies every small payload into
    /// one) moves into the box without another copy.
    pub fn new(bytes: Bytes, properties: Option<Box<MessageProperties>>) -> Self {
        if bytes.len() >= SHARED_FROM_BYTES || properties.is_some() {
            Self::Shared(Arc::new(SharedPayload { bytes, properties }))
        } else {
            Self::Small(Vec::from(bytes).into_boxed_slice())
        }
    }

    /// The message's MQTT 5 properties, if it had any.
    pub fn properties(&self) -> Option<&MessageProperties> {
        match self {
            Self::Small(_) => None,
            Self::Shared(shared) => shared.properties.as_deref(),
        }
    }

    /// The payload as a `Bytes` (to publish it again, export it, …): a copy of a small
    /// one, a shared handle to a large one.
    pub fn to_bytes(&self) -> Bytes {
        match self {
            Self::Small(bytes) => Bytes::copy_from_slice(bytes),
            Self::Shared(shared) => shared.bytes.clone(),
        }
    }
}

impl From<Bytes> for KeptPayload {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes, None)
    }
}

impl From<Vec<u8>> for KeptPayload {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(Bytes::from(bytes), None)
    }
}

impl From<&[u8]> for KeptPayload {
    fn from(bytes: &[u8]) -> Self {
        Self::new(Bytes::copy_from_slice(bytes), None)
    }
}

impl Deref for KeptPayload {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Small(bytes) => bytes,
            Self::Shared(shared) => &shared.bytes,
        }
    }
}

impl AsRef<[u8]> for KeptPayload {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl PartialEq for KeptPayload {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for KeptPayload {}

impl PartialEq<[u8]> for KeptPayload {
    fn eq(&self, other: &[u8]) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for KeptPayload {
    fn eq(&self, other: &&str) -> bool {
        **self == *other.as_bytes()
    }
}

impl PartialEq<&[u8]> for KeptPayload {
    fn eq(&self, other: &&[u8]) -> bool {
        **self == **other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for KeptPayload {
    fn eq(&self, other: &&[u8; N]) -> bool {
        **self == other[..]
    }
}

impl std::fmt::Debug for KeptPayload {
    /// The bytes as `Bytes` prints them, then the properties when there are any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.properties() {
            None => std::fmt::Debug::fmt(&ByteStr(self), f),
            Some(properties) => f
                .debug_struct("KeptPayload")
                .field("bytes", &ByteStr(self))
                .field("properties", properties)
                .finish(),
        }
    }
}

/// Prints bytes as `b"…"` with the escapes `Bytes` uses.
struct ByteStr<'a>(&'a [u8]);

impl std::fmt::Debug for ByteStr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"")?;
        for &b in self.0 {
            match b {
                b'\n' => write!(f, "\\n")?,
                b'\r' => write!(f, "\\r")?,
                b'\t' => write!(f, "\\t")?,
                b'\\' | b'"' => write!(f, "\\{}", b as char)?,
                b'\0' => write!(f, "\\0")?,
                0x20..=0x7e => write!(f, "{}", b as char)?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        write!(f, "\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handle_is_two_words() {
        assert_eq!(size_of::<KeptPayload>(), 16);
    }

    #[test]
    fn small_payloads_are_boxed_and_copied_large_ones_shared() {
        let small = KeptPayload::from(Bytes::from_static(b"21.5"));
        assert!(matches!(small, KeptPayload::Small(_)));
        assert_eq!(&*small, b"21.5");
        assert_eq!(small.clone(), small);
        assert_eq!(small.properties(), None);

        let big = vec![7u8; SHARED_FROM_BYTES];
        let large = KeptPayload::from(Bytes::from(big.clone()));
        let KeptPayload::Shared(shared) = &large else {
            panic!("a payload of {SHARED_FROM_BYTES} bytes is shared");
        };
        let copy = large.clone();
        let KeptPayload::Shared(copy_shared) = &copy else {
            panic!("a clone of a shared payload is shared");
        };
        assert!(Arc::ptr_eq(shared, copy_shared), "a clone shares, never copies");
        assert_eq!(&*copy, &big[..]);
        assert_eq!(large.to_bytes().as_ptr(), large.as_ptr(), "to_bytes shares too");
        assert_eq!(KeptPayload::from(&big[..]), large);
        assert_eq!(
            KeptPayload::from(&b"x"[..]),
            KeptPayload::from(Bytes::from_static(b"x"))
        );
    }

    #[test]
    fn properties_ride_with_a_shared_payload() {
        let props = MessageProperties {
            content_type: Some("text/plain".into()),
            ..MessageProperties::default()
        };
        let kept = KeptPayload::new(Bytes::from_static(b"on"), Some(Box::new(props.clone())));
        assert!(matches!(kept, KeptPayload::Shared(_)));
        assert_eq!(&*kept, b"on");
        assert_eq!(kept.clone().properties(), Some(&props));
    }

    #[test]
    fn a_unique_exact_buffer_moves_into_the_box_without_a_copy() {
        let bytes = Bytes::copy_from_slice(b"a reading of a sensor");
        let address = bytes.as_ptr();
        let kept = KeptPayload::from(bytes);
        assert_eq!(kept.as_ptr(), address);
    }

    #[test]
    fn empty_and_debug() {
        let empty = KeptPayload::from(Bytes::new());
        assert!(empty.is_empty());
        assert_eq!(format!("{empty:?}"), "b\"\"");
        // Printed as `Bytes` prints the same bytes.
        let odd: &'static [u8] = b"a\"\n\r\t\\\xff'\0~";
        assert_eq!(
            format!("{:?}", KeptPayload::from(odd)),
            format!("{:?}", Bytes::from_static(odd))
        );
        let props = MessageProperties {
            content_type: Some("text/plain".into()),
            ..MessageProperties::default()
        };
        let with = format!(
            "{:?}",
            KeptPayload::new(Bytes::from_static(b"x"), Some(Box::new(props)))
        );
        assert!(with.contains("b\"x\"") && with.contains("text/plain"), "{with}");
        assert_eq!(KeptPayload::from(&b"ab"[..]), &b"ab"[..]);
        assert_eq!(KeptPayload::from(&b"ab"[..]), b"ab");
    }
}
