//! MQTT 5 against real brokers on 127.0.0.1: mosquitto (a child process, required in CI)
//! and, where it supports the feature, the embedded rumqttd's MQTT 5 listener. Message
//! properties both ways, reason codes of refused connects, subscribes and publishes,
//! session expiry, re-subscribing after a restart, and the `sub` command.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{TestBroker, mosquitto_clients_available, mosquitto_pub_with};
use topicscope::broker::{EmbeddedBrokerConfig, RunningBroker, start_embedded};
use topicscope::model::{Message, MessageProperties, Model};
use topicscope::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::{MqttVersion, Profile};

const WAIT: Duration = Duration::from_secs(15);

/// An MQTT 5 broker under test; the handles keep it alive.
struct V5Broker {
    name: &'static str,
    url: String,
    _mosquitto: Option<TestBroker>,
    _embedded: Option<RunningBroker>,
}

/// The embedded broker's MQTT 5 listener (in this process: rumqttd cannot be stopped,
/// which these tests do not need), then mosquitto when installed.
fn v5_brokers() -> Vec<V5Broker> {
    let embedded = start_embedded(EmbeddedBrokerConfig {
        bind_v5: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        ..EmbeddedBrokerConfig::default()
    })
    .expect("start the embedded broker with an MQTT 5 listener");
    let mut all = vec![V5Broker {
        name: "embedded",
        url: embedded.v5_url().expect("an MQTT 5 listener"),
        _mosquitto: None,
        _embedded: Some(embedded),
    }];
    all.extend(TestBroker::mosquitto().map(|m| V5Broker {
        name: "mosquitto",
        url: m.url(),
        _mosquitto: Some(m),
        _embedded: None,
    }));
    all
}

fn v5_profile(url: &str, filters: &[(&str, u8)]) -> Profile {
    let mut p = common::worker_fixture::profile_for_url("v5 test", url, filters);
    p.mqtt_version = MqttVersion::V5;
    p
}

/// A worker connected with `profile`, after the broker answered every subscription.
fn connect(profile: Profile) -> WorkerHandle {
    let wanted = profile.subscriptions.len();
    let worker = WorkerHandle::spawn(None).expect("spawn worker");
    worker.send_blocking(Command::Connect(Box::new(profile))).unwrap();
    let mut answered = 0;
    let mut connected = false;
    wait_for(&worker, "connected and subscribed", |ev| {
        match ev {
            Event::State(ConnectionState::Connected { .. }) => connected = true,
            Event::State(ConnectionState::Reconnecting { reason, .. }) => panic!("connect failed: {reason}"),
            Event::Subscribed { .. } | Event::SubscribeFailed { .. } => answered += 1,
            _ => {}
        }
        connected && answered == wanted
    });
    worker
}

