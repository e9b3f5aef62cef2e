//! Payloads in legacy encodings, end to end against the embedded broker: a GBK payload
//! shows `\xNN` escapes under UTF-8 and Chinese once GBK is picked in the window; the
//! choice is saved with the profile and holds in a new window; `topicscope sub
//! --encoding gbk` prints the same text.

mod common;

use std::path::Path;

use common::TestBroker;
use common::run::{run, text, topicscope};
use common::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::model::TextEncoding;
use topicscope::profiles::{Profile, ProfileStore};

/// "温度 23.5" in GBK (Python: "温度 23.5".encode("gbk")).
const GBK_TEMP: &[u8] = b"\xce\xc2\xb6\xc8 23.5";
/// {"温度": 23.5, "状态": "正常"} in GBK.
const GBK_JSON: &[u8] = b"{\"\xce\xc2\xb6\xc8\": 23.5, \"\xd7\xb4\xcc\xac\": \"\xd5\xfd\xb3\xa3\"}";

/// Saves a profile named "legacy" for `broker` in `dir`, subscribed to `legacy/#`.
fn save_profile(dir: &Path, broker: &TestBroker) {
    let mut store = ProfileStore::load(dir.join("profiles.ron")).store;
    let mut p = Profile::new("legacy", broker.url());
    p.subscriptions = vec![topicscope::profiles::Subscription::new("legacy/#")];
    store.upsert(p);
    store.save().unwrap();
}

/// The window connected with the saved "legacy" profile, showing `legacy/room/temp`.
fn window_on_temp(dir: &Path) -> AppHarness {
    let mut h = app(dir, Some(StartConnect::Profile("legacy".into())));
    step_until(&mut h, "connected", connected);
    // The topic itself, not only its parent: retained messages may arrive in batches.
    step_until(&mut h, "the retained message is in the tree", |h| {
        h.state().state.conn().model.tree().find("legacy/room/temp").is_some()
    });
    select_topic(&mut h, "temp");
    assert_eq!(
        h.state().ui.selected_topic(&h.state().state).as_deref(),
        Some("legacy/room/temp")
    );
    h
}

fn pick(h: &mut AppHarness, combo: &str, item: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.step();
    h.step();
    h.get_by_label(item).click();
    h.step();
    h.step();
}

#[test]
fn a_gbk_payload_reads_as_chinese_once_gbk_is_picked_and_stays_so_after_a_restart() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    save_profile(dir.path(), &broker);
    feed_bytes(
        &broker,
        &[("legacy/room/temp", GBK_TEMP), ("legacy/room/json", GBK_JSON)],
    );

    let mut h = window_on_temp(dir.path());
    // UTF-8: not text, so the hex dump; as text, the bad bytes are escapes and counted.
    h.get_by_label("Text").click();
    step_until(&mut h, "the bytes show escaped under UTF-8", |h| {
        has_label(h, "\\xce¶\\xc8 23.5")
    });
    assert!(has_label(&h, "2 bytes are not valid UTF-8: shown as \\xNN"));
    assert!(!has_label_containing(&h, "温度"));
    assert!(
        has_label_containing(&h, "(binary, 9 bytes)"),
        "the history preview under UTF-8"
    );

    pick(&mut h, "Encoding", "GB18030 / GBK");
    step_until(&mut h, "the payload reads as Chinese", |h| has_label(h, "温度 23.5"));
    assert!(!has_label_containing(&h, "not valid"), "no bad byte in GBK");
    assert!(!has_label_containing(&h, "\\xce"));
    // The history list previews in the same encoding (its row holds time, size, preview).
    assert!(has_label_containing(&h, "first  温度 23.5"));
    // Saved with the profile at once, as a rule for this topic.
    let saved = ProfileStore::load(dir.path().join("profiles.ron")).store;
    let rules = &saved.get("legacy").unwrap().encodings;
    assert_eq!(rules.for_topic("legacy/room/temp"), TextEncoding::Gb18030);
    assert_eq!(rules.for_topic("legacy/room/json"), TextEncoding::Utf8);

    // "this subtree" from the JSON topic: its pretty view parses the decoded text.
    step_until(&mut h, "the JSON topic is in the tree", |h| {
        h.state().state.conn().model.tree().find("legacy/room/json").is_some()
    });
    select_topic(&mut h, "json");
    pick(&mut h, "for", "this subtree");
    pick(&mut h, "Encoding", "GB18030 / GBK");
    step_until(&mut h, "the GBK JSON is pretty-printed", |h| {
        has_label_containing(h, "\"温度\": 23.5") && has_label_containing(h, "\"状态\": \"正常\"")
    });
    drop(h);

    // A new window with the saved profile reads both in GBK without being asked.
    let mut h = window_on_temp(dir.path());
    step_until(&mut h, "the saved choice holds", |h| has_label(h, "温度 23.5"));
    assert!(has_label(&h, "(rule legacy/room/temp)"));
    // Forgetting the topic's own rule: the subtree rule was made on legacy/room/json, so
    // this topic is read as UTF-8 again.
    h.get_by_label("Forget rule").click();
    h.step();
    h.step();
    h.get_by_label("Text").click();
    step_until(&mut h, "back to UTF-8", |h| has_label(h, "\\xce¶\\xc8 23.5"));
    let saved = ProfileStore::load(dir.path().join("profiles.ron")).store;
    let rules = &saved.get("legacy").unwrap().encodings;
    assert_eq!(rules.for_topic("legacy/room/temp"), TextEncoding::Utf8);
    assert_eq!(rules.for_topic("legacy/room/json/x"), TextEncoding::Gb18030);
}

