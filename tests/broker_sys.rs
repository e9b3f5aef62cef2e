//! The Broker pane against real brokers on 127.0.0.1, in the real window: a live
//! mosquitto publishing `$SYS` every second is read into figures and charts; mosquitto
//! with `$SYS` off is called silent; rumqttd's refusal of `$SYS/#` stays on
//! screen with its reason (Broker pane, subscriptions pane, empty tree), and a `#` that
//! brings nothing is explained in the empty tree. mosquitto is required: these tests
//! fail when it is missing.

mod common;

use common::window::*;
use common::{TestBroker, mosquitto_path};
use egui_kittest::kittest::Queryable as _;
use topicscope::model::broker_sys::{BrokerKind, Flow, Metric, SysState};
use topicscope::ui::{Action, Pane};

/// mosquitto with these config lines, or a failure saying why.
fn mosquitto(conf: &str) -> TestBroker {
    assert!(
        mosquitto_path().is_some(),
        "these tests need mosquitto (apt-get install mosquitto); it is not installed"
    );
    TestBroker::mosquitto_with_conf(conf).expect("mosquitto is installed")
}

fn show_broker_pane(h: &mut AppHarness) {
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Broker));
    h.step();
    h.step();
}

#[test]
fn a_live_mosquitto_fills_the_broker_pane() {
    let broker = mosquitto("sys_interval 1");
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[
            ("esp32/kitchen/temp", "21.5", true),
            ("esp32/garage/temp", "9.0", true),
            ("esp32/kitchen/temp", "21.6", false),
        ],
    );
    step_until(&mut h, "mosquitto's figures arrived", |h| {
        let sys = &h.state().state.conn().broker_sys;
        let s = sys.stats();
        sys.kind() == Some(BrokerKind::Mosquitto)
            && s.uptime_secs.is_some()
            && s.value(Metric::Retained).is_some_and(|r| r >= 2.0)
            && s.value(Metric::ClientsConnected).is_some_and(|c| c >= 1.0)
            && s.rate(Flow::MessagesIn).is_some_and(|r| r > 0.0)
    });
    let version = h.state().state.conn().broker_sys.stats().version.clone().unwrap();
    assert!(version.starts_with("mosquitto version 2."), "{version}");
    assert_eq!(
        h.state()
            .state
            .conn()
            .broker_sys
            .state(topicscope::app::now_secs(), true),
        SysState::Publishing
    );

    show_broker_pane(&mut h);
    step_until(&mut h, "the pane shows the version", |h| has_label(h, &version));
    for label in [
        "Uptime",
        "Clients connected",
        "Messages in",
        "Retained messages",
        "Subscriptions",
    ] {
        assert!(has_label(&h, label), "{label} is shown");
    }
    // The retained count as the broker states it, and the load charts.
    let retained = h
        .state()
        .state
        .conn()
        .broker_sys
        .stats()
        .value(Metric::Retained)
        .unwrap();
    step_until(&mut h, "the retained count shows", |h| {
        has_label(
            h,
            &(h.state()
                .state
                .conn()
                .broker_sys
                .stats()
                .value(Metric::Retained)
                .unwrap() as u64)
                .to_string(),
        )
    });
    assert!(retained >= 2.0);
    assert!(has_label(&h, "Messages per second"));
    assert!(
        !has_label_containing(&h, "No load figures yet"),
        "the charts have points"
    );
}

#[test]
fn mosquitto_with_sys_off_is_called_silent_and_unsubscribing_offers_the_button() {
    let broker = mosquitto("sys_interval 0");
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    h.state_mut().state.conn_mut().broker_sys.set_silence_secs(1.5);
    show_broker_pane(&mut h);
    step_until(&mut h, "the pane calls the broker silent", |h| {
        has_label(h, "This broker publishes no $SYS topics.")
    });
    assert_eq!(h.state().state.conn().broker_sys.messages(), 0);

    // Without a `$SYS` subscription the pane says so and offers one.
    h.state_mut().state.unsubscribe("$SYS/#");
    h.step();
    h.step();
    assert!(has_label_containing(&h, "does not subscribe to $SYS"));
    h.get_by_label("Subscribe to $SYS/#").click();
    step_until(&mut h, "subscribed to $SYS again", |h| {
        h.state()
            .state
            .conn()
            .subscriptions
            .iter()
            .any(|s| s.filter == "$SYS/#" && s.status.starts_with("granted"))
    });
    assert!(!has_label_containing(&h, "does not subscribe to $SYS"));
}

/// rumqttd alone (as brokers built on it run, without Topicscope's front, which grants
/// the filter) closes the connection on `$SYS/#`; the app gives the filter up, and the
/// Broker pane and the subscriptions pane keep saying why.
#[cfg(feature = "broker")]
#[test]
fn a_refused_sys_subscription_stays_explained() {
    let rumqttd = topicscope::broker::start_embedded(topicscope::broker::EmbeddedBrokerConfig::default())
        .expect("rumqttd starts");
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), Some(topicscope::app::StartConnect::Broker(rumqttd.url())));
    step_until(&mut h, "connected, $SYS/# given up and # granted", |h| {
        let subs = &h.state().state.conn().subscriptions;
        connected(h)
            && subs.iter().all(|s| s.status != "pending")
            && subs.iter().any(|s| s.filter == "#" && s.status.starts_with("granted"))
    });
    let refused = h
        .state()
        .state
        .conn()
        .sys_refused()
        .map(|s| s.shown())
        .expect("the embedded broker refuses $SYS/#");
    show_broker_pane(&mut h);
    assert!(
        has_label_containing(&h, "The broker refused $SYS/#"),
        "the refusal is in the Broker pane"
    );
    assert!(has_label_containing(&h, &refused));
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Subscriptions));
    h.step();
    h.step();
    assert!(has_label(&h, &refused), "the subscriptions pane keeps the reason");
    assert!(has_label_containing(&h, "A refused filter stays here"));

    // The empty tree says which filter was refused, and, in time, that `#` brought nothing.
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Tree));
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "The broker refused $SYS/#"),
        "the tree names the refusal"
    );
    assert!(!has_label_containing(&h, "# was granted"), "not silent yet");
    step_until(&mut h, "the tree explains the silent #", |h| {
        has_label_containing(h, "# was granted")
    });
    assert!(h.state().state.conn().model.tree().topic_count() == 0);
    // The subscriptions pane says it too, on the filter's row.
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Subscriptions));
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, ", nothing for "),
        "the # row says it is silent"
    );
    // One message, and it is silent no more.
    feed_url(&rumqttd.url(), &[("esp32/kitchen/temp", b"21.5", false)]);
    step_until(&mut h, "the message arrived", |h| {
        h.state().state.conn().model.tree().topic_count() > 0
    });
    h.step();
    assert!(!has_label_containing(&h, ", nothing for "));
}
