//! MQTT 5 reason codes and connection errors in words: "Not authorized (0x87)", plus the
//! broker's reason string when it sent one.
//!
//! rumqttc's v5 enums do not expose their numbers, so each is mapped to the code of the
//! MQTT 5 specification (§2.4) here, and every code has one name, whatever the packet.

use rumqttc::v5::mqttbytes::v5::{ConnectReturnCode, DisconnectReasonCode, PubAckReason, SubscribeReasonCode};
use rumqttc::v5::{ConnectionError, StateError};

use super::reason::{closed, describe_io, describe_tls_setup, describe_websocket};
use super::tls_reason::{describe_tls, find_rustls_error};
use super::too_large::thousands;

/// The specification's name of a reason code, in sentence case.
fn name(code: u8) -> &'static str {
    match code {
        0x00 => "Success",
        0x04 => "Disconnect with will message",
        0x10 => "No matching subscribers",
        0x80 => "Unspecified error",
        0x81 => "Malformed packet",
        0x82 => "Protocol error",
        0x83 => "Implementation specific error",
        0x84 => "Unsupported protocol version",
        0x85 => "Client identifier not valid",
        0x86 => "Bad user name or password",
        0x87 => "Not authorized",
        0x88 => "Server unavailable",
        0x89 => "Server busy",
        0x8A => "Banned",
        0x8B => "Server shutting down",
        0x8C => "Bad authentication method",
        0x8D => "Keep alive timeout",
        0x8E => "Session taken over",
        0x8F => "Topic filter invalid",
        0x90 => "Topic name invalid",
        0x91 => "Packet identifier in use",
        0x92 => "Packet identifier not found",
        0x93 => "Receive maximum exceeded",
        0x94 => "Topic alias invalid",
        0x95 => "Packet too large",
        0x96 => "Message rate too high",
        0x97 => "Quota exceeded",
        0x98 => "Administrative action",
        0x99 => "Payload format invalid",
        0x9A => "Retain not supported",
        0x9B => "QoS not supported",
        0x9C => "Use another server",
        0x9D => "Server moved",
        0x9E => "Shared subscriptions not supported",
        0x9F => "Connection rate exceeded",
        0xA0 => "Maximum connect time",
        0xA1 => "Subscription identifiers not supported",
        0xA2 => "Wildcard subscriptions not supported",
        _ => "Unknown reason",
    }
}

/// "Not authorized (0x87)", with ": reason string" when the broker gave one.
pub fn words(code: u8, reason_string: Option<&str>) -> String {
    let base = format!("{} (0x{code:02X})", name(code));
    match reason_string.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{base}: {r}"),
        None => base,
    }
}

fn connect_code(code: ConnectReturnCode) -> u8 {
    use ConnectReturnCode as C;
    match code {
        C::Success => 0x00,
        C::UnspecifiedError => 0x80,
        C::MalformedPacket => 0x81,
        C::ProtocolError => 0x82,
        C::ImplementationSpecificError => 0x83,
        // The MQTT 3.1.1 codes rumqttc shares with v5 map to their MQTT 5 equivalents.
        C::UnsupportedProtocolVersion | C::RefusedProtocolVersion => 0x84,
        C::ClientIdentifierNotValid | C::BadClientId => 0x85,
        C::BadUserNamePassword => 0x86,
        C::NotAuthorized => 0x87,
        C::ServerUnavailable | C::ServiceUnavailable => 0x88,
        C::ServerBusy => 0x89,
        C::Banned => 0x8A,
        C::BadAuthenticationMethod => 0x8C,
        C::TopicNameInvalid => 0x90,
        C::PacketTooLarge => 0x95,
        C::QuotaExceeded => 0x97,
        C::PayloadFormatInvalid => 0x99,
        C::RetainNotSupported => 0x9A,
        C::QoSNotSupported => 0x9B,
        C::UseAnotherServer => 0x9C,
        C::ServerMoved => 0x9D,
        C::ConnectionRateExceeded => 0x9F,
    }
}

fn subscribe_code(code: SubscribeReasonCode) -> u8 {
    use SubscribeReasonCode as S;
    match code {
        S::Success(q) => q as u8,
        S::Failure | S::Unspecified => 0x80,
        S::ImplementationSpecific => 0x83,
        S::NotAuthorized => 0x87,
        S::TopicFilterInvalid => 0x8F,
        S::PkidInUse => 0x91,
        S::QuotaExceeded => 0x97,
        S::SharedSubscriptionsNotSupported => 0x9E,
        S::SubscriptionIdNotSupported => 0xA1,
        S::WildcardSubscriptionsNotSupported => 0xA2,
    }
}

