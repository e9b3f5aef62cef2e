//! Connection options a broker can observe: the last will (sent when a client vanishes,
//! through the CLI flags and the profile), keep-alive and clean session, and credentials,
//! which must never show up in an error message or event.

mod common;

use common::cut_proxy::CutProxy;
use common::run::{LineChild, WAIT, connect_worker, run_topicscope, text, topicscope};
use common::{TestBroker, brokers};
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::{LastWill, Profile};

#[test]
fn a_killed_sub_leaves_its_last_will() {
    for broker in brokers() {
        let name = broker.kind_name();
        let out = run_topicscope(&[
            "pub",
            "--broker",
            &broker.url(),
            "-t",
            "will/ready",
            "-m",
            "ready",
            "-r",
            "-q",
            "1",
        ]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));

        // The retained "ready" line proves each client is subscribed (or connected).
        let mut watcher = topicscope();
        watcher.args([
            "sub",
            "--broker",
            &broker.url(),
            "-t",
            "will/ready",
            "-t",
            "will/gone",
            "-q",
            "1",
        ]);
        let watcher = LineChild::spawn(watcher);
        assert_eq!(watcher.next_line("watcher subscribed"), "will/ready ready", "{name}");

        let mut victim = topicscope();
        victim.args(["sub", "--broker", &broker.url(), "-t", "will/ready"]);
        victim.args([
            "--will-topic",
            "will/gone",
            "--will-payload",
            "board lost",
            "--will-qos",
            "1",
        ]);
        let mut victim = LineChild::spawn(victim);
        assert_eq!(victim.next_line("victim connected"), "will/ready ready", "{name}");
        victim.kill();

        assert_eq!(watcher.next_line("the will"), "will/gone board lost", "{name}");
    }
}

#[test]
fn a_cut_connection_publishes_the_profiles_retained_will() {
    for broker in brokers() {
        let name = broker.kind_name();
        let proxy = CutProxy::start(broker.addr());
        let mut profile = Profile::new("will", format!("mqtt://{}", proxy.addr()));
        profile.subscriptions.clear();
        profile.connect_timeout_secs = 5;
        profile.last_will = Some(LastWill {
            topic: "will/worker".into(),
            payload: "worker gone".into(),
            qos: 1,
            retain: true,
        });
        let worker = connect_worker(&profile).unwrap_or_else(|reason| panic!("{name}: {reason}"));
        proxy.cut();

        // Retained, so a client arriving after the cut still gets it.
        let out = run_topicscope(&[
            "sub",
            "--broker",
            &broker.url(),
            "-t",
            "will/worker",
            "-C",
            "1",
            "-F",
            "json",
        ]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
        assert_eq!(line["payload"], "worker gone", "{name}: {line}");
        assert_eq!(line["retain"], true, "{name}: {line}");
        drop(worker);
    }
}

#[test]
fn a_clean_disconnect_sends_no_will() {
    let Some(broker) = TestBroker::mosquitto() else {
        return;
    };
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &broker.url(),
        "-t",
        "polite/ready",
        "-m",
        "ready",
        "-r",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut watcher = topicscope();
    watcher.args(["sub", "--broker", &broker.url(), "-t", "polite/#", "-q", "1"]);
    let watcher = LineChild::spawn(watcher);
    assert_eq!(watcher.next_line("watcher subscribed"), "polite/ready ready");

    let mut profile = Profile::new("polite", broker.url());
    profile.subscriptions.clear();
    profile.last_will = Some(LastWill {
        topic: "polite/will".into(),
        payload: "should not appear".into(),
        qos: 1,
        retain: false,
    });
    let worker = connect_worker(&profile).unwrap_or_else(|reason| panic!("{reason}"));
    worker.send_blocking(Command::Disconnect).unwrap();
    common::run::wait_for(&worker, "disconnected", |event| {
        matches!(event, Event::State(ConnectionState::Disconnected { .. }))
    });
    // A will would have been published when the connection closed, before this marker.
    let out = run_topicscope(&[
        "pub",
        "--broker",
        &broker.url(),
        "-t",
        "polite/marker",
        "-m",
        "after",
        "-q",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(watcher.next_line("the marker"), "polite/marker after");
}

/// mosquitto logs every CONNECT as "… as ID (p2, cCLEAN, kKEEPALIVE)".
#[test]
fn keep_alive_and_clean_session_reach_the_broker() {
    let Some(broker) = TestBroker::mosquitto() else {
        return;
    };
    let cases: [(&str, &[&str], &str); 3] = [
        ("opts-default", &[], "(p2, c1, k30"),
        (
            "opts-session",
            &["--keep-alive", "7", "--no-clean-session"],
            "(p2, c0, k7",
        ),
        ("opts-no-ping", &["-k", "0"], "(p2, c1, k0"),
    ];
    let url = broker.url();
    for (client_id, flags, expected) in cases {
        let mut args = vec!["pub", "--broker", &url, "--client-id", client_id, "-t", "o", "-m", "1"];
        args.extend_from_slice(flags);
        let out = run_topicscope(&args);
        assert!(out.status.success(), "{client_id}: {}", text(&out.stderr));
        let wanted = format!("as {client_id} {expected}");
        let deadline = std::time::Instant::now() + WAIT;
        while !broker.log().contains(&wanted) {
            assert!(
                std::time::Instant::now() < deadline,
                "no '{wanted}' in:\n{}",
                broker.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

#[test]
fn passwords_never_appear_in_errors_or_events() {
    let Some(broker) = TestBroker::mosquitto_with_password("esp", "right") else {
        return;
    };
    let secret = "Zq9-not-the-password";
    let in_url = format!("mqtt://esp:{secret}@127.0.0.1:{}", broker.port());
    let failures = [
        run_topicscope(&["sub", "--broker", &in_url, "--connect-timeout", "3"]),
        run_topicscope(&[
            "sub",
            "--broker",
            &broker.url(),
            "-u",
            "esp",
            "-P",
            secret,
            "--connect-timeout",
            "3",
        ]),
    ];
    for out in failures {
        let err = text(&out.stderr);
        assert!(!out.status.success());
        assert!(
            err.contains("bad user name or password") || err.contains("not authorised"),
            "{err}"
        );
        assert!(!err.contains(secret), "the password is printed: {err}");
    }

    // Every event the worker emits on the way to the refusal, as Debug, and the profile.
    let mut profile = Profile::new("secret", in_url.clone());
    profile.subscriptions.clear();
    let worker = WorkerHandle::spawn(None).unwrap();
    worker
        .send_blocking(Command::Connect(Box::new(profile.clone())))
        .unwrap();
    let mut seen = String::new();
    common::run::wait_for(&worker, "the refusal", |event| {
        seen.push_str(&format!("{event:?}\n"));
        matches!(event, Event::State(ConnectionState::Reconnecting { .. }))
    });
    assert!(seen.contains("refused"), "{seen}");
    assert!(!seen.contains(secret), "an event shows the password: {seen}");
    assert!(!format!("{profile:?}").contains(secret));

    // The right password in the URL is used.
    let right = format!("mqtt://esp:right@127.0.0.1:{}", broker.port());
    let out = run_topicscope(&["pub", "--broker", &right, "-t", "ok", "-m", "1", "-q", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
