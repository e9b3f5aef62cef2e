//! `topicscope sub`, `pub` and `profiles` as a new user would run them, against real
//! brokers on 127.0.0.1, and their failures: one clear line, non-zero, never a hang.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{TestBroker, brokers, free_port};

fn topicscope() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topicscope"));
    // Never read the developer's real profiles.
    c.env(
        "TOPICSCOPE_CONFIG_DIR",
        std::env::temp_dir().join("topicscope-cli-tests-empty"),
    );
    c
}

/// Runs with a hard deadline so a hang fails the test instead of the suite.
fn run(mut cmd: Command, limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn topicscope");
    loop {
        if child.try_wait().unwrap().is_some() {
            return (child.wait_with_output().unwrap(), start.elapsed());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "topicscope did not exit within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `topicscope sub -t FILTER --count 1 [extra…]` against `broker`.
fn sub_one(broker: &TestBroker, filter: &str, extra: &[&str]) -> Output {
    let mut c = topicscope();
    c.args(["sub", "--broker", &broker.url(), "-t", filter, "--count", "1"])
        .args(extra);
    run(c, Duration::from_secs(20)).0
}

fn publish(broker: &TestBroker, topic: &str, payload: &str, extra: &[&str]) -> Output {
    let mut c = topicscope();
    c.args(["pub", "--broker", &broker.url(), "-t", topic, "-m", payload])
        .args(extra);
    run(c, Duration::from_secs(20)).0
}

#[test]
fn pub_then_sub_prints_text_json_and_hex() {
    for broker in brokers() {
        let out = publish(&broker, "cli/esp32/temp", "21.5 °C", &["--qos", "1", "--retain"]);
        assert!(
            out.status.success(),
            "{}: pub failed: {}",
            broker.kind_name(),
            text(&out.stderr)
        );

        let out = sub_one(&broker, "cli/#", &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "cli/esp32/temp 21.5 °C\n");

        let out = sub_one(&broker, "cli/#", &["--format", "json"]);
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        assert_eq!(line["topic"], "cli/esp32/temp");
        assert_eq!(line["payload"], "21.5 °C");
        assert_eq!(line["retain"], true);
        assert!(line["qos"].as_u64().is_some());
        assert!(chrono::DateTime::parse_from_rfc3339(line["time"].as_str().unwrap()).is_ok());

        let out = sub_one(&broker, "cli/#", &["--format", "hex"]);
        assert_eq!(text(&out.stdout), "cli/esp32/temp 32312e3520c2b043\n");

        // Clean up the retained message for the next broker run.
        let mut c = topicscope();
        c.args([
            "pub",
            "--broker",
            &broker.url(),
            "-t",
            "cli/esp32/temp",
            "-m",
            "",
            "--retain",
        ]);
        assert!(run(c, Duration::from_secs(20)).0.status.success());
    }
}

#[test]
fn binary_payloads_from_a_file_become_base64_in_json() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blob.bin");
    std::fs::write(&file, [0xff, 0x00, 0xfe, 0x41]).unwrap();
    let mut c = topicscope();
    c.args(["pub", "--broker", &broker.url(), "-t", "bin/blob", "-f"])
        .arg(&file)
        .args(["--retain", "-q", "1"]);
    assert!(run(c, Duration::from_secs(20)).0.status.success());
    let mut c = topicscope();
    c.args(["sub", "--broker", &broker.url(), "-t", "bin/#", "-C", "1", "-F", "json"]);
    let (out, _) = run(c, Duration::from_secs(20));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["payload_base64"], "/wD+QQ==");
    assert!(v.get("payload").is_none());
    let mut c = topicscope();
    c.args(["sub", "--broker", &broker.url(), "-t", "bin/#", "-C", "1"]);
    let (out, _) = run(c, Duration::from_secs(20));
    // Text mode escapes bytes that are not UTF-8, and control characters (NUL included)
    // so that nothing a publisher sends can drive the terminal.
    assert_eq!(text(&out.stdout), "bin/blob \\xff\\x00\\xfeA\n");
}

#[test]
fn quiet_prints_one_summary_line() {
    let broker = TestBroker::embedded();
    for i in 0..3 {
        assert!(
            publish(&broker, &format!("q/{i}"), "x", &["--retain", "-q", "1"])
                .status
                .success()
        );
    }
    let mut c = topicscope();
    c.args(["sub", "--broker", &broker.url(), "-t", "q/#", "--count", "3", "--quiet"]);
    let (out, _) = run(c, Duration::from_secs(20));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("received 3 messages on 3 topics in "), "{stdout}");
    assert!(stdout.contains("msg/s"));
}

