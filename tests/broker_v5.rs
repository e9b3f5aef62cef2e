//! `topicscope broker` serves MQTT 3.1.1 and MQTT 5 on one port and over WebSockets, and
//! logs every connect, refusal and disconnect with the client id. Outside clients
//! (mosquitto_pub / mosquitto_sub with `-V 5` and `-V 311`) against the same port, and
//! paho-mqtt over WebSockets.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::run::{run_topicscope, text};
use common::{HOST, TestBroker, mosquitto_clients_available};

const WAIT: Duration = Duration::from_secs(10);

fn require_clients() -> bool {
    if mosquitto_clients_available() {
        return true;
    }
    let required = std::env::var("TOPICSCOPE_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "TOPICSCOPE_REQUIRE_MOSQUITTO=1 but mosquitto_pub / mosquitto_sub are not installed"
    );
    eprintln!("note: mosquitto-clients not installed: skipping");
    false
}

/// `mosquitto_sub -V VERSION -i ID -t FILTER -C 1`, printing `topic payload`.
fn spawn_sub(broker: &TestBroker, version: &str, id: &str, filter: &str) -> Child {
    Command::new("mosquitto_sub")
        .args(["-h", HOST, "-p", &broker.port().to_string(), "-V", version, "-i", id])
        .args(["-t", filter, "-q", "1", "-C", "1", "-W", "10", "-v"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mosquitto_sub")
}

fn publish(broker: &TestBroker, version: &str, id: &str, topic: &str, payload: &str) {
    let out = Command::new("mosquitto_pub")
        .args(["-h", HOST, "-p", &broker.port().to_string(), "-V", version, "-i", id])
        .args(["-t", topic, "-m", payload, "-q", "1"])
        .output()
        .expect("run mosquitto_pub");
    assert!(
        out.status.success(),
        "mosquitto_pub -V {version}: {}\nbroker log:\n{}",
        text(&out.stderr),
        broker.log()
    );
}

/// Waits until the broker logged `needle` (the subscriber is subscribed once connected,
/// give it a moment more for the SUBSCRIBE itself).
fn wait_log(broker: &TestBroker, needle: &str) {
    let deadline = Instant::now() + WAIT;
    while !broker.log().contains(needle) {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} in the broker log:\n{}",
            broker.log()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

fn finish(child: Child, what: &str) -> String {
    let out = child.wait_with_output().expect("mosquitto_sub output");
    assert!(out.status.success(), "{what}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn mqtt_311_and_5_clients_share_one_port_both_ways() {
    if !require_clients() {
        return;
    }
    let broker = TestBroker::embedded();
    for (sub_version, pub_version) in [("5", "311"), ("311", "5"), ("5", "5")] {
        let sub_id = format!("sub-v{sub_version}-from-v{pub_version}");
        let sub = spawn_sub(&broker, sub_version, &sub_id, "mixed/#");
        wait_log(&broker, &format!("connected client {sub_id:?}"));
        thread::sleep(Duration::from_millis(300));
        let payload = format!("from v{pub_version} to v{sub_version}");
        publish(
            &broker,
            pub_version,
            &format!("pub-v{pub_version}"),
            "mixed/t",
            &payload,
        );
        assert_eq!(finish(sub, &sub_id), format!("mixed/t {payload}\n"));
        wait_log(&broker, &format!("disconnected client {sub_id:?}"));
    }
    let log = broker.log();
    assert!(
        log.contains("(TCP, MQTT 5)") && log.contains("(TCP, MQTT 3.1.1)"),
        "{log}"
    );
}

#[test]
fn refused_connections_get_a_connack_and_a_log_line() {
    let broker = TestBroker::embedded();
    // An MQTT 3.1 CONNECT (protocol level 3): CONNACK "unacceptable protocol version".
    let mut body = vec![0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, 0x02, 0, 30, 0, 6];
    body.extend_from_slice(b"old-31");
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend_from_slice(&body);
    let mut stream = TcpStream::connect(broker.addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(&packet).unwrap();
    let mut connack = [0u8; 4];
    stream.read_exact(&mut connack).unwrap();
    assert_eq!(connack, [0x20, 0x02, 0x00, 0x01]);
    wait_log(&broker, "refused client \"old-31\"");
    assert!(broker.log().contains("MQTT 3.1 is not supported"), "{}", broker.log());

    // A client id rumqttd would drop without a word: refused in words instead.
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &broker.url(),
        "--client-id",
        "bad/id",
        "--mqtt-version",
        "5",
        "-t",
        "x",
        "-m",
        "1",
    ]);
    assert!(!out.status.success());
    wait_log(&broker, "refused client \"bad/id\"");

    // Not MQTT at all.
    let mut stream = TcpStream::connect(broker.addr()).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    wait_log(&broker, "refused a connection from 127.0.0.1:");
}

#[test]
fn websockets_carry_both_versions_to_the_same_broker() {
    let broker = TestBroker::embedded_with_websockets();
    let ws = format!("ws://{HOST}:{}/mqtt", broker.listener_port(0));
    for version in ["3", "5"] {
        let topic = format!("ws/v{version}");
        let payload = format!("over ws with MQTT {version}");
        let out = run_topicscope(&[
            "pub",
            "--broker",
            &ws,
            "--mqtt-version",
            version,
            "-t",
            &topic,
            "-m",
            &payload,
            "-r",
            "-q",
            "1",
        ]);
        assert!(
            out.status.success(),
            "pub ws v{version}: {}\n{}",
            text(&out.stderr),
            broker.log()
        );
        // Read back over TCP with the other version, and over ws with the same one.
        let other = if version == "3" { "5" } else { "3" };
        for (url, v) in [(broker.url(), other), (ws.clone(), version)] {
            let out = run_topicscope(&[
                "sub",
                "--broker",
                &url,
                "--mqtt-version",
                v,
                "-t",
                &topic,
                "--count",
                "1",
            ]);
            assert!(out.status.success(), "sub {url} v{v}: {}", text(&out.stderr));
            assert_eq!(text(&out.stdout), format!("{topic} {payload}\n"));
        }
    }
    assert!(broker.log().contains("(WebSocket, MQTT 5)"), "{}", broker.log());
    assert!(broker.log().contains("(WebSocket, MQTT 3.1.1)"), "{}", broker.log());
}

#[test]
fn paho_over_websockets_with_both_versions_reaches_tcp_clients() {
    let paho_ready = Command::new("python3")
        .args(["-c", "import paho.mqtt.client"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let required = std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("TOPICSCOPE_REQUIRE_INTEROP").is_ok_and(|v| v == "1");
    assert!(
        paho_ready || !required,
        "python3 with paho-mqtt is required (pip install paho-mqtt)"
    );
    if !paho_ready {
        eprintln!("note: python3 with paho-mqtt not found: skipping");
        return;
    }
    let broker = TestBroker::embedded_with_websockets();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/paho_client.py");
    for version in ["3", "5"] {
        let topic = format!("paho-ws/v{version}");
        let out = Command::new("python3")
            .arg(&script)
            .args([
                "pub",
                HOST,
                &broker.listener_port(0).to_string(),
                version,
                &topic,
                "hello",
                "1",
                "1",
            ])
            .env("PAHO_WS_PATH", "/mqtt")
            .output()
            .expect("run paho_client.py");
        assert!(
            out.status.success(),
            "paho v{version} over ws: {}\n{}",
            text(&out.stderr),
            broker.log()
        );
        let out = run_topicscope(&["sub", "--broker", &broker.url(), "-t", &topic, "--count", "1"]);
        assert_eq!(text(&out.stdout), format!("{topic} hello\n"), "{}", text(&out.stderr));
    }
    let log = broker.log();
    assert!(
        log.contains("connected client \"paho-pub\"") && log.contains("(WebSocket, MQTT 5)"),
        "{log}"
    );
}
