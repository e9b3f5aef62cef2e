//! A message as a shell command line that publishes it again: `mosquitto_pub` or
//! `topicscope pub`, quoted for POSIX sh. Text payloads go in `-m '…'`; payloads that
//! cannot (not UTF-8, or holding NUL and other control bytes) are piped in from
//! `printf` with octal escapes, which every POSIX shell understands.

use url::Url;

/// What to publish, and where.
#[derive(Clone, Copy, Debug)]
pub struct ShellPublish<'a> {
    /// The broker URL of the connection (`mqtt://host:1883`, `mqtts://…`, `ws://…`).
    pub broker_url: &'a str,
    pub username: Option<&'a str>,
    pub mqtt5: bool,
    pub topic: &'a str,
    pub payload: &'a [u8],
    pub qos: u8,
    pub retain: bool,
}

/// `s` as one sh word: in single quotes, each `'` written as `'\''`.
pub fn sh_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if safe {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The payload as a `-m` argument, or `None` when it has to be piped in.
fn text_payload(payload: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(payload).ok()?;
    let printable = text.chars().all(|c| !c.is_control() || c == '\n' || c == '\t');
    printable.then_some(text)
}

/// `printf '…' | ` writing exactly `payload` (octal escapes for every byte that is not
/// plain printable ASCII; `%` and `\` escaped too).
fn printf_pipe(payload: &[u8]) -> String {
    let mut fmt = String::with_capacity(payload.len() * 2);
    for &b in payload {
        match b {
            b'%' => fmt.push_str("%%"),
            b'\\' => fmt.push_str("\\\\"),
            b'\'' => fmt.push_str("\\047"),
            0x20..=0x7e => fmt.push(b as char),
            _ => fmt.push_str(&format!("\\{b:03o}")),
        }
    }
    format!("printf '{fmt}' | ")
}

/// `mosquitto_pub` with the same broker, topic, payload, QoS, retain and version. The
/// password is left to a `$MQTT_PASSWORD` variable: a copied command line must not
/// carry it. WebSocket brokers get a comment (mosquitto_pub speaks TCP only).
pub fn mosquitto_pub(p: &ShellPublish<'_>) -> String {
    let mut args = vec!["mosquitto_pub".to_owned()];
    let url = Url::parse(p.broker_url).ok();
    let scheme = url.as_ref().map_or("mqtt", |u| u.scheme()).to_owned();
    if let Some(u) = &url {
        if let Some(host) = u.host_str() {
            args.push(format!(
                "-h {}",
                sh_quote(host.trim_start_matches('[').trim_end_matches(']'))
            ));
        }
        if let Some(port) = u.port() {
            args.push(format!("-p {port}"));
        }
    }
    if matches!(scheme.as_str(), "mqtts" | "ssl" | "tls") {
        args.push("--tls-use-os-certs".to_owned());
    }
    if p.mqtt5 {
        args.push("-V 5".to_owned());
    }
    if let Some(user) = p.username {
        args.push(format!("-u {} -P \"$MQTT_PASSWORD\"", sh_quote(user)));
    }
    args.push(format!("-t {}", sh_quote(p.topic)));
    if p.qos > 0 {
        args.push(format!("-q {}", p.qos.min(2)));
    }
    if p.retain {
        args.push("-r".to_owned());
    }
    let line = match text_payload(p.payload) {
        Some(text) => format!("{} -m {}", args.join(" "), sh_quote_payload(text)),
        None => format!("{}{} -s", printf_pipe(p.payload), args.join(" ")),
    };
    if matches!(scheme.as_str(), "ws" | "wss") {
        return format!(
            "# mosquitto_pub speaks MQTT over TCP only; this broker is {}\n{line}",
            p.broker_url
        );
    }
    line
}

/// `topicscope pub` with the same broker, topic, payload, QoS, retain and version (the
/// password from `$TOPICSCOPE_PASSWORD`, which `topicscope pub` reads by itself).
pub fn topicscope_pub(p: &ShellPublish<'_>) -> String {
    let mut args = vec!["topicscope pub".to_owned(), format!("-b {}", sh_quote(p.broker_url))];
    if p.mqtt5 {
        args.push("--mqtt-version 5".to_owned());
    }
    if let Some(user) = p.username {
        args.push(format!("-u {}", sh_quote(user)));
    }
    args.push(format!("-t {}", sh_quote(p.topic)));
    if p.qos > 0 {
        args.push(format!("-q {}", p.qos.min(2)));
    }
    if p.retain {
        args.push("-r".to_owned());
    }
    match text_payload(p.payload) {
        Some(text) => format!("{} -m {}", args.join(" "), sh_quote_payload(text)),
        // Without -m or -f, `topicscope pub` reads the payload from standard input.
        None => format!("{}{}", printf_pipe(p.payload), args.join(" ")),
    }
}

/// `topicscope pub` sending a saved command of a saved profile by name, with values
/// for its user variables: the template's variables are then filled by that run.
pub fn topicscope_template(profile: &str, command: &str, values: &[(&str, &str)]) -> String {
    let mut line = format!(
        "topicscope pub --profile {} --template {}",
        sh_quote(profile),
        sh_quote(command)
    );
    for (k, v) in values {
        line.push_str(&format!(" --var {}", sh_quote(&format!("{k}={v}"))));
    }
    line
}

/// A payload is always quoted, even when it is one safe word, so that an empty payload
/// stays an argument.
fn sh_quote_payload(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn message<'a>(topic: &'a str, payload: &'a [u8]) -> ShellPublish<'a> {
        ShellPublish {
            broker_url: "mqtt://127.0.0.1:1883",
            username: None,
            mqtt5: false,
            topic,
            payload,
            qos: 0,
            retain: false,
        }
    }

    /// What `sh` passes to a command given `words` (each argument on its own line, NUL
    /// separated), so the quoting is checked by a real shell rather than by eye.
    fn sh_args(words: &str) -> Vec<String> {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\0' {words}"))
            .output()
            .expect("sh");
        String::from_utf8(out.stdout)
            .unwrap()
            .split_terminator('\0')
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn quoting_survives_a_real_shell() {
        for s in [
            "plain",
            "two words",
            "it's",
            "$HOME `x` \"q\" \\n",
            "家/客厅/温度",
            "a'b'c",
            "",
            "-",
        ] {
            assert_eq!(sh_args(&sh_quote(s)), vec![s.to_owned()], "{s:?}");
        }
    }

    #[test]
    fn a_saved_command_becomes_topicscope_pub_with_its_values() {
        let line = topicscope_template("温室 greenhouse", "greenhouse / LED colour", &[("colour", "it's red")]);
        let words = line.strip_prefix("topicscope pub ").unwrap();
        assert_eq!(
            sh_args(words),
            vec![
                "--profile",
                "温室 greenhouse",
                "--template",
                "greenhouse / LED colour",
                "--var",
                "colour=it's red"
            ]
        );
    }

    #[test]
    fn a_text_message_becomes_mosquitto_pub_and_topicscope_pub() {
        let mut p = message("cmnd/tasmota_5C3F21/POWER", b"TOGGLE");
        p.qos = 1;
        p.retain = true;
        assert_eq!(
            mosquitto_pub(&p),
            "mosquitto_pub -h 127.0.0.1 -p 1883 -t cmnd/tasmota_5C3F21/POWER -q 1 -r -m 'TOGGLE'"
        );
        assert_eq!(
            topicscope_pub(&p),
            "topicscope pub -b mqtt://127.0.0.1:1883 -t cmnd/tasmota_5C3F21/POWER -q 1 -r -m 'TOGGLE'"
        );
    }

    #[test]
    fn chinese_topics_quotes_and_json_are_quoted() {
        let p = message("家/客厅/灯 1", br#"{"state": "it's on"}"#);
        let line = mosquitto_pub(&p);
        let args = sh_args(line.trim_start_matches("mosquitto_pub "));
        assert!(args.windows(2).any(|w| w == ["-t", "家/客厅/灯 1"]), "{args:?}");
        assert!(
            args.windows(2).any(|w| w == ["-m", r#"{"state": "it's on"}"#]),
            "{args:?}"
        );
    }

    #[test]
    fn binary_payloads_are_piped_in_byte_for_byte() {
        let payload = [0u8, 1, 0xff, b'%', b'\\', b'\'', b'a', b'\n', 0x80];
        let p = message("bin", &payload);
        let line = topicscope_pub(&p);
        let (pipe, rest) = line.split_once(" | ").expect("a pipe");
        assert!(rest.starts_with("topicscope pub "), "{line}");
        let out = Command::new("sh").arg("-c").arg(pipe).output().expect("sh");
        assert_eq!(out.stdout, payload, "printf wrote back the exact bytes");
        assert!(mosquitto_pub(&p).ends_with(" -s"), "mosquitto_pub reads stdin with -s");
    }

    #[test]
    fn credentials_tls_version_and_websockets() {
        let p = ShellPublish {
            broker_url: "mqtts://broker.example:8883",
            username: Some("esp user"),
            mqtt5: true,
            ..message("t", b"1")
        };
        let line = mosquitto_pub(&p);
        assert!(
            line.contains("--tls-use-os-certs -V 5 -u 'esp user' -P \"$MQTT_PASSWORD\""),
            "{line}"
        );
        assert!(topicscope_pub(&p).contains("--mqtt-version 5 -u 'esp user'"));
        let ws = ShellPublish {
            broker_url: "ws://127.0.0.1:9001/mqtt",
            ..p
        };
        assert!(mosquitto_pub(&ws).starts_with("# mosquitto_pub speaks MQTT over TCP only"));
    }

    #[test]
    fn the_empty_payload_stays_an_argument() {
        let line = topicscope_pub(&message("t", b""));
        let args = sh_args(line.trim_start_matches("topicscope pub "));
        assert_eq!(args.last().map(String::as_str), Some(""), "{args:?}");
    }
}
