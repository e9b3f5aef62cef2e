//! `$SYS` parsing on each broker's output (`tests/data/sys/`): a live mosquitto
//! recording and the other brokers' documented trees, plus the silence verdict.

use super::*;

/// Feeds a fixture (topic TAB payload per line) to a new [`BrokerSys`] from t = 1000 s.
/// `#+N` moves the clock N s on; without it, a topic seen again starts the broker's
/// next round, one second later (the recordings ran with a 1 s `$SYS` interval).
fn replay(text: &str) -> BrokerSys {
    let mut sys = BrokerSys::default();
    let mut t = 1000.0;
    let mut round = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(step) = line.strip_prefix("#+") {
            t += step.trim().parse::<f64>().expect("a clock step in seconds");
            round.clear();
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (topic, payload) = line.split_once('\t').expect("topic TAB payload");
        if !round.insert(topic) {
            t += 1.0;
            round.clear();
            round.insert(topic);
        }
        sys.ingest(topic, payload.as_bytes(), t);
    }
    sys
}

const MOSQUITTO: &str = include_str!("../../../tests/data/sys/mosquitto-2.0.11.txt");
const EMQX: &str = include_str!("../../../tests/data/sys/emqx-5.txt");
const VERNEMQ: &str = include_str!("../../../tests/data/sys/vernemq-1.txt");
const NANOMQ: &str = include_str!("../../../tests/data/sys/nanomq.txt");
const AMQTT: &str = include_str!("../../../tests/data/sys/amqtt-0.12.1.txt");
const AEDES: &str = include_str!("../../../tests/data/sys/aedes-0.51.3.txt");

/// The last payload of `topic` in a fixture, as a number.
fn last_number(text: &str, topic: &str) -> f64 {
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .rfind(|(t, _)| *t == topic)
        .and_then(|(_, p)| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("{topic} is in the fixture"))
}

#[test]
fn a_live_mosquitto_recording_reads_whole() {
    let sys = replay(MOSQUITTO);
    assert_eq!(sys.kind(), Some(BrokerKind::Mosquitto));
    let s = sys.stats();
    assert_eq!(s.version.as_deref(), Some("mosquitto version 2.0.11"));
    assert!(s.uptime_secs.is_some_and(|u| u >= 2));
    let at = |rest: &str| last_number(MOSQUITTO, &format!("$SYS/broker/{rest}"));
    assert_eq!(s.value(Metric::Retained), Some(at("retained messages/count")));
    assert_eq!(s.value(Metric::Subscriptions), Some(at("subscriptions/count")));
    assert_eq!(s.value(Metric::ClientsConnected), Some(at("clients/connected")));
    assert_eq!(s.value(Metric::ClientsMax), Some(at("clients/maximum")));
    assert_eq!(s.value(Metric::MessagesReceived), Some(at("publish/messages/received")));
    assert_eq!(s.value(Metric::MessagesSent), Some(at("publish/messages/sent")));
    assert_eq!(s.value(Metric::BytesSent), Some(at("bytes/sent")));
    assert_eq!(s.value(Metric::HeapBytes), Some(at("heap/current")));
    // The rates are mosquitto's own one-minute averages, per second.
    let load = at("load/publish/received/1min");
    assert!((s.rate(Flow::MessagesIn).unwrap() - load / 60.0).abs() < 1e-9);
    assert!(s.rate_is_brokers(Flow::MessagesIn));
    let load = at("load/bytes/sent/1min");
    assert!((s.rate(Flow::BytesOut).unwrap() - load / 60.0).abs() < 1e-9);
    assert!(sys.load(Flow::MessagesIn).is_some_and(|l| !l.is_empty()));
    assert_eq!(sys.state(5000.0, true), SysState::Publishing);
}

#[test]
fn emqx_is_recognised_and_its_rates_come_from_its_totals() {
    let sys = replay(EMQX);
    assert_eq!(sys.kind(), Some(BrokerKind::Emqx));
    let s = sys.stats();
    assert_eq!(s.version.as_deref(), Some("5.8.0"));
    assert_eq!(s.description.as_deref(), Some("EMQX"));
    assert_eq!(s.node.as_deref(), Some("emqx@127.0.0.1"));
    assert_eq!(s.uptime_secs, Some(86_400 + 2 * 3600 + 4 * 60 + 4));
    assert_eq!(s.value(Metric::ClientsConnected), Some(4.0));
    assert_eq!(s.value(Metric::ClientsMax), Some(5.0));
    assert_eq!(s.value(Metric::Retained), Some(7.0));
    assert_eq!(s.value(Metric::Subscriptions), Some(12.0));
    // 600 messages in 60 s.
    assert_eq!(s.rate(Flow::MessagesIn), Some(10.0));
    assert_eq!(s.rate(Flow::BytesIn), Some(500.0));
    assert!(!s.rate_is_brokers(Flow::MessagesIn));
}

