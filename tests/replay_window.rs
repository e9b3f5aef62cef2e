//! Replaying an opened recording from the real window into the embedded broker: the
//! Replay dialog opens from the time bar with every field named; the messages arrive
//! byte for byte in order under the chosen prefix, with QoS kept; the broker the file
//! was recorded from is refused until the user confirms.

mod common;

use std::path::Path;
use std::time::Instant;

use common::TestBroker;
use common::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::app::replay_task::ReplayRequest;
use topicscope::model::Message;
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::{Profile, Subscription};
use topicscope::record::replay::Speed;
use topicscope::record::schema::system_time;
use topicscope::record::{RecordingMeta, RecordingWriter, WriterOptions};

const T0: i64 = 1_780_000_000_000_000;

/// Binary, text, empty and large payloads, 10 ms apart, QoS 1.
fn messages() -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("farm/raw".to_owned(), vec![0u8, 255, 10, 13, 0x80]),
        ("farm/temp".to_owned(), b"21.5".to_vec()),
        ("farm/empty".to_owned(), Vec::new()),
        ("farm/big".to_owned(), (0..70_000u32).map(|i| (i % 251) as u8).collect()),
    ];
    for i in 0..20 {
        out.push((format!("farm/seq/{}", i % 3), format!("n={i}").into_bytes()));
    }
    out
}

fn write_recording(path: &Path, broker: &str) {
    let meta = RecordingMeta::new(broker, &["#".into()]);
    let w = RecordingWriter::create(path, &meta, WriterOptions::default()).unwrap();
    let batch = messages()
        .into_iter()
        .enumerate()
        .map(|(i, (t, p))| {
            let mut m = Message::new(t, p, 1, false);
            m.time = system_time(T0 + i as i64 * 10_000);
            m
        })
        .collect();
    w.send(batch).unwrap();
    w.finish().unwrap();
}

/// A client of its own subscribed to `filter` at QoS 1, once subscribed.
fn subscriber(broker: &TestBroker, filter: &str) -> WorkerHandle {
    let worker = WorkerHandle::spawn(None).unwrap();
    let mut p = Profile::new("listener", broker.url());
    p.subscriptions = vec![Subscription {
        filter: filter.into(),
        qos: 1,
    }];
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::Subscribed { .. }) => return worker,
            Ok(Event::State(ConnectionState::Disconnected { reason: Some(r) })) => panic!("{r}"),
            Ok(_) => {}
            Err(_) => panic!("the listener did not subscribe"),
        }
    }
}

fn opened(dir: &Path, file: &Path, broker: &TestBroker) -> AppHarness {
    let mut h = app(dir, Some(StartConnect::Recording(file.to_owned())));
    step_until(&mut h, "the recording is read", |h| {
        h.state().state.conn().playback.as_ref().is_some_and(|p| p.ready())
    });
    let state = &mut h.state_mut().state;
    state.profiles.upsert(Profile::new("test broker", broker.url()));
    h
}

