//! The real window driven through egui_kittest, connected to a real broker (the embedded
//! one in a child process) on 127.0.0.1. Inputs are found by their labels, as a person
//! would find them.

mod common;

use std::time::Instant;

use common::TestBroker;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::mqtt::{Command, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::{Profile, ProfileStore};

use common::window::*;

#[test]
fn connects_through_the_dialog_prefilled_with_localhost() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), None);
    h.step();
    // With no saved profile the dialog opens on mqtt://localhost:1883.
    let url = h.get_by_label("Broker URL");
    assert_eq!(url.value().as_deref(), Some("mqtt://localhost:1883"));
    url.set_text_value_accesskit(&broker.url());
    h.step();
    h.get_by_label("Connect").click();
    step_until(&mut h, "connected through the dialog", connected);
    step_until(&mut h, "the state is shown in words", |h| {
        has_label_containing(h, "connected to")
    });
    // "Connect" saved the profile at once.
    let store = ProfileStore::load(dir.path().join("profiles.ron"));
    assert!(store.error.is_none());
    assert_eq!(store.store.list().len(), 1);
    assert_eq!(store.store.list()[0].broker_url, broker.url());
}

#[test]
fn a_published_message_appears_in_the_tree_and_its_payload_in_the_inspector() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[("lab/esp32/temperature", "{\"celsius\": 21.75, \"ok\": true}", false)],
    );
    step_until(&mut h, "the topic is in the tree", |h| has_label(h, "lab"));
    select_topic(&mut h, "temperature");
    assert_eq!(
        h.state().ui.selected_topic(&h.state().state).as_deref(),
        Some("lab/esp32/temperature")
    );
    // Auto view: pretty JSON, one line per field.
    step_until(&mut h, "the pretty JSON shows", |h| {
        has_label_containing(h, "\"celsius\": 21.75")
    });
    assert!(has_label(&h, "lab/esp32/temperature"), "the full topic is shown");
    h.get_by_label("Hex").click();
    h.step();
    step_until(&mut h, "the hex dump shows", |h| has_label_containing(h, "7b 22 63 65"));
}

#[test]
fn publishing_from_the_panel_arrives_back() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    // MQTT 3.1.1 has no message properties: the panel does not offer them.
    assert!(!has_label(&h, "MQTT 5 properties"));
    h.get_by_label("Topic").set_text_value_accesskit("lab/relay/set");
    h.get_by_label("Payload").set_text_value_accesskit("ON");
    h.step();
    h.get_by_label("QoS 1").click();
    h.step();
    h.get_by_label("Publish").click();
    step_until(&mut h, "the broker acknowledged", |h| {
        has_label_containing(h, "acknowledged")
    });
    step_until(&mut h, "the message came back", |h| {
        h.state().state.conn().model.tree().find("lab/relay/set").is_some()
    });
    let tree = h.state().state.conn().model.tree();
    let id = tree.find("lab/relay/set").unwrap();
    assert_eq!(&tree.last_message(id).unwrap().payload[..], b"ON");
    // The publish is remembered.
    assert_eq!(h.state().state.publish_history.records[0].topic, "lab/relay/set");
    assert!(dir.path().join("publish_history.ron").exists());
}

#[test]
fn the_filter_narrows_the_tree_and_keeps_ancestors() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[
            ("home/kitchen/humidity", "48", false),
            ("home/garage/door", "OPEN", false),
        ],
    );
    step_until(&mut h, "both topics arrived", |h| {
        h.state().state.conn().model.tree().topic_count() >= 2
    });
    h.get_by_label("Filter").set_text_value_accesskit("humid");
    step_until(&mut h, "the match and its ancestors show", |h| {
        has_label(h, "humidity") && has_label(h, "kitchen") && has_label(h, "home")
    });
    assert!(!has_label(&h, "garage"), "a non-matching branch is hidden");
    // The filter also matches payloads.
    h.get_by_label("Filter").set_text_value_accesskit("open");
    step_until(&mut h, "payload match", |h| {
        has_label(h, "door") && !has_label(h, "humidity")
    });
}