fn publish_code(code: PubAckReason) -> u8 {
    use PubAckReason as P;
    match code {
        P::Success => 0x00,
        P::NoMatchingSubscribers => 0x10,
        P::UnspecifiedError => 0x80,
        P::ImplementationSpecificError => 0x83,
        P::NotAuthorized => 0x87,
        P::TopicNameInvalid => 0x90,
        P::PacketIdentifierInUse => 0x91,
        P::QuotaExceeded => 0x97,
        P::PayloadFormatInvalid => 0x99,
    }
}

/// Why the broker refused a subscription, e.g. "Not authorized (0x87)".
pub fn subscribe_refusal(code: SubscribeReasonCode, reason_string: Option<String>) -> String {
    words(subscribe_code(code), reason_string.as_deref())
}

/// Why the broker refused a publish (PUBACK or PUBREC failure).
pub fn publish_refusal(code: PubAckReason, reason_string: Option<String>) -> String {
    format!(
        "the broker refused it: {}",
        words(publish_code(code), reason_string.as_deref())
    )
}

/// One sentence saying why an MQTT 5 connection failed or dropped.
///
/// A refused CONNACK's reason string is not available: rumqttc keeps only its code.
pub fn describe(err: &ConnectionError, connect_timeout_secs: u64) -> String {
    // TLS problems hide inside several variants, as with MQTT 3.1.1 (see `tls_reason`).
    if let Some(tls) = find_rustls_error(err) {
        return describe_tls(tls);
    }
    match err {
        ConnectionError::Io(e) => describe_io(e),
        ConnectionError::Timeout(_) => {
            format!("no answer from the broker within {connect_timeout_secs} s (timeout)")
        }
        ConnectionError::ConnectionRefused(code) => format!(
            "the broker refused the connection: {}",
            words(connect_code(*code), None)
        ),
        ConnectionError::MqttState(state) => describe_state(state),
        ConnectionError::NotConnAck(_) => "the server did not answer like an MQTT 5 broker".into(),
        ConnectionError::RequestsDone => "the connection was closed".into(),
        ConnectionError::Tls(e) => describe_tls_setup(e),
        ConnectionError::Websocket(e) => describe_websocket(e),
        ConnectionError::WsConnect(e) => format!("WebSocket connect failed: {e}"),
        ConnectionError::InvalidUrl(e) => format!("invalid WebSocket URL: {e}"),
        ConnectionError::ResponseValidation(e) => format!("WebSocket handshake refused: {e}"),
    }
}

/// Whether the broker hung up (end of stream, reset) rather than anything else.
pub fn hung_up(err: &ConnectionError) -> bool {
    match err {
        ConnectionError::Io(e) | ConnectionError::MqttState(StateError::Io(e)) => closed(e),
        ConnectionError::MqttState(StateError::ConnectionAborted) => true,
        ConnectionError::MqttState(StateError::Deserialization(rumqttc::v5::mqttbytes::Error::Io(e))) => closed(e),
        _ => false,
    }
}

/// Whether the broker refused the CONNECT for its protocol version (an MQTT 3.1.1 broker
/// answering an MQTT 5 CONNECT).
pub fn refused_protocol_version(err: &ConnectionError) -> bool {
    use ConnectReturnCode as C;
    matches!(
        err,
        ConnectionError::ConnectionRefused(C::UnsupportedProtocolVersion | C::RefusedProtocolVersion)
            | ConnectionError::MqttState(StateError::ConnFail {
                reason: C::UnsupportedProtocolVersion | C::RefusedProtocolVersion
            })
            // MQTT 3.1.1's "unacceptable protocol version" (1) read as an MQTT 5 code.
            | ConnectionError::MqttState(StateError::Deserialization(
                rumqttc::v5::mqttbytes::Error::InvalidConnectReturnCode(1)
            ))
    )
}

