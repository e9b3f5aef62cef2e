//! MQTT over WebSockets (ws://) against mosquitto's websockets listener on 127.0.0.1,
//! with and without a path, through the `topicscope` binary and through the worker.
//! (wss:// is in tests/tls.rs, next to the other certificate tests.)

mod common;

use bytes::Bytes;
use common::run::{connect_worker, next_message, run_topicscope, text, wait_for};
use common::{Listener, TestBroker};
use topicscope::mqtt::{Command, Event, PublishRequest};
use topicscope::profiles::{Profile, Subscription};

#[test]
fn pub_and_sub_over_websockets_with_and_without_a_path() {
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::websockets()]) else {
        return;
    };
    let port = broker.listener_port(0);
    for url in [format!("ws://127.0.0.1:{port}"), format!("ws://127.0.0.1:{port}/mqtt")] {
        let payload = format!("via {url}");
        let out = run_topicscope(&["pub", "--broker", &url, "-t", "ws/x", "-m", &payload, "-r", "-q", "1"]);
        assert!(out.status.success(), "pub {url}: {}", text(&out.stderr));
        let out = run_topicscope(&["sub", "--broker", &url, "-t", "ws/#", "--count", "1"]);
        assert!(out.status.success(), "sub {url}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("ws/x {payload}\n"));
    }
    // What arrived over websockets is what a plain MQTT client sees.
    let out = run_topicscope(&["sub", "--broker", &broker.url(), "-t", "ws/#", "--count", "1"]);
    assert_eq!(text(&out.stdout), format!("ws/x via ws://127.0.0.1:{port}/mqtt\n"));
}

#[test]
fn the_worker_subscribes_and_publishes_over_websockets() {
    let Some(broker) = TestBroker::mosquitto_with_listeners(&[Listener::websockets()]) else {
        return;
    };
    let mut profile = Profile::new("ws", format!("ws://127.0.0.1:{}/mqtt", broker.listener_port(0)));
    profile.subscriptions = vec![Subscription {
        filter: "ws/#".into(),
        qos: 1,
    }];
    profile.connect_timeout_secs = 5;
    let worker = connect_worker(&profile).unwrap_or_else(|reason| panic!("ws:// connect: {reason}"));
    wait_for(&worker, "the subscription", |event| {
        matches!(event, Event::Subscribed { .. })
    });

    let request = PublishRequest::new(7, "ws/echo", Bytes::from_static(b"round trip"), 1, false);
    worker.send_blocking(Command::Publish(request)).unwrap();
    let message = next_message(&worker);
    assert_eq!(
        (message.topic.as_str(), &message.payload[..]),
        ("ws/echo", &b"round trip"[..])
    );
}

#[test]
fn a_websocket_address_on_a_plain_mqtt_port_fails_in_words() {
    let Some(broker) = TestBroker::mosquitto() else {
        return;
    };
    let url = format!("ws://127.0.0.1:{}", broker.port());
    let out = run_topicscope(&["sub", "--broker", &url, "--connect-timeout", "3"]);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(&format!("cannot connect to {url}/")), "{err}");
    assert!(err.contains("WebSocket"), "names the failing layer: {err}");
}
