//! The worker's queues are bounded in bytes, not only in count (issue 12): a consumer that
//! stops reading while 1 MB messages flood in holds at most the message budget, the broker
//! keeps the rest, and once the consumer reads again every message arrives, in order.
//! On 127.0.0.1, against the embedded broker and mosquitto (required in CI).

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::worker_fixture::{connect, profile, wait_for};
use common::{BrokerKind, TestBroker, brokers};
use topicscope::mqtt::{Command, ConnectionState, Event, MESSAGE_BUDGET_BYTES, PublishRequest, WorkerHandle};

/// The tests measure the process's memory: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const MB: usize = 1_000_000;

/// A worker with no subscription, connected.
fn publisher(broker: &TestBroker) -> WorkerHandle {
    let worker = WorkerHandle::spawn(None).expect("spawn worker");
    worker
        .send_blocking(Command::Connect(Box::new(profile(broker, &[]))))
        .unwrap();
    wait_for(&worker, "the publisher connected", |ev| {
        matches!(ev, Event::State(ConnectionState::Connected { .. }))
    });
    worker
}

/// Resident memory of this process, in bytes (Linux; 0 elsewhere).
fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// The largest bytes held for an unread consumer and the largest growth of memory.
#[derive(Default)]
struct Peaks {
    queued_bytes: usize,
    rss_growth_bytes: usize,
}

impl Peaks {
    fn sample(&mut self, reader: &WorkerHandle, rss_before: usize) {
        self.queued_bytes = self.queued_bytes.max(reader.events.queued_bytes());
        self.rss_growth_bytes = self.rss_growth_bytes.max(rss_bytes().saturating_sub(rss_before));
    }
}

/// Publishes `payloads` (QoS 1) to `big/0000`, `big/0001`… while `reader` is not read, and
/// waits for the broker's acks; returns the peaks seen meanwhile and for `settle` after.
fn flood_unread(broker: &TestBroker, reader: &WorkerHandle, payloads: &[Bytes], settle: Duration) -> Peaks {
    let publisher = publisher(broker);
    let rss_before = rss_bytes();
    let mut peaks = Peaks::default();
    for (i, payload) in payloads.iter().enumerate() {
        let req = PublishRequest::new(i as u64 + 1, format!("big/{i:04}"), payload.clone(), 1, false);
        publisher.send_blocking(Command::Publish(req)).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut acked = 0;
    while acked < payloads.len() {
        match publisher.events.recv_timeout(Duration::from_millis(5)) {
            Ok(Event::PublishAcked { .. }) => acked += 1,
            Ok(Event::PublishFailed { id, reason }) => panic!("{}: publish {id} failed: {reason}", broker.kind_name()),
            _ => {}
        }
        peaks.sample(reader, rss_before);
        assert!(
            Instant::now() < deadline,
            "{}: only {acked} of {} publishes acknowledged",
            broker.kind_name(),
            payloads.len()
        );
    }
    // The reader's worker keeps trying to take more for a while: it must not.
    let settled = Instant::now() + settle;
    while Instant::now() < settled {
        std::thread::sleep(Duration::from_millis(5));
        peaks.sample(reader, rss_before);
    }
    peaks
}

/// Reads `n` messages from `reader`, asserting the topics `big/0000`… in order.
fn read_in_order(broker: &TestBroker, reader: &WorkerHandle, sizes: &[usize]) {
    let mut next = 0;
    wait_for(reader, &format!("{} messages", sizes.len()), |ev| {
        if let Event::Messages(batch) = ev {
            for m in batch {
                assert_eq!(m.topic, format!("big/{next:04}"), "{}: order", broker.kind_name());
                assert_eq!(
                    m.payload.len(),
                    sizes[next],
                    "{}: payload of {}",
                    broker.kind_name(),
                    m.topic
                );
                next += 1;
            }
        }
        next == sizes.len()
    });
    assert_eq!(
        reader.events.queued_bytes(),
        0,
        "{}: every byte given back once read",
        broker.kind_name()
    );
}

#[test]
fn an_unread_consumer_holds_at_most_the_byte_budget_and_loses_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for broker in brokers() {
        // rumqttd keeps 4 × 32 MiB per filter for a slow subscriber and drops what is
        // older: stay under that there. Mosquitto keeps 1000 QoS 1 messages per client.
        let count = match broker.kind() {
            BrokerKind::Embedded => 100,
            BrokerKind::Mosquitto => 200,
            BrokerKind::RabbitMq => unreachable!("brokers() has no RabbitMQ"),
        };
        let reader = connect(&broker, &[("big/#", 1)]);
        let payload = Bytes::from(vec![7u8; MB]);
        let payloads = vec![payload; count];
        let peaks = flood_unread(&broker, &reader, &payloads, Duration::from_secs(1));
        let name = broker.kind_name();
        eprintln!(
            "{name}: {count} x 1 MB unread: at most {} bytes queued, memory grew by at most {} kB",
            peaks.queued_bytes,
            peaks.rss_growth_bytes / 1024
        );
        assert!(
            peaks.queued_bytes <= MESSAGE_BUDGET_BYTES,
            "{name}: {} bytes queued for an unread consumer, more than the budget of {MESSAGE_BUDGET_BYTES}",
            peaks.queued_bytes
        );
        assert!(
            peaks.queued_bytes >= MESSAGE_BUDGET_BYTES - 2 * MB,
            "{name}: the budget was never filled ({} bytes): the test did not push back",
            peaks.queued_bytes
        );
        // Before the byte budget the whole flood (100–200 MB) sat in the worker's queues.
        let allowed = MESSAGE_BUDGET_BYTES + 40 * 1024 * 1024;
        assert!(
            peaks.rss_growth_bytes < allowed,
            "{name}: memory grew by {} kB with an unread consumer (allowed {} kB)",
            peaks.rss_growth_bytes / 1024,
            allowed / 1024
        );
        read_in_order(&broker, &reader, &vec![MB; count]);
    }
}

#[test]
fn a_message_larger_than_the_whole_budget_still_passes() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(broker) = TestBroker::mosquitto() else { return };
    let reader = connect(&broker, &[("big/#", 1)]);
    let large = MESSAGE_BUDGET_BYTES + 4 * MB;
    let small = Bytes::from_static(b"small");
    let large_payload = Bytes::from(vec![1u8; large]);
    let payloads = [
        small.clone(),
        large_payload.clone(),
        small.clone(),
        large_payload,
        small,
    ];
    let peaks = flood_unread(&broker, &reader, &payloads, Duration::from_millis(300));
    // The first large message waits for the small one before it to be read: it takes the
    // whole budget only when nothing else is queued.
    assert!(
        peaks.queued_bytes < large,
        "{} bytes queued: the large message was let in beside another",
        peaks.queued_bytes
    );
    let sizes: Vec<usize> = payloads.iter().map(Bytes::len).collect();
    read_in_order(&broker, &reader, &sizes);
}
