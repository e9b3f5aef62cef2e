//! The worker against mosquitto with limits (issue 12): a publish over `max_packet_size`
//! fails alone, with its size, is not re-sent, and leaves the connection and its
//! subscriptions as they were; clearing the retained messages below a subtree finds
//! those published while connected (delivered with retain=0) and confirms none is left.
//! A QoS 0 publish the broker hangs up on turns from "sent" into failed, in the worker's
//! events and in the window's publish history.

mod common;

use std::time::{Duration, Instant};

use common::window::{connected_app, step_until};
use common::worker_fixture::{connect, profile, publish, wait_for};
use common::{BrokerKind, TestBroker, brokers};
use topicscope::mqtt::{ClearReport, Command, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::MqttVersion;

/// Every event for `limit`.
fn events_for(worker: &WorkerHandle, limit: Duration) -> Vec<Event> {
    let deadline = Instant::now() + limit;
    let mut out = Vec::new();
    while let Ok(ev) = worker.events.recv_deadline(deadline) {
        out.push(ev);
    }
    out
}

fn count(events: &[Event], what: impl Fn(&Event) -> bool) -> usize {
    events.iter().filter(|ev| what(ev)).count()
}

/// Publishes 3,000 bytes at QoS 1 to a broker taking at most 2,048 per packet, then a
/// small message; returns the events of the few seconds after the big one.
fn oversize_publish(version: MqttVersion, clean_session: bool) -> Option<(Vec<Event>, String)> {
    let broker = TestBroker::mosquitto_with_conf("max_packet_size 2048")?;
    let worker = WorkerHandle::spawn(None).expect("worker");
    let mut p = profile(&broker, &[("limits/#", 1), ("$SYS/#", 0)]);
    p.mqtt_version = version;
    p.clean_session = clean_session;
    worker.send_blocking(Command::Connect(Box::new(p))).expect("connect");
    let mut granted = 0;
    wait_for(&worker, "both subscriptions granted", |ev| {
        granted += usize::from(matches!(ev, Event::Subscribed { .. }));
        granted == 2
    });
    publish(&worker, 1, "limits/big", vec![b'x'; 3000], 1, false);
    // Long enough for a reconnect loop to show (the old one made two a second).
    let mut events = events_for(&worker, Duration::from_secs(4));
    publish(&worker, 2, "limits/small", "fits", 1, false);
    wait_for(&worker, "the small publish acknowledged and received", |ev| {
        events.push(ev.clone());
        events.iter().any(|e| matches!(e, Event::PublishAcked { id: 2 }))
            && events
                .iter()
                .any(|e| matches!(e, Event::Messages(batch) if batch.iter().any(|m| m.topic == "limits/small")))
    });
    let failed = events
        .iter()
        .find_map(|ev| match ev {
            Event::PublishFailed { id: 1, reason } => Some(reason.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the big publish did not fail: {events:#?}"));
    Some((events, failed))
}

fn assert_subscriptions_kept(events: &[Event]) {
    assert_eq!(
        count(events, |ev| matches!(ev, Event::SubscribeFailed { .. })),
        0,
        "no subscription is blamed: {events:#?}"
    );
    assert!(
        !events.iter().any(|ev| matches!(ev, Event::PublishAcked { id: 1 })),
        "{events:#?}"
    );
}

#[test]
fn an_mqtt_3_publish_over_max_packet_size_fails_alone_and_is_not_re_sent() {
    let Some((events, failed)) = oversize_publish(MqttVersion::V311, true) else {
        return;
    };
    // MQTT 3.1.1 has no way to say the limit: mosquitto hangs up on the publish.
    assert!(failed.contains("3,000 bytes"), "{failed}");
    assert!(failed.contains("not sent again"), "{failed}");
    let reconnects = count(&events, |ev| {
        matches!(ev, Event::State(ConnectionState::Reconnecting { .. }))
    });
    assert_eq!(reconnects, 1, "one hang-up, no loop: {events:#?}");
    assert_subscriptions_kept(&events);
    // Re-subscribed after the one reconnect.
    assert!(
        events
            .iter()
            .any(|ev| matches!(ev, Event::Subscribed { filter, .. } if filter == "limits/#")),
        "{events:#?}"
    );
}

#[test]
fn in_a_kept_session_the_oversize_publish_is_not_re_sent_either() {
    // The broker keeps the session, so rumqttc would re-send the publish by itself.
    let Some((events, failed)) = oversize_publish(MqttVersion::V311, false) else {
        return;
    };
    assert!(failed.contains("3,000 bytes"), "{failed}");
    let reconnects = count(&events, |ev| {
        matches!(ev, Event::State(ConnectionState::Reconnecting { .. }))
    });
    assert_eq!(reconnects, 1, "one hang-up, no loop: {events:#?}");
    assert_subscriptions_kept(&events);
}

#[test]
fn an_mqtt_5_publish_over_the_advertised_maximum_is_not_sent() {
    let Some((events, failed)) = oversize_publish(MqttVersion::V5, true) else {
        return;
    };
    // Mosquitto states its maximum in the CONNACK: checked before sending.
    assert!(
        failed.contains("3,000 bytes") && failed.contains("more than this broker accepts (2,048 bytes"),
        "{failed}"
    );
    let reconnects = count(&events, |ev| {
        matches!(ev, Event::State(ConnectionState::Reconnecting { .. }))
    });
    assert_eq!(reconnects, 0, "the connection stays up: {events:#?}");
    assert_subscriptions_kept(&events);
}

fn clear_below(worker: &WorkerHandle, filter: &str) -> ClearReport {
    worker
        .send_blocking(Command::ClearRetainedBelow { filter: filter.into() })
        .expect("clear");
    let mut report = None;
    wait_for(worker, "the clear report", |ev| {
        if let Event::RetainedCleared(r) = ev {
            report = Some(r.clone());
        }
        report.is_some()
    });
    report.expect("report")
}

#[test]
fn clear_retained_below_finds_messages_retained_while_connected() {
    for broker in brokers() {
        let name = broker.kind_name();
        let watcher = connect(&broker, &[("home/#", 0)]);
        let topics = ["home/a", "home/b/c", "home/d", "home/e/f/g"];
        for (i, topic) in topics.iter().enumerate() {
            publish(&watcher, i as u64 + 1, topic, "on", 1, true);
        }
        publish(&watcher, 9, "elsewhere/kept", "on", 1, true);
        let mut seen = Vec::new();
        wait_for(&watcher, "the four messages", |ev| {
            if let Event::Messages(batch) = ev {
                seen.extend(batch.iter().map(|m| (m.topic.clone(), m.retain)));
            }
            seen.len() >= topics.len()
        });
        if broker.kind() == BrokerKind::Mosquitto {
            // The premise: MQTT 3.1.1 delivered them all with retain=0.
            assert!(seen.iter().all(|(_, retain)| !retain), "{seen:?}");
        }

        let report = clear_below(&watcher, "home/#");
        assert_eq!(report.cleared.len(), 4, "{name}: {report:?}");
        assert!(report.complete(), "{name}: {report:?}");
        assert_eq!(
            report.to_string(),
            "cleared 4 retained messages under home/#; none left",
            "{name}"
        );

        // A fresh subscriber finds nothing retained under home/, and the rest untouched.
        let reader = connect(&broker, &[("#", 0)]);
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut retained = Vec::new();
        while let Ok(ev) = reader.events.recv_deadline(deadline) {
            if let Event::Messages(batch) = ev {
                retained.extend(batch.into_iter().filter(|m| m.retain).map(|m| m.topic));
            }
        }
        assert_eq!(retained, vec!["elsewhere/kept".to_owned()], "{name}");
        assert_eq!(
            clear_below(&watcher, "home/#").to_string(),
            "no retained messages under home/#",
            "{name}"
        );
    }
}

#[test]
fn an_mqtt_3_qos_0_publish_over_max_packet_size_turns_from_sent_into_failed() {
    let Some(broker) = TestBroker::mosquitto_with_conf("max_packet_size 2048") else {
        return;
    };
    let worker = connect(&broker, &[("limits/#", 0)]);
    publish(&worker, 7, "limits/big", vec![b'x'; 3000], 0, false);
    let events = events_for(&worker, Duration::from_secs(3));
    let sent = events.iter().position(|ev| matches!(ev, Event::PublishSent { id: 7 }));
    let failed = events
        .iter()
        .position(|ev| matches!(ev, Event::PublishFailed { id: 7, .. }));
    assert!(
        matches!((sent, failed), (Some(s), Some(f)) if s < f),
        "sent, then failed: {events:#?}"
    );
    let Some(Event::PublishFailed { reason, .. }) = failed.map(|i| &events[i]) else {
        unreachable!()
    };
    assert!(
        reason.contains("3,000 bytes") && reason.contains("limits/big") && reason.contains("not sent again"),
        "{reason}"
    );
    assert!(
        !events.iter().any(|ev| matches!(ev, Event::Error(_))),
        "reported once, as the publish's failure: {events:#?}"
    );
}

#[test]
fn in_the_window_a_qos_0_oversize_publish_ends_as_failed_in_the_publish_history() {
    let Some(broker) = TestBroker::mosquitto_with_conf("max_packet_size 2048") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    // Through the window's own publish path (what the panel's button calls): a 3,000
    // character payload makes the panel taller than the test window.
    h.state_mut()
        .state
        .publish("limits/big", vec![b'x'; 3000].into(), 0, false, "text", None)
        .expect("published");
    step_until(&mut h, "the publish recorded as failed", |h| {
        h.state()
            .state
            .publish_history
            .records
            .first()
            .is_some_and(|r| r.outcome.starts_with("failed"))
    });
    let record = &h.state().state.publish_history.records[0];
    assert_eq!(record.topic, "limits/big");
    assert!(record.outcome.contains("3,000 bytes"), "{}", record.outcome);
    let last = h.state().state.conn().last_publish.clone();
    assert!(
        matches!(&last, Some((_, topicscope::app::PublishOutcome::Failed(r))) if r.contains("3,000 bytes")),
        "{last:?}"
    );
}