fn describe_state(state: &StateError) -> String {
    match state {
        StateError::Io(e) => describe_io(e),
        StateError::AwaitPingResp => "the broker stopped answering (keep-alive timeout)".into(),
        StateError::ConnectionAborted => "the broker closed the connection".into(),
        StateError::ServerDisconnect {
            reason_code,
            reason_string,
        } => match reason_code {
            DisconnectReasonCode::NormalDisconnection => {
                "the broker closed the connection (normal disconnection)".into()
            }
            code => format!(
                "the broker disconnected us: {}",
                words(*code as u8, reason_string.as_deref())
            ),
        },
        StateError::ConnFail { reason } => format!(
            "the broker refused the connection: {}",
            words(connect_code(*reason), None)
        ),
        StateError::IncomingPacketTooLarge { pkt_size, .. }
        | StateError::Deserialization(rumqttc::v5::mqttbytes::Error::PayloadSizeLimitExceeded { pkt_size, .. }) => {
            format!(
                "the broker sent a packet of {} bytes, more than the maximum packet size in the profile \
                 (raise it there)",
                thousands(*pkt_size)
            )
        }
        // rumqttc refused to write it: our side, not the broker's (checked before sending,
        // so this is only a safety net).
        StateError::OutgoingPacketTooLarge { pkt_size, max }
        | StateError::Deserialization(rumqttc::v5::mqttbytes::Error::OutgoingPacketTooLarge { pkt_size, max }) => {
            format!(
                "Topicscope did not send a packet of {} bytes: more than this broker accepts ({} bytes per packet)",
                thousands(*pkt_size as usize),
                thousands(*max as usize)
            )
        }
        // rumqttc reports a failed read or write while framing a packet as a decoding error.
        StateError::Deserialization(rumqttc::v5::mqttbytes::Error::Io(e)) => describe_io(e),
        // rumqttc refuses every empty packet but PINGREQ/PINGRESP, yet the short form of a
        // DISCONNECT (`e0 00`, §3.14.2.1) is one: the broker's normal disconnection.
        StateError::Deserialization(rumqttc::v5::mqttbytes::Error::PayloadRequired) => {
            "the broker closed the connection (normal disconnection)".into()
        }
        StateError::Deserialization(e) => format!("malformed packet from the broker: {e}"),
        other => format!("protocol error: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_read_as_words_with_their_number() {
        assert_eq!(
            describe(
                &ConnectionError::ConnectionRefused(ConnectReturnCode::BadUserNamePassword),
                5
            ),
            "the broker refused the connection: Bad user name or password (0x86)"
        );
        assert_eq!(
            subscribe_refusal(SubscribeReasonCode::NotAuthorized, None),
            "Not authorized (0x87)"
        );
        assert_eq!(
            subscribe_refusal(SubscribeReasonCode::QuotaExceeded, Some("too many filters".into())),
            "Quota exceeded (0x97): too many filters"
        );
        assert_eq!(
            publish_refusal(PubAckReason::NotAuthorized, Some("  ".into())),
            "the broker refused it: Not authorized (0x87)"
        );
        let kicked = ConnectionError::MqttState(StateError::ServerDisconnect {
            reason_code: DisconnectReasonCode::SessionTakenOver,
            reason_string: Some("another client with your id".into()),
        });
        assert_eq!(
            describe(&kicked, 5),
            "the broker disconnected us: Session taken over (0x8E): another client with your id"
        );
    }

    #[test]
    fn every_code_rumqttc_can_hand_out_has_a_name() {
        use ConnectReturnCode as C;
        for code in [
            C::UnspecifiedError,
            C::MalformedPacket,
            C::ProtocolError,
            C::ImplementationSpecificError,
            C::UnsupportedProtocolVersion,
            C::ClientIdentifierNotValid,
            C::BadUserNamePassword,
            C::NotAuthorized,
            C::ServerUnavailable,
            C::ServerBusy,
            C::Banned,
            C::BadAuthenticationMethod,
            C::TopicNameInvalid,
            C::PacketTooLarge,
            C::QuotaExceeded,
            C::PayloadFormatInvalid,
            C::RetainNotSupported,
            C::QoSNotSupported,
            C::UseAnotherServer,
            C::ServerMoved,
            C::ConnectionRateExceeded,
        ] {
            assert_ne!(name(connect_code(code)), "Unknown reason", "{code:?}");
        }
        for code in 0x80..=0xA2u8 {
            if let Ok(reason) = DisconnectReasonCode::try_from(code) {
                assert_ne!(name(reason as u8), "Unknown reason", "{reason:?}");
            }
        }
    }
}