#[test]
fn a_gbk_number_is_plotted_once_all_topics_read_as_gbk() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    save_profile(dir.path(), &broker);
    // "23.5 度" and "24 度" in GBK: a number with a unit, to UTF-8 not even text.
    feed_bytes(&broker, &[("legacy/room/temp", b"23.5 \xb6\xc8")]);
    let mut h = window_on_temp(dir.path());
    assert!(!has_label(&h, "Plot"), "under UTF-8 the payload is binary");
    pick(&mut h, "for", "all topics");
    pick(&mut h, "Encoding", "GB18030 / GBK");
    step_until(&mut h, "the value can be plotted", |h| has_label(h, "Plot"));
    h.get_by_label("Plot").click();
    h.step();
    // Back-filled from the history, then live, both read as GBK.
    feed_bytes(&broker, &[("legacy/room/temp", b"24 \xb6\xc8")]);
    step_until(&mut h, "the live value is plotted", |h| {
        let charts = &h.state().state.charts.charts;
        charts.len() == 1 && charts[0].series[0].points().len() == 2
    });
    let points = h.state().state.charts.charts[0].series[0].points();
    assert_eq!((points[0].y, points[1].y), (23.5, 24.0));
    let saved = ProfileStore::load(dir.path().join("profiles.ron")).store;
    assert_eq!(saved.get("legacy").unwrap().encodings.default, TextEncoding::Gb18030);
}

#[test]
fn sub_prints_payloads_in_the_encoding_asked_for() {
    let broker = TestBroker::embedded();
    feed_bytes(&broker, &[("legacy/cli", GBK_TEMP)]);
    let sub = |extra: &[&str]| {
        let mut c = topicscope();
        c.args(["sub", "--broker", &broker.url(), "-t", "legacy/#", "--count", "1"]);
        c.args(extra);
        let out = run(c);
        assert!(out.status.success(), "{extra:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    assert_eq!(sub(&[]), "legacy/cli \\xce¶\\xc8 23.5\n");
    assert_eq!(sub(&["--encoding", "gbk"]), "legacy/cli 温度 23.5\n");
    assert_eq!(sub(&["-E", "gb2312"]), "legacy/cli 温度 23.5\n");
    let json: serde_json::Value = serde_json::from_str(&sub(&["--encoding", "gbk", "-F", "json"])).unwrap();
    assert_eq!(json["payload"], "温度 23.5");
    // Not valid UTF-8: JSON keeps the bytes exact, in base64.
    let json: serde_json::Value = serde_json::from_str(&sub(&["-F", "json"])).unwrap();
    assert!(json.get("payload_base64").is_some(), "{json}");
    let out = run({
        let mut c = topicscope();
        c.args(["sub", "--broker", &broker.url(), "--encoding", "ebcdic"]);
        c
    });
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("gbk"), "the error lists the choices");
}

#[test]
fn profiles_from_before_encodings_load_and_rules_round_trip_through_ron() {
    let old: Profile = ron::from_str(r#"(name: "old", broker_url: "mqtt://h:1883")"#).unwrap();
    assert_eq!(old.encodings, topicscope::model::EncodingRules::default());
    let mut p = Profile::new("new", "mqtt://h:1883");
    p.encodings.set("legacy/#", TextEncoding::Gb18030);
    p.encodings.default = TextEncoding::Latin1;
    let text = ron::to_string(&p).unwrap();
    let back: Profile = ron::from_str(&text).unwrap();
    assert_eq!(back.encodings, p.encodings);
    assert_eq!(back.encodings.for_topic("legacy/x"), TextEncoding::Gb18030);
}
