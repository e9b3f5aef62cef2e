//! TLS against mosquitto on 127.0.0.1 with a CA generated for the test run: mqtts:// and
//! wss://, the CA file, mutual TLS, the "insecure" opt-in, and every certificate failure
//! explained in words. Through the `topicscope` binary and through the worker.
//!
//! Needs mosquitto (required in CI by `TOPICSCOPE_REQUIRE_MOSQUITTO=1`) and `openssl`.

mod common;

use common::pki::TestPki;
use common::run::{connect_worker, next_message, run_topicscope, text};
use common::{Listener, TestBroker};
use topicscope::profiles::{Profile, Subscription};

/// A retained message published over the plain listener, so a subscriber that connects
/// later receives it at once: no race between subscribing and publishing.
fn seed(broker: &TestBroker, topic: &str, payload: &str) {
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &broker.url(),
        "-t",
        topic,
        "-m",
        payload,
        "-r",
        "-q",
        "1",
    ]);
    assert!(out.status.success(), "seeding failed: {}", text(&out.stderr));
}

/// `topicscope sub --broker URL -t tls/# --count 1 EXTRA…`.
fn sub_once(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "sub",
        "--broker",
        url,
        "-t",
        "tls/#",
        "--count",
        "1",
        "--connect-timeout",
        "5",
    ];
    args.extend_from_slice(extra);
    run_topicscope(&args)
}

/// Runs `sub` expecting a failure; returns its stderr.
fn sub_fails(url: &str, extra: &[&str]) -> String {
    let out = sub_once(url, extra);
    let err = text(&out.stderr);
    assert!(
        !out.status.success(),
        "connected to {url} with {extra:?} but should not have; stdout {}",
        text(&out.stdout)
    );
    assert!(err.contains(&format!("cannot connect to {url}")), "{err}");
    err
}

/// The test PKI, or `None` when mosquitto is absent and not required: only then are
/// mosquitto and `openssl` both needed.
fn pki() -> Option<TestPki> {
    common::mosquitto_available().then(TestPki::generate)
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

fn tls_profile(url: String) -> Profile {
    let mut profile = Profile::new("tls test", url);
    profile.subscriptions = vec![Subscription::new("tls/#")];
    profile.connect_timeout_secs = 5;
    profile
}

#[test]
fn pub_and_sub_over_tls_with_the_ca_file() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::tls(&pki.ca, &pki.server)]) else {
        return;
    };
    let url = format!("mqtts://localhost:{}", broker.listener_port(0));
    let ca = path(&pki.ca);
    let out = run_topicscope(&[
        "pub", "--broker", &url, "--cafile", ca, "-t", "tls/a", "-m", "over tls", "-r", "-q", "1",
    ]);
    assert!(out.status.success(), "pub over TLS: {}", text(&out.stderr));

    let out = sub_once(&url, &["--cafile", ca]);
    assert!(out.status.success(), "sub over TLS: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "tls/a over tls\n");
    assert_eq!(text(&out.stderr), "", "no warning when the certificate is checked");

    // The certificate also names 127.0.0.1, and an IP address is checked as such.
    let by_ip = format!("mqtts://127.0.0.1:{}", broker.listener_port(0));
    let out = sub_once(&by_ip, &["--cafile", ca]);
    assert_eq!(text(&out.stdout), "tls/a over tls\n", "{}", text(&out.stderr));
}

#[test]
fn an_untrusted_certificate_is_named_and_insecure_connects_with_a_warning() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::tls(&pki.ca, &pki.server)]) else {
        return;
    };
    seed(&broker, "tls/b", "trusted or not");
    let url = format!("mqtts://localhost:{}", broker.listener_port(0));

    let err = sub_fails(&url, &["--cafile", path(&pki.stranger_ca)]);
    assert!(err.contains("not signed by a trusted CA (unknown issuer)"), "{err}");

    // Without a CA file the system's CAs are used, and none of them signed the test CA.
    let system_has_roots = !rustls_native_certs::load_native_certs().certs.is_empty();
    let err = sub_fails(&url, &[]);
    if system_has_roots {
        assert!(err.contains("unknown issuer"), "{err}");
    } else {
        assert!(err.contains("no trusted CA certificates found on this system"), "{err}");
    }

    let out = sub_once(&url, &["--insecure"]);
    assert!(out.status.success(), "--insecure: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "tls/b trusted or not\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: the broker's TLS certificate is not checked"),
        "--insecure must warn: {err:?}"
    );
}

#[test]
fn a_certificate_for_another_host_name_is_explained() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::tls(&pki.ca, &pki.otherhost)]) else {
        return;
    };
    let url = format!("mqtts://127.0.0.1:{}", broker.listener_port(0));
    let err = sub_fails(&url, &["--cafile", path(&pki.ca)]);
    assert!(
        err.contains("not valid for the host name '127.0.0.1' (it names otherhost)"),
        "{err}"
    );
}

#[test]
fn an_expired_certificate_is_explained() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::tls(&pki.ca, &pki.expired)]) else {
        return;
    };
    pki.wait_until_expired();
    let url = format!("mqtts://localhost:{}", broker.listener_port(0));
    let err = sub_fails(&url, &["--cafile", path(&pki.ca)]);
    assert!(err.contains("the broker's certificate has expired"), "{err}");
}

