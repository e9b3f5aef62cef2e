//! Saved commands, replies and repeats through the app layer ([`AppState`], driven as
//! the window drives it: `tick` and `drain_events` in a loop), against real brokers on
//! 127.0.0.1: mosquitto (required: a test that needs it fails when it is missing) and
//! the embedded broker with the demo fleet. What arrives is checked with clients of
//! their own (rumqttc, MQTT 3.1.1 and 5), not with the app's worker.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{BrokerKind, TestBroker, mosquitto_path};
use topicscope::app::repeats::RepeatSpec;
use topicscope::app::replies::ReplyOutcome;
use topicscope::app::{AppState, PublishOutcome};
use topicscope::model::saved_command::{ReplyWait, SavedCommand, SavedProperties};
use topicscope::profiles::{MqttVersion, Profile, Subscription};

/// History budget of the app under test.
const BUDGET_BYTES: usize = 64 << 20;
/// How long connecting and subscribing may take.
const CONNECT_LIMIT: Duration = Duration::from_secs(10);
/// How long a message may take to arrive once sent.
const ARRIVE_LIMIT: Duration = Duration::from_secs(5);

/// Mosquitto, or a failure saying why: these tests need a second, independent broker.
fn mosquitto() -> TestBroker {
    assert!(
        mosquitto_path().is_some(),
        "these tests need mosquitto (apt-get install mosquitto); it is not installed"
    );
    TestBroker::start(BrokerKind::Mosquitto)
}

/// One frame of the window: due repeats sent, reply waits expired, events applied.
fn frame(state: &mut AppState) {
    state.tick(Instant::now());
    state.drain_events(Duration::from_millis(4));
}

/// Runs frames (5 ms apart) until `done` holds; panics after `limit`.
fn drive_until(state: &mut AppState, what: &str, limit: Duration, done: impl FnMut(&AppState) -> bool) {
    assert!(
        try_drive_until(state, limit, done),
        "timed out after {limit:?} waiting for {what}"
    );
}

/// Runs frames (5 ms apart) until `done` holds (true) or `limit` has passed (false).
fn try_drive_until(state: &mut AppState, limit: Duration, mut done: impl FnMut(&AppState) -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        frame(state);
        if done(state) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Runs frames until a request is answered or `arrived` says the answer is in the tree,
/// then checks it was taken as the reply (the two happen in the same frame).
fn drive_until_reply(state: &mut AppState, arrived: impl Fn(&AppState) -> bool) {
    drive_until(state, "the reply", ARRIVE_LIMIT, |s| {
        !s.conn().replies.done.is_empty() || arrived(s)
    });
    assert!(
        !state.conn().replies.done.is_empty(),
        "the reply arrived (it is in the tree) but was not taken as the reply: \
         replies.done is empty, {} still waiting",
        state.conn().replies.waiting_count()
    );
}

/// Runs frames for `span` (to see that nothing more happens).
fn drive_for(state: &mut AppState, span: Duration) {
    let end = Instant::now() + span;
    while Instant::now() < end {
        frame(state);
        thread::sleep(Duration::from_millis(5));
    }
}

fn profile(name: &str, url: &str, filters: &[&str], version: MqttVersion) -> Profile {
    let mut p = Profile::new(name, url);
    p.subscriptions = filters
        .iter()
        .map(|f| Subscription {
            filter: (*f).to_owned(),
            qos: 1,
        })
        .collect();
    p.mqtt_version = version;
    p.connect_timeout_secs = 5;
    p
}

/// Connects `state` with `p` and runs frames until it is connected and every
/// subscription of the profile is granted.
fn connect(state: &mut AppState, p: Profile) {
    state.connect(p);
    drive_until(state, "connected and subscribed", CONNECT_LIMIT, |s| {
        s.conn().connected() && s.conn().subscriptions.iter().all(|x| x.status.starts_with("granted"))
    });
}

/// An app with its own config directory, connected to `url`.
fn open_app(url: &str, filters: &[&str], version: MqttVersion) -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    connect(&mut state, profile("bench", url, filters, version));
    (state, dir)
}

