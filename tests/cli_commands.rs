//! `topicscope pub` as a maker drives a board from the shell (issue 18): saved commands
//! from the profile (`--template`, `--var`), repeats counted exactly, and replies: a
//! 3.1.1 device answering on a fixed topic, and an MQTT 5 responder that must be matched
//! by correlation data. Real binary, real mosquitto on 127.0.0.1 (required: these tests
//! fail when it is missing), the devices played by rumqttc clients in the test.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::run::{run, text};
use common::{BrokerKind, TestBroker, free_port};
use tempfile::TempDir;
use topicscope::model::saved_command::{ReplyWait, SavedCommand, SavedProperties};
use topicscope::profiles::{MqttVersion, PROFILES_FILE_NAME, Profile, ProfileStore};

/// How long a test device or subscriber lives at most.
const PEER_LIFE: Duration = Duration::from_secs(30);
/// How long a message may take to arrive once sent.
const ARRIVAL: Duration = Duration::from_secs(10);

/// Mosquitto, which these tests need: a missing one fails them (never a silent skip).
fn mosquitto() -> TestBroker {
    TestBroker::start(BrokerKind::Mosquitto)
}

/// The binary reading `config` as its configuration directory, in English.
fn topicscope(config: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topicscope"));
    c.env("TOPICSCOPE_CONFIG_DIR", config).env("TOPICSCOPE_LANG", "en-US");
    c
}

/// A config directory holding one profile "greenhouse" for `url` with `commands`,
/// written through the profile store as the window would.
fn config_with(url: &str, version: MqttVersion, commands: Vec<SavedCommand>) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary config directory");
    let mut profile = Profile::new("greenhouse", url);
    profile.mqtt_version = version;
    profile.connect_timeout_secs = 5;
    profile.commands = commands;
    let mut store = ProfileStore::new(dir.path().join(PROFILES_FILE_NAME));
    store.upsert(profile);
    store.save().expect("save profiles.ron");
    dir
}

fn command(name: &str, topic: &str, payload: &str) -> SavedCommand {
    SavedCommand {
        name: name.into(),
        topic: topic.into(),
        payload: payload.into(),
        qos: 1,
        ..SavedCommand::default()
    }
}

