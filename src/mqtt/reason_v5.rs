//! MQTT 5 reason codes and connection errors in words: "Not authorized (0x87)", plus the
//! broker's reason string when it sent one.
//!
//! rumqttc's v5 enums do not expose their numbers, so each is mapped to the code of the
//! MQTT 5 specification (§2.4) here, and every code has one name, whatever the packet.

use rumqttc::v5::mqttbytes::v5::{ConnectReturnCode, DisconnectReasonCode, PubAckReason, SubscribeReasonCode};
use rumqttc::v5::{ConnectionError, StateError};

use super::reason::{closed, describe_io, describe_tls_setup, describe_websocket};
use super::tls_reason::{describe_tls, find_rustls_error};
use crate::i18n::shown;

/// The specification's name of a reason code, in sentence case (in the interface's language).
fn name(code: u8) -> String {
    match code {
        0x00 => crate::tr!("worker-rc-00"),
        0x04 => crate::tr!("worker-rc-04"),
        0x10 => crate::tr!("worker-rc-10"),
        0x80 => crate::tr!("worker-rc-80"),
        0x81 => crate::tr!("worker-rc-81"),
        0x82 => crate::tr!("worker-rc-82"),
        0x83 => crate::tr!("worker-rc-83"),
        0x84 => crate::tr!("worker-rc-84"),
        0x85 => crate::tr!("worker-rc-85"),
        0x86 => crate::tr!("worker-rc-86"),
        0x87 => crate::tr!("worker-rc-87"),
        0x88 => crate::tr!("worker-rc-88"),
        0x89 => crate::tr!("worker-rc-89"),
        0x8A => crate::tr!("worker-rc-8a"),
        0x8B => crate::tr!("worker-rc-8b"),
        0x8C => crate::tr!("worker-rc-8c"),
        0x8D => crate::tr!("worker-rc-8d"),
        0x8E => crate::tr!("worker-rc-8e"),
        0x8F => crate::tr!("worker-rc-8f"),
        0x90 => crate::tr!("worker-rc-90"),
        0x91 => crate::tr!("worker-rc-91"),
        0x92 => crate::tr!("worker-rc-92"),
        0x93 => crate::tr!("worker-rc-93"),
        0x94 => crate::tr!("worker-rc-94"),
        0x95 => crate::tr!("worker-rc-95"),
        0x96 => crate::tr!("worker-rc-96"),
        0x97 => crate::tr!("worker-rc-97"),
        0x98 => crate::tr!("worker-rc-98"),
        0x99 => crate::tr!("worker-rc-99"),
        0x9A => crate::tr!("worker-rc-9a"),
        0x9B => crate::tr!("worker-rc-9b"),
        0x9C => crate::tr!("worker-rc-9c"),
        0x9D => crate::tr!("worker-rc-9d"),
        0x9E => crate::tr!("worker-rc-9e"),
        0x9F => crate::tr!("worker-rc-9f"),
        0xA0 => crate::tr!("worker-rc-a0"),
        0xA1 => crate::tr!("worker-rc-a1"),
        0xA2 => crate::tr!("worker-rc-a2"),
        _ => crate::tr!("worker-rc-unknown"),
    }
}

/// "Not authorized (0x87)", with ": reason string" when the broker gave one.
pub fn words(code: u8, reason_string: Option<&str>) -> String {
    let words = name(code);
    let code = format!("0x{code:02X}");
    match reason_string.map(str::trim).filter(|r| !r.is_empty()) {
        Some(text) => crate::tr!("worker-reason-with-string", words = words, code = code, text = text),
        None => crate::tr!("worker-reason-with-code", words = words, code = code),
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
    crate::tr!(
        "worker-publish-refused",
        why = words(publish_code(code), reason_string.as_deref())
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
            crate::tr!("worker-no-answer-timeout", secs = connect_timeout_secs)
        }
        ConnectionError::ConnectionRefused(code) => {
            crate::tr!("worker-connection-refused", why = words(connect_code(*code), None))
        }
        ConnectionError::MqttState(state) => describe_state(state),
        ConnectionError::NotConnAck(_) => crate::tr!("worker-not-mqtt5"),
        ConnectionError::RequestsDone => crate::tr!("worker-requests-done"),
        ConnectionError::Tls(e) => describe_tls_setup(e),
        ConnectionError::Websocket(e) => describe_websocket(e),
        ConnectionError::WsConnect(e) => crate::tr!("worker-ws-connect-failed", error = shown(e)),
        ConnectionError::InvalidUrl(e) => crate::tr!("worker-ws-invalid-url", error = shown(e)),
        ConnectionError::ResponseValidation(e) => crate::tr!("worker-ws-handshake-refused", error = shown(e)),
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
        StateError::AwaitPingResp => crate::tr!("worker-keep-alive-timeout"),
        StateError::ConnectionAborted => crate::tr!("worker-io-closed"),
        StateError::ServerDisconnect {
            reason_code,
            reason_string,
        } => match reason_code {
            DisconnectReasonCode::NormalDisconnection => crate::tr!("worker-normal-disconnection"),
            code => crate::tr!(
                "worker-server-disconnect",
                why = words(*code as u8, reason_string.as_deref())
            ),
        },
        StateError::ConnFail { reason } => {
            crate::tr!("worker-connection-refused", why = words(connect_code(*reason), None))
        }
        StateError::IncomingPacketTooLarge { pkt_size, .. }
        | StateError::Deserialization(rumqttc::v5::mqttbytes::Error::PayloadSizeLimitExceeded { pkt_size, .. }) => {
            crate::tr!("worker-incoming-too-large", bytes = *pkt_size)
        }
        // rumqttc refused to write it: our side, not the broker's (checked before sending,
        // so this is only a safety net).
        StateError::OutgoingPacketTooLarge { pkt_size, max }
        | StateError::Deserialization(rumqttc::v5::mqttbytes::Error::OutgoingPacketTooLarge { pkt_size, max }) => {
            crate::tr!("worker-outgoing-too-large-broker", bytes = *pkt_size, max = *max)
        }
        // rumqttc reports a failed read or write while framing a packet as a decoding error.
        StateError::Deserialization(rumqttc::v5::mqttbytes::Error::Io(e)) => describe_io(e),
        // rumqttc refuses every empty packet but PINGREQ/PINGRESP, yet the short form of a
        // DISCONNECT (`e0 00`, §3.14.2.1) is one: the broker's normal disconnection.
        StateError::Deserialization(rumqttc::v5::mqttbytes::Error::PayloadRequired) => {
            crate::tr!("worker-normal-disconnection")
        }
        StateError::Deserialization(e) => crate::tr!("worker-malformed", error = shown(e)),
        other => crate::tr!("worker-protocol-error", error = shown(other)),
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
