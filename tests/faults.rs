//! Faults against a real mosquitto on 127.0.0.1: the broker killed mid-flood and
//! restarted ten times, the broker frozen (SIGSTOP) and resumed, and QoS 1/2 publishes
//! made while it is down. Topicscope must reconnect with backoff, re-subscribe, keep
//! its history, and account for every publish (delivered or reported failed).

mod common;

use std::cell::Cell;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::TestBroker;
use common::worker_fixture::{connect, profile, publish, wait_for};
use topicscope::model::Model;
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};

/// Ingests messages from `worker` into `model` and hands every other event to `other`
/// until `done` holds; panics after `limit`.
fn pump(
    worker: &WorkerHandle,
    model: &mut Model,
    limit: Duration,
    what: &str,
    mut other: impl FnMut(&Event),
    mut done: impl FnMut(&Model) -> bool,
) {
    let deadline = Instant::now() + limit;
    while !done(model) {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::Messages(batch)) => batch.into_iter().for_each(|m| {
                model.ingest(m);
            }),
            Ok(ev) => other(&ev),
            Err(_) => panic!("timed out after {limit:?} waiting for {what}"),
        }
    }
}

#[test]
fn ten_broker_crashes_mid_flood_reconnect_resubscribe_and_keep_history() {
    let Some(mut broker) = TestBroker::mosquitto() else {
        return;
    };
    let watcher = connect(&broker, &[("crash/#", 1)]);
    let mut model = Model::default();
    for round in 0..10 {
        let flooder = connect(&broker, &[]);
        for i in 0..2_000u64 {
            publish(
                &flooder,
                0,
                &format!("crash/r{round}/{}", i % 50),
                vec![b'x'; 64],
                0,
                false,
            );
        }
        // Some of the flood has arrived: kill the broker while the rest is in flight.
        let before = model.total_messages();
        pump(
            &watcher,
            &mut model,
            Duration::from_secs(15),
            "the flood",
            |_| {},
            |m| m.total_messages() >= before + 100,
        );
        drop(flooder);
        broker.restart();
        let (mut reconnecting, mut connected) = (0, false);
        let subscribed = Cell::new(false);
        pump(
            &watcher,
            &mut model,
            Duration::from_secs(20),
            "reconnect and re-subscribe",
            |ev| match ev {
                Event::State(ConnectionState::Reconnecting { .. }) => reconnecting += 1,
                Event::State(ConnectionState::Connected { .. }) => connected = true,
                Event::Subscribed { filter, .. } if connected && filter == "crash/#" => subscribed.set(true),
                _ => {}
            },
            |_| subscribed.get(),
        );
        // Backoff: a restart takes a few attempts at most, never a storm.
        assert!(
            (1..=6).contains(&reconnecting),
            "round {round}: {reconnecting} reconnect attempts"
        );
        // The restored subscription delivers again.
        let probe = connect(&broker, &[]);
        let marker = format!("crash/r{round}/after-restart");
        publish(&probe, 1, &marker, "alive", 1, false);
        pump(
            &watcher,
            &mut model,
            Duration::from_secs(15),
            "the marker",
            |_| {},
            |m| m.tree().find(&marker).is_some(),
        );
    }
    // Nothing received before the crashes was lost from the history.
    for round in 0..10 {
        let id = model
            .tree()
            .find(&format!("crash/r{round}/after-restart"))
            .expect("marker kept");
        assert_eq!(model.history().len(id), 1);
    }
    let first = model.tree().find("crash/r0").expect("round 0 kept");
    assert!(model.tree().node(first).subtree_messages() >= 100);
}

#[test]
fn a_frozen_broker_is_noticed_by_keep_alive_and_reconnected_after_it_resumes() {
    let Some(broker) = TestBroker::mosquitto() else { return };
    let worker = WorkerHandle::spawn(None).expect("worker");
    let mut p = profile(&broker, &[("frozen/#", 1)]);
    p.keep_alive_secs = 5;
    p.connect_timeout_secs = 3;
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    wait_for(&worker, "subscribed", |ev| matches!(ev, Event::Subscribed { .. }));

    broker.signal("STOP");
    let frozen_at = Instant::now();
    let mut reason = String::new();
    wait_for(&worker, "keep-alive to notice the frozen broker", |ev| match ev {
        Event::State(ConnectionState::Reconnecting { reason: r, .. }) => {
            reason = r.clone();
            true
        }
        _ => false,
    });
    let noticed_after = frozen_at.elapsed();
    assert!(!reason.is_empty());
    // Keep-alive is 5 s: a missing ping response shows within about two intervals.
    assert!(
        noticed_after <= Duration::from_secs(13),
        "noticed after {noticed_after:?}"
    );

    broker.signal("CONT");
    wait_for(&worker, "connected again", |ev| {
        matches!(ev, Event::State(ConnectionState::Connected { .. }))
    });
    wait_for(&worker, "re-subscribed", |ev| matches!(ev, Event::Subscribed { .. }));
    let probe = connect(&broker, &[]);
    publish(&probe, 1, "frozen/after", "thawed", 1, false);
    let mut model = Model::default();
    pump(
        &worker,
        &mut model,
        Duration::from_secs(15),
        "a message after resume",
        |_| {},
        |m| m.tree().find("frozen/after").is_some(),
    );
}

#[test]
fn qos_1_and_2_publishes_made_offline_are_delivered_after_the_reconnect() {
    let Some(mut broker) = TestBroker::mosquitto() else {
        return;
    };
    let worker = connect(&broker, &[]);
    broker.stop();
    wait_for(&worker, "the worker to see the broker gone", |ev| {
        matches!(ev, Event::State(ConnectionState::Reconnecting { .. }))
    });
    // Published while offline; retained so a subscriber after the restart sees them.
    let ids: Vec<u64> = (1..=10).collect();
    for &id in &ids {
        let qos = if id % 2 == 0 { 2 } else { 1 };
        publish(&worker, id, &format!("offline/{id}"), format!("queued {id}"), qos, true);
    }
    broker.restart();
    let mut acked = HashSet::new();
    let mut failed = Vec::new();
    wait_for(&worker, "every offline publish accounted for", |ev| {
        match ev {
            Event::PublishAcked { id } => {
                acked.insert(*id);
            }
            Event::PublishFailed { id, reason } => failed.push((*id, reason.clone())),
            _ => {}
        }
        acked.len() + failed.len() >= ids.len()
    });
    assert!(failed.is_empty(), "offline publishes failed: {failed:?}");
    // And the broker really has them.
    let reader = connect(&broker, &[("offline/#", 1)]);
    let mut model = Model::default();
    pump(
        &reader,
        &mut model,
        Duration::from_secs(15),
        "the ten retained messages",
        |_| {},
        |m| m.tree().topic_count() >= ids.len(),
    );
    for id in ids {
        let node = model.tree().find(&format!("offline/{id}")).expect("delivered");
        let msg = model.tree().last_message(node).expect("message");
        assert_eq!(&msg.payload[..], format!("queued {id}").as_bytes());
    }
}