#[test]
fn wildcard_or_empty_publish_topics_are_refused_before_connecting() {
    for topic in ["a/+/b", "a/#", ""] {
        let mut c = topicscope();
        // Nothing listens on this port: a refusal must come before any connection attempt.
        c.args([
            "pub",
            "--broker",
            &format!("mqtt://127.0.0.1:{}", free_port()),
            "-t",
            topic,
            "-m",
            "x",
        ]);
        let (out, took) = run(c, Duration::from_secs(10));
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains("cannot publish to"), "{topic:?}: {err}");
        assert!(!err.contains("connect"), "refused before connecting: {err}");
        assert!(took < Duration::from_secs(3));
    }
}

#[test]
fn connection_failures_print_one_clear_line_and_exit_non_zero() {
    let cases: Vec<(String, &str)> = vec![
        (format!("mqtt://127.0.0.1:{}", free_port()), "connection refused"),
        ("mqtt://no-such-host.invalid:1883".to_owned(), "cannot connect"),
        ("http://127.0.0.1:1883".to_owned(), "unsupported scheme"),
    ];
    for (url, expected) in cases {
        for sub in ["sub", "pub"] {
            let mut c = topicscope();
            c.args([sub, "--broker", &url, "--connect-timeout", "3", "-t", "x/y"]);
            if sub == "pub" {
                c.args(["-m", "1"]);
            }
            let (out, took) = run(c, Duration::from_secs(15));
            let err = text(&out.stderr);
            assert!(!out.status.success(), "{sub} {url}");
            assert!(err.contains(expected), "{sub} {url}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
            assert!(
                !err.contains("panicked") && !err.contains("Error {") && !err.contains("Os {"),
                "{err}"
            );
            assert!(took < Duration::from_secs(10), "{sub} {url} took {took:?}");
        }
    }
}

#[test]
fn refused_credentials_are_reported_in_words() {
    let Some(broker) = TestBroker::mosquitto_with_password("esp", "right") else {
        return;
    };
    let mut c = topicscope();
    c.args([
        "sub",
        "--broker",
        &broker.url(),
        "-u",
        "esp",
        "-P",
        "wrong",
        "--connect-timeout",
        "3",
    ]);
    let (out, _) = run(c, Duration::from_secs(15));
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("refused") && (err.contains("user name or password") || err.contains("not authorised")),
        "{err}"
    );
    assert!(!err.contains("wrong"), "the password is never printed: {err}");
    let mut c = topicscope();
    c.args([
        "pub",
        "--broker",
        &broker.url(),
        "-u",
        "esp",
        "-P",
        "right",
        "-t",
        "ok",
        "-m",
        "1",
        "-q",
        "1",
    ]);
    let (out, _) = run(c, Duration::from_secs(15));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn profiles_lists_saved_profiles_and_reports_a_corrupt_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = topicscope::profiles::ProfileStore::new(dir.path().join("profiles.ron"));
    let mut p = topicscope::profiles::Profile::new("lab", "mqtt://user:hunter2@127.0.0.1:1883");
    p.username = Some("user".into());
    store.upsert(p);
    store.save().unwrap();
    let mut c = topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path()).arg("profiles");
    let (out, _) = run(c, Duration::from_secs(10));
    let stdout = text(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.starts_with("lab\t"), "{stdout}");
    assert!(!stdout.contains("hunter2"), "passwords are not printed: {stdout}");

    std::fs::write(
        dir.path().join("profiles.ron"),
        "(version: 1, profiles: [ (name: \"x\",,, ",
    )
    .unwrap();
    let mut c = topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path()).arg("profiles");
    let (out, _) = run(c, Duration::from_secs(10));
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("profiles.ron") && err.contains("line 1"), "{err}");
}

#[test]
fn a_saved_profile_works_for_sub_and_pub() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut store = topicscope::profiles::ProfileStore::new(dir.path().join("profiles.ron"));
    store.upsert(topicscope::profiles::Profile::new("local", broker.url()));
    store.save().unwrap();
    let mut c = topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path()).args([
        "pub",
        "--profile",
        "local",
        "-t",
        "p/x",
        "-m",
        "via profile",
        "-r",
        "-q",
        "1",
    ]);
    assert!(run(c, Duration::from_secs(15)).0.status.success());
    let mut c = topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path())
        .args(["sub", "--profile", "local", "-t", "p/#", "-C", "1"]);
    let (out, _) = run(c, Duration::from_secs(15));
    assert_eq!(text(&out.stdout), "p/x via profile\n");
    let mut c = topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir.path())
        .args(["sub", "--profile", "nope"]);
    let (out, _) = run(c, Duration::from_secs(15));
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no saved profile named 'nope'"));
}
