//! Smoke tests of the broker fixtures themselves, and of the embedded broker in-process.

mod common;

use std::time::Duration;

use common::{BrokerKind, TestBroker, brokers, corpus, mqtt_handshake, mqtt_handshake_as};

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

#[test]
fn every_broker_accepts_an_mqtt_connection() {
    let all = brokers();
    assert_eq!(all[0].kind(), BrokerKind::Embedded);
    for broker in &all {
        assert!(broker.url().starts_with("mqtt://127.0.0.1:"), "{}", broker.url());
        mqtt_handshake(broker.addr(), PROBE_TIMEOUT).unwrap_or_else(|e| panic!("{} broker: {e}", broker.kind_name()));
    }
}

#[test]
fn a_broker_restarts_on_the_same_port() {
    for mut broker in brokers() {
        let port = broker.port();
        broker.stop();
        assert!(!broker.is_running());
        assert!(
            mqtt_handshake(broker.addr(), PROBE_TIMEOUT).is_err(),
            "{} broker still answers after stop",
            broker.kind_name()
        );
        broker.restart();
        assert_eq!(broker.port(), port);
        assert!(broker.is_running());
        mqtt_handshake(broker.addr(), PROBE_TIMEOUT)
            .unwrap_or_else(|e| panic!("{} broker after restart: {e}", broker.kind_name()));
    }
}

/// rumqttd frees a connection's id when its router reads the DISCONNECT and hands it to the
/// next client at once; the end of stream its link read after that used to reach the
/// router as a second disconnection of the same id, dropping whichever client had just
/// been given it (CI once saw `clear retained below`'s second probe closed that way). The
/// front now holds the connection until rumqttd closes it: one disconnection per client.
#[test]
fn a_clean_disconnect_reaches_rumqttd_once() {
    const CLIENTS: usize = 20;
    let broker = TestBroker::embedded_logging("rumqttd=info");
    for _ in 0..CLIENTS {
        mqtt_handshake(broker.addr(), PROBE_TIMEOUT).expect("connect, then DISCONNECT and close");
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while broker.log().matches("Disconnecting connection").count() < CLIENTS {
        assert!(
            std::time::Instant::now() < deadline,
            "rumqttd did not log the disconnections:\n{}",
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A second disconnection would follow the first within a millisecond.
    std::thread::sleep(Duration::from_millis(300));
    let log = broker.log();
    let twice = log.matches("is already gone").count();
    assert_eq!(twice, 0, "{twice} disconnections reached rumqttd twice:\n{log}");
}

#[test]
fn dropping_a_broker_frees_its_port() {
    let broker = TestBroker::embedded();
    let addr = broker.addr();
    drop(broker);
    assert!(mqtt_handshake(addr, PROBE_TIMEOUT).is_err());
}

#[test]
fn a_password_protected_mosquitto_refuses_strangers() {
    let Some(mut broker) = TestBroker::mosquitto_with_password("esp", "right") else {
        return;
    };
    assert_eq!(broker.credentials(), Some(("esp", "right")));
    mqtt_handshake_as(broker.addr(), Some(("esp", "right")), PROBE_TIMEOUT).expect("log in");
    assert!(mqtt_handshake(broker.addr(), PROBE_TIMEOUT).is_err());
    assert!(mqtt_handshake_as(broker.addr(), Some(("esp", "wrong")), PROBE_TIMEOUT).is_err());
    broker.restart();
    mqtt_handshake_as(broker.addr(), Some(("esp", "right")), PROBE_TIMEOUT).expect("after restart");
}

#[test]
fn the_corpus_loads() {
    let entries = corpus();
    assert!(entries.len() > 40, "{} entries", entries.len());
    assert!(entries.iter().any(|e| e.retain));
    assert!(entries.iter().any(|e| std::str::from_utf8(&e.payload).is_err()));
}

#[cfg(feature = "broker")]
mod in_process {
    use super::*;
    use topicscope::broker::{BrokerError, EmbeddedBrokerConfig, start_embedded};

    #[test]
    fn start_embedded_picks_a_free_port_and_answers() {
        let broker = start_embedded(EmbeddedBrokerConfig::default()).expect("start");
        assert_ne!(broker.port(), 0);
        assert_eq!(broker.url(), format!("mqtt://127.0.0.1:{}", broker.port()));
        assert!(broker.running());
        mqtt_handshake(broker.addr, PROBE_TIMEOUT).expect("CONNECT to the embedded broker");
    }

    #[test]
    fn start_embedded_serves_mqtt_5_on_its_own_port() {
        let cfg = EmbeddedBrokerConfig {
            bind_v5: Some("127.0.0.1:0".parse().unwrap()),
            ..EmbeddedBrokerConfig::default()
        };
        let broker = start_embedded(cfg).expect("start");
        let v5 = broker.v5_addr.expect("v5 listener");
        assert_ne!(v5.port(), broker.port());
        topicscope::broker::mqtt_handshake(v5, 5, PROBE_TIMEOUT).expect("MQTT 5 CONNECT");
    }

    #[test]
    fn start_embedded_refuses_a_taken_port() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let cfg = EmbeddedBrokerConfig {
            bind: taken.local_addr().unwrap(),
            ..EmbeddedBrokerConfig::default()
        };
        match start_embedded(cfg) {
            Err(BrokerError::Bind { .. }) => {}
            other => panic!("expected a bind error, got {other:?}"),
        }
    }
}