#[test]
fn history_and_diff_show_the_previous_message() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(&broker, &[("plant/pump", "{\"state\": \"OFF\", \"flow\": 0}", false)]);
    feed(&broker, &[("plant/pump", "{\"state\": \"ON\", \"flow\": 12}", false)]);
    step_until(&mut h, "two messages", |h| {
        h.state()
            .state
            .conn()
            .model
            .tree()
            .find("plant/pump")
            .is_some_and(|id| h.state().state.conn().model.history().len(id) == 2)
    });
    select_topic(&mut h, "pump");
    step_until(&mut h, "history lists both", |h| {
        has_label_containing(h, "History (2 kept)")
    });
    assert_eq!(
        h.query_all_by_label_contains("{\"state\":").count(),
        2,
        "both history rows are listed"
    );
    h.get_by_label("Diff with previous").click();
    h.step();
    step_until(&mut h, "the diff shows old and new lines", |h| {
        has_label(h, "-   \"state\": \"OFF\",") && has_label(h, "+   \"state\": \"ON\",")
    });
    // Picking the older entry shows it.
    h.get_by_label("Diff with previous").click();
    h.step();
    let older = h.query_all_by_label_contains("\"OFF\"").last().map(|n| n.rect());
    assert!(older.is_some());
}

#[test]
fn an_invalid_publish_topic_shows_an_error() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    h.get_by_label("Topic").set_text_value_accesskit("lab/+/set");
    h.get_by_label("Payload").set_text_value_accesskit("x");
    h.step();
    h.get_by_label("Publish").click();
    step_until(&mut h, "the refusal is shown", |h| has_label_containing(h, "wildcard"));
    assert!(h.state().state.publish_history.records.is_empty(), "nothing was sent");
}

#[test]
fn a_created_profile_is_saved_and_loaded_again() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = app(dir.path(), None);
        h.step();
        h.get_by_label("New").click();
        h.step();
        h.get_by_label("Name").set_text_value_accesskit("greenhouse");
        h.get_by_label("Broker URL")
            .set_text_value_accesskit("mqtt://127.0.0.1:18830");
        h.get_by_label("Username").set_text_value_accesskit("esp");
        h.get_by_label("Password").set_text_value_accesskit("s3cret");
        h.step();
        h.get_by_label("Save").click();
        h.step();
        h.step();
    }
    let outcome = ProfileStore::load(dir.path().join("profiles.ron"));
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    let p = outcome.store.get("greenhouse").expect("saved");
    assert_eq!(p.broker_url, "mqtt://127.0.0.1:18830");
    assert_eq!(p.username.as_deref(), Some("esp"));
    assert_eq!(p.password.as_deref(), Some("s3cret"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("profiles.ron"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A new window lists it and opens the dialog on it.
    let mut h = app(dir.path(), None);
    h.step();
    assert!(has_label(&h, "greenhouse"));
    assert_eq!(
        h.get_by_label("Broker URL").value().as_deref(),
        Some("mqtt://127.0.0.1:18830")
    );
}

#[test]
fn a_json_field_clicked_in_the_inspector_becomes_a_chart_series() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[(
            "tele/plug/SENSOR",
            r#"{"AM2301":{"Temperature":21.5,"Humidity":48.0}}"#,
            false,
        )],
    );
    feed(
        &broker,
        &[(
            "tele/plug/SENSOR",
            r#"{"AM2301":{"Temperature":22.5,"Humidity":47.0}}"#,
            false,
        )],
    );
    step_until(&mut h, "two readings", |h| {
        h.state()
            .state
            .conn()
            .model
            .tree()
            .find("tele/plug/SENSOR")
            .is_some_and(|id| h.state().state.conn().model.history().len(id) == 2)
    });
    select_topic(&mut h, "SENSOR");
    step_until(&mut h, "the JSON view", |h| has_label(h, "    \"Temperature\": 22.5,"));
    h.get_by_label("    \"Temperature\": 22.5,").click();
    h.step();
    h.step();
    step_until(&mut h, "the series is listed with its values", |h| {
        has_label(h, "tele/plug/SENSOR AM2301.Temperature") && has_label(h, "21.500") && has_label(h, "22.500")
    });
    // A live value extends it.
    feed(
        &broker,
        &[(
            "tele/plug/SENSOR",
            r#"{"AM2301":{"Temperature":30.25,"Humidity":40.0}}"#,
            false,
        )],
    );
    step_until(&mut h, "the live value", |h| has_label(h, "30.250"));
    let chart = &h.state().state.charts.charts[0];
    assert_eq!(
        chart.series[0].points().iter().map(|p| p.y).collect::<Vec<_>>(),
        vec![21.5, 22.5, 30.25]
    );
    // The layout is kept with the (unsaved) profile for the next connection.
    let profile = &h.state().state.conn().profile;
    assert_eq!(
        profile.charts[0].series[0].label(),
        "tele/plug/SENSOR AM2301.Temperature"
    );
}