/// Consumes events until `done` says so; panics after [`WAIT`].
fn wait_for(worker: &WorkerHandle, what: &str, mut done: impl FnMut(&Event) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(ev) if done(&ev) => return,
            Ok(_) => {}
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

fn one_message(worker: &WorkerHandle) -> Message {
    let mut got = None;
    wait_for(worker, "a message", |ev| {
        if let Event::Messages(batch) = ev {
            got = batch.first().cloned();
        }
        got.is_some()
    });
    got.unwrap()
}

fn every_property() -> MessageProperties {
    MessageProperties {
        content_type: Some("application/json".into()),
        response_topic: Some("v5/replies/esp32-01".into()),
        correlation_data: Some(Bytes::from_static(&[0x00, 0xfe, 0x42])),
        message_expiry_secs: Some(600),
        payload_format_utf8: Some(true),
        user_properties: vec![
            ("sensor".into(), "esp32-01".into()),
            ("unit".into(), "°C".into()),
            ("sensor".into(), "again".into()),
        ],
    }
}

#[test]
fn a_publish_with_every_property_round_trips() {
    for broker in v5_brokers() {
        let receiver = connect(v5_profile(&broker.url, &[("v5/props/#", 1)]));
        let sender = connect(v5_profile(&broker.url, &[]));
        let mut req = PublishRequest::new(7, "v5/props/temp", "{\"t\": 21.5}", 1, false);
        req.properties = Some(Box::new(every_property()));
        sender.send_blocking(Command::Publish(req)).unwrap();
        wait_for(&sender, "the publish acknowledged", |ev| match ev {
            Event::PublishFailed { reason, .. } => panic!("{}: publish failed: {reason}", broker.name),
            ev => matches!(ev, Event::PublishAcked { id: 7 }),
        });

        let msg = one_message(&receiver);
        assert_eq!(msg.topic, "v5/props/temp", "{}", broker.name);
        let got = msg
            .properties
            .as_deref()
            .cloned()
            .unwrap_or_else(|| panic!("{}: the message arrived without properties", broker.name));
        let expected = every_property();
        // Brokers forward the remaining lifetime, which may have ticked down.
        let expiry = got.message_expiry_secs.expect("message expiry forwarded");
        assert!((590..=600).contains(&expiry), "{}: expiry {expiry}", broker.name);
        assert_eq!(
            MessageProperties {
                message_expiry_secs: expected.message_expiry_secs,
                ..got
            },
            expected,
            "{}",
            broker.name
        );
    }
}

#[test]
fn mosquitto_pub_v5_properties_land_in_the_model() {
    let Some(broker) = TestBroker::mosquitto() else { return };
    assert!(
        mosquitto_clients_available(),
        "mosquitto_pub is installed with mosquitto"
    );
    let worker = connect(v5_profile(&broker.url(), &[("interop/#", 0)]));
    mosquitto_pub_with(
        &broker,
        &[
            "-V",
            "mqttv5",
            "-t",
            "interop/relay",
            "-m",
            "ON",
            "-D",
            "publish",
            "user-property",
            "origin",
            "mosquitto_pub",
            "-D",
            "publish",
            "content-type",
            "text/plain",
            "-D",
            "publish",
            "response-topic",
            "interop/relay/ack",
            "-D",
            "publish",
            "correlation-data",
            "req-9",
        ],
    );
    let msg = one_message(&worker);
    let mut model = Model::default();
    let id = model.ingest(msg);
    let stored = model.tree().last_message(id).expect("stored");
    assert_eq!(model.tree().full_topic(id), "interop/relay");
    let props = stored.properties().expect("properties kept in the model");
    assert_eq!(
        props.user_properties,
        vec![("origin".to_owned(), "mosquitto_pub".to_owned())]
    );
    assert_eq!(props.content_type.as_deref(), Some("text/plain"));
    assert_eq!(props.response_topic.as_deref(), Some("interop/relay/ack"));
    assert_eq!(props.correlation_data.as_deref(), Some(&b"req-9"[..]));
    assert_eq!(props.message_expiry_secs, None);
}

#[test]
fn a_refused_connect_gives_the_reason_code_in_words_and_never_the_password() {
    let Some(broker) = TestBroker::mosquitto_with_password("alice", "s3cret-pw") else {
        return;
    };
    let mut profile = v5_profile(&broker.url(), &[]);
    profile.username = Some("alice".into());
    profile.password = Some("wrong-pw-123".into());
    let worker = WorkerHandle::spawn(None).unwrap();
    worker.send_blocking(Command::Connect(Box::new(profile))).unwrap();
    let mut reason = String::new();
    wait_for(&worker, "the refusal", |ev| {
        if let Event::State(ConnectionState::Reconnecting { reason: r, .. }) = ev {
            reason = r.clone();
            return true;
        }
        false
    });
    // mosquitto 2.0 answers 0x87; the specification suggests 0x86: either is the broker's word.
    assert!(
        reason == "the broker refused the connection: Not authorized (0x87)"
            || reason == "the broker refused the connection: Bad user name or password (0x86)",
        "{reason}"
    );

    let out = topicscope(&[
        "sub",
        "--broker",
        &broker.url(),
        "--mqtt-version",
        "5",
        "-u",
        "alice",
        "-P",
        "wrong-pw-123",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("the broker refused the connection: "), "{stderr}");
    assert!(stderr.contains("(0x8"), "{stderr}");
    assert!(!stderr.contains("wrong-pw-123"), "{stderr}");
}

/// Anonymous clients may not subscribe to or publish on `secret/#`.
const NO_SECRETS: &str = r#"{
  "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": true, "unsubscribe": true},
  "clients": [],
  "groups": [{"groupname": "anonymous", "roles": [{"rolename": "no-secrets"}]}],
  "anonymousGroup": "anonymous",
  "roles": [{"rolename": "no-secrets", "acls": [
    {"acltype": "subscribePattern", "topic": "secret/#", "priority": 0, "allow": false},
    {"acltype": "publishClientSend", "topic": "secret/#", "priority": 0, "allow": false}
  ]}]
}"#;