#[test]
fn a_replay_from_the_window_arrives_byte_for_byte_under_its_prefix() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("farm.tsrec");
    write_recording(&file, "mqtt://farm.lan:1883");
    let mut h = opened(dir.path(), &file, &broker);
    // A second saved connection, so the broker is a choice.
    h.state_mut()
        .state
        .profiles
        .upsert(Profile::new("cloud", "mqtt://127.0.0.1:1"));
    let listener = subscriber(&broker, "test/#");
    // The dialog opens from the time bar, every field named.
    h.get_by_label("Replay into broker…").click();
    for _ in 0..4 {
        h.step();
    }
    assert!(h.state().ui.replay_dialog.is_some());
    h.check_accessibility();
    assert!(
        !has_label_containing(&h, "where it was recorded"),
        "no confirmation for another broker"
    );
    h.get_by_label("Start replay").click();
    for _ in 0..4 {
        h.step();
    }
    assert!(has_label(&h, "choose the broker to replay into"), "asked first");
    // Driven as a hand would: each list opens over the dialog and its entry is clicked.
    h.get_by_role_and_label(Role::ComboBox, "Broker").click();
    h.step();
    h.step();
    h.get_by_label("test broker").click();
    h.step();
    h.step();
    // The time bar has a "Speed" list too: the dialog's is the one under "Broker".
    let broker_left = h.get_by_role_and_label(Role::ComboBox, "Broker").rect().left();
    h.query_all_by_role_and_label(Role::ComboBox, "Speed")
        .find(|n| (n.rect().left() - broker_left).abs() < 1.0)
        .expect("the dialog's Speed list")
        .click();
    h.step();
    h.step();
    h.get_by_label("60×").click();
    h.step();
    h.step();
    let d = h.state().ui.replay_dialog.as_ref().expect("still open");
    assert_eq!(
        d.profile.as_deref(),
        Some("test broker"),
        "the broker picked in its list"
    );
    assert_eq!(d.speed, 2, "60×, the third speed, picked in its list");
    assert!(d.error.is_none(), "the question is answered");
    assert!(!has_label(&h, "choose the broker to replay into"));
    fill(&mut h, "Topic prefix", "test/");
    h.get_by_label("Start replay").click();
    h.step();
    assert!(h.state().ui.replay_dialog.is_none(), "closed once started");
    step_until(&mut h, "the replay ends", |h| {
        h.state()
            .state
            .conn()
            .playback
            .as_ref()
            .is_some_and(|p| p.replay.is_none())
    });
    let said: Vec<String> = h.state().state.notices.iter().map(|n| n.text.clone()).collect();
    assert!(
        said.iter().any(|t| t.contains("replayed 24 messages into test broker")),
        "{said:?}"
    );
    let want = messages();
    let mut got = Vec::new();
    let deadline = Instant::now() + WAIT;
    while got.len() < want.len() {
        match listener.events.recv_deadline(deadline) {
            Ok(Event::Messages(batch)) => got.extend(batch.into_iter().map(|m| (m.topic, m.payload.to_vec(), m.qos))),
            Ok(_) => {}
            Err(_) => panic!("only {} of {} arrived", got.len(), want.len()),
        }
    }
    let want: Vec<(String, Vec<u8>, u8)> = want.into_iter().map(|(t, p)| (format!("test/{t}"), p, 1)).collect();
    assert_eq!(got, want, "byte for byte, in order, QoS kept");
}

#[test]
fn the_broker_a_file_was_recorded_from_is_refused_until_confirmed() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live.tsrec");
    // Recorded from this very broker (as localhost: the same host for the rule).
    write_recording(&file, &broker.url().replace("127.0.0.1", "localhost"));
    let mut h = opened(dir.path(), &file, &broker);
    let mut request = ReplayRequest {
        profile: "test broker".into(),
        speed: Speed::Max,
        topic_prefix: None,
        same_broker_confirmed: false,
    };
    let err = h.state_mut().state.start_replay(&request).unwrap_err();
    assert!(err.contains("was made from") && err.contains("localhost"), "{err}");
    assert!(h.state().state.conn().playback.as_ref().unwrap().replay.is_none());
    // The dialog says so and offers the confirmation.
    h.get_by_label("Replay into broker…").click();
    h.step();
    h.state_mut().ui.replay_dialog.as_mut().unwrap().profile = Some("test broker".into());
    h.step();
    h.step();
    assert!(has_label_containing(&h, "where it was recorded"));
    h.state_mut().ui.replay_dialog = None;
    h.step();
    request.same_broker_confirmed = true;
    h.state_mut().state.start_replay(&request).unwrap();
    step_until(&mut h, "the confirmed replay ends", |h| {
        h.state()
            .state
            .conn()
            .playback
            .as_ref()
            .is_some_and(|p| p.replay.is_none())
    });
    let said: Vec<String> = h.state().state.notices.iter().map(|n| n.text.clone()).collect();
    assert!(said.iter().any(|t| t.contains("replayed 24 messages")), "{said:?}");
}
