//! RabbitMQ 3.x (its MQTT plugin) on 127.0.0.1, in the real window. RabbitMQ sends a
//! retained message only to a subscription of that exact topic, never through `+` or
//! `#`, grants QoS 1 where QoS 2 is asked, and publishes no `$SYS`: a `#` there shows
//! live messages but no retained value, which the app explains in the subscriptions
//! pane and the Broker pane, and the advice it gives (subscribe to the topic itself)
//! brings the retained value. RabbitMQ is required: `.ci/run` installs it, and the test
//! fails when it is missing.

mod common;

use common::TestBroker;
use common::window::*;
use topicscope::app::StartConnect;
use topicscope::ui::{Action, Pane};

const TOPIC: &str = "farm/温室/temp";

#[test]
fn rabbitmq_keeps_retained_messages_from_wildcards_and_the_app_says_so() {
    let broker = TestBroker::rabbitmq();
    // A retained value from before the window connects, then live messages.
    feed(&broker, &[(TOPIC, "21.5", true)]);
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), Some(StartConnect::Broker(broker.url())));
    step_until(&mut h, "connected", connected);
    step_until(&mut h, "subscribed", |h| {
        let subs = &h.state().state.conn().subscriptions;
        subs.iter().all(|s| s.status != "pending")
            && subs.iter().any(|s| s.filter == "#" && s.status.starts_with("granted"))
    });
    h.state_mut().state.conn_mut().broker_sys.set_silence_secs(1.5);
    // A QoS 2 wildcard, which RabbitMQ grants as QoS 1.
    h.state_mut().state.subscribe("farm/#", 2).unwrap();
    step_until(&mut h, "farm/# granted", |h| {
        h.state()
            .state
            .conn()
            .subscriptions
            .iter()
            .any(|s| s.filter == "farm/#" && s.status.starts_with("granted"))
    });
    let farm = h
        .state()
        .state
        .conn()
        .subscriptions
        .iter()
        .find(|s| s.filter == "farm/#")
        .unwrap()
        .status
        .clone();
    assert_eq!(farm, "granted QoS 1", "RabbitMQ grants QoS 1 for QoS 2");
    feed(&broker, &[(TOPIC, "21.6", false)]);
    step_until(&mut h, "the live message arrived", |h| {
        h.state().state.conn().model.tree().find(TOPIC).is_some()
    });
    assert_eq!(
        h.state().state.conn().stats.retained_received,
        0,
        "no retained value came through #"
    );

    run_action(&mut h, Action::ShowPane(Pane::Subscriptions));
    step_until(&mut h, "the subscriptions pane explains it", |h| {
        has_label_containing(h, "as RabbitMQ does")
    });
    assert!(has_label_containing(&h, "only to a subscription of that exact topic"));
    run_action(&mut h, Action::ShowPane(Pane::Broker));
    assert!(has_label(&h, "This broker publishes no $SYS topics."));
    assert!(
        has_label_containing(&h, "as RabbitMQ does"),
        "the Broker pane says it too"
    );

    // The advice works: the topic itself brings its retained value, and the hint goes.
    h.state_mut().state.subscribe(TOPIC, 1).unwrap();
    step_until(&mut h, "the retained value came", |h| {
        h.state().state.conn().stats.retained_received > 0
    });
    let tree = h.state().state.conn().model.tree();
    let id = tree.find(TOPIC).unwrap();
    assert_eq!(&tree.last_message(id).unwrap().payload[..], b"21.5");
    h.step();
    assert!(!has_label_containing(&h, "as RabbitMQ does"));
}
