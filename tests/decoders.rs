//! Payload decoders end to end against the embedded broker: a MessagePack map shows as
//! named fields by detection; a packed C struct shows as hex until a layout is given,
//! then as fields that plot with one click (back-filled and live); the rule is saved
//! with the profile; `topicscope sub --decode` prints the same fields as JSON.

mod common;

use std::path::Path;

use common::TestBroker;
use common::run::{run, text, topicscope};
use common::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::model::series::Extractor;
use topicscope::model::{DecodeChoice, Decoder};
use topicscope::profiles::{Profile, ProfileStore};

/// {"temperature": 21.5, "rssi": -67, "ok": true} in MessagePack (Python: msgpack.packb).
const MSGPACK: &[u8] = b"\x83\xabtemperature\xcb\x40\x35\x80\x00\x00\x00\x00\x00\xa4rssi\xd0\xbd\xa2ok\xc3";
const LAYOUT: &str = "f32le temperature; u16le humidity; u8[6] mac; i8 rssi";

/// The struct with `temperature` and `humidity` (Python: struct.pack("<fH6sb", …)).
fn packed(temperature: f32, humidity: u16) -> Vec<u8> {
    let mut bytes = temperature.to_le_bytes().to_vec();
    bytes.extend(humidity.to_le_bytes());
    bytes.extend([0x24, 0x6f, 0x28, 0xa1, 0xb2, 0xc3]);
    bytes.push((-60i8) as u8);
    bytes
}

fn save_profile(dir: &Path, broker: &TestBroker) {
    let mut store = ProfileStore::load(dir.join("profiles.ron")).store;
    let mut p = Profile::new("fleet", broker.url());
    p.subscriptions = vec![topicscope::profiles::Subscription::new("esp32/#")];
    store.upsert(p);
    store.save().unwrap();
}

fn window_on(dir: &Path, topic: &str, level: &str) -> AppHarness {
    let mut h = app_sized(dir, Some(StartConnect::Profile("fleet".into())), [1600.0, 1200.0]);
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "the retained message is in the tree", |h| {
        h.state().state.conn().model.tree().find(topic).is_some()
    });
    select_topic(&mut h, level);
    assert_eq!(h.state().ui.selected_topic(&h.state().state).as_deref(), Some(topic));
    h
}