#[test]
fn refused_subscribes_and_publishes_give_the_reason_code_in_words() {
    let Some(broker) = TestBroker::mosquitto_with_dynsec(NO_SECRETS) else {
        return;
    };
    let worker = WorkerHandle::spawn(None).unwrap();
    let profile = v5_profile(&broker.url(), &[("secret/#", 0), ("open/#", 1)]);
    worker.send_blocking(Command::Connect(Box::new(profile))).unwrap();
    let (mut refused, mut granted) = (None, None);
    wait_for(&worker, "both subscriptions answered", |ev| {
        match ev {
            Event::SubscribeFailed { filter, reason } => refused = Some((filter.clone(), reason.clone())),
            Event::Subscribed { filter, qos } => granted = Some((filter.clone(), *qos)),
            _ => {}
        }
        refused.is_some() && granted.is_some()
    });
    assert_eq!(
        refused,
        Some(("secret/#".to_owned(), "Not authorized (0x87)".to_owned()))
    );
    assert_eq!(granted, Some(("open/#".to_owned(), 1)));

    // A refused QoS 1 publish ends at PUBACK, a QoS 2 one at PUBREC; an allowed one is acked.
    for (id, qos) in [(1, 1), (2, 2)] {
        let req = PublishRequest::new(id, "secret/door", "open", qos, false);
        worker.send_blocking(Command::Publish(req)).unwrap();
        wait_for(&worker, "the refused publish", |ev| match ev {
            Event::PublishFailed { id: got, reason } if *got == id => {
                assert_eq!(reason, "the broker refused it: Not authorized (0x87)");
                true
            }
            Event::PublishAcked { id: got } if *got == id => panic!("QoS {qos} publish to secret/ was acked"),
            _ => false,
        });
    }
    worker
        .send_blocking(Command::Publish(PublishRequest::new(3, "open/door", "x", 2, false)))
        .unwrap();
    wait_for(&worker, "the allowed publish acked", |ev| {
        matches!(ev, Event::PublishAcked { id: 3 })
    });

    let out = topicscope(&[
        "sub",
        "--broker",
        &broker.url(),
        "--mqtt-version",
        "5",
        "-t",
        "secret/x",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(
        stderr.trim(),
        "topicscope: subscription to 'secret/x' failed: Not authorized (0x87)"
    );
}

#[test]
fn session_expiry_keeps_the_session_while_disconnected() {
    let Some(broker) = TestBroker::mosquitto() else { return };
    let mut profile = v5_profile(&broker.url(), &[("kept/#", 1)]);
    profile.client_id = "topicscope-v5-session".into();
    profile.clean_session = false;
    profile.session_expiry_secs = Some(300);
    let worker = connect(profile.clone());
    worker.send_blocking(Command::Disconnect).unwrap();
    wait_for(&worker, "disconnected", |ev| {
        matches!(ev, Event::State(ConnectionState::Disconnected { .. }))
    });
    // Published while the client is away: the broker queues it in the kept session.
    let sender = connect(v5_profile(&broker.url(), &[]));
    sender
        .send_blocking(Command::Publish(PublishRequest::new(
            1,
            "kept/while-away",
            "queued",
            1,
            false,
        )))
        .unwrap();
    wait_for(&sender, "acked", |ev| matches!(ev, Event::PublishAcked { id: 1 }));

    worker.send_blocking(Command::Connect(Box::new(profile))).unwrap();
    let msg = one_message(&worker);
    assert_eq!(
        (msg.topic.as_str(), &msg.payload[..]),
        ("kept/while-away", &b"queued"[..])
    );
}

#[test]
fn resubscribes_after_the_broker_restarts() {
    let Some(mut broker) = TestBroker::mosquitto() else {
        return;
    };
    let worker = connect(v5_profile(&broker.url(), &[("restart/#", 1)]));
    broker.restart();
    wait_for(
        &worker,
        "reconnected and subscribed again",
        |ev| matches!(ev, Event::Subscribed { filter, .. } if filter == "restart/#"),
    );
    publish_from_another_client(&broker, "restart/after", "back");
    let msg = one_message(&worker);
    assert_eq!((msg.topic.as_str(), &msg.payload[..]), ("restart/after", &b"back"[..]));
}

fn publish_from_another_client(broker: &TestBroker, topic: &str, payload: &str) {
    let sender = connect(v5_profile(&broker.url(), &[]));
    sender
        .send_blocking(Command::Publish(PublishRequest::new(
            1,
            topic,
            payload.to_owned(),
            1,
            false,
        )))
        .unwrap();
    wait_for(&sender, "acked", |ev| matches!(ev, Event::PublishAcked { id: 1 }));
}

#[test]
fn pub_and_sub_speak_mqtt5_and_sub_prints_properties_as_json() {
    for broker in v5_brokers() {
        let mut sub = Process::new(env!("CARGO_BIN_EXE_topicscope"))
            .args(["sub", "--broker", &broker.url, "--mqtt-version", "5", "-t", "cli5/#"])
            .args(["-C", "1", "-F", "json", "--session-expiry", "0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `sub` has no "subscribed" signal: a retained message arrives whichever is first.
        let out = topicscope(&[
            "pub",
            "--broker",
            &broker.url,
            "--mqtt-version",
            "5",
            "-t",
            "cli5/status",
            "-m",
            "online",
            "-q",
            "1",
            "-r",
            "--content-type",
            "text/plain",
            "--response-topic",
            "cli5/ack",
            "--correlation-data",
            "req-1",
            "--message-expiry",
            "120",
            "--user-property",
            "fw=1.2.3",
            "--user-property",
            "build=a=b",
        ]);
        assert!(
            out.status.success(),
            "{}: pub: {}",
            broker.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let out = wait_with_timeout(&mut sub);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}: sub: {}",
            broker.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let line: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
        assert_eq!(line["topic"], "cli5/status", "{}", broker.name);
        assert_eq!(line["payload"], "online");
        let props = &line["properties"];
        assert_eq!(props["content_type"], "text/plain", "{}: {line}", broker.name);
        assert_eq!(props["response_topic"], "cli5/ack");
        assert_eq!(props["correlation_data"], "req-1");
        assert!(
            (110..=120).contains(&props["message_expiry_secs"].as_u64().unwrap_or(0)),
            "{line}"
        );
        assert_eq!(
            props["user_properties"],
            serde_json::json!([["fw", "1.2.3"], ["build", "a=b"]])
        );
    }
}

#[test]
fn mqtt5_only_flags_without_mqtt5_are_refused_before_connecting() {
    let out = topicscope(&["sub", "--broker", "mqtt://127.0.0.1:9", "--session-expiry", "60"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "topicscope: --session-expiry needs MQTT 5 (add --mqtt-version 5)"
    );
    let out = topicscope(&[
        "pub",
        "--broker",
        "mqtt://127.0.0.1:9",
        "-t",
        "a",
        "-m",
        "x",
        "--user-property",
        "k=v",
    ]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "topicscope: message properties need MQTT 5 (add --mqtt-version 5)"
    );
}

fn topicscope(args: &[&str]) -> std::process::Output {
    let mut child = Process::new(env!("CARGO_BIN_EXE_topicscope"))
        .args(args)
        .args(["--connect-timeout", "5"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_with_timeout(&mut child)
}

/// The child's output once it exits; killed (and the test failed) after [`WAIT`].
fn wait_with_timeout(child: &mut std::process::Child) -> std::process::Output {
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("topicscope did not exit within {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = std::process::Output {
        status: child.wait().unwrap(),
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    use std::io::Read as _;
    if let Some(mut s) = child.stdout.take() {
        s.read_to_end(&mut out.stdout).unwrap();
    }
    if let Some(mut s) = child.stderr.take() {
        s.read_to_end(&mut out.stderr).unwrap();
    }
    out
}

/// rumqttd 0.20 reuses a topic alias for another topic without resending the topic: asking
/// for no aliases keeps every message on its own topic.
#[test]
fn consecutive_messages_on_different_topics_keep_their_topics() {
    for broker in v5_brokers() {
        let receiver = connect(v5_profile(&broker.url, &[("alias/#", 0)]));
        let sender = connect(v5_profile(&broker.url, &[]));
        let topics = ["alias/one", "alias/two", "alias/three", "alias/one"];
        for (i, topic) in topics.iter().enumerate() {
            let req = PublishRequest::new(i as u64 + 1, *topic, format!("{i}"), 1, false);
            sender.send_blocking(Command::Publish(req)).unwrap();
        }
        let mut got = Vec::new();
        wait_for(&receiver, "four messages", |ev| {
            if let Event::Messages(batch) = ev {
                got.extend(
                    batch
                        .iter()
                        .map(|m| (m.topic.clone(), String::from_utf8_lossy(&m.payload).into_owned())),
                );
            }
            got.len() >= topics.len()
        });
        let expected: Vec<(String, String)> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| ((*t).to_owned(), i.to_string()))
            .collect();
        assert_eq!(got, expected, "{}", broker.name);
    }
}
