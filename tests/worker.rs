//! The MQTT worker and the model against real brokers on 127.0.0.1: the embedded broker
//! always, mosquitto when installed (required in CI). Every scenario runs on each.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::worker_fixture::{collect, connect, profile, publish, wait_for};
use common::{TestBroker, brokers, corpus};
use topicscope::model::{Message, Model};
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};

#[test]
fn publish_and_receive_at_each_qos_with_acknowledgements() {
    for broker in brokers() {
        let worker = connect(&broker, &[("qos/#", 2)]);
        for qos in 0..=2u8 {
            publish(
                &worker,
                u64::from(qos) + 1,
                &format!("qos/{qos}"),
                format!("payload {qos}"),
                qos,
                false,
            );
        }
        let mut outcomes = HashMap::new();
        let mut received = Vec::new();
        wait_for(&worker, "3 outcomes and 3 messages", |ev| {
            match ev {
                Event::PublishSent { id } => {
                    outcomes.insert(*id, "sent");
                }
                Event::PublishAcked { id } => {
                    outcomes.insert(*id, "acked");
                }
                Event::PublishFailed { id, reason } => panic!("{}: publish {id} failed: {reason}", broker.kind_name()),
                Event::Messages(batch) => received.extend(batch.iter().cloned()),
                _ => {}
            }
            outcomes.len() == 3 && received.len() == 3
        });
        assert_eq!(outcomes[&1], "sent", "{}", broker.kind_name());
        assert_eq!(outcomes[&2], "acked", "{}", broker.kind_name());
        assert_eq!(outcomes[&3], "acked", "{}", broker.kind_name());
        received.sort_by(|a, b| a.topic.cmp(&b.topic));
        for (qos, msg) in received.iter().enumerate() {
            assert_eq!(msg.topic, format!("qos/{qos}"));
            assert_eq!(&msg.payload[..], format!("payload {qos}").as_bytes());
            // rumqttd 0.20 delivers at the subscription's QoS (2), not min(publish, subscription).
            let expected = match broker.kind() {
                common::BrokerKind::Embedded => 2,
                common::BrokerKind::Mosquitto => qos,
                common::BrokerKind::RabbitMq => unreachable!("brokers() has no RabbitMQ"),
            };
            assert_eq!(msg.qos as usize, expected, "{}: delivered QoS", broker.kind_name());
        }
    }
}

#[test]
fn retained_messages_are_delivered_on_subscribe_and_can_be_cleared() {
    for broker in brokers() {
        let publisher = connect(&broker, &[]);
        publish(&publisher, 1, "keep/me", "retained value", 1, true);
        wait_for(&publisher, "ack", |ev| matches!(ev, Event::PublishAcked { id: 1 }));

        let late = connect(&broker, &[("keep/#", 1)]);
        let got = collect(&late, 1);
        assert_eq!(got[0].topic, "keep/me");
        assert!(
            got[0].retain,
            "{}: a late subscriber sees the retained flag",
            broker.kind_name()
        );
        assert_eq!(&got[0].payload[..], b"retained value");

        late.send_blocking(Command::ClearRetained {
            topics: vec!["keep/me".into()],
        })
        .unwrap();
        // The clear itself comes back on the live subscription as an empty message.
        let cleared = collect(&late, 1);
        assert!(cleared[0].payload.is_empty());
        drop(late);

        let after = connect(&broker, &[("keep/#", 1)]);
        let deadline = Instant::now() + Duration::from_millis(1500);
        while let Ok(ev) = after.events.recv_deadline(deadline) {
            if let Event::Messages(batch) = ev {
                assert!(
                    batch.iter().all(|m| m.payload.is_empty()),
                    "{}: retained message still delivered after clearing",
                    broker.kind_name()
                );
            }
        }
    }
}

#[test]
fn five_mib_and_binary_payloads_round_trip_byte_identical() {
    let big: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let binary: Vec<u8> = (0..=255u8).collect();
    for broker in brokers() {
        let worker = connect(&broker, &[("big/#", 1)]);
        publish(&worker, 1, "big/blob", big.clone(), 1, false);
        publish(&worker, 2, "big/binary", binary.clone(), 1, false);
        let got = collect(&worker, 2);
        let by_topic: HashMap<&str, &Message> = got.iter().map(|m| (m.topic.as_str(), m)).collect();
        assert_eq!(by_topic["big/blob"].payload.len(), big.len(), "{}", broker.kind_name());
        assert!(
            by_topic["big/blob"].payload[..] == big[..],
            "{}: 5 MiB payload changed",
            broker.kind_name()
        );
        assert_eq!(&by_topic["big/binary"].payload[..], &binary[..]);
    }
}

