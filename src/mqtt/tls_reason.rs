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

use crate::i18n::shown;

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
            crate::tr!("worker-tls-not-tls")
        }
        rustls::Error::NoCertificatesPresented => crate::tr!("worker-tls-no-certificate"),
        rustls::Error::PeerIncompatible(why) => {
            crate::tr!("worker-tls-incompatible", why = format!("{why:?}"))
        }
        other => crate::tr!("worker-tls-failed", error = shown(other)),
    }
}

fn describe_certificate(error: &CertificateError) -> String {
    use CertificateError as C;
    match error {
        C::UnknownIssuer => crate::tr!("worker-cert-unknown-issuer"),
        C::Expired | C::ExpiredContext { .. } => crate::tr!("worker-cert-expired"),
        C::NotValidYet | C::NotValidYetContext { .. } => crate::tr!("worker-cert-not-valid-yet"),
        C::NotValidForName => crate::tr!("worker-cert-wrong-host"),
        C::NotValidForNameContext { expected, presented } => {
            let names = if presented.is_empty() {
                crate::tr!("worker-cert-no-names")
            } else {
                presented
                    .iter()
                    .map(|name| plain_name(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            crate::tr!(
                "worker-cert-wrong-host-names",
                host = server_name_text(expected),
                names = names
            )
        }
        C::Revoked => crate::tr!("worker-cert-revoked"),
        C::BadSignature => crate::tr!("worker-cert-bad-signature"),
        C::BadEncoding => crate::tr!("worker-cert-malformed"),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => crate::tr!("worker-cert-wrong-purpose"),
        C::UnsupportedSignatureAlgorithmContext { .. } | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            crate::tr!("worker-cert-unsupported-algorithm")
        }
        other => crate::tr!("worker-cert-refused", error = shown(other)),
    }
}

/// Alerts the broker sends when it refuses our side of the handshake, almost always the
/// client certificate (mutual TLS).
fn describe_alert(alert: AlertDescription) -> String {
    use AlertDescription as A;
    match alert {
        A::CertificateRequired => crate::tr!("worker-alert-certificate-required"),
        A::BadCertificate | A::UnsupportedCertificate | A::CertificateUnknown | A::UnknownCA => {
            crate::tr!("worker-alert-bad-certificate")
        }
        A::CertificateExpired => crate::tr!("worker-alert-certificate-expired"),
        A::CertificateRevoked => crate::tr!("worker-alert-certificate-revoked"),
        A::HandshakeFailure => crate::tr!("worker-alert-handshake-failure"),
        A::ProtocolVersion => crate::tr!("worker-alert-protocol-version"),
        A::UnrecognisedName => crate::tr!("worker-alert-unrecognised-name"),
        other => crate::tr!("worker-alert-other", alert = format!("{other:?}")),
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