/// "Allow invalid certificates" is visible for as long as such a connection runs, and a
/// checked TLS connection shows no such warning.
#[test]
fn a_connection_without_certificate_checks_shows_a_warning() {
    if !common::mosquitto_available() {
        return;
    }
    let pki = common::pki::TestPki::generate();
    let listener = common::Listener::tls(&pki.ca, &pki.server);
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[listener]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut profile = Profile::new("self-signed", format!("mqtts://localhost:{}", broker.listener_port(0)));
    profile.tls.allow_invalid_certs = true;
    let mut h = app(dir.path(), Some(StartConnect::Ready(Box::new(profile.clone()))));
    step_until(&mut h, "connected without checks", connected);
    assert!(has_label(&h, "⚠ certificate not checked"));
    h.get_by_label("Disconnect").click();
    step_until(&mut h, "disconnected, warning gone", |h| {
        !h.state().state.connection_active() && !has_label(h, "⚠ certificate not checked")
    });

    profile.tls.allow_invalid_certs = false;
    profile.tls.ca_file = Some(pki.ca.clone());
    let mut h = app(dir.path(), Some(StartConnect::Ready(Box::new(profile))));
    step_until(&mut h, "connected with the CA file", connected);
    assert!(!has_label(&h, "⚠ certificate not checked"));
}