fn pub_with(config: &Path, args: &[&str]) -> Output {
    let mut c = topicscope(config);
    c.arg("pub").args(args);
    run(c)
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A client of the test on its own thread: subscribed to `filter` (the broker's SubAck
/// is in when this returns), handing each message to `on_message` and to [`Peer::next`].
struct Peer {
    received: mpsc::Receiver<(String, Bytes, Option<Bytes>)>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Peer {
    /// An MQTT 3.1.1 peer; `on_message(client, topic, payload)` may publish.
    fn v4(
        broker: &TestBroker,
        id: &str,
        filter: &str,
        mut on_message: impl FnMut(&rumqttc::Client, &str, &Bytes) + Send + 'static,
    ) -> Peer {
        let (client, mut connection) = rumqttc::Client::new(broker.client_options(id), 100);
        client
            .subscribe(filter, rumqttc::QoS::AtLeastOnce)
            .expect("queue SUBSCRIBE");
        Peer::spawn(move |stop, ready, tx| {
            let deadline = Instant::now() + PEER_LIFE;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                use rumqttc::{Event, Packet};
                match connection.recv_timeout(Duration::from_millis(50)) {
                    Ok(Ok(Event::Incoming(Packet::SubAck(_)))) => {
                        let _ = ready.send(());
                    }
                    Ok(Ok(Event::Incoming(Packet::Publish(p)))) => {
                        let topic = p.topic.clone();
                        on_message(&client, &topic, &p.payload);
                        let _ = tx.send((topic, p.payload, None));
                    }
                    Ok(Err(e)) => panic!("test peer lost its connection: {e}"),
                    _ => {}
                }
            }
        })
    }

    /// An MQTT 5 peer; `on_message(client, publish)` may publish.
    fn v5(
        broker: &TestBroker,
        id: &str,
        filter: &str,
        mut on_message: impl FnMut(&rumqttc::v5::Client, &rumqttc::v5::mqttbytes::v5::Publish) + Send + 'static,
    ) -> Peer {
        let options = rumqttc::v5::MqttOptions::new(id, broker.host(), broker.port());
        let (client, mut connection) = rumqttc::v5::Client::new(options, 100);
        client
            .subscribe(filter, rumqttc::v5::mqttbytes::QoS::AtLeastOnce)
            .expect("queue SUBSCRIBE");
        Peer::spawn(move |stop, ready, tx| {
            let deadline = Instant::now() + PEER_LIFE;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                use rumqttc::v5::{Event, Incoming};
                match connection.recv_timeout(Duration::from_millis(50)) {
                    Ok(Ok(Event::Incoming(Incoming::SubAck(_)))) => {
                        let _ = ready.send(());
                    }
                    Ok(Ok(Event::Incoming(Incoming::Publish(p)))) => {
                        on_message(&client, &p);
                        let topic = String::from_utf8_lossy(&p.topic).into_owned();
                        let correlation = p.properties.as_ref().and_then(|pr| pr.correlation_data.clone());
                        let _ = tx.send((topic, p.payload, correlation));
                    }
                    Ok(Err(e)) => panic!("test peer lost its connection: {e}"),
                    _ => {}
                }
            }
        })
    }

    fn spawn(
        body: impl FnOnce(Arc<AtomicBool>, mpsc::Sender<()>, mpsc::Sender<(String, Bytes, Option<Bytes>)>) + Send + 'static,
    ) -> Peer {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready) = mpsc::channel();
        let (tx, received) = mpsc::channel();
        let thread = thread::spawn({
            let stop = stop.clone();
            move || body(stop, ready_tx, tx)
        });
        ready
            .recv_timeout(ARRIVAL)
            .expect("the test peer's subscription was not acknowledged");
        Peer {
            received,
            stop,
            thread: Some(thread),
        }
    }

    /// The next message, or `None` after `wait`.
    fn next(&self, wait: Duration) -> Option<(String, Bytes, Option<Bytes>)> {
        self.received.recv_timeout(wait).ok()
    }

    /// Exactly `n` messages (and none more within a short while): (topic, payload text).
    fn exactly(&self, n: usize) -> Vec<(String, String)> {
        let mut got = Vec::new();
        while got.len() < n {
            let (topic, payload, _) = self
                .next(ARRIVAL)
                .unwrap_or_else(|| panic!("only {} of {n} messages arrived: {got:?}", got.len()));
            got.push((topic, String::from_utf8_lossy(&payload).into_owned()));
        }
        if let Some(extra) = self.next(Duration::from_millis(500)) {
            panic!("more than {n} messages: also {extra:?}");
        }
        got
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn a_repeat_delivers_exactly_the_count() {
    let broker = mosquitto();
    let config = config_with(&broker.url(), MqttVersion::V311, Vec::new());
    let counter = Peer::v4(&broker, "repeat-counter", "repeat/plain", |_, _, _| {});
    let started = Instant::now();
    let out = pub_with(
        config.path(),
        &[
            "-b",
            &broker.url(),
            "-t",
            "repeat/plain",
            "-m",
            "TOGGLE",
            "-q",
            "1",
            "--repeat",
            "20",
            "--interval",
            "20ms",
        ],
    );
    let took = started.elapsed();
    assert_ok(&out, "pub --repeat 20");
    let got = counter.exactly(20);
    assert!(got.iter().all(|(t, p)| t == "repeat/plain" && p == "TOGGLE"), "{got:?}");
    // 19 intervals of 20 ms: not all at once, and not slower than a busy machine explains.
    assert!(
        took >= Duration::from_millis(380),
        "20 sends 20 ms apart took only {took:?}"
    );
    let err = text(&out.stderr);
    assert!(err.contains("sent 20 messages, 20 acknowledged"), "summary: {err}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout without replies: {}",
        text(&out.stdout)
    );
}

#[test]
fn a_counter_template_counts_from_one_in_order() {
    let broker = mosquitto();
    let config = config_with(
        &broker.url(),
        MqttVersion::V311,
        vec![command("count", "repeat/counter", "{{counter}}")],
    );
    let counter = Peer::v4(&broker, "template-counter", "repeat/counter", |_, _, _| {});
    let out = pub_with(
        config.path(),
        &[
            "--profile",
            "greenhouse",
            "--template",
            "count",
            "--repeat",
            "20",
            "--interval",
            "20ms",
        ],
    );
    assert_ok(&out, "pub --template count --repeat 20");
    let payloads: Vec<String> = counter.exactly(20).into_iter().map(|(_, p)| p).collect();
    let expected: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(payloads, expected);
}

#[test]
fn a_template_is_sent_with_its_variables_and_overrides() {
    let broker = mosquitto();
    let led = SavedCommand {
        collection: "lights".into(),
        format: "json".into(),
        ..command(
            "LED colour",
            "greenhouse/{{room}}/led",
            r#"{"colour": "{{colour}}", "n": {{counter}}}"#,
        )
    };
    let config = config_with(
        &broker.url(),
        MqttVersion::V311,
        vec![command("pump on", "greenhouse/pump", "ON"), led],
    );
    let device = Peer::v4(&broker, "template-device", "greenhouse/#", |_, _, _| {});
    let out = pub_with(
        config.path(),
        &[
            "--profile",
            "greenhouse",
            "--template",
            "lights/LED colour",
            "--var",
            "colour=红",
            "--var",
            "room=east",
            "-r",
        ],
    );
    assert_ok(&out, "pub --template 'lights/LED colour'");
    let (topic, payload, _) = device.next(ARRIVAL).expect("the LED command");
    assert_eq!(topic, "greenhouse/east/led");
    assert_eq!(String::from_utf8_lossy(&payload), r#"{"colour": "红", "n": 1}"#);
    // -r made it retained: a new subscriber gets it from the broker.
    let late = Peer::v4(&broker, "template-late", "greenhouse/east/led", |_, _, _| {});
    let (_, kept, _) = late.next(ARRIVAL).expect("the retained LED command");
    assert_eq!(kept, payload);
}

#[test]
fn an_unknown_template_lists_the_saved_names() {
    // Nothing listens here: the answer must come from the profile, before connecting.
    let url = format!("mqtt://127.0.0.1:{}", free_port());
    let config = config_with(
        &url,
        MqttVersion::V311,
        vec![command("pump on", "p", "ON"), command("pump off", "p", "OFF")],
    );
    let out = pub_with(config.path(), &["--profile", "greenhouse", "--template", "pump of"]);
    assert!(!out.status.success(), "an unknown command must fail");
    let err = text(&out.stderr);
    assert!(err.contains("pump of") && err.contains("pump on, pump off"), "{err}");
    assert!(!err.contains("cannot connect"), "refused before connecting: {err}");
}

#[test]
fn a_missing_variable_is_refused_before_connecting() {
    let url = format!("mqtt://127.0.0.1:{}", free_port());
    let config = config_with(
        &url,
        MqttVersion::V311,
        vec![command("LED colour", "greenhouse/led", "{{colour}}")],
    );
    let started = Instant::now();
    let out = pub_with(config.path(), &["--profile", "greenhouse", "--template", "LED colour"]);
    assert!(!out.status.success(), "a missing --var must fail");
    let err = text(&out.stderr);
    assert!(err.contains("{{colour}}") && err.contains("--var colour="), "{err}");
    assert!(!err.contains("cannot connect"), "refused before connecting: {err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );

    // A value for a variable the command does not have is a typo, not silently ignored.
    let out = pub_with(
        config.path(),
        &[
            "--profile",
            "greenhouse",
            "--template",
            "LED colour",
            "--var",
            "color=red",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--var color"), "{}", text(&out.stderr));
}

/// A Tasmota-like plug: answers `cmnd/plug/POWER` on `stat/plug/RESULT`.
fn plug(broker: &TestBroker) -> Peer {
    Peer::v4(broker, "plug", "cmnd/plug/POWER", |client, _, payload| {
        let answer = format!(r#"{{"POWER":"{}"}}"#, String::from_utf8_lossy(payload));
        client
            .try_publish("stat/plug/RESULT", rumqttc::QoS::AtLeastOnce, false, answer)
            .expect("queue the answer");
    })
}

#[test]
fn wait_reply_prints_a_311_devices_answer_with_the_round_trip() {
    let broker = mosquitto();
    let config = config_with(&broker.url(), MqttVersion::V311, Vec::new());
    let _plug = plug(&broker);
    let out = pub_with(
        config.path(),
        &[
            "-b",
            &broker.url(),
            "-t",
            "cmnd/plug/POWER",
            "-m",
            "ON",
            "--wait-reply",
            "stat/plug/#",
            "--reply-timeout",
            "5",
        ],
    );
    assert_ok(&out, "pub --wait-reply");
    assert_eq!(text(&out.stdout), "{\"POWER\":\"ON\"}\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("reply on stat/plug/RESULT after ") && err.contains(" ms"),
        "{err}"
    );

    // No device answers on this topic: an error in words and a failing exit code.
    let started = Instant::now();
    let out = pub_with(
        config.path(),
        &[
            "-b",
            &broker.url(),
            "-t",
            "cmnd/plug/POWER",
            "-m",
            "ON",
            "--wait-reply",
            "stat/nobody/#",
            "--reply-timeout",
            "1",
        ],
    );
    assert!(!out.status.success(), "a reply that never comes must fail");
    assert!(
        text(&out.stderr).contains("no reply on 'stat/nobody/#' within 1 s"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_saved_reply_wait_follows_each_repeated_toggle() {
    let broker = mosquitto();
    let toggle = SavedCommand {
        reply: Some(ReplyWait {
            topic: "stat/plug/RESULT".into(),
            timeout_secs: 5,
        }),
        ..command("toggle", "cmnd/plug/POWER", "TOGGLE")
    };
    let config = config_with(&broker.url(), MqttVersion::V311, vec![toggle]);
    let _plug = plug(&broker);
    let out = pub_with(
        config.path(),
        &[
            "--profile",
            "greenhouse",
            "--template",
            "toggle",
            "--repeat",
            "3",
            "--interval",
            "200ms",
        ],
    );
    assert_ok(&out, "pub --template toggle --repeat 3");
    assert_eq!(text(&out.stdout), "{\"POWER\":\"TOGGLE\"}\n".repeat(3));
    let err = text(&out.stderr);
    for n in 1..=3 {
        assert!(err.contains(&format!("reply {n} on stat/plug/RESULT after ")), "{err}");
    }
    assert!(err.contains("replies: 3 of 3"), "{err}");
}

/// An MQTT 5 echo service: answers each request on its response topic, first (when
/// `decoy`) with someone else's correlation data, then with the request's own.
fn echo_responder(broker: &TestBroker, decoy: bool) -> Peer {
    Peer::v5(broker, "echo", "rpc/echo", move |client, request| {
        use rumqttc::v5::mqttbytes::QoS;
        use rumqttc::v5::mqttbytes::v5::PublishProperties;
        let Some(props) = &request.properties else { return };
        let Some(reply_to) = props.response_topic.clone() else {
            return;
        };
        let answer = |correlation: Option<Bytes>, payload: Vec<u8>| {
            let properties = PublishProperties {
                correlation_data: correlation,
                ..PublishProperties::default()
            };
            client
                .try_publish_with_properties(reply_to.clone(), QoS::AtLeastOnce, false, payload, properties)
                .expect("queue the answer");
        };
        if decoy {
            answer(Some(Bytes::from_static(b"not-yours")), b"WRONG".to_vec());
        }
        let mut payload = b"echo:".to_vec();
        payload.extend_from_slice(&request.payload);
        answer(props.correlation_data.clone(), payload);
    })
}

#[test]
fn an_mqtt5_request_takes_only_the_reply_with_its_correlation_data() {
    let broker = mosquitto();
    let ping = SavedCommand {
        properties: Some(SavedProperties {
            response_topic: "rpc/replies/cli".into(),
            correlation_data: "req-{{counter}}-{{uuid}}".into(),
            ..SavedProperties::default()
        }),
        ..command("ping", "rpc/echo", "ping {{counter}}")
    };
    let config = config_with(&broker.url(), MqttVersion::V5, vec![ping]);
    let echo = echo_responder(&broker, true);
    let out = pub_with(
        config.path(),
        &[
            "--profile",
            "greenhouse",
            "--template",
            "ping",
            "--repeat",
            "3",
            "--interval",
            "100ms",
        ],
    );
    assert_ok(&out, "pub --template ping (MQTT 5)");
    // The decoys arrived first on the same topic; none was taken.
    assert_eq!(text(&out.stdout), "echo:ping 1\necho:ping 2\necho:ping 3\n");
    assert!(text(&out.stderr).contains("replies: 3 of 3"), "{}", text(&out.stderr));
    // The requests carried distinct correlation data, as the template says.
    let mut seen = BTreeMap::new();
    while let Some((_, payload, correlation)) = echo.next(Duration::from_millis(200)) {
        let c = correlation.expect("each request carries correlation data");
        assert!(c.starts_with(b"req-"), "{c:?}");
        seen.insert(c, payload);
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
}

#[test]
fn an_mqtt5_request_answered_only_with_wrong_correlation_data_times_out() {
    let broker = mosquitto();
    let config = config_with(&broker.url(), MqttVersion::V5, Vec::new());
    // A responder that only ever answers with someone else's correlation data.
    let _liar = Peer::v5(&broker, "liar", "rpc/liar", |client, request| {
        let Some(reply_to) = request.properties.as_ref().and_then(|p| p.response_topic.clone()) else {
            return;
        };
        let properties = rumqttc::v5::mqttbytes::v5::PublishProperties {
            correlation_data: Some(Bytes::from_static(b"other")),
            ..Default::default()
        };
        client
            .try_publish_with_properties(
                reply_to,
                rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
                false,
                "WRONG",
                properties,
            )
            .expect("queue the answer");
    });
    let out = pub_with(
        config.path(),
        &[
            "-b",
            &broker.url(),
            "--mqtt-version",
            "5",
            "-t",
            "rpc/liar",
            "-m",
            "hello",
            "--response-topic",
            "rpc/replies/plain",
            "--correlation-data",
            "mine",
            "--wait-reply",
            "rpc/replies/plain",
            "--reply-timeout",
            "2",
        ],
    );
    assert!(
        !out.status.success(),
        "a reply with the wrong correlation data is no reply"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("no reply on 'rpc/replies/plain' within 2 s"),
        "{}",
        text(&out.stderr)
    );
}

/// A stalled process (here: stopped with SIGSTOP, as a suspended laptop or a swapping
/// machine would stall it) skips the ticks it missed rather than sending them all at
/// once, yet still sends the count asked for, in order, and says the run took longer.
#[cfg(unix)]
#[test]
fn a_stalled_repeat_still_sends_the_count_in_order() {
    let broker = mosquitto();
    let config = config_with(
        &broker.url(),
        MqttVersion::V311,
        vec![command("count", "repeat/stalled", "{{counter}}")],
    );
    let counter = Peer::v4(&broker, "stall-counter", "repeat/stalled", |_, _, _| {});
    let mut c = topicscope(config.path());
    c.args([
        "pub",
        "--profile",
        "greenhouse",
        "--template",
        "count",
        "--repeat",
        "10",
        "--interval",
        "50ms",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let child = c.spawn().expect("spawn topicscope");
    let pid = child.id().to_string();
    let signal = |name: &str| {
        let status = Command::new("kill").args([name, &pid]).status().expect("run kill");
        assert!(status.success(), "kill {name} {pid}");
    };
    let (_, first, _) = counter.next(ARRIVAL).expect("the first send");
    signal("-STOP");
    thread::sleep(Duration::from_millis(600));
    signal("-CONT");
    let out = common::run::wait_with_deadline(child);
    assert_ok(&out, "pub --repeat 10 stopped for 600 ms");
    let mut payloads = vec![String::from_utf8_lossy(&first).into_owned()];
    payloads.extend(counter.exactly(9).into_iter().map(|(_, p)| p));
    let expected: Vec<String> = (1..=10).map(|n| n.to_string()).collect();
    assert_eq!(payloads, expected);
    let err = text(&out.stderr);
    assert!(err.contains("too busy to keep the interval"), "{err}");
}

#[test]
fn contradicting_flags_are_refused_by_name() {
    let config = config_with("mqtt://127.0.0.1:1", MqttVersion::V311, Vec::new());
    for (args, named) in [
        (
            &["--profile", "greenhouse", "--template", "x", "-t", "a"][..],
            "--topic",
        ),
        (&["--template", "x"][..], "--profile"),
        (&["-t", "a", "-m", "b", "--interval", "1s"][..], "--repeat"),
        (&["-t", "a", "-m", "b", "--var", "a=b"][..], "--template"),
        (
            &["-t", "a", "-m", "b", "--repeat", "3", "--interval", "5x"][..],
            "500ms",
        ),
        (&["-t", "a", "-m", "b", "--wait-reply", "a/#/b"][..], "a/#/b"),
    ] {
        let out = pub_with(config.path(), args);
        assert!(!out.status.success(), "{args:?} must be refused");
        let err = text(&out.stderr);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(
            !err.contains("cannot connect"),
            "{args:?} refused before connecting: {err}"
        );
    }
}
