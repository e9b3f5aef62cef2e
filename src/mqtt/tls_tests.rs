//! File problems are found before connecting and named; valid certificates are exercised
//! against mosquitto in tests/tls.rs.

use std::path::PathBuf;

use super::*;

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn error(settings: &TlsSettings) -> String {
    match tls_configuration(settings) {
        Ok(_) => panic!("accepted {settings:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_missing_ca_file_is_named() {
    let settings = TlsSettings {
        ca_file: Some("/nonexistent/ca.pem".into()),
        ..TlsSettings::default()
    };
    let text = error(&settings);
    assert!(
        text.starts_with("cannot read the CA file /nonexistent/ca.pem: "),
        "{text}"
    );
}

#[test]
fn a_ca_file_without_certificates_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let settings = TlsSettings {
        ca_file: Some(file(&dir, "ca.pem", "just some text\n")),
        ..TlsSettings::default()
    };
    assert!(
        error(&settings).contains("contains no PEM certificate"),
        "{}",
        error(&settings)
    );

    let broken = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
    let settings = TlsSettings {
        ca_file: Some(file(&dir, "broken.pem", broken)),
        ..TlsSettings::default()
    };
    assert!(error(&settings).contains("is not valid PEM"), "{}", error(&settings));
}

#[test]
fn a_client_certificate_needs_its_key() {
    let settings = TlsSettings {
        client_cert: Some("/tmp/cert.pem".into()),
        allow_invalid_certs: true,
        ..TlsSettings::default()
    };
    assert!(
        error(&settings).contains("needs its private key"),
        "{}",
        error(&settings)
    );
}

#[test]
fn a_key_file_without_a_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let settings = TlsSettings {
        client_cert: Some(file(&dir, "client.pem", cert)),
        client_key: Some(file(&dir, "client.key", cert)),
        allow_invalid_certs: true,
        ..TlsSettings::default()
    };
    let text = error(&settings);
    assert!(text.contains("client.key contains no PEM private key"), "{text}");
}

#[test]
fn allowing_invalid_certificates_needs_no_files() {
    let settings = TlsSettings {
        allow_invalid_certs: true,
        // Ignored when nothing is checked: a missing CA file must not stop the opt-in.
        ca_file: Some("/nonexistent/ca.pem".into()),
        ..TlsSettings::default()
    };
    assert!(matches!(tls_configuration(&settings), Ok(TlsConfiguration::Rustls(_))));
}