#[test]
fn mqtt5_properties_show_in_the_inspector_and_can_be_set_in_the_publish_panel() {
    use topicscope::broker::{EmbeddedBrokerConfig, start_embedded};
    use topicscope::model::MessageProperties;
    use topicscope::profiles::{MqttVersion, Subscription};

    let broker = start_embedded(EmbeddedBrokerConfig {
        bind_v5: Some(std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0))),
        ..EmbeddedBrokerConfig::default()
    })
    .expect("embedded broker with an MQTT 5 listener");
    let url = broker.v5_url().unwrap();
    let mut profile = Profile::new("v5", &url);
    profile.mqtt_version = MqttVersion::V5;
    profile.subscriptions = vec![Subscription::new("#")];
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), Some(StartConnect::Ready(Box::new(profile.clone()))));
    step_until(&mut h, "connected and subscribed", |h| {
        connected(h)
            && h.state()
                .state
                .conn()
                .subscriptions
                .iter()
                .all(|s| s.status.starts_with("granted"))
    });

    // A message with properties from another MQTT 5 client.
    let feeder = WorkerHandle::spawn(None).unwrap();
    let mut feeder_profile = profile;
    // It also listens for what the panel publishes.
    feeder_profile.subscriptions = vec![Subscription {
        filter: "lab/v5/set".into(),
        qos: 1,
    }];
    // Its own client id: a second connection with the app's would take the app's place.
    feeder_profile.client_id = "feeder-v5".into();
    feeder
        .send_blocking(Command::Connect(Box::new(feeder_profile)))
        .unwrap();
    let mut req = PublishRequest::new(1, "lab/v5/door", "open", 1, false);
    req.properties = Some(Box::new(MessageProperties {
        content_type: Some("text/plain".into()),
        message_expiry_secs: Some(3600),
        user_properties: vec![("sensor".into(), "esp32-07".into()), ("battery".into(), "87%".into())],
        ..MessageProperties::default()
    }));
    feeder.send_blocking(Command::Publish(req)).unwrap();

    step_until(&mut h, "the topic is in the tree", |h| has_label(h, "lab"));
    select_topic(&mut h, "door");
    step_until(&mut h, "the user properties show", |h| {
        has_label_containing(h, "sensor = esp32-07") && has_label_containing(h, "battery = 87%")
    });
    assert!(has_label(&h, "Content type text/plain"), "the content type is shown");
    assert!(has_label_containing(&h, "Message expiry"));
    // The broker forwards the remaining lifetime; a second or two may have passed.
    assert!(
        ["3600 s", "3599 s", "3598 s"]
            .iter()
            .any(|l| has_label(&h, &format!("Message expiry {l}"))),
        "the message expiry is shown in seconds"
    );

    // The publish panel offers the properties on an MQTT 5 connection.
    h.get_by_label("MQTT 5 properties").click();
    h.step();
    for label in [
        "Content type",
        "Response topic",
        "Correlation data",
        "Message expiry (s)",
    ] {
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, label);
    }
    h.get_by_label("Add user property").click_accesskit();
    step_until(&mut h, "a user property row", |h| has_label(h, "Key 1"));
    h.get_by_label("Key 1").set_text_value_accesskit("origin");
    h.get_by_label("Value 1").set_text_value_accesskit("panel");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Response topic")
        .set_text_value_accesskit("lab/v5/ack");
    h.get_by_label("Topic").set_text_value_accesskit("lab/v5/set");
    h.get_by_label("Payload").set_text_value_accesskit("close");
    h.step();
    // The open properties push these below the panel's fold: click through accesskit.
    h.get_by_label("QoS 1").click_accesskit();
    h.step();
    h.get_by_label("Publish").click_accesskit();
    step_until(&mut h, "the broker acknowledged", |h| {
        has_label_containing(h, "acknowledged")
    });
    let deadline = Instant::now() + WAIT;
    let received = loop {
        match feeder.events.recv_deadline(deadline) {
            Ok(Event::Messages(batch)) => {
                if let Some(m) = batch.into_iter().find(|m| m.topic == "lab/v5/set") {
                    break m;
                }
            }
            Ok(_) => {}
            Err(_) => panic!("the panel's publish did not arrive"),
        }
    };
    let p = received.properties.expect("sent with properties");
    assert_eq!(p.user_properties, [("origin".to_owned(), "panel".to_owned())]);
    assert_eq!(p.response_topic.as_deref(), Some("lab/v5/ack"));
    assert_eq!(p.content_type, None, "empty fields are not sent");
}

/// MQTT 3.1.1 delivers messages retained while connected with retain=0, so the tree does
/// not know them all: "Clear retained below…" asks the broker with a probe, clears what
/// it holds, checks that nothing is left, and says so.
#[test]
fn clear_retained_below_clears_what_the_broker_holds_not_only_what_the_tree_knows() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[
            ("home/hall/light", "on", true),
            ("home/hall/door", "shut", true),
            ("home/kitchen/temp", "21", true),
        ],
    );
    step_until(&mut h, "the three topics arrived", |h| {
        h.state().state.conn().model.tree().topic_count() >= 3
    });
    select_topic(&mut h, "home");
    h.get_by_label("Clear retained below…").click();
    h.step();
    h.step();
    h.get_by_label("Clear all under home/#").click();
    step_until(&mut h, "the outcome is reported", |h| {
        h.state()
            .state
            .notices
            .iter()
            .any(|n| n.text.contains("cleared 3 retained messages under home/#; none left"))
    });
    // A fresh subscriber gets nothing retained any more.
    let worker = WorkerHandle::spawn(None).unwrap();
    let mut p = topicscope::profiles::Profile::new("check", broker.url());
    p.subscriptions = vec![topicscope::profiles::Subscription::new("home/#")];
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    let deadline = Instant::now() + std::time::Duration::from_secs(2);
    while let Ok(ev) = worker.events.recv_deadline(deadline) {
        if let Event::Messages(batch) = ev {
            assert!(batch.iter().all(|m| m.payload.is_empty()), "still retained: {batch:?}");
        }
    }
}

