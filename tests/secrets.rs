//! No password at any log level over any transport: `topicscope pub` and `sub` with
//! `RUST_LOG=trace` over mqtt://, ws:// and mqtts:// against mosquitto requiring a
//! password, and their whole stderr searched for the password as text and as hex (the
//! forms tungstenite's frame traces use). Also: the password from `TOPICSCOPE_PASSWORD`,
//! so it need not be on the command line (visible to other users in `ps`).

mod common;

use std::process::Command;

use common::run::{run, text};
use common::{Listener, TestBroker, pki::TestPki};

const USER: &str = "tracer";
/// Distinctive, so a match can only be a leak.
const PASSWORD: &str = "Pw-7c1f-leak-canary";

/// The password in every shape a logger might print it.
fn leaked_forms() -> Vec<String> {
    let bytes = PASSWORD.as_bytes();
    let hex_lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hex_spaced: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let decimal: Vec<String> = bytes.iter().map(u8::to_string).collect();
    vec![
        PASSWORD.to_owned(),
        hex_lower.clone(),
        hex_lower.to_uppercase(),
        hex_spaced.join(" "),
        decimal.join(", "),
    ]
}

fn assert_no_leak(what: &str, stderr: &str) {
    let flat: String = stderr.chars().filter(|c| !c.is_whitespace() || *c == ' ').collect();
    for form in leaked_forms() {
        assert!(
            !stderr.contains(&form) && !flat.contains(&form),
            "{what}: the password appears in the trace output as {form:?}"
        );
    }
}

/// `topicscope ARGS` with trace logging everywhere. The password is on the command line
/// here (the environment variable has its own test below).
fn traced(args: &[&str]) -> Command {
    let mut c = common::run::topicscope();
    c.args(args).args(["-u", USER, "-P", PASSWORD]);
    c.env("RUST_LOG", "trace");
    c
}

#[test]
fn trace_output_never_holds_the_password_on_any_transport() {
    let pki = TestPki::generate();
    let Some(broker) = TestBroker::mosquitto_with_password_and_listeners(
        USER,
        PASSWORD,
        &[Listener::websockets(), Listener::tls(&pki.ca, &pki.server)],
    ) else {
        return;
    };
    let ca = pki.ca.to_str().expect("UTF-8 temp path");
    let urls = [
        (broker.url(), vec![]),
        (format!("ws://127.0.0.1:{}/mqtt", broker.listener_port(0)), vec![]),
        (
            format!("mqtts://127.0.0.1:{}", broker.listener_port(1)),
            vec!["--cafile", ca],
        ),
    ];
    let mut saw_frame_traces = false;
    for (url, extra) in &urls {
        let topic = format!("secret/{}", url.split(':').next().unwrap_or("x"));
        let mut pub_cmd = traced(&["pub", "--broker", url, "-t", &topic, "-m", "x", "-r", "-q", "1"]);
        pub_cmd.args(extra);
        let out = run(pub_cmd);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "pub over {url}: {}", tail(&stderr));
        assert_no_leak(&format!("pub over {url}"), &stderr);
        // Trace really is on (else the test would prove nothing).
        assert!(
            stderr.contains("TRACE") || stderr.contains("DEBUG"),
            "no trace output over {url}"
        );
        saw_frame_traces |= stderr.contains("tungstenite");

        let mut sub_cmd = traced(&["sub", "--broker", url, "-t", &topic, "--count", "1"]);
        sub_cmd.args(extra);
        let out = run(sub_cmd);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "sub over {url}: {}", tail(&stderr));
        assert_eq!(text(&out.stdout), format!("{topic} x\n"));
        assert_no_leak(&format!("sub over {url}"), &stderr);
    }
    // The WebSocket library still logs (at debug), only its frame dumps are gone.
    assert!(saw_frame_traces, "expected tungstenite's debug lines over ws://");
}

#[test]
fn the_password_can_come_from_the_environment_and_a_wrong_one_is_refused() {
    let Some(broker) = TestBroker::mosquitto_with_password(USER, PASSWORD) else {
        return;
    };
    let mut c = common::run::topicscope();
    c.args(["pub", "--broker", &broker.url(), "-u", USER, "-t", "env/ok", "-m", "1"]);
    c.env("TOPICSCOPE_PASSWORD", PASSWORD);
    let out = run(c);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let mut c = common::run::topicscope();
    c.args(["pub", "--broker", &broker.url(), "-u", USER, "-t", "env/ok", "-m", "1"]);
    c.env("TOPICSCOPE_PASSWORD", "wrong");
    let out = run(c);
    assert!(!out.status.success());
    assert!(!text(&out.stderr).contains("wrong"), "{}", text(&out.stderr));

    // --help names the variable but never shows its value.
    let mut c = common::run::topicscope();
    c.args(["pub", "--help"]).env("TOPICSCOPE_PASSWORD", PASSWORD);
    let out = run(c);
    let help = text(&out.stdout);
    assert!(help.contains("TOPICSCOPE_PASSWORD"), "{help}");
    assert!(!help.contains(PASSWORD), "{help}");
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(3000);
    let start = (start..text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    &text[start..]
}
