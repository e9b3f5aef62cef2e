//! Connection errors in words a user understands (never a Debug dump).

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};

use super::tls_reason::{describe_tls, find_rustls_error};
use super::too_large::thousands;

/// One sentence saying why the connection failed or dropped.
pub fn describe(err: &ConnectionError, connect_timeout_secs: u64) -> String {
    // TLS problems hide inside several variants (see `tls_reason`); name them first.
    if let Some(tls) = find_rustls_error(err) {
        return describe_tls(tls);
    }
    match err {
        ConnectionError::Io(e) => describe_io(e),
        ConnectionError::NetworkTimeout => {
            format!("no answer from the broker within {connect_timeout_secs} s (timeout)")
        }
        ConnectionError::FlushTimeout => "the broker stopped accepting data (write timeout)".into(),
        ConnectionError::ConnectionRefused(code) => describe_refusal(*code),
        ConnectionError::MqttState(state) => describe_state(state),
        ConnectionError::NotConnAck(_) => "the server did not answer like an MQTT broker".into(),
        ConnectionError::RequestsDone => "the connection was closed".into(),
        ConnectionError::Tls(e) => describe_tls_setup(e),
        ConnectionError::Websocket(e) => describe_websocket(e),
        ConnectionError::WsConnect(e) => format!("WebSocket connect failed: {e}"),
        ConnectionError::InvalidUrl(e) => format!("invalid WebSocket URL: {e}"),
        ConnectionError::ResponseValidation(e) => format!("WebSocket handshake refused: {e}"),
    }
}

/// A failed TLS setup or handshake that carries no rustls error (shared with MQTT 5,
/// whose event loop uses the same TLS code).
pub(super) fn describe_tls_setup(e: &rumqttc::TlsError) -> String {
    match e {
        rumqttc::TlsError::DNSName(_) => {
            // rumqttc checks the certificate against the host exactly as it dials it, and
            // an IPv6 address is dialled in brackets, which is no valid TLS server name.
            "the host in the broker address cannot be used for TLS (for an IPv6 address, use a host name)".into()
        }
        rumqttc::TlsError::Io(e) if closed(e) => {
            "the broker closed the connection during the TLS handshake (is this a TLS port?)".into()
        }
        e => format!("TLS failed: {e}"),
    }
}

/// A failed WebSocket connection (shared with MQTT 5).
pub(super) fn describe_websocket(e: &(dyn std::error::Error + 'static)) -> String {
    if e.source().is_some_and(closed_io) {
        "the broker closed the connection during the WebSocket handshake (is this a websockets port?)".into()
    } else {
        format!("WebSocket failed: {e}")
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
        K::ConnectionRefused => "connection refused (is the broker running on that port?)".into(),
        K::ConnectionReset => "connection reset by the broker".into(),
        K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => "the broker closed the connection".into(),
        K::TimedOut => "connection timed out".into(),
        K::HostUnreachable | K::NetworkUnreachable => "host unreachable".into(),
        K::AddrNotAvailable => "address not available".into(),
        _ if text.contains("lookup") || text.contains("resolve") || text.contains("Name or service") => {
            "host not found (DNS lookup failed)".into()
        }
        _ => text,
    }
}

fn describe_refusal(code: ConnectReturnCode) -> String {
    let why = match code {
        ConnectReturnCode::Success => "no reason given",
        ConnectReturnCode::RefusedProtocolVersion => "unsupported MQTT protocol version",
        ConnectReturnCode::BadClientId => "client id rejected",
        ConnectReturnCode::ServiceUnavailable => "service unavailable",
        ConnectReturnCode::BadUserNamePassword => "bad user name or password",
        ConnectReturnCode::NotAuthorized => "not authorised",
    };
    format!("the broker refused the connection: {why}")
}

fn describe_state(state: &StateError) -> String {
    match state {
        StateError::Io(e) => describe_io(e),
        StateError::AwaitPingResp => "the broker stopped answering (keep-alive timeout)".into(),
        StateError::ConnectionAborted => "the broker closed the connection".into(),
        StateError::Deserialization(rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(n)) => {
            format!(
                "the broker sent a packet of {} bytes, more than the maximum packet size in the profile \
                 (raise it there)",
                thousands(*n)
            )
        }
        // rumqttc reports a failed read while framing a packet as a decoding error.
        StateError::Deserialization(rumqttc::mqttbytes::Error::Io(e)) => describe_io(e),
        // rumqttc refused to write it: our limit, not the broker's fault (checked before
        // sending, so this is only a safety net).
        StateError::Deserialization(rumqttc::mqttbytes::Error::OutgoingPacketTooLarge { pkt_size, max }) => format!(
            "Topicscope did not send a packet of {} bytes: more than the maximum packet size in the profile ({} bytes)",
            thousands(*pkt_size),
            thousands(*max)
        ),
        StateError::Deserialization(e) => format!("malformed packet from the broker: {e}"),
        other => format!("protocol error: {other}"),
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