#[test]
fn messagepack_is_detected_and_a_struct_decodes_once_its_layout_is_given() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    save_profile(dir.path(), &broker);
    feed_bytes(
        &broker,
        &[("esp32/a1/mp", MSGPACK), ("esp32/a1/raw", &packed(21.5, 48))],
    );

    // MessagePack: detected (the picker says so) and shown as JSON.
    let mut h = window_on(dir.path(), "esp32/a1/mp", "mp");
    step_until(&mut h, "the MessagePack map shows as fields", |h| {
        has_label(h, "  \"temperature\": 21.5,") && has_label(h, "  \"rssi\": -67,")
    });
    // Each field carries the type it had on the wire, beside the value.
    step_until(&mut h, "the MessagePack types show", |h| {
        has_label(h, "f64") && has_label(h, "i8") && has_label(h, "bool")
    });
    assert!(has_label_containing(&h, "Decoded from 33 bytes of MessagePack"));
    // The history previews it decoded too.
    assert!(has_label_containing(
        &h,
        "first  {\"temperature\":21.5,\"rssi\":-67,\"ok\":true}"
    ));
    // A click on a field plots it.
    h.get_by_label("  \"rssi\": -67,").click();
    step_until(&mut h, "the MessagePack field is plotted", |h| {
        let charts = &h.state().state.charts.charts;
        charts.len() == 1 && charts[0].series.len() == 1 && charts[0].series[0].points().len() == 1
    });
    assert_eq!(h.state().state.charts.charts[0].series[0].points()[0].y, -67.0);

    // The struct: binary, not detected, until the layout is given for every device.
    select_topic(&mut h, "raw");
    step_until(&mut h, "the struct is a hex dump", |h| {
        has_label_containing(h, "0000  00 00 ac 41")
    });
    h.get_by_role_and_label(Role::ComboBox, "applies to").click();
    h.step();
    h.step();
    h.get_by_label("esp32/+/raw").click();
    h.step();
    h.get_by_role_and_label(Role::ComboBox, "Decode as").click();
    h.step();
    h.step();
    h.get_by_label("C struct").click();
    h.step();
    h.step();
    fill(
        &mut h,
        "Layout",
        "f32le temperature; u16le humidity; u8[6] mac; q8 rssi",
    );
    h.step();
    assert!(
        has_label_containing(&h, "field 4 (\"q8 rssi\"): unknown type \"q8\""),
        "a wrong layout is explained"
    );
    fill(&mut h, "Layout", LAYOUT);
    h.get_by_label("Use layout").click();
    step_until(&mut h, "the struct shows as fields", |h| {
        has_label(h, "  \"temperature\": 21.5,")
            && has_label(h, "  \"humidity\": 48,")
            && has_label(h, "  \"rssi\": -60")
    });
    step_until(&mut h, "the layout's types show", |h| {
        has_label(h, "f32") && has_label(h, "u16") && has_label(h, "u8[6]")
    });
    let saved = ProfileStore::load(dir.path().join("profiles.ron")).store;
    let rules = &saved.get("fleet").unwrap().decoders;
    match rules.for_topic("esp32/b2/raw") {
        DecodeChoice::With(Decoder::Struct(layout)) => assert_eq!(layout.source(), LAYOUT),
        other => panic!("saved rule: {other:?}"),
    }

    // One click on the field plots it, back-filled and then live.
    h.get_by_label("  \"temperature\": 21.5,").click();
    h.step();
    h.step();
    feed_bytes(&broker, &[("esp32/a1/raw", &packed(22.25, 47))]);
    step_until(&mut h, "the live value is plotted", |h| {
        let charts = &h.state().state.charts.charts;
        charts.len() == 1 && charts[0].series.len() == 2 && charts[0].series[1].points().len() == 2
    });
    // Into the same chart as the MessagePack field.
    let series = &h.state().state.charts.charts[0].series[1];
    assert_eq!(series.spec.label(), "esp32/a1/raw temperature (C struct)");
    assert!(matches!(series.spec.extractor, Extractor::Decoded { .. }));
    let points = series.points();
    assert_eq!((points[0].y, points[1].y), (21.5, 22.25));
}

#[test]
fn sub_prints_decoded_json() {
    let broker = TestBroker::embedded();
    feed_bytes(
        &broker,
        &[("esp32/cli/raw", &packed(21.5, 48)), ("esp32/cli/mp", MSGPACK)],
    );
    let sub = |topic: &str, extra: &[&str]| {
        let mut c = topicscope();
        c.args(["sub", "--broker", &broker.url(), "-t", topic, "--count", "1"]);
        c.args(extra);
        let out = run(c);
        assert!(out.status.success(), "{extra:?}: {}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let layout = format!("struct:{LAYOUT}");
    assert_eq!(
        sub("esp32/cli/raw", &["--decode", &layout]).0,
        "esp32/cli/raw {\"temperature\":21.5,\"humidity\":48,\"mac\":[36,111,40,161,178,195],\"rssi\":-60}\n"
    );
    assert_eq!(
        sub("esp32/cli/mp", &["--decode", "auto"]).0,
        "esp32/cli/mp {\"temperature\":21.5,\"rssi\":-67,\"ok\":true}\n"
    );
    let (out, _) = sub("esp32/cli/mp", &["-D", "msgpack", "-F", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["decoded"]["rssi"], -67);
    // A layout that does not fit: the payload as received, and the reason on stderr.
    let (out, err) = sub("esp32/cli/raw", &["--decode", "struct:f32 t"]);
    assert!(out.starts_with("esp32/cli/raw "), "{out}");
    assert!(
        err.contains("the layout reads 4 bytes but the payload has 13 bytes"),
        "{err}"
    );
    let out = run({
        let mut c = topicscope();
        c.args(["sub", "--broker", &broker.url(), "--decode", "struct:u8[x] mac"]);
        c
    });
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("field 1"), "{}", text(&out.stderr));
}