fn no_values() -> BTreeMap<String, String> {
    BTreeMap::new()
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A command with defaults for everything but its name, topic and payload.
fn command(name: &str, topic: &str, payload: &str) -> SavedCommand {
    SavedCommand {
        name: name.into(),
        topic: topic.into(),
        payload: payload.into(),
        format: "text".into(),
        qos: 1,
        ..SavedCommand::default()
    }
}

/// Payloads an outside MQTT 3.1.1 client received, in arrival order.
struct Collector {
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
    client: rumqttc::Client,
}

impl Collector {
    /// Subscribed to `filter` at QoS 1 (returns once the broker granted it).
    fn start(broker: &TestBroker, filter: &str) -> Collector {
        let id = format!("collector-{:08x}", rand::random::<u32>());
        let (client, mut connection) = rumqttc::Client::new(broker.client_options(&id), 100);
        client.subscribe(filter, rumqttc::QoS::AtLeastOnce).unwrap();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let (ready, subscribed) = mpsc::channel();
        let sink = Arc::clone(&messages);
        thread::Builder::new()
            .name("test-collector".into())
            .spawn(move || {
                for ev in connection.iter() {
                    match ev {
                        Ok(rumqttc::Event::Incoming(rumqttc::Packet::Publish(p))) => {
                            sink.lock().unwrap().push(p.payload.to_vec());
                        }
                        Ok(rumqttc::Event::Incoming(rumqttc::Packet::SubAck(_))) => {
                            let _ = ready.send(());
                        }
                        Ok(rumqttc::Event::Outgoing(rumqttc::Outgoing::Disconnect)) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
            })
            .unwrap();
        subscribed
            .recv_timeout(CONNECT_LIMIT)
            .expect("the collector connected and subscribed");
        Collector { messages, client }
    }

    fn len(&self) -> usize {
        self.messages.lock().unwrap().len()
    }

    fn payloads(&self) -> Vec<Vec<u8>> {
        self.messages.lock().unwrap().clone()
    }

    /// The payloads as JSON.
    fn json(&self) -> Vec<serde_json::Value> {
        self.payloads()
            .iter()
            .map(|p| serde_json::from_slice(p).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(p))))
            .collect()
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.client.disconnect();
    }
}

/// A device on MQTT 3.1.1 answering each message on `cmnd` with `answer` on `stat`.
struct Device {
    client: rumqttc::Client,
}

impl Device {
    fn start(broker: &TestBroker, cmnd: &str, stat: &str, answer: &str) -> Device {
        let id = format!("device-{:08x}", rand::random::<u32>());
        let (client, mut connection) = rumqttc::Client::new(broker.client_options(&id), 100);
        client.subscribe(cmnd, rumqttc::QoS::AtLeastOnce).unwrap();
        let (ready, subscribed) = mpsc::channel();
        let replier = client.clone();
        let (stat, answer) = (stat.to_owned(), answer.to_owned());
        thread::Builder::new()
            .name("test-device".into())
            .spawn(move || {
                for ev in connection.iter() {
                    match ev {
                        Ok(rumqttc::Event::Incoming(rumqttc::Packet::Publish(_))) => {
                            let _ = replier.try_publish(&stat, rumqttc::QoS::AtLeastOnce, false, answer.clone());
                        }
                        Ok(rumqttc::Event::Incoming(rumqttc::Packet::SubAck(_))) => {
                            let _ = ready.send(());
                        }
                        Ok(rumqttc::Event::Outgoing(rumqttc::Outgoing::Disconnect)) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
            })
            .unwrap();
        subscribed
            .recv_timeout(CONNECT_LIMIT)
            .expect("the device connected and subscribed");
        Device { client }
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        let _ = self.client.disconnect();
    }
}

/// An MQTT 5 echo responder: each request on `req/#` is answered on its response topic
/// with the request's payload and correlation data. `wrong_first`: a message with other
/// correlation data (payload `WRONG`) goes to the response topic before the answer.
struct Responder {
    client: rumqttc::v5::Client,
    /// Requests answered.
    answered: Arc<Mutex<u32>>,
}

impl Responder {
    fn start(broker: &TestBroker, wrong_first: bool) -> Responder {
        use rumqttc::v5::mqttbytes::QoS;
        use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
        use rumqttc::v5::{Client, Event, MqttOptions};
        let id = format!("responder-{:08x}", rand::random::<u32>());
        let mut options = MqttOptions::new(id, broker.host(), broker.port());
        options.set_keep_alive(Duration::from_secs(30));
        let (client, mut connection) = Client::new(options, 100);
        client.subscribe("req/#", QoS::AtLeastOnce).unwrap();
        let (ready, subscribed) = mpsc::channel();
        let answered = Arc::new(Mutex::new(0));
        let count = Arc::clone(&answered);
        let replier = client.clone();
        thread::Builder::new()
            .name("test-responder".into())
            .spawn(move || {
                for ev in connection.iter() {
                    match ev {
                        Ok(Event::Incoming(Packet::Publish(p))) => {
                            let props = p.properties.clone().unwrap_or_default();
                            let Some(topic) = props.response_topic else { continue };
                            if wrong_first {
                                let wrong = PublishProperties {
                                    correlation_data: Some(Bytes::from_static(b"not-yours")),
                                    ..PublishProperties::default()
                                };
                                let _ = replier.try_publish_with_properties(
                                    topic.clone(),
                                    QoS::AtLeastOnce,
                                    false,
                                    "WRONG",
                                    wrong,
                                );
                            }
                            let right = PublishProperties {
                                correlation_data: props.correlation_data,
                                ..PublishProperties::default()
                            };
                            let _ = replier.try_publish_with_properties(
                                topic,
                                QoS::AtLeastOnce,
                                false,
                                p.payload.clone(),
                                right,
                            );
                            *count.lock().unwrap() += 1;
                        }
                        Ok(Event::Incoming(Packet::SubAck(_))) => {
                            let _ = ready.send(());
                        }
                        Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
            })
            .unwrap();
        subscribed
            .recv_timeout(CONNECT_LIMIT)
            .expect("the responder connected and subscribed");
        Responder { client, answered }
    }

    /// Publishes a plain message (QoS 1) from the responder's connection.
    fn publish(&self, topic: &str, payload: &str) {
        self.client
            .publish(
                topic,
                rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
                false,
                payload.to_owned(),
            )
            .unwrap();
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.client.disconnect();
    }
}

/// Payloads the active connection's tree holds for `topic`, oldest first.
fn tree_payloads(state: &AppState, topic: &str) -> Vec<Vec<u8>> {
    let model = &state.conn().model;
    match model.tree().find(topic) {
        // The history lists newest first.
        Some(id) => model.history().messages(id).rev().map(|m| m.payload.to_vec()).collect(),
        None => Vec::new(),
    }
}

fn profiles_file(dir: &Path) -> std::path::PathBuf {
    dir.join(topicscope::profiles::PROFILES_FILE_NAME)
}

// ---------------------------------------------------------------------------------
// 1. Templates saved and reloaded
// ---------------------------------------------------------------------------------

fn greenhouse_commands() -> Vec<SavedCommand> {
    vec![
        SavedCommand {
            collection: "Greenhouse".into(),
            shortcut: Some("Ctrl+Alt+1".into()),
            ..command("pump on", "greenhouse/pump/set", "ON")
        },
        SavedCommand {
            collection: "Greenhouse".into(),
            shortcut: Some("Ctrl+Alt+2".into()),
            retain: true,
            qos: 2,
            ..command("pump off", "greenhouse/pump/set", "OFF")
        },
        SavedCommand {
            collection: "Greenhouse".into(),
            format: "json".into(),
            values: values(&[("colour", "#00ff00")]),
            ..command(
                "LED colour",
                "greenhouse/led/set",
                r#"{"colour":"{{colour}}","seq":{{counter}}}"#,
            )
        },
        SavedCommand {
            collection: "温室".into(),
            reply: Some(ReplyWait {
                topic: "stat/温室/POWER".into(),
                timeout_secs: 3,
            }),
            properties: Some(SavedProperties {
                response_topic: "resp/{{uuid}}".into(),
                correlation_data: "{{counter}}".into(),
                user_properties: vec![("来源".into(), "topicscope".into())],
                ..SavedProperties::default()
            }),
            ..command("开灯", "cmnd/温室/POWER", "{{颜色}}")
        },
        // The same name in another collection is allowed.
        SavedCommand {
            collection: "Workshop".into(),
            ..command("pump on", "workshop/pump/set", "ON")
        },
    ]
}

#[test]
fn saved_commands_are_written_to_the_profile_and_read_back_by_a_new_window() {
    let broker = mosquitto();
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    let saved = profile("greenhouse", &broker.url(), &["greenhouse/#"], MqttVersion::V311);
    state.profiles.upsert(saved.clone());
    state.profiles.save().unwrap();
    connect(&mut state, saved);
    assert!(state.commands_saved());

    let commands = greenhouse_commands();
    assert_eq!(state.set_commands(commands.clone()), Ok(true));
    assert_eq!(state.conn().profile.commands, commands, "the open connection has them");

    let reopened = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    assert_eq!(reopened.profiles_error, None);
    let read = &reopened
        .profiles
        .get("greenhouse")
        .expect("the profile is still there")
        .commands;
    assert_eq!(
        read, &commands,
        "names, collections, variables, shortcut and reply wait"
    );
    // And the rest of the profile was kept.
    let p = reopened.profiles.get("greenhouse").unwrap();
    assert_eq!(p.broker_url, broker.url());
    assert_eq!(p.subscriptions.len(), 1);
}

#[test]
fn a_name_twice_in_one_collection_is_refused_and_nothing_is_written() {
    let broker = mosquitto();
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    let saved = profile("greenhouse", &broker.url(), &["greenhouse/#"], MqttVersion::V311);
    state.profiles.upsert(saved.clone());
    state.profiles.save().unwrap();
    connect(&mut state, saved);
    let first = greenhouse_commands();
    assert_eq!(state.set_commands(first.clone()), Ok(true));
    let on_disk = std::fs::read(profiles_file(dir.path())).unwrap();

    let mut twice = first.clone();
    twice.push(SavedCommand {
        collection: "Greenhouse".into(),
        ..command("pump on", "greenhouse/other", "1")
    });
    let err = state.set_commands(twice).expect_err("a duplicate name is refused");
    assert!(err.contains("Greenhouse / pump on"), "the message names it: {err}");
    assert_eq!(
        std::fs::read(profiles_file(dir.path())).unwrap(),
        on_disk,
        "profiles.ron is unchanged"
    );
    assert_eq!(
        state.conn().profile.commands,
        first,
        "the open connection kept its commands"
    );
    let reopened = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    assert_eq!(reopened.profiles.get("greenhouse").unwrap().commands, first);
}

#[test]
fn commands_of_a_connection_without_a_saved_profile_are_kept_for_the_session_only() {
    let broker = mosquitto();
    let (mut state, dir) = open_app(&broker.url(), &["greenhouse/#"], MqttVersion::V311);
    assert!(!state.commands_saved());
    let commands = greenhouse_commands();
    assert_eq!(state.set_commands(commands.clone()), Ok(false));
    assert_eq!(state.conn().profile.commands, commands);
    let reopened = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    assert!(reopened.profiles.get("bench").is_none(), "no profile was created");
}

// ---------------------------------------------------------------------------------
// 2. Variables filled
// ---------------------------------------------------------------------------------

#[test]
fn counter_and_user_variables_are_filled_at_each_send() {
    let broker = mosquitto();
    let collector = Collector::start(&broker, "greenhouse/led/#");
    let (mut state, _dir) = open_app(&broker.url(), &[], MqttVersion::V311);
    let led = SavedCommand {
        format: "json".into(),
        ..command(
            "LED colour",
            "greenhouse/led/set",
            r#"{"seq":{{counter}},"colour":"{{colour}}"}"#,
        )
    };
    for colour in ["red", "绿色", "blue"] {
        state
            .send_command(&led, &values(&[("colour", colour)]))
            .expect("sent with every variable given");
    }
    drive_until(&mut state, "3 messages at the collector", ARRIVE_LIMIT, |_| {
        collector.len() >= 3
    });
    let got = collector.json();
    let seqs: Vec<_> = got.iter().map(|v| v["seq"].as_u64()).collect();
    let colours: Vec<_> = got.iter().map(|v| v["colour"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seqs, [Some(1), Some(2), Some(3)]);
    assert_eq!(colours, ["red", "绿色", "blue"]);

    // A user variable without a value: refused by name, nothing sent, counter not used.
    let history = state.publish_history.records.len();
    let err = state
        .send_command(&led, &no_values())
        .expect_err("no value for {{colour}}");
    assert!(err.contains("colour"), "the error names the variable: {err}");
    assert_eq!(
        state.publish_history.records.len(),
        history,
        "nothing recorded as published"
    );
    // The next send is number 4 and the collector's fourth message: nothing went between.
    state.send_command(&led, &values(&[("colour", "white")])).unwrap();
    drive_until(&mut state, "a 4th message", ARRIVE_LIMIT, |_| collector.len() >= 4);
    drive_for(&mut state, Duration::from_millis(200));
    let got = collector.json();
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[3]["seq"], 4);
    assert_eq!(got[3]["colour"], "white");
}

// ---------------------------------------------------------------------------------
// 3. Repeats
// ---------------------------------------------------------------------------------

fn repeat_spec(command: SavedCommand, interval_ms: u64, count: u64) -> RepeatSpec {
    RepeatSpec {
        command,
        values: no_values(),
        interval: Duration::from_millis(interval_ms),
        count,
        payload_size: None,
    }
}

#[test]
fn a_repeat_of_25_at_qos_1_sends_exactly_25_numbered_messages() {
    let broker = mosquitto();
    let collector = Collector::start(&broker, "bench/seq");
    let (mut state, _dir) = open_app(&broker.url(), &[], MqttVersion::V311);
    let seq = command("seq", "bench/seq", r#"{"n":{{counter}}}"#);
    let id = state.start_repeat(repeat_spec(seq, 20, 25)).unwrap();
    let started = Instant::now();
    drive_until(&mut state, "the repeat to finish", Duration::from_secs(10), |s| {
        !s.conn().repeats.iter().any(|r| r.id == id && r.running())
    });
    // 25 sends 20 ms apart take 480 ms at least.
    assert!(
        started.elapsed() >= Duration::from_millis(470),
        "{:?}",
        started.elapsed()
    );
    drive_until(&mut state, "25 messages at the collector", ARRIVE_LIMIT, |_| {
        collector.len() >= 25
    });
    drive_for(&mut state, Duration::from_millis(500));
    let numbers: Vec<u64> = collector.json().iter().map(|v| v["n"].as_u64().unwrap()).collect();
    let r = state.conn().repeats.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        numbers,
        (1..=25).collect::<Vec<_>>(),
        "exactly 25, in order ({} delays)",
        r.schedule.delays()
    );
    assert_eq!(r.schedule.sent(), 25);
    assert_eq!(r.acknowledged, 25);
    assert_eq!((r.failed, r.busy), (0, 0));
    assert_eq!(r.error, None);
    assert!(!r.running());
}

#[test]
fn a_repeat_without_a_count_runs_until_stopped_then_sends_nothing() {
    let broker = mosquitto();
    let collector = Collector::start(&broker, "bench/forever");
    let (mut state, _dir) = open_app(&broker.url(), &[], MqttVersion::V311);
    let id = state
        .start_repeat(repeat_spec(command("forever", "bench/forever", "{{counter}}"), 20, 0))
        .unwrap();
    // Well past any count a mix-up of "0" could mean.
    drive_until(&mut state, "30 messages", Duration::from_secs(10), |_| {
        collector.len() >= 30
    });
    assert!(state.conn().repeats.iter().any(|r| r.id == id && r.running()));
    state.stop_repeat(id);
    let sent = state
        .conn()
        .repeats
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .schedule
        .sent();
    assert!(sent >= 30);
    drive_until(&mut state, "every send to arrive", ARRIVE_LIMIT, |_| {
        collector.len() as u64 >= sent
    });
    drive_for(&mut state, Duration::from_millis(500));
    let r = state.conn().repeats.iter().find(|r| r.id == id).unwrap();
    assert!(!r.running());
    assert_eq!(r.schedule.sent(), sent, "no send after the stop");
    assert_eq!(collector.len() as u64, sent, "nothing arrived after the stop's sends");
    let last = String::from_utf8(collector.payloads().last().unwrap().clone()).unwrap();
    assert_eq!(last, sent.to_string());
}

#[test]
fn a_load_test_sends_300_payloads_of_exactly_1000_bytes() {
    let broker = mosquitto();
    let collector = Collector::start(&broker, "bench/load");
    let (mut state, _dir) = open_app(&broker.url(), &[], MqttVersion::V311);
    let spec = RepeatSpec {
        payload_size: Some(1000),
        ..repeat_spec(command("load", "bench/load", "short"), 1, 300)
    };
    let id = state.start_repeat(spec).unwrap();
    drive_until(&mut state, "the load test to finish", Duration::from_secs(10), |s| {
        !s.conn().repeats.iter().any(|r| r.id == id && r.running())
    });
    drive_until(&mut state, "300 messages", ARRIVE_LIMIT, |_| collector.len() >= 300);
    drive_for(&mut state, Duration::from_millis(500));
    let payloads = collector.payloads();
    let r = state.conn().repeats.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        payloads.len(),
        300,
        "{} delays (a frame more than 100 ms late)",
        r.schedule.delays()
    );
    let wrong: Vec<usize> = payloads.iter().map(Vec::len).filter(|n| *n != 1000).collect();
    assert!(wrong.is_empty(), "payloads of other sizes: {wrong:?}");
    // Numbered 1 to 300 in order.
    for (i, p) in payloads.iter().enumerate() {
        assert!(p.starts_with(format!("#{} ", i + 1).as_bytes()), "payload {i}");
    }
    assert_eq!((r.acknowledged, r.failed), (300, 0));
}

// ---------------------------------------------------------------------------------
// 4. Request/response, MQTT 5
// ---------------------------------------------------------------------------------

fn request(response_topic: &str) -> SavedCommand {
    SavedCommand {
        properties: Some(SavedProperties {
            response_topic: response_topic.into(),
            correlation_data: "corr-{{counter}}".into(),
            ..SavedProperties::default()
        }),
        ..command("pump request", "req/pump", r#"{"cmd":"on","n":{{counter}}}"#)
    }
}

/// The one reply a request got, from the active connection.
fn only_reply(state: &AppState) -> (String, Vec<u8>, Duration) {
    let done = &state.conn().replies.done;
    assert_eq!(done.len(), 1, "{done:?}");
    match &done[0].outcome {
        ReplyOutcome::Reply {
            topic,
            payload,
            round_trip,
        } => (topic.clone(), payload.to_vec(), *round_trip),
        other => panic!("not a reply: {other:?}"),
    }
}

#[test]
fn an_mqtt5_request_gets_its_echoed_reply_with_the_round_trip() {
    let broker = mosquitto();
    let _responder = Responder::start(&broker, false);
    let (mut state, _dir) = open_app(&broker.url(), &["dev/#"], MqttVersion::V5);
    state.send_command(&request("resp/pump"), &no_values()).unwrap();
    drive_until_reply(&mut state, |s| !tree_payloads(s, "resp/pump").is_empty());
    let (topic, payload, round_trip) = only_reply(&state);
    assert_eq!(topic, "resp/pump");
    assert_eq!(payload, br#"{"cmd":"on","n":1}"#);
    assert!(
        round_trip > Duration::ZERO && round_trip < Duration::from_secs(5),
        "{round_trip:?}"
    );
    assert_eq!(state.conn().replies.done[0].label, "pump request");
}

#[test]
fn a_reply_with_other_correlation_data_is_not_taken_for_the_answer() {
    let broker = mosquitto();
    let responder = Responder::start(&broker, true);
    let (mut state, _dir) = open_app(&broker.url(), &["dev/#"], MqttVersion::V5);
    // A response topic per request, as a real client makes them.
    state.send_command(&request("resp/{{uuid}}"), &no_values()).unwrap();
    // Only the reply subscription brings messages: the wrong one, then the answer.
    drive_until_reply(&mut state, |s| s.conn().model.total_messages() >= 2);
    let (topic, payload, _) = only_reply(&state);
    assert!(
        topic.starts_with("resp/") && topic.len() == "resp/".len() + 36,
        "{topic}"
    );
    assert_eq!(payload, br#"{"cmd":"on","n":1}"#, "the matching answer, not WRONG");
    // The wrong one did arrive first (so it was really passed over).
    assert_eq!(tree_payloads(&state, &topic), [b"WRONG".to_vec(), payload.clone()]);
    assert_eq!(*responder.answered.lock().unwrap(), 1);
}

#[test]
fn the_reply_subscription_is_temporary_and_leaves_the_profile_alone() {
    let broker = mosquitto();
    let responder = Responder::start(&broker, false);
    let (mut state, _dir) = open_app(&broker.url(), &["dev/#"], MqttVersion::V5);
    let subscriptions = state.conn().subscriptions.clone();
    let profile_subscriptions = state.conn().profile.subscriptions.clone();
    state.send_command(&request("resp/pump"), &no_values()).unwrap();
    assert_eq!(
        state.conn().subscriptions,
        subscriptions,
        "the reply filter is not listed"
    );
    drive_until_reply(&mut state, |s| !tree_payloads(s, "resp/pump").is_empty());
    only_reply(&state);
    assert_eq!(state.conn().subscriptions, subscriptions);
    assert_eq!(state.conn().profile.subscriptions, profile_subscriptions);

    // The unsubscribe went to the broker before this QoS 1 publish on the same
    // connection, so once it is acknowledged the broker has processed both.
    let marker = state
        .publish("dev/marker", Bytes::from_static(b"1"), 1, false, "text", None)
        .unwrap();
    drive_until(&mut state, "the marker acknowledged", ARRIVE_LIMIT, |s| {
        s.conn().last_publish == Some((marker, PublishOutcome::Acknowledged))
    });
    // A late message on the reply topic, then one on a subscribed topic from the same
    // client: when the second is in the tree, the first would be too if still subscribed.
    responder.publish("resp/pump", "late");
    responder.publish("dev/after", "1");
    drive_until(&mut state, "dev/after in the tree", ARRIVE_LIMIT, |s| {
        !tree_payloads(s, "dev/after").is_empty()
    });
    assert_eq!(
        tree_payloads(&state, "resp/pump"),
        [br#"{"cmd":"on","n":1}"#.to_vec()],
        "nothing on the reply topic after the reply"
    );
}

// ---------------------------------------------------------------------------------
// 5. MQTT 3.1.1: wait for a message on a topic
// ---------------------------------------------------------------------------------

fn power(topic: &str, reply_topic: &str, timeout_secs: u32) -> SavedCommand {
    SavedCommand {
        reply: Some(ReplyWait {
            topic: reply_topic.into(),
            timeout_secs,
        }),
        ..command("power", topic, "TOGGLE")
    }
}

#[test]
fn a_reply_on_the_awaited_topic_answers_an_mqtt3_command() {
    let broker = mosquitto();
    let _device = Device::start(&broker, "cmnd/dev/POWER", "stat/dev/POWER", "ON");
    let (mut state, _dir) = open_app(&broker.url(), &["tele/#"], MqttVersion::V311);
    state
        .send_command(&power("cmnd/dev/POWER", "stat/dev/POWER", 5), &no_values())
        .unwrap();
    drive_until_reply(&mut state, |s| !tree_payloads(s, "stat/dev/POWER").is_empty());
    let (topic, payload, round_trip) = only_reply(&state);
    assert_eq!((topic.as_str(), payload.as_slice()), ("stat/dev/POWER", &b"ON"[..]));
    assert!(
        round_trip > Duration::ZERO && round_trip < Duration::from_secs(5),
        "{round_trip:?}"
    );
}

#[test]
fn a_command_nobody_answers_times_out_after_its_wait_and_drops_its_subscription() {
    let broker = mosquitto();
    let (mut state, _dir) = open_app(&broker.url(), &["tele/#"], MqttVersion::V311);
    let sent = Instant::now();
    state
        .send_command(&power("cmnd/nobody/POWER", "stat/nobody/POWER", 1), &no_values())
        .unwrap();
    drive_until(&mut state, "the time-out", Duration::from_secs(5), |s| {
        !s.conn().replies.done.is_empty()
    });
    let waited = sent.elapsed();
    assert!(
        waited >= Duration::from_millis(990) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert_eq!(
        state.conn().replies.done[0].outcome,
        ReplyOutcome::TimedOut {
            after: Duration::from_secs(1)
        }
    );
    assert!(!state.conn().replies.any_waiting());

    // The subscription made for the wait went with it: the unsubscribe was sent before
    // this acknowledged publish, then a late message on the reply topic and one on a
    // subscribed topic from the same client; only the second reaches the tree.
    let marker = state
        .publish("tele/marker", Bytes::from_static(b"1"), 1, false, "text", None)
        .unwrap();
    drive_until(&mut state, "the marker acknowledged", ARRIVE_LIMIT, |s| {
        s.conn().last_publish == Some((marker, PublishOutcome::Acknowledged))
    });
    let outside = Collector::start(&broker, "unused/#");
    for topic in ["stat/nobody/POWER", "tele/after"] {
        outside
            .client
            .publish(topic, rumqttc::QoS::AtLeastOnce, false, "late")
            .unwrap();
    }
    drive_until(&mut state, "tele/after in the tree", ARRIVE_LIMIT, |s| {
        !tree_payloads(s, "tele/after").is_empty()
    });
    assert!(
        tree_payloads(&state, "stat/nobody/POWER").is_empty(),
        "a message on the reply topic arrived after the wait ended"
    );
}

// ---------------------------------------------------------------------------------
// 6. The demo fleet's Tasmota plug
// ---------------------------------------------------------------------------------

const PLUG_CMND: &str = "cmnd/tasmota_5C3F21/POWER";
const PLUG_STAT: &str = "stat/tasmota_5C3F21/POWER";

fn plug(name: &str, payload: &str) -> SavedCommand {
    SavedCommand {
        name: name.into(),
        collection: "plug".into(),
        payload: payload.into(),
        qos: 0,
        ..power(PLUG_CMND, PLUG_STAT, 2)
    }
}

/// Replies to the command named `label`, oldest first.
fn replies_to(state: &AppState, label: &str) -> Vec<ReplyOutcome> {
    let done = &state.conn().replies.done;
    done.iter()
        .rev()
        .filter(|r| r.label == label)
        .map(|r| r.outcome.clone())
        .collect()
}

#[cfg(feature = "broker")]
#[test]
fn a_toggle_repeat_on_the_demo_plug_gets_five_alternating_replies() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), BUDGET_BYTES);
    state
        .start_local(true)
        .expect("the embedded broker and the fleet start");
    drive_until(&mut state, "connected to the demo", CONNECT_LIMIT, |s| {
        s.conn().connected() && s.conn().subscriptions.iter().all(|x| x.status.starts_with("granted"))
    });
    // The plug connects on its own time: ask its state (a plain publish, no reply wait)
    // until it answers.
    let deadline = Instant::now() + CONNECT_LIMIT;
    let answers = |s: &AppState| tree_payloads(s, PLUG_STAT).len();
    loop {
        let before = answers(&state);
        state.publish(PLUG_CMND, Bytes::new(), 0, false, "text", None).unwrap();
        if try_drive_until(&mut state, Duration::from_millis(500), |s| answers(s) > before) {
            break;
        }
        assert!(Instant::now() < deadline, "the demo plug never answered");
    }
    // Then until late answers to earlier queries are in: on MQTT 3.1.1 any message on
    // the topic answers the oldest wait, so a stray one would be taken for a toggle's.
    loop {
        let before = answers(&state);
        if !try_drive_until(&mut state, Duration::from_millis(300), |s| answers(s) > before) {
            break;
        }
        assert!(Instant::now() < deadline, "the demo plug never went quiet");
    }
    let initial = String::from_utf8(tree_payloads(&state, PLUG_STAT).pop().unwrap()).unwrap();
    assert!(initial == "ON" || initial == "OFF", "{initial}");
    let answered_before = answers(&state);

    let spec = repeat_spec(plug("toggle", "TOGGLE"), 200, 5);
    let id = state.start_repeat(spec).unwrap();
    drive_until(&mut state, "5 replies to the toggles", Duration::from_secs(8), |s| {
        replies_to(s, "plug / toggle").len() >= 5
    });
    drive_until(&mut state, "the repeat to finish", Duration::from_secs(2), |s| {
        !s.conn().repeats.iter().any(|r| r.id == id && r.running())
    });
    let answered = answers(&state) - answered_before;
    let got: Vec<String> = replies_to(&state, "plug / toggle")
        .into_iter()
        .map(|o| match o {
            ReplyOutcome::Reply {
                payload, round_trip, ..
            } => {
                assert!(round_trip < Duration::from_secs(2), "{round_trip:?}");
                String::from_utf8(payload.to_vec()).unwrap()
            }
            other => panic!("a toggle's reply was not taken ({answered} answers in the tree): {other:?}"),
        })
        .collect();
    let flip = |s: &str| if s == "ON" { "OFF" } else { "ON" };
    let mut expected = Vec::new();
    let mut now = initial.as_str();
    for _ in 0..5 {
        now = flip(now);
        expected.push(now.to_owned());
    }
    assert_eq!(got, expected, "from {initial}");
    let r = state.conn().repeats.iter().find(|r| r.id == id).unwrap();
    assert_eq!((r.schedule.sent(), r.acknowledged), (5, 5));
}
