//! The embedded broker with the simulated fleet, seen by real clients: mosquitto_sub
//! receives the fleet's traffic including retained availability, and a command sent with
//! mosquitto_pub changes the device's state topic.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use topicscope::broker::{EmbeddedBrokerConfig, start_embedded};
use topicscope::demo::Fleet;

fn require_clients() -> bool {
    if common::mosquitto_clients_available() {
        return true;
    }
    assert!(
        std::env::var("TOPICSCOPE_REQUIRE_MOSQUITTO").as_deref() != Ok("1"),
        "TOPICSCOPE_REQUIRE_MOSQUITTO=1 but mosquitto_sub/mosquitto_pub are not installed"
    );
    eprintln!("note: mosquitto clients not found: demo client tests skipped");
    false
}

/// `mosquitto_sub -v` for `secs` seconds (or `count` messages): (topic, payload, retained?) lines.
fn sub(port: u16, filter: &str, count: usize, secs: u64, retained_only: bool) -> Vec<(String, String)> {
    let mut cmd = Command::new("mosquitto_sub");
    cmd.args([
        "-h",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "-t",
        filter,
        "-v",
        "-C",
        &count.to_string(),
    ]);
    cmd.args(["-W", &secs.to_string()]);
    if retained_only {
        cmd.arg("--retained-only");
    }
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .expect("run mosquitto_sub");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(t, p)| (t.to_owned(), p.to_owned())))
        .collect()
}

/// `mosquitto_pub` at QoS 1; retried twice, since under a loaded test run rumqttd can be
/// slow to accept a brand-new connection.
fn publish(port: u16, topic: &str, payload: &str) {
    let mut last_err = String::new();
    for _ in 0..3 {
        let out = Command::new("mosquitto_pub")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-t",
                topic,
                "-m",
                payload,
                "-q",
                "1",
            ])
            .output()
            .expect("run mosquitto_pub");
        if out.status.success() {
            return;
        }
        last_err = String::from_utf8_lossy(&out.stderr).into_owned();
        std::thread::sleep(Duration::from_millis(300));
    }
    panic!("mosquitto_pub {topic} failed three times: {last_err}");
}

#[test]
fn mosquitto_clients_see_the_fleet_and_its_commands_are_answered() {
    if !require_clients() {
        return;
    }
    let broker = start_embedded(EmbeddedBrokerConfig::default()).expect("embedded broker");
    let port = broker.port();
    let _fleet = Fleet::start(&broker.url()).expect("fleet");

    // Live traffic from several devices within a few seconds.
    let got = sub(port, "#", 60, 10, false);
    for prefix in ["tele/tasmota_5C3F21/", "greenhouse/", "esp32/a1b2c3/", "zigbee2mqtt/"] {
        assert!(
            got.iter().any(|(t, _)| t.starts_with(prefix)),
            "no traffic under {prefix}: {got:?}"
        );
    }
    // Retained availability for a late subscriber.
    let retained = sub(port, "greenhouse/status", 1, 5, true);
    assert_eq!(retained, vec![("greenhouse/status".to_owned(), "online".to_owned())]);

    // A command changes the device's state topic.
    let deadline = Instant::now() + Duration::from_secs(20);
    publish(port, "greenhouse/switch/pump/command", "ON");
    loop {
        let state = sub(port, "greenhouse/switch/pump/state", 1, 3, true);
        if state.first().is_some_and(|(_, p)| p == "ON") {
            break;
        }
        assert!(Instant::now() < deadline, "pump state never became ON: {state:?}");
    }
    publish(port, "greenhouse/switch/pump/command", "OFF");
    loop {
        let state = sub(port, "greenhouse/switch/pump/state", 1, 3, true);
        if state.first().is_some_and(|(_, p)| p == "OFF") {
            break;
        }
        assert!(Instant::now() < deadline, "pump state never became OFF: {state:?}");
    }
}
