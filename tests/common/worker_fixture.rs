//! Driving the MQTT worker from tests: connect with subscriptions, wait for events,
//! collect messages, publish.

use std::time::{Duration, Instant};

use bytes::Bytes;
use topicscope::model::Message;
use topicscope::mqtt::{Command, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::{Profile, Subscription};

use super::TestBroker;

pub const WAIT: Duration = Duration::from_secs(15);

pub fn profile(broker: &TestBroker, filters: &[(&str, u8)]) -> Profile {
    profile_for_url("test", &broker.url(), filters)
}

/// A profile for `url` subscribing to `filters` (filter, QoS), with a short connect timeout.
pub fn profile_for_url(name: &str, url: &str, filters: &[(&str, u8)]) -> Profile {
    let mut p = Profile::new(name, url);
    p.subscriptions = filters
        .iter()
        .map(|(f, q)| Subscription {
            filter: (*f).to_owned(),
            qos: *q,
        })
        .collect();
    p.connect_timeout_secs = 5;
    p
}

/// A worker connected to `broker` with `filters`, after the broker granted them all.
pub fn connect(broker: &TestBroker, filters: &[(&str, u8)]) -> WorkerHandle {
    let worker = WorkerHandle::spawn(None).expect("spawn worker");
    worker
        .send_blocking(Command::Connect(Box::new(profile(broker, filters))))
        .unwrap();
    let mut granted = 0;
    wait_for(&worker, "connected and subscribed", |ev| {
        if let Event::Subscribed { .. } = ev {
            granted += 1;
        }
        granted == filters.len()
    });
    worker
}

/// Consumes events until `done` says so; panics after [`WAIT`].
pub fn wait_for(worker: &WorkerHandle, what: &str, mut done: impl FnMut(&Event) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(ev) => {
                if done(&ev) {
                    return;
                }
            }
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

/// Collects `n` messages (other events are dropped).
pub fn collect(worker: &WorkerHandle, n: usize) -> Vec<Message> {
    let mut out = Vec::new();
    wait_for(worker, &format!("{n} messages"), |ev| {
        if let Event::Messages(batch) = ev {
            out.extend(batch.iter().cloned());
        }
        out.len() >= n
    });
    out
}

pub fn publish(worker: &WorkerHandle, id: u64, topic: &str, payload: impl Into<Bytes>, qos: u8, retain: bool) {
    let req = PublishRequest::new(id, topic, payload, qos, retain);
    worker.send_blocking(Command::Publish(req)).unwrap();
}