#[test]
fn mutual_tls_needs_a_client_certificate_the_broker_trusts() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::mutual_tls(&pki.ca, &pki.server)]) else {
        return;
    };
    seed(&broker, "tls/m", "mutual");
    let url = format!("mqtts://localhost:{}", broker.listener_port(0));
    let ca = path(&pki.ca);

    let out = sub_once(
        &url,
        &[
            "--cafile",
            ca,
            "--cert",
            path(&pki.client.cert),
            "--key",
            path(&pki.client.key),
        ],
    );
    assert!(out.status.success(), "with a client certificate: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "tls/m mutual\n");

    let err = sub_fails(&url, &["--cafile", ca]);
    assert!(err.contains("requires a client certificate"), "{err}");

    let stranger = &pki.stranger_client;
    let err = sub_fails(
        &url,
        &[
            "--cafile",
            ca,
            "--cert",
            path(&stranger.cert),
            "--key",
            path(&stranger.key),
        ],
    );
    assert!(err.contains("refused the client certificate"), "{err}");
}

#[test]
fn file_problems_are_reported_before_connecting() {
    // Nothing listens on this port: the errors must come from the files, not the network.
    let url = format!("mqtts://localhost:{}", common::free_port());
    let err = sub_fails(&url, &["--cafile", "/nonexistent/ca.pem"]);
    assert!(err.contains("cannot read the CA file /nonexistent/ca.pem"), "{err}");

    let Some(pki) = pki() else {
        return;
    };
    let err = sub_fails(
        &url,
        &[
            "--cafile",
            path(&pki.ca),
            "--cert",
            path(&pki.client.cert),
            "--key",
            path(&pki.server.key),
        ],
    );
    assert!(
        err.contains("the private key does not belong to the certificate"),
        "{err}"
    );

    let out = run_topicscope(&["sub", "--broker", &url, "--cert", path(&pki.client.cert)]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--key"), "{}", text(&out.stderr));
}

#[test]
fn the_worker_connects_with_a_ca_file_and_a_client_certificate_and_explains_failures() {
    let Some(pki) = pki() else {
        return;
    };
    let listeners = [
        Listener::tls(&pki.ca, &pki.server),
        Listener::mutual_tls(&pki.ca, &pki.server),
    ];
    let Some(broker) = TestBroker::mosquitto_with_listeners(&listeners) else {
        return;
    };
    seed(&broker, "tls/w", "to the worker");

    let mut profile = tls_profile(format!("mqtts://localhost:{}", broker.listener_port(0)));
    profile.tls.ca_file = Some(pki.ca.clone());
    let worker = connect_worker(&profile).unwrap_or_else(|reason| panic!("with the CA file: {reason}"));
    assert_eq!(&next_message(&worker).payload[..], b"to the worker");
    drop(worker);

    profile.tls.ca_file = Some(pki.stranger_ca.clone());
    let reason = connect_worker(&profile).expect_err("a stranger CA must not be trusted");
    assert!(reason.contains("unknown issuer"), "{reason}");

    let mut mutual = tls_profile(format!("mqtts://localhost:{}", broker.listener_port(1)));
    mutual.tls.ca_file = Some(pki.ca.clone());
    let reason = connect_worker(&mutual).expect_err("no client certificate must be refused");
    assert!(reason.contains("requires a client certificate"), "{reason}");

    mutual.tls.client_cert = Some(pki.client.cert.clone());
    mutual.tls.client_key = Some(pki.client.key.clone());
    let worker = connect_worker(&mutual).unwrap_or_else(|reason| panic!("mutual TLS: {reason}"));
    assert_eq!(&next_message(&worker).payload[..], b"to the worker");
}

#[test]
fn secure_websockets_with_the_ca_file_and_insecure() {
    let Some(pki) = pki() else {
        return;
    };
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::secure_websockets(&pki.ca, &pki.server)])
    else {
        return;
    };
    let port = broker.listener_port(0);
    let ca = path(&pki.ca);
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &format!("wss://localhost:{port}"),
        "--cafile",
        ca,
        "-t",
        "tls/ws",
        "-m",
        "over wss",
        "-r",
        "-q",
        "1",
    ]);
    assert!(out.status.success(), "pub over wss: {}", text(&out.stderr));

    let with_path = format!("wss://localhost:{port}/mqtt");
    let out = sub_once(&with_path, &["--cafile", ca]);
    assert!(out.status.success(), "sub over wss: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "tls/ws over wss\n");

    // The same certificate checks, through the websocket client's error path.
    let err = sub_fails(&with_path, &["--cafile", path(&pki.stranger_ca)]);
    assert!(err.contains("unknown issuer"), "{err}");

    let mut profile = tls_profile(with_path);
    profile.tls.allow_invalid_certs = true;
    assert!(profile.certificate_check_skipped());
    let worker = connect_worker(&profile).unwrap_or_else(|reason| panic!("insecure wss: {reason}"));
    assert_eq!(&next_message(&worker).payload[..], b"over wss");
}