#[test]
fn every_corpus_message_arrives_identical_and_lands_in_the_right_node() {
    // Brokers do not deliver client publishes on $SYS to a `#` subscriber.
    let entries: Vec<_> = corpus().into_iter().filter(|e| !e.topic.starts_with('$')).collect();
    for broker in brokers() {
        let worker = connect(&broker, &[("#", 1)]);
        for (i, e) in entries.iter().enumerate() {
            publish(&worker, i as u64 + 1, &e.topic, e.payload.clone(), 1, false);
        }
        let got = collect(&worker, entries.len());
        let mut model = Model::default();
        for m in got.iter().cloned() {
            model.ingest(m);
        }
        for e in &entries {
            let m = got
                .iter()
                .find(|m| m.topic == e.topic)
                .unwrap_or_else(|| panic!("{}: {} missing", broker.kind_name(), e.topic));
            assert_eq!(
                &m.payload[..],
                &e.payload[..],
                "{}: payload of {} changed",
                broker.kind_name(),
                e.topic
            );
            let id = model
                .tree()
                .find(&e.topic)
                .unwrap_or_else(|| panic!("no node for {}", e.topic));
            assert_eq!(model.tree().full_topic(id), e.topic);
            let expected = entries.iter().filter(|x| x.topic == e.topic).count() as u64;
            assert_eq!(model.tree().node(id).own_messages(), expected, "count of {}", e.topic);
        }
        let distinct: std::collections::HashSet<&str> = entries.iter().map(|e| e.topic.as_str()).collect();
        assert_eq!(model.tree().topic_count(), distinct.len(), "{}", broker.kind_name());
        assert_eq!(model.total_messages(), entries.len() as u64);
    }
}

#[test]
fn reconnects_after_a_broker_restart_and_restores_subscriptions() {
    for mut broker in brokers() {
        let worker = connect(&broker, &[("restart/#", 1)]);
        broker.restart();
        let mut saw_reconnecting = false;
        wait_for(&worker, "reconnecting then connected", |ev| {
            match ev {
                Event::State(ConnectionState::Reconnecting { reason, .. }) => {
                    assert!(!reason.is_empty());
                    saw_reconnecting = true;
                }
                Event::State(ConnectionState::Connected { .. }) => return saw_reconnecting,
                _ => {}
            }
            false
        });
        wait_for(&worker, "re-subscribed", |ev| matches!(ev, Event::Subscribed { .. }));
        let other = connect(&broker, &[]);
        publish(&other, 1, "restart/after", "hello again", 1, false);
        let got = collect(&worker, 1);
        assert_eq!(got[0].topic, "restart/after", "{}", broker.kind_name());
    }
}

#[test]
fn with_the_broker_down_attempts_back_off() {
    let mut broker = TestBroker::embedded();
    let p = profile(&broker, &[("#", 0)]);
    broker.stop();
    let worker = WorkerHandle::spawn(None).unwrap();
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    let start = Instant::now();
    let mut attempts = 0;
    let mut delays = Vec::new();
    while start.elapsed() < Duration::from_secs(4) {
        if let Ok(Event::State(ConnectionState::Reconnecting { retry_in, reason, .. })) =
            worker.events.recv_timeout(Duration::from_millis(100))
        {
            attempts += 1;
            delays.push(retry_in);
            assert!(reason.contains("refused"), "reason in words: {reason}");
        }
    }
    // 0.5 s, 1 s, 2 s (±20 %) fit in 4 s: three or four attempts, not thousands.
    assert!((2..=5).contains(&attempts), "{attempts} attempts in 4 s: {delays:?}");
    assert!(delays.windows(2).all(|w| w[1] > w[0]), "delays grow: {delays:?}");
}

#[test]
fn publishing_under_an_inbound_flood_does_not_deadlock() {
    for broker in brokers() {
        let flooder = connect(&broker, &[]);
        let worker = connect(&broker, &[("flood/#", 0)]);
        for i in 0..20_000u64 {
            publish(&flooder, 0, &format!("flood/{}", i % 100), vec![b'x'; 100], 0, false);
        }
        // Publish from the flooded client while it is still receiving, without reading its
        // events for a while (its queues fill up).
        for i in 0..50u64 {
            publish(&worker, i + 1, "flood/reply", "pong", 1, false);
        }
        let mut acked = 0;
        wait_for(&worker, "50 acks under flood", |ev| {
            if let Event::PublishAcked { .. } = ev {
                acked += 1;
            }
            acked == 50
        });
    }
}
