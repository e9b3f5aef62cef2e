//! Client-id collisions against real brokers: two raw clients take turns connecting with
//! one id, and the app's model (`Devices`, fed by the app's worker over a real
//! subscription) names the id. mosquitto with `log_dest topic` tells through
//! `$SYS/broker/log/#` (and fires the kicked client's last will, so the last wills swap
//! in step); the embedded broker's front reports takeovers in-process.

#![cfg(feature = "broker")]

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::TestBroker;
use common::worker_fixture::{WAIT, connect};
use topicscope::model::devices::{Devices, Evidence};
use topicscope::mqtt::{Command, Event};

const SHARED_ID: &str = "esp32-07";

/// MQTT 3.1.1 UTF-8 string: length, then bytes.
fn field(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u16).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// A fixed header with a one-byte remaining length (every packet here is short).
fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    assert!(body.len() < 128);
    let mut p = vec![first, body.len() as u8];
    p.extend_from_slice(body);
    p
}

/// A board: connects as `SHARED_ID` with a retained last will `offline` on
/// `<root>/status`, then says `online` there (retained), and stays connected.
fn board(addr: SocketAddr, root: &str) -> TcpStream {
    let status = format!("{root}/status");
    // Clean session, will flag, will QoS 0, will retain.
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, 0x26, 0, 60];
    field(&mut body, SHARED_ID);
    field(&mut body, &status);
    field(&mut body, "offline");
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(&packet(0x10, &body)).unwrap();
    let mut connack = [0u8; 4];
    s.read_exact(&mut connack).expect("CONNACK");
    assert_eq!(connack, [0x20, 2, 0, 0], "accepted");
    let mut publish = Vec::new();
    field(&mut publish, &status);
    publish.extend_from_slice(b"online");
    s.write_all(&packet(0x31, &publish)).unwrap();
    s
}

fn now_secs() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64()
}

#[test]
fn mosquitto_log_names_the_colliding_client_id_and_the_last_wills_swap_in_step() {
    let Some(broker) = TestBroker::mosquitto_with_conf("log_dest topic\nlog_type all") else {
        eprintln!("mosquitto not installed: skipped");
        return;
    };
    let worker = connect(&broker, &[("$SYS/broker/log/#", 0), ("shed/#", 0)]);
    let mut devices = Devices::default();
    // Both boards known and online before the takeovers start.
    let mut boards = vec![board(broker.addr(), "shed/a")];
    std::thread::sleep(Duration::from_millis(300));
    boards.push(board(broker.addr(), "shed/b"));
    // Each new connection kicks the other off; mosquitto fires the kicked one's will.
    for round in 0..4 {
        std::thread::sleep(Duration::from_millis(400));
        boards.push(board(broker.addr(), if round % 2 == 0 { "shed/a" } else { "shed/b" }));
    }
    let deadline = Instant::now() + WAIT;
    let (mut named, mut suspected) = (false, false);
    while Instant::now() < deadline && !(named && suspected) {
        if let Ok(Event::Messages(batch)) = worker.events.recv_timeout(Duration::from_millis(200)) {
            for m in batch {
                devices.ingest(&m.topic, &m.payload, m.retain, now_secs());
            }
        }
        let now = now_secs();
        let active = devices.collisions().active(now);
        named |= active
            .iter()
            .any(|c| c.client_id.as_deref() == Some(SHARED_ID) && c.evidence == Evidence::MosquittoLog);
        suspected |= active.iter().any(|c| {
            c.evidence == Evidence::LastWillsInStep && c.devices == ["shed/a".to_owned(), "shed/b".to_owned()]
        });
    }
    let shown: Vec<_> = devices.collisions().active(now_secs()).into_iter().cloned().collect();
    assert!(named, "mosquitto's log named {SHARED_ID}: {shown:?}");
    assert!(suspected, "shed/a and shed/b swapped in step: {shown:?}");
    let c = devices
        .collisions()
        .for_device("shed/a", "shed/a", now_secs())
        .expect("the pair's row is marked");
    assert!(c.takeovers_within(now_secs(), 600.0) >= 3, "{c:?}");
    drop(boards);
    let _ = worker.send_blocking(Command::Disconnect);
}

#[test]
fn the_embedded_brokers_front_reports_each_takeover() {
    let served = topicscope::broker::serve(SocketAddr::from(([127, 0, 0, 1], 0)), None).expect("embedded broker");
    let addr: SocketAddr = served.url().trim_start_matches("mqtt://").parse().expect("address");
    let first = board(addr, "shed/a");
    assert!(
        served.takeovers().recv_timeout(Duration::from_millis(300)).is_err(),
        "one connection takes nothing over"
    );
    let mut devices = Devices::default();
    let mut boards = vec![first];
    for round in 0..3 {
        boards.push(board(addr, if round % 2 == 0 { "shed/b" } else { "shed/a" }));
        let t = served
            .takeovers()
            .recv_timeout(Duration::from_secs(5))
            .expect("a takeover reported");
        assert_eq!(t.client_id, SHARED_ID);
        let at = t.at.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
        devices
            .collisions_mut()
            .takeover(t.client_id, Evidence::EmbeddedBroker, at);
    }
    let active = devices.collisions().active(now_secs());
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0].client_id.as_deref(), Some(SHARED_ID));
    assert_eq!(active[0].total, 3);
}
