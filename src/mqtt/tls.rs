//! TLS for mqtts:// and wss://: turns a profile's [`TlsSettings`] into the rustls client
//! configuration rumqttc connects with.
//!
//! We build the `ClientConfig` ourselves instead of handing rumqttc PEM bytes
//! (`TlsConfiguration::Simple`) because that path cannot use the system roots together
//! with a client certificate, cannot skip verification, and reports an unreadable file
//! only once connecting ("No valid CA certificate provided"), after the dialog is closed.
//! Here every file problem is found before the first connection attempt and named.

use std::path::Path;
use std::sync::Arc;

use rumqttc::TlsConfiguration;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::profiles::TlsSettings;

/// Why the TLS settings cannot be used. Each message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("{}", crate::tr!("worker-tls-cannot-read", what = file_kind(.what), path = .path.as_str(), error = crate::i18n::shown(.source)))]
    Read {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{}", crate::tr!("worker-tls-no-certificate-in-file", what = file_kind(.what), path = .path.as_str()))]
    NoCertificate { what: &'static str, path: String },
    #[error("{}", crate::tr!("worker-tls-bad-pem", what = file_kind(.what), path = .path.as_str(), why = .reason.as_str()))]
    BadPem {
        what: &'static str,
        path: String,
        reason: String,
    },
    #[error("{}", crate::tr!("worker-tls-unusable-ca", path = .path.as_str(), why = .reason.as_str()))]
    UnusableCa { path: String, reason: String },
    #[error("{}", crate::tr!("worker-tls-no-key", path = .path.as_str()))]
    NoKey { path: String },
    #[error("{}", crate::tr!("worker-tls-cert-without-key"))]
    CertWithoutKey,
    #[error("{}", crate::tr!("worker-tls-bad-identity", why = .reason.as_str()))]
    BadClientIdentity { reason: String },
    #[error("{}", crate::tr!("worker-tls-no-system-roots", why = .reason.as_str()))]
    NoSystemRoots { reason: String },
}

/// A file kind (`what` in [`TlsSetupError`]) in the interface's language.
fn file_kind(what: &str) -> String {
    match what {
        "CA" => crate::tr!("worker-tls-file-ca"),
        "client certificate" => crate::tr!("worker-tls-file-client-certificate"),
        "client key" => crate::tr!("worker-tls-file-client-key"),
        other => other.to_owned(),
    }
}

/// The rumqttc TLS configuration for these settings: the CA file's certificates or the
/// system's trusted CAs, an optional client certificate, or no verification at all when
/// `allow_invalid_certs` is set.
pub fn tls_configuration(settings: &TlsSettings) -> Result<TlsConfiguration, TlsSetupError> {
    let builder = ClientConfig::builder();
    let builder = if settings.allow_invalid_certs {
        let algorithms = builder.crypto_provider().signature_verification_algorithms;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyServerCert { algorithms }))
    } else {
        let roots = match &settings.ca_file {
            Some(path) => roots_from_file(path)?,
            None => system_roots()?,
        };
        builder.with_root_certificates(roots)
    };
    let config = match (&settings.client_cert, &settings.client_key) {
        (Some(cert), Some(key)) => builder
            .with_client_auth_cert(certificates(cert, "client certificate")?, private_key(key)?)
            .map_err(|e| TlsSetupError::BadClientIdentity {
                reason: client_identity_reason(&e),
            })?,
        (None, None) => builder.with_no_client_auth(),
        _ => return Err(TlsSetupError::CertWithoutKey),
    };
    Ok(TlsConfiguration::Rustls(Arc::new(config)))
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, TlsSetupError> {
    std::fs::read(path).map_err(|source| TlsSetupError::Read {
        what,
        path: path.display().to_string(),
        source,
    })
}

fn certificates(path: &Path, what: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let pem = read(path, what)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsSetupError::BadPem {
            what,
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TlsSetupError::NoCertificate {
            what,
            path: path.display().to_string(),
        });
    }
    Ok(certs)
}

fn roots_from_file(path: &Path) -> Result<RootCertStore, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    for cert in certificates(path, "CA")? {
        roots.add(cert).map_err(|e| TlsSetupError::UnusableCa {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(roots)
}

fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsSetupError> {
    let pem = read(path, "client key")?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => TlsSetupError::NoKey {
            path: path.display().to_string(),
        },
        other => TlsSetupError::BadPem {
            what: "client key",
            path: path.display().to_string(),
            reason: other.to_string(),
        },
    })
}

/// The platform's trust store (on Linux the distribution's CA bundle). Certificates that
/// fail to load are skipped as long as some load: one odd file must not stop TLS.
fn system_roots() -> Result<RootCertStore, TlsSetupError> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(found.certs);
    if roots.is_empty() {
        let reason = found
            .errors
            .first()
            .map_or_else(|| crate::tr!("worker-tls-trust-store-empty"), ToString::to_string);
        return Err(TlsSetupError::NoSystemRoots { reason });
    }
    Ok(roots)
}

fn client_identity_reason(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InconsistentKeys(_) => crate::tr!("worker-tls-key-mismatch"),
        rustls::Error::General(text) if text.contains("key") => {
            crate::tr!("worker-tls-key-kind", why = text.as_str())
        }
        other => other.to_string(),
    }
}

/// Accepts any server certificate: the "allow invalid certificates" opt-in, for test
/// brokers with self-signed certificates. The handshake signatures are still checked,
/// so the connection is encrypted to whoever holds the presented certificate's key, but
/// nothing says who that is.
#[derive(Debug)]
struct AcceptAnyServerCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyServerCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
#[path = "tls_tests.rs"]
mod tests;