#[test]
fn the_selected_row_stays_where_it_was_while_topics_arrive_above_it() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let before: Vec<String> = (0..6).map(|i| format!("b{i:02}/x")).collect();
    let mut first: Vec<(&str, &str, bool)> = before.iter().map(|t| (t.as_str(), "1", false)).collect();
    first.push(("zz/sensor", "21.5", false));
    // Rows below it too, so the tree can scroll as far as keeping it in place needs.
    let after: Vec<String> = (0..60).map(|i| format!("zz{i:02}/x")).collect();
    first.extend(after.iter().map(|t| (t.as_str(), "1", false)));
    feed(&broker, &first);
    step_until(&mut h, "the first topics arrived", |h| {
        h.state().state.conn().model.tree().topic_count() == 67
    });
    // The tree's row (the leftmost "zz": the inspector names the topic too).
    let row = |h: &AppHarness| {
        h.query_all_by_label("zz")
            .map(|n| n.rect())
            .min_by(|a, b| a.min.x.total_cmp(&b.min.x))
            .expect("the zz row")
    };
    h.query_all_by_label("zz")
        .min_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x))
        .expect("the zz row")
        .click();
    h.step();
    h.step();
    let row_y = |h: &AppHarness| row(h).min.y;
    let y0 = row_y(&h);

    // Forty top-level topics sorted before it: forty rows inserted above the selection.
    let above: Vec<String> = (0..40).map(|i| format!("a{i:02}/x")).collect();
    let more: Vec<(&str, &str, bool)> = above.iter().map(|t| (t.as_str(), "1", false)).collect();
    feed(&broker, &more);
    step_until(&mut h, "the new topics arrived", |h| {
        h.state().state.conn().model.tree().topic_count() == 107
    });
    for _ in 0..4 {
        h.step();
    }
    let y1 = row_y(&h);
    assert!(
        (y1 - y0).abs() <= 1.0,
        "the selected row moved from y = {y0} to y = {y1} while rows arrived above it"
    );
}

#[test]
fn on_a_laptop_screen_the_hex_dump_fits_the_inspector() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let screen = [1024.0, 700.0];
    let mut h = app_sized(dir.path(), Some(StartConnect::Broker(broker.url())), screen);
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "subscribed", |h| {
        let subs = &h.state().state.conn().subscriptions;
        subs.iter().all(|s| s.status != "pending") && subs.iter().any(|s| s.status.starts_with("granted"))
    });
    let payload = "{\"Time\":\"2026-12-02T13:00:36\",\"ENERGY\":{\"Total\":12.412}}";
    feed(&broker, &[("tele/tasmota/SENSOR", payload, false)]);
    step_until(&mut h, "the topic is in the tree", |h| has_label(h, "tele"));
    select_topic(&mut h, "SENSOR");
    h.get_by_label("Hex").click();
    step_until(&mut h, "the hex dump shows", |h| has_label_containing(h, "7b 22 54 69"));
    // Eight bytes a line here: the second line starts at offset 8, and every line,
    // text column included, ends inside the window.
    assert!(has_label_containing(&h, "00000008  "), "eight bytes a line at 1024 px");
    let lines: Vec<egui::Rect> = h.query_all_by_label_contains("00000").map(|n| n.rect()).collect();
    assert!(lines.len() >= 7, "the 58 bytes on 8 lines: {lines:?}");
    for r in lines {
        assert!(r.max.x <= screen[0], "a hex line ends at x = {}", r.max.x);
    }
}

/// "Plot into" only beside what can be plotted, and "Encoding" only beside what has
/// text to read: not beside an image.
#[test]
fn plot_into_is_offered_only_for_what_can_be_plotted() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let jpeg: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1];
    feed_raw(
        &broker,
        &[
            ("cam/frame", jpeg, false),
            ("cam/note", b"lens cleaned today", false),
            ("cam/temp", b"{\"celsius\": 41.5}", false),
        ],
    );
    step_until(&mut h, "the topics are in the tree", |h| {
        h.state().state.conn().model.tree().topic_count() == 3
    });
    for (level, offered) in [("frame", false), ("note", false), ("temp", true)] {
        select_topic(&mut h, level);
        step_until(&mut h, "the inspector shows it", |h| {
            has_label(h, &format!("cam/{level}"))
        });
        assert_eq!(has_label(&h, "Plot into"), offered, "cam/{level}");
        assert_eq!(has_label(&h, "Encoding"), level != "frame", "cam/{level}");
    }
}
