//! Interoperability: `topicscope sub` / `pub` against brokers and clients we did not
//! write. Brokers: mosquitto, the embedded broker (`topicscope broker`) and amqtt (a
//! Python broker, MQTT 3.1.1). Outside client: paho-mqtt speaking MQTT 3.1.1 and 5
//! (`tests/interop/paho_client.py`). For each pair: a retained message and a live QoS 2
//! message each way, checking topic, payload, QoS and the retain flag.
//!
//! Needs `python3` with `paho-mqtt` and `amqtt` (`.ci/run` installs them). Missing, they
//! are a failure when `CI=true` or `TOPICSCOPE_REQUIRE_INTEROP=1`, a printed skip otherwise.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::run::{LineChild, run, run_topicscope, text};
use common::{HOST, TestBroker, free_port, mqtt_handshake};

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("TOPICSCOPE_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// True when python3 can import paho-mqtt and amqtt; panics when they are required.
fn python_ready() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import paho.mqtt.client, amqtt"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok || !required(),
        "the interoperability suite needs python3 with paho-mqtt and amqtt \
         (python3 -m pip install paho-mqtt amqtt)"
    );
    if !ok {
        eprintln!("note: python3 with paho-mqtt and amqtt not found: interoperability suite skipped");
    }
    ok
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/paho_client.py")
}

