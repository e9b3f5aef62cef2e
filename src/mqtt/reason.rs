//! Connection errors in words a user understands (never a Debug dump).

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};

use super::tls_reason::{describe_tls, find_rustls_error};
use crate::i18n::shown;

/// One sentence saying why the connection failed or dropped.
pub fn describe(err: &ConnectionError, connect_timeout_secs: u64) -> String {
    // TLS problems hide inside several variants (see `tls_reason`); name them first.
    if let Some(tls) = find_rustls_error(err) {
        return describe_tls(tls);
    }
    match err {
        ConnectionError::Io(e) => describe_io(e),
        ConnectionError::NetworkTimeout => {
            crate::tr!("worker-no-answer-timeout", secs = connect_timeout_secs)
        }
        ConnectionError::FlushTimeout => crate::tr!("worker-write-timeout"),
        ConnectionError::ConnectionRefused(code) => describe_refusal(*code),
        ConnectionError::MqttState(state) => describe_state(state),
        ConnectionError::NotConnAck(_) => crate::tr!("worker-not-mqtt"),
        ConnectionError::RequestsDone => crate::tr!("worker-requests-done"),
        ConnectionError::Tls(e) => describe_tls_setup(e),
        ConnectionError::Websocket(e) => describe_websocket(e),
        ConnectionError::WsConnect(e) => crate::tr!("worker-ws-connect-failed", error = shown(e)),
        ConnectionError::InvalidUrl(e) => crate::tr!("worker-ws-invalid-url", error = shown(e)),
        ConnectionError::ResponseValidation(e) => crate::tr!("worker-ws-handshake-refused", error = shown(e)),
    }
}

/// A failed TLS setup or handshake that carries no rustls error (shared with MQTT 5,
/// whose event loop uses the same TLS code).
pub(super) fn describe_tls_setup(e: &rumqttc::TlsError) -> String {
    match e {
        rumqttc::TlsError::DNSName(_) => {
            // rumqttc checks the certificate against the host exactly as it dials it, and
            // an IPv6 address is dialled in brackets, which is no valid TLS server name.
            crate::tr!("worker-tls-bad-host")
        }
        rumqttc::TlsError::Io(e) if closed(e) => {
            crate::tr!("worker-tls-closed")
        }
        e => crate::tr!("worker-tls-failed", error = shown(e)),
    }
}

/// A failed WebSocket connection (shared with MQTT 5).
pub(super) fn describe_websocket(e: &(dyn std::error::Error + 'static)) -> String {
    if e.source().is_some_and(closed_io) {
        crate::tr!("worker-ws-closed")
    } else {
        crate::tr!("worker-ws-failed", error = shown(e))
    }
}

/// Whether the broker hung up on an established connection (end of stream or reset), as
/// opposed to a timeout or a protocol error: then the packet written last may be the cause.
pub fn hung_up(err: &ConnectionError) -> bool {
    match err {
        ConnectionError::Io(e) | ConnectionError::MqttState(StateError::Io(e)) => closed(e),
        ConnectionError::MqttState(StateError::ConnectionAborted) => true,
        ConnectionError::MqttState(StateError::Deserialization(rumqttc::mqttbytes::Error::Io(e))) => closed(e),
        _ => false,
    }
}

/// Whether the peer hung up: what a server does when the first bytes are not what its
/// port expects (a TLS hello on a plain port, MQTT on a websockets port).
pub(super) fn closed(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe
    )
}

fn closed_io(e: &(dyn std::error::Error + 'static)) -> bool {
    e.downcast_ref::<std::io::Error>().is_some_and(closed)
}

pub(super) fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let text = e.to_string();
    match e.kind() {
        K::ConnectionRefused => crate::tr!("worker-io-refused"),
        K::ConnectionReset => crate::tr!("worker-io-reset"),
        K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => crate::tr!("worker-io-closed"),
        K::TimedOut => crate::tr!("worker-io-timed-out"),
        K::HostUnreachable | K::NetworkUnreachable => crate::tr!("worker-io-unreachable"),
        K::AddrNotAvailable => crate::tr!("worker-io-addr-not-available"),
        _ if text.contains("lookup") || text.contains("resolve") || text.contains("Name or service") => {
            crate::tr!("worker-io-dns")
        }
        _ => text,
    }
}

fn describe_refusal(code: ConnectReturnCode) -> String {
    let why = match code {
        ConnectReturnCode::Success => crate::tr!("worker-refused-no-reason"),
        ConnectReturnCode::RefusedProtocolVersion => crate::tr!("worker-refused-protocol-version"),
        ConnectReturnCode::BadClientId => crate::tr!("worker-refused-client-id"),
        ConnectReturnCode::ServiceUnavailable => crate::tr!("worker-refused-unavailable"),
        ConnectReturnCode::BadUserNamePassword => crate::tr!("worker-refused-credentials"),
        ConnectReturnCode::NotAuthorized => crate::tr!("worker-refused-not-authorised"),
    };
    crate::tr!("worker-connection-refused", why = why)
}

fn describe_state(state: &StateError) -> String {
    match state {
        StateError::Io(e) => describe_io(e),
        StateError::AwaitPingResp => crate::tr!("worker-keep-alive-timeout"),
        StateError::ConnectionAborted => crate::tr!("worker-io-closed"),
        StateError::Deserialization(rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(n)) => {
            crate::tr!("worker-incoming-too-large", bytes = *n)
        }
        // rumqttc reports a failed read while framing a packet as a decoding error.
        StateError::Deserialization(rumqttc::mqttbytes::Error::Io(e)) => describe_io(e),
        // rumqttc refused to write it: our limit, not the broker's fault (checked before
        // sending, so this is only a safety net).
        StateError::Deserialization(rumqttc::mqttbytes::Error::OutgoingPacketTooLarge { pkt_size, max }) => {
            crate::tr!("worker-outgoing-too-large-profile", bytes = *pkt_size, max = *max)
        }
        StateError::Deserialization(e) => crate::tr!("worker-malformed", error = shown(e)),
        other => crate::tr!("worker-protocol-error", error = shown(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_sentences() {
        let refused = ConnectionError::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(
            describe(&refused, 5),
            "connection refused (is the broker running on that port?)"
        );
        let dns = ConnectionError::Io(std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        assert_eq!(describe(&dns, 5), "host not found (DNS lookup failed)");
        assert_eq!(
            describe(&ConnectionError::NetworkTimeout, 7),
            "no answer from the broker within 7 s (timeout)"
        );
        let creds = ConnectionError::ConnectionRefused(ConnectReturnCode::BadUserNamePassword);
        assert_eq!(
            describe(&creds, 5),
            "the broker refused the connection: bad user name or password"
        );
    }
}
