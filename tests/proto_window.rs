//! Protobuf in the window: a payload of the user's schema is a hex dump until
//! "Decode as" → "Protobuf…" gets the .proto file and the message name; a wrong name is
//! explained (listing the names defined); then the fields show, and the rule is saved.

mod common;

use std::time::Instant;

use common::TestBroker;
use common::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use prost::Message as _;
use prost_reflect::{DynamicMessage, Value as PValue};
use topicscope::model::decode::proto;
use topicscope::model::{DecodeChoice, Decoder};
use topicscope::mqtt::{Command, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::{Profile, ProfileStore};

const SCHEMA: &str =
    "syntax = \"proto3\";\npackage fleet;\nmessage Reading { float temperature = 1; int32 rssi = 2; }\n";

fn publish(broker: &TestBroker, topic: &str, payload: Vec<u8>) {
    let worker = WorkerHandle::spawn(None).unwrap();
    let mut p = Profile::new("feeder", broker.url());
    p.subscriptions.clear();
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    worker
        .send_blocking(Command::Publish(PublishRequest::new(1, topic, payload, 1, true)))
        .unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::PublishAcked { .. }) => break,
            Ok(Event::PublishFailed { reason, .. }) => panic!("feed failed: {reason}"),
            Ok(_) => {}
            Err(_) => panic!("feed: not acknowledged"),
        }
    }
}

#[test]
fn a_protobuf_payload_decodes_once_its_schema_is_chosen() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fleet.proto");
    std::fs::write(&file, SCHEMA).unwrap();
    let pool = proto::schema(&file).unwrap();
    let mut msg = DynamicMessage::new(pool.get_message_by_name("fleet.Reading").unwrap());
    msg.set_field_by_name("temperature", PValue::F32(21.5));
    msg.set_field_by_name("rssi", PValue::I32(-67));
    let mut store = ProfileStore::load(dir.path().join("profiles.ron")).store;
    let mut p = Profile::new("fleet", broker.url());
    p.subscriptions = vec![topicscope::profiles::Subscription::new("esp32/#")];
    store.upsert(p);
    store.save().unwrap();
    publish(&broker, "esp32/c3/pb", msg.encode_to_vec());

    let mut h = app_sized(
        dir.path(),
        Some(topicscope::app::StartConnect::Profile("fleet".into())),
        [1600.0, 1200.0],
    );
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "the message is in the tree", |h| {
        h.state().state.conn().model.tree().find("esp32/c3/pb").is_some()
    });
    select_topic(&mut h, "pb");
    h.get_by_role_and_label(Role::ComboBox, "Decode as").click();
    h.step();
    h.step();
    h.get_by_label("Protobuf…").click();
    h.step();
    h.step();
    fill(&mut h, ".proto file", &file.display().to_string());
    fill(&mut h, "Message", "Readings");
    h.get_by_label("Use schema").click();
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "no message named Readings") && has_label_containing(&h, "fleet.Reading"),
        "a wrong name is explained"
    );
    fill(&mut h, "Message", "Reading");
    h.get_by_label("Use schema").click();
    step_until(&mut h, "the fields show", |h| {
        has_label(h, "  \"temperature\": 21.5,") && has_label(h, "  \"rssi\": -67")
    });
    let saved = ProfileStore::load(dir.path().join("profiles.ron")).store;
    match saved.get("fleet").unwrap().decoders.for_topic("esp32/c3/pb") {
        DecodeChoice::With(Decoder::Proto { file: f, message }) => {
            assert_eq!((f, message.as_str()), (&file, "fleet.Reading"));
        }
        other => panic!("saved rule: {other:?}"),
    }
}
