//! What `topicscope sub` and `profiles` print, and how they end: one refused filter of
//! several is a warning, not the end; a closed stdout (`| head`, `| true`) ends them
//! quietly instead of a panic; and terminal control sequences in topics and payloads are
//! shown escaped, never sent raw to the terminal.

mod common;

use std::process::{Command, Stdio};

use common::run::{run, text};
use common::{TestBroker, brokers, mosquitto_pub};

/// Mosquitto's dynamic-security plugin refusing SUBSCRIBE to `secret/#` (its plain ACL
/// file would grant it and only filter delivery).
const NO_SECRETS: &str = r#"{
  "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": true, "unsubscribe": true},
  "clients": [],
  "groups": [{"groupname": "anonymous", "roles": [{"rolename": "no-secrets"}]}],
  "anonymousGroup": "anonymous",
  "roles": [{"rolename": "no-secrets", "acls": [
    {"acltype": "subscribePattern", "topic": "secret/#", "priority": 0, "allow": false}
  ]}]
}"#;

#[test]
fn one_refused_filter_of_two_is_a_warning_and_all_refused_is_a_failure() {
    let Some(broker) = TestBroker::mosquitto_with_dynsec(NO_SECRETS) else {
        return;
    };
    mosquitto_pub(&broker, "ok/door", b"closed", 1, true);
    for version in ["3", "5"] {
        let mut c = common::run::topicscope();
        c.args(["sub", "--broker", &broker.url(), "--mqtt-version", version]);
        c.args(["-t", "secret/#", "-t", "ok/#", "--count", "1"]);
        let out = run(c);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "MQTT {version}: exit {:?}: {stderr}", out.status);
        assert_eq!(text(&out.stdout), "ok/door closed\n");
        assert!(
            stderr.contains("warning: subscription to 'secret/#' refused"),
            "MQTT {version}: {stderr}"
        );

        let mut c = common::run::topicscope();
        c.args(["sub", "--broker", &broker.url(), "--mqtt-version", version]);
        c.args(["-t", "secret/#", "-t", "secret/b/#", "--count", "1"]);
        let out = run(c);
        assert!(!out.status.success(), "MQTT {version}: all refused must fail");
        assert!(
            text(&out.stderr).contains("refused every subscription"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// `topicscope ARGS` with stdout a pipe whose reader is already gone.
fn with_closed_stdout(mut command: Command) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let child = command
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn topicscope");
    common::run::wait_with_deadline(child)
}

#[test]
fn a_closed_stdout_ends_sub_and_profiles_quietly() {
    let broker = TestBroker::embedded();
    mosquitto_or_own_pub(&broker, "pipe/x", "1");
    for extra in [&["--quiet"][..], &[]] {
        let mut c = common::run::topicscope();
        c.args(["sub", "--broker", &broker.url(), "-t", "pipe/#", "--count", "1"])
            .args(extra);
        let out = with_closed_stdout(c);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "sub {extra:?}: {stderr}");
        assert!(out.status.success(), "sub {extra:?}: {:?} {stderr}", out.status);
    }

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("profiles.ron"),
        "(profiles: [(name: \"A\"), (name: \"B\")])",
    )
    .unwrap();
    let mut c = common::run::topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path()).arg("profiles");
    let out = with_closed_stdout(c);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "profiles: {stderr}");
    assert!(out.status.success(), "profiles: {:?} {stderr}", out.status);
}

fn mosquitto_or_own_pub(broker: &TestBroker, topic: &str, payload: &str) {
    let out = common::run::run_topicscope(&["pub", "--broker", &broker.url(), "-t", topic, "-m", payload, "-r"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn terminal_escape_sequences_are_shown_escaped_in_text_and_hex_output() {
    for broker in brokers() {
        // Clear the screen in the topic; set the window title, ring the bell, CSI in its
        // C1 form and a carriage return in the payload. Mosquitto refuses control
        // characters in topics (it disconnects the publisher), so only the embedded
        // broker carries that one.
        let (topic, shown_topic) = match broker.kind() {
            common::BrokerKind::Embedded => ("term/\u{1b}[2J", "term/\\x1b[2J"),
            common::BrokerKind::Mosquitto => ("term/esc", "term/esc"),
            common::BrokerKind::RabbitMq => unreachable!("brokers() has no RabbitMQ"),
        };
        let payload = "\u{1b}]0;owned\u{7}ok\u{9b}31m\rdone";
        mosquitto_or_own_pub(&broker, topic, payload);
        for format in ["text", "hex"] {
            let out = common::run::run_topicscope(&[
                "sub",
                "--broker",
                &broker.url(),
                "-t",
                "term/#",
                "--count",
                "1",
                "-F",
                format,
            ]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            assert!(
                !out.stdout.iter().any(|b| *b == 0x1b || *b == 0x07 || *b == b'\r'),
                "{} {format}: raw control bytes reached stdout: {:?}",
                broker.kind_name(),
                text(&out.stdout)
            );
            assert!(
                text(&out.stdout).starts_with(&format!("{shown_topic} ")),
                "{}",
                text(&out.stdout)
            );
        }
        let out = common::run::run_topicscope(&["sub", "--broker", &broker.url(), "-t", "term/#", "--count", "1"]);
        assert_eq!(
            text(&out.stdout),
            format!("{shown_topic} \\x1b]0;owned\\x07ok\\u{{9b}}31m\\x0ddone\n"),
            "{}",
            broker.kind_name()
        );
        // JSON keeps the exact text (escaped by JSON itself).
        let out = common::run::run_topicscope(&[
            "sub",
            "--broker",
            &broker.url(),
            "-t",
            "term/#",
            "--count",
            "1",
            "-F",
            "json",
        ]);
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON line");
        assert_eq!(line["topic"], topic);
        assert_eq!(line["payload"], payload);
    }
}

#[test]
fn sub_says_when_the_connection_is_lost_when_retries_fail_and_when_it_is_back() {
    use std::io::BufRead as _;
    let mut broker = TestBroker::embedded();
    let mut child = common::run::topicscope()
        .args(["sub", "--broker", &broker.url(), "-t", "back/#"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn topicscope sub");
    let (tx, lines) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("piped stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_line = |what: &str| -> String {
        loop {
            match lines.recv_timeout(common::run::WAIT) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => panic!("no stderr line with {what:?}"),
            }
        }
    };
    // Connected once `sub` is subscribed: wait for the broker to see it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    broker.stop();
    wait_line("connection lost");
    wait_line("reconnecting failed");
    broker.restart();
    let back = wait_line("reconnected to");
    assert!(back.contains(&broker.port().to_string()), "{back}");
    let _ = child.kill();
    let _ = child.wait();
}
