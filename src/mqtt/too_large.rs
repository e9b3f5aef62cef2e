//! Packets too large to send, said in words with their sizes.
//!
//! A packet larger than the broker accepts is never sent: an MQTT 5 broker states its
//! maximum in the CONNACK (and rumqttc would otherwise fail the whole connection with a
//! "Cannot send packet" error that read as the broker's fault), and the profile sets our
//! own maximum. The publish or subscribe then fails alone and the connection stays up.

/// Whose maximum packet size a packet exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The broker's, from its MQTT 5 CONNACK.
    Broker(u32),
    /// Ours, from the profile.
    Profile(usize),
}

/// The first limit `packet_bytes` exceeds, if any.
pub fn exceeded(packet_bytes: usize, broker_max: Option<u32>, profile_max: usize) -> Option<Limit> {
    match broker_max {
        Some(max) if packet_bytes > max as usize => Some(Limit::Broker(max)),
        _ if packet_bytes > profile_max => Some(Limit::Profile(profile_max)),
        _ => None,
    }
}

/// Why a publish of `payload_bytes` (`packet_bytes` on the wire) was not sent.
pub fn publish_refusal(payload_bytes: usize, packet_bytes: usize, limit: Limit) -> String {
    let size = if packet_bytes == payload_bytes {
        crate::tr!("worker-size-bytes", bytes = packet_bytes)
    } else {
        crate::tr!("worker-size-with-header", bytes = payload_bytes, packet = packet_bytes)
    };
    match limit {
        Limit::Broker(max) => crate::tr!("worker-publish-over-broker-max", size = size, max = max),
        Limit::Profile(max) => crate::tr!("worker-publish-over-profile-max", size = size, max = max),
    }
}

/// Why a subscribe of `packet_bytes` was not sent.
pub fn subscribe_refusal(packet_bytes: usize, limit: Limit) -> String {
    match limit {
        Limit::Broker(max) => crate::tr!("worker-subscribe-over-broker-max", bytes = packet_bytes, max = max),
        Limit::Profile(max) => crate::tr!("worker-subscribe-over-profile-max", bytes = packet_bytes, max = max),
    }
}

/// Size of an MQTT fixed header for a packet whose remaining length is `remaining`.
pub fn fixed_header_bytes(remaining: usize) -> usize {
    1 + match remaining {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_broker_limit_is_checked_before_our_own() {
        assert_eq!(exceeded(3_015, Some(2_048), 64 << 20), Some(Limit::Broker(2_048)));
        assert_eq!(exceeded(3_015, None, 2_000), Some(Limit::Profile(2_000)));
        assert_eq!(exceeded(3_015, Some(4_000), 2_000), Some(Limit::Profile(2_000)));
        assert_eq!(exceeded(2_048, Some(2_048), 64 << 20), None);
    }

    #[test]
    fn refusals_name_both_sizes() {
        assert_eq!(
            publish_refusal(3_000, 3_011, Limit::Broker(2_048)),
            "not sent: 3,000 bytes (3,011 with topic and header) is more than this broker accepts (2,048 bytes per packet)"
        );
        assert!(subscribe_refusal(14, Limit::Broker(10)).contains("(14 bytes) is more than this broker accepts (10"));
        assert_eq!(fixed_header_bytes(127), 2);
        assert_eq!(fixed_header_bytes(128), 3);
        assert_eq!(fixed_header_bytes(268_435_455), 5);
    }
}