/// amqtt on a free 127.0.0.1 port; killed on drop.
struct Amqtt {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Amqtt {
    fn start() -> Amqtt {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let conf = dir.path().join("amqtt.yaml");
        std::fs::write(
            &conf,
            format!(
                "listeners:\n  default:\n    type: tcp\n    bind: {HOST}:{port}\n\
                 plugins:\n  amqtt.plugins.authentication.AnonymousAuthPlugin:\n    allow_anonymous: true\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("amqtt.log")).unwrap();
        // Through the interpreter that passed the import check, not a console script
        // that may not be on PATH (pyenv shims, ~/.local/bin).
        let child = Command::new("python3")
            .args(["-m", "amqtt.scripts.broker_script", "-c"])
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn amqtt (python3 -m pip install amqtt)");
        let mut broker = Amqtt { child, port, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while mqtt_handshake((std::net::Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(500)).is_err() {
            assert!(
                Instant::now() < deadline && matches!(broker.child.try_wait(), Ok(None)),
                "amqtt did not start on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        broker
    }
}

impl Drop for Amqtt {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn paho(args: &[&str]) -> Command {
    let mut c = Command::new("python3");
    c.arg(script()).args(args);
    c
}

fn json(what: &str, line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: not a JSON line ({e}): {line:?}"))
}

/// Retained and live QoS 2 messages both ways between topicscope and paho on one broker.
fn exchange(broker: &str, port: u16, version: &str) {
    let url = format!("mqtt://{HOST}:{port}");
    let port_s = port.to_string();
    let ctx = format!("{broker}, paho MQTT {version}");
    let base = format!("ix/{broker}/v{version}");
    let ts_version = if version == "5" { "5" } else { "3" };

    // 1. paho publishes retained (QoS 1); a fresh `topicscope sub` sees it as retained.
    let retained = format!("{base}/from-paho");
    let out = run(paho(&[
        "pub",
        HOST,
        &port_s,
        version,
        &retained,
        "kept by paho",
        "1",
        "1",
    ]));
    assert!(out.status.success(), "{ctx}: paho pub: {}", text(&out.stderr));
    let out = run_topicscope(&[
        "sub",
        "--broker",
        &url,
        "--mqtt-version",
        ts_version,
        "-t",
        &retained,
        "-q",
        "1",
        "-F",
        "json",
        "-C",
        "1",
    ]);
    assert!(out.status.success(), "{ctx}: sub: {}", text(&out.stderr));
    let m = json(&format!("{ctx}: step 1"), &text(&out.stdout));
    assert_eq!(
        (&m["topic"], &m["payload"], &m["qos"], &m["retain"]),
        (
            &retained.clone().into(),
            &"kept by paho".into(),
            &1.into(),
            &true.into()
        ),
        "{ctx}"
    );

    // 2. topicscope publishes retained (QoS 1); a fresh paho subscriber sees it as retained.
    let kept = format!("{base}/from-topicscope");
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &url,
        "--mqtt-version",
        ts_version,
        "-t",
        &kept,
        "-m",
        "kept by topicscope",
        "-q",
        "1",
        "-r",
    ]);
    assert!(out.status.success(), "{ctx}: pub: {}", text(&out.stderr));
    let out = run(paho(&["sub", HOST, &port_s, version, &kept, "1", "1", "10"]));
    assert!(out.status.success(), "{ctx}: paho sub: {}", text(&out.stderr));
    let lines = text(&out.stdout);
    // amqtt sends retained messages before its SUBACK, so READY may come second or never.
    let message = lines.lines().find(|l| *l != "READY").unwrap_or_default();
    let m = json(&format!("{ctx}: step 2"), message);
    assert_eq!(
        (&m["topic"], &m["payload"], &m["qos"], &m["retain"]),
        (
            &kept.clone().into(),
            &"kept by topicscope".into(),
            &1.into(),
            &true.into()
        ),
        "{ctx}: {lines}"
    );

    // 3. Live QoS 2, topicscope → paho (subscribed first, READY after its SUBACK).
    let live = format!("{base}/live-to-paho");
    let sub = LineChild::spawn(paho(&["sub", HOST, &port_s, version, &live, "2", "1", "15"]));
    assert_eq!(sub.next_line(&format!("{ctx}: paho subscribed")), "READY");
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &url,
        "--mqtt-version",
        ts_version,
        "-t",
        &live,
        "-m",
        "exactly once",
        "-q",
        "2",
    ]);
    assert!(out.status.success(), "{ctx}: pub QoS 2: {}", text(&out.stderr));
    let m = json(
        &format!("{ctx}: step 3"),
        &sub.next_line(&format!("{ctx}: the QoS 2 message at paho")),
    );
    assert_eq!(
        (&m["payload"], &m["qos"], &m["retain"]),
        (&"exactly once".into(), &2.into(), &false.into()),
        "{ctx}"
    );

    // 4. Live QoS 2, paho → topicscope. One filter over the whole base: its first
    //    (retained) message shows `topicscope sub` is subscribed before paho publishes.
    //    Retained messages (amqtt sends some twice) are skipped until the live one.
    let live = format!("{base}/live-to-topicscope");
    let mut c = common::run::topicscope();
    c.args([
        "sub",
        "--broker",
        &url,
        "--mqtt-version",
        ts_version,
        "-q",
        "2",
        "-F",
        "json",
    ]);
    c.args(["-t", &format!("{base}/#")]);
    let sub = LineChild::spawn(c);
    let first = json(
        &format!("{ctx}: step 4"),
        &sub.next_line(&format!("{ctx}: topicscope subscribed")),
    );
    assert_eq!(first["retain"], true, "{ctx}: {first}");
    let out = run(paho(&["pub", HOST, &port_s, version, &live, "from paho", "2", "0"]));
    assert!(out.status.success(), "{ctx}: paho pub QoS 2: {}", text(&out.stderr));
    let m = loop {
        let m = json(
            &format!("{ctx}: step 4"),
            &sub.next_line(&format!("{ctx}: the QoS 2 message at topicscope")),
        );
        if m["retain"] != true {
            break m;
        }
    };
    assert_eq!(
        (&m["topic"], &m["payload"], &m["qos"], &m["retain"]),
        (&live.clone().into(), &"from paho".into(), &2.into(), &false.into()),
        "{ctx}"
    );
}

#[test]
fn topicscope_and_paho_exchange_messages_through_three_brokers() {
    if !python_ready() {
        return;
    }
    let embedded = TestBroker::embedded();
    for version in ["3", "5"] {
        exchange("embedded", embedded.port(), version);
    }
    if let Some(mosquitto) = TestBroker::mosquitto() {
        for version in ["3", "5"] {
            exchange("mosquitto", mosquitto.port(), version);
        }
    }
    // amqtt speaks MQTT 3.1.1 only.
    let amqtt = Amqtt::start();
    exchange("amqtt", amqtt.port, "3");
}
