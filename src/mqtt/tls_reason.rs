//! TLS failures in words: finds the rustls error inside whatever rumqttc reports and says
//! what is wrong with which certificate, and what to do about it.
//!
//! rumqttc wraps the same rustls error differently per path: `ConnectionError::Tls(Io)`
//! for mqtts://, `ConnectionError::Websocket(Io)` for wss://, and a plain I/O error when
//! the broker rejects our client certificate after the handshake (TLS 1.3 reports that
//! on the first read). So the error chain is searched instead of matching one shape.

use std::error::Error as StdError;

use rustls::pki_types::ServerName;
use rustls::{AlertDescription, CertificateError};

/// The rustls error somewhere in `err`'s chain of causes, if any. I/O errors are looked
/// into as well: `io::Error::source` skips the error it wraps, `get_ref` does not.
pub fn find_rustls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        if let Some(found) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// One sentence for a TLS failure.
pub fn describe_tls(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(cert) => describe_certificate(cert),
        rustls::Error::AlertReceived(alert) => describe_alert(*alert),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "the server did not answer with TLS (is this a plain mqtt:// or ws:// port?)".into()
        }
        rustls::Error::NoCertificatesPresented => "the broker presented no certificate".into(),
        rustls::Error::PeerIncompatible(why) => {
            format!("the broker and Topicscope share no TLS version or cipher ({why:?})")
        }
        other => format!("TLS failed: {other}"),
    }
}

fn describe_certificate(error: &CertificateError) -> String {
    use CertificateError as C;
    let what = match error {
        C::UnknownIssuer => {
            return "the broker's certificate is not signed by a trusted CA (unknown issuer); \
                    give the CA file that signed it, or allow invalid certificates for a test broker"
                .into();
        }
        C::Expired | C::ExpiredContext { .. } => "has expired",
        C::NotValidYet | C::NotValidYetContext { .. } => "is not valid yet (check this computer's clock)",
        C::NotValidForName => "is not valid for the host name in the broker address",
        C::NotValidForNameContext { expected, presented } => {
            let names = if presented.is_empty() {
                "no names at all".to_owned()
            } else {
                presented
                    .iter()
                    .map(|name| plain_name(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return format!(
                "the broker's certificate is not valid for the host name {} (it names {names}); \
                 connect using one of those names",
                server_name_text(expected)
            );
        }
        C::Revoked => "has been revoked",
        C::BadSignature => "has an invalid signature",
        C::BadEncoding => "is malformed",
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => "is not meant for a TLS server",
        C::UnsupportedSignatureAlgorithmContext { .. } | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "uses an unsupported signature algorithm"
        }
        other => return format!("the broker's certificate was refused: {other}"),
    };
    format!("the broker's certificate {what}")
}

/// Alerts the broker sends when it refuses our side of the handshake, almost always the
/// client certificate (mutual TLS).
fn describe_alert(alert: AlertDescription) -> String {
    use AlertDescription as A;
    match alert {
        A::CertificateRequired => "the broker requires a client certificate; give a certificate and its key".into(),
        A::BadCertificate | A::UnsupportedCertificate | A::CertificateUnknown | A::UnknownCA => {
            "the broker refused the client certificate (not signed by a CA it trusts, or not for client use)".into()
        }
        A::CertificateExpired => "the broker refused the client certificate: it has expired".into(),
        A::CertificateRevoked => "the broker refused the client certificate: it has been revoked".into(),
        A::HandshakeFailure => "the broker refused the TLS handshake (it may require a client certificate, \
             or support no cipher in common)"
            .into(),
        A::ProtocolVersion => "the broker does not support TLS 1.2 or 1.3".into(),
        A::UnrecognisedName => "the broker does not serve this host name".into(),
        other => format!("the broker ended the TLS handshake ({other:?})"),
    }
}

/// rustls lists the certificate's names in their Debug form (`DnsName("otherhost")`,
/// `IpAddress(10.0.0.1)`); a person wants just the name.
fn plain_name(presented: &str) -> &str {
    let inner = presented
        .strip_prefix("DnsName(\"")
        .and_then(|rest| rest.strip_suffix("\")"))
        .or_else(|| {
            presented
                .strip_prefix("IpAddress(")
                .and_then(|rest| rest.strip_suffix(')'))
        });
    inner.unwrap_or(presented)
}

fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(dns) => format!("'{}'", dns.as_ref()),
        ServerName::IpAddress(ip) => format!("'{}'", std::net::IpAddr::from(*ip)),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(error: rustls::Error) -> rumqttc::ConnectionError {
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, error);
        rumqttc::ConnectionError::Tls(rumqttc::TlsError::Io(io))
    }

    #[test]
    fn the_rustls_error_is_found_inside_rumqttc_and_io_errors() {
        let err = wrapped(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
        assert_eq!(
            find_rustls_error(&err),
            Some(&rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
        );
        let plain = rumqttc::ConnectionError::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(find_rustls_error(&plain), None);
    }

    #[test]
    fn certificate_problems_are_named() {
        let text = |e: CertificateError| describe_tls(&rustls::Error::InvalidCertificate(e));
        assert!(text(CertificateError::UnknownIssuer).contains("unknown issuer"));
        assert_eq!(text(CertificateError::Expired), "the broker's certificate has expired");
        let wrong_host = text(CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("127.0.0.1").unwrap(),
            presented: vec!["DnsName(\"otherhost\")".into()],
        });
        assert!(
            wrong_host.contains("not valid for the host name '127.0.0.1' (it names otherhost)"),
            "{wrong_host}"
        );
        let client = describe_tls(&rustls::Error::AlertReceived(AlertDescription::CertificateRequired));
        assert!(client.contains("requires a client certificate"), "{client}");
    }
}
