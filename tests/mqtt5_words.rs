//! MQTT 5 connection failures read as the same sentences as MQTT 3.1.1 (issue 12): TLS
//! certificate problems, a TLS port that is not one, a connection reset by the broker.
//! They used to be raw rustls / I/O text ("malformed packet from the broker: IO: …").

mod common;
mod fake_broker;

use std::time::Duration;

use common::pki::TestPki;
use common::worker_fixture::{profile_for_url, wait_for};
use common::{Listener, TestBroker};
use fake_broker::{FakeBroker, Peer};
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::{MqttVersion, Profile};

/// The reason of the first failed attempt with `profile` in each protocol version (run
/// side by side).
fn first_failure_in_both_versions(profile: &Profile) -> (String, String) {
    let run = |version| {
        let mut p: Profile = profile.clone();
        p.mqtt_version = version;
        let worker = WorkerHandle::spawn(None).expect("worker");
        worker.send_blocking(Command::Connect(Box::new(p))).expect("connect");
        let mut reason = String::new();
        wait_for(&worker, "the first failure", |ev| match ev {
            Event::State(ConnectionState::Reconnecting { reason: r, .. }) => {
                reason = r.clone();
                true
            }
            _ => false,
        });
        reason
    };
    std::thread::scope(|scope| {
        let v3 = scope.spawn(|| run(MqttVersion::V311));
        let v5 = run(MqttVersion::V5);
        (v3.join().expect("MQTT 3.1.1 run"), v5)
    })
}

#[test]
fn a_reset_connection_reads_the_same_in_both_versions() {
    let broker = FakeBroker::start(|peer: &mut Peer, _| {
        peer.read_connect()?;
        peer.connack()?;
        // Close with the client's PINGREQ unread: the kernel answers with a reset.
        std::thread::sleep(Duration::from_millis(6500));
        Ok(())
    });
    let mut p = profile_for_url("reset", &broker.url(), &[]);
    // The shortest rumqttc's MQTT 5 client takes.
    p.keep_alive_secs = 5;
    let (v3, v5) = first_failure_in_both_versions(&p);
    assert_eq!(v3, "connection reset by the broker");
    assert_eq!(v5, v3);
}

#[test]
fn tls_failures_read_the_same_in_both_versions() {
    if !common::mosquitto_available() {
        return;
    }
    let pki = TestPki::generate();
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::tls(&pki.ca, &pki.server)]) else {
        return;
    };
    let mut untrusted = profile_for_url("tls", &format!("mqtts://localhost:{}", broker.listener_port(0)), &[]);
    untrusted.tls.ca_file = Some(pki.stranger_ca.clone());
    let (v3, v5) = first_failure_in_both_versions(&untrusted);
    assert!(v3.contains("not signed by a trusted CA (unknown issuer)"), "{v3}");
    assert_eq!(v5, v3);

    // TLS spoken to the plain MQTT port.
    let mut plain = profile_for_url("tls", &format!("mqtts://localhost:{}", broker.port()), &[]);
    plain.tls.ca_file = Some(pki.ca.clone());
    let (v3, v5) = first_failure_in_both_versions(&plain);
    assert!(v3.contains("TLS"), "{v3}");
    assert_eq!(v5, v3);
}