#[test]
fn vernemq_is_recognised_by_its_erlang_node() {
    let sys = replay(VERNEMQ);
    assert_eq!(sys.kind(), Some(BrokerKind::VerneMq));
    let s = sys.stats();
    assert_eq!(s.node.as_deref(), Some("VerneMQ@127.0.0.1"));
    assert_eq!(s.value(Metric::Subscriptions), Some(9.0));
    assert_eq!(s.value(Metric::Retained), Some(4.0));
    assert_eq!(s.value(Metric::ClientsConnected), Some(2.0));
    assert_eq!(s.rate(Flow::MessagesIn), Some(10.0));
    assert_eq!(s.rate(Flow::MessagesOut), Some(2.0));
}

#[test]
fn nanomq_is_recognised_and_has_no_figures() {
    let sys = replay(NANOMQ);
    assert_eq!(sys.kind(), Some(BrokerKind::NanoMq));
    assert_eq!(sys.stats(), &BrokerStats::default());
}

#[test]
fn a_live_amqtt_recording_reads_as_mosquitto_like() {
    let sys = replay(AMQTT);
    assert_eq!(sys.kind(), Some(BrokerKind::MosquittoLike));
    let s = sys.stats();
    assert_eq!(s.version.as_deref(), Some("aMQTT version 0.12.1"));
    let at = |rest: &str| last_number(AMQTT, &format!("$SYS/broker/{rest}"));
    assert_eq!(s.uptime_secs, Some(at("uptime") as u64));
    assert_eq!(s.value(Metric::Retained), Some(at("messages/retained/count")));
    assert_eq!(s.value(Metric::Subscriptions), Some(at("messages/subscriptions/count")));
    assert_eq!(s.value(Metric::BytesReceived), Some(at("load/bytes/received")));
    assert_eq!(s.value(Metric::MessagesReceived), Some(at("messages/publish/received")));
    assert_eq!(s.value(Metric::ClientsTotal), Some(at("clients/total")));
    // No load figures: the rates come from the totals between rounds (in the last
    // round the publishers had left; `$SYS` itself still flowed out).
    assert_eq!(s.rate(Flow::BytesIn), Some(0.0), "{:?}", s.rates);
    assert!(s.rate(Flow::BytesOut).is_some_and(|r| r > 0.0), "{:?}", s.rates);
    assert!(!s.rate_is_brokers(Flow::BytesIn));
}

#[test]
fn a_live_aedes_recording_is_recognised_as_events_only() {
    let sys = replay(AEDES);
    assert_eq!(sys.kind(), Some(BrokerKind::Aedes));
    assert!(sys.kind().is_some_and(BrokerKind::events_only));
    let s = sys.stats();
    assert_eq!(s.node.as_deref(), Some("58854bb7-d20d-484e-8911-aead4c62f669"));
    assert!(s.values.is_empty() && s.rates.is_empty() && s.version.is_none());
    assert_eq!(sys.state(2000.0, true), SysState::Publishing);
}

#[test]
fn a_broker_without_sys_is_called_silent_only_after_the_wait() {
    let mut sys = BrokerSys::default();
    assert_eq!(sys.state(0.0, false), SysState::NotSubscribed);
    assert!(matches!(sys.state(0.0, true), SysState::Waiting { .. }));
    sys.sys_granted(100.0);
    assert_eq!(
        sys.state(110.0, true),
        SysState::Waiting {
            secs_left: SILENCE_SECS - 10.0
        }
    );
    assert_eq!(sys.state(100.0 + SILENCE_SECS, true), SysState::Silent);
    // A reconnect starts the wait again.
    sys.sys_gone();
    assert!(matches!(sys.state(500.0, true), SysState::Waiting { .. }));
    // One `$SYS` message and it publishes, whatever the wait.
    sys.ingest("$SYS/broker/uptime", b"5 seconds", 600.0);
    assert_eq!(sys.state(600.0, true), SysState::Publishing);
    // Unsubscribed, the figures would go stale: that is said first.
    assert_eq!(sys.state(600.0, false), SysState::NotSubscribed);
}

#[test]
fn other_dollar_topics_and_unknown_trees_change_nothing() {
    let mut sys = BrokerSys::default();
    sys.ingest("$share/g/x", b"1", 1.0);
    assert_eq!(sys.messages(), 0);
    sys.ingest("$SYS/something/else", b"1", 1.0);
    assert_eq!(sys.messages(), 1);
    assert_eq!(sys.kind(), None);
    assert!(filter_covers_sys("$SYS/#"));
    assert!(filter_covers_sys("$SYS/broker/+"));
    assert!(!filter_covers_sys("#"));
    assert!(!filter_covers_sys("+/broker/#"));
}

#[test]
fn amqtt_style_trees_are_mosquitto_like_until_a_version_says_mosquitto() {
    let mut sys = BrokerSys::default();
    sys.ingest("$SYS/broker/uptime", b"12", 1.0);
    assert_eq!(sys.kind(), Some(BrokerKind::MosquittoLike));
    sys.ingest("$SYS/broker/version", b"amqtt version 0.11.0", 1.0);
    assert_eq!(sys.kind(), Some(BrokerKind::MosquittoLike));
    sys.ingest("$SYS/broker/version", b"mosquitto version 2.0.18", 2.0);
    assert_eq!(sys.kind(), Some(BrokerKind::Mosquitto));
}
