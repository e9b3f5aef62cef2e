//! What the worker tells a person, in Chinese and in English (issue 13): a publish
//! larger than the profile allows, and a connection the broker refuses, through the real
//! worker against real brokers. Its own test binary, because the language is global.

mod common;

use std::sync::Mutex;

use common::TestBroker;
use common::worker_fixture::{profile, publish, wait_for};
use topicscope::i18n::{Lang, set_lang};
use topicscope::mqtt::{Command, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::MqttVersion;

/// The tests switch the one global language; they take turns.
static LANGUAGE: Mutex<()> = Mutex::new(());

/// Publishes 3,000 bytes to a worker whose profile allows 1,024 per packet, in `lang`;
/// returns why the worker did not send it.
fn oversize_refusal(broker: &TestBroker, lang: Lang) -> String {
    set_lang(lang);
    let worker = WorkerHandle::spawn(None).expect("worker");
    let mut p = profile(broker, &[("i18n/#", 1)]);
    p.max_packet_bytes = 1024;
    worker.send_blocking(Command::Connect(Box::new(p))).expect("connect");
    wait_for(&worker, "the subscription granted", |ev| {
        matches!(ev, Event::Subscribed { .. })
    });
    publish(&worker, 7, "i18n/big", vec![b'x'; 3000], 1, false);
    let mut reason = None;
    wait_for(&worker, "the big publish refused", |ev| match ev {
        Event::PublishFailed { id: 7, reason: r } => {
            reason = Some(r.clone());
            true
        }
        _ => false,
    });
    reason.expect("a reason")
}

#[test]
fn an_oversize_publish_is_refused_in_the_interface_language_with_grouped_numbers() {
    let _turn = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    let broker = TestBroker::embedded();
    let zh = oversize_refusal(&broker, Lang::ZhCn);
    let en = oversize_refusal(&broker, Lang::En);
    set_lang(Lang::En);

    // 3,000 bytes of payload; with the topic, the packet id and the fixed header (MQTT
    // 3.1.1, the embedded broker) 3,015 on the wire.
    assert_eq!(
        zh,
        "未发送：3,000 字节（含主题和报头共 3,015 字节），超过了配置中的最大报文大小（1,024 字节）"
    );
    assert_eq!(
        en,
        "not sent: 3,000 bytes (3,015 with topic and header) is more than the maximum packet size \
         in the profile (1,024 bytes)"
    );
}

/// Connects with a wrong password in `lang` over `version`; returns the reason the
/// worker gives.
fn refusal(broker: &TestBroker, lang: Lang, version: MqttVersion) -> String {
    set_lang(lang);
    let worker = WorkerHandle::spawn(None).expect("worker");
    let mut p = profile(broker, &[]);
    p.mqtt_version = version;
    p.username = Some("esp".into());
    p.password = Some("not-the-password".into());
    worker.send_blocking(Command::Connect(Box::new(p))).expect("connect");
    let mut reason = None;
    wait_for(&worker, "the refusal", |ev| match ev {
        Event::State(ConnectionState::Reconnecting { reason: r, .. })
        | Event::State(ConnectionState::Disconnected { reason: Some(r) }) => {
            reason = Some(r.clone());
            true
        }
        _ => false,
    });
    reason.expect("a reason")
}

#[test]
fn a_refused_connection_is_explained_in_the_interface_language() {
    let _turn = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    let Some(broker) = TestBroker::mosquitto_with_password("esp", "s3cret") else {
        return;
    };
    let zh = refusal(&broker, Lang::ZhCn, MqttVersion::V311);
    let en = refusal(&broker, Lang::En, MqttVersion::V311);
    let zh5 = refusal(&broker, Lang::ZhCn, MqttVersion::V5);
    let en5 = refusal(&broker, Lang::En, MqttVersion::V5);
    set_lang(Lang::En);

    // Mosquitto answers a wrong password with "bad user name or password" or, in some
    // versions, "not authorised".
    assert!(
        zh == "服务器拒绝了连接：用户名或密码错误" || zh == "服务器拒绝了连接：未授权",
        "{zh}"
    );
    assert!(
        en == "the broker refused the connection: bad user name or password"
            || en == "the broker refused the connection: not authorised",
        "{en}"
    );
    // MQTT 5: the reason code's words and number (mosquitto 2.0 answers 0x87).
    assert!(
        zh5 == "服务器拒绝了连接：用户名或密码错误（0x86）" || zh5 == "服务器拒绝了连接：未授权（0x87）",
        "{zh5}"
    );
    assert!(
        en5 == "the broker refused the connection: Bad user name or password (0x86)"
            || en5 == "the broker refused the connection: Not authorized (0x87)",
        "{en5}"
    );
}

#[test]
fn the_connection_state_reads_in_the_interface_language() {
    let _turn = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    let state = ConnectionState::Reconnecting {
        broker: "mqtt://127.0.0.1:1883".into(),
        retry_in: std::time::Duration::from_millis(1500),
        reason: "x".into(),
        attempt: 2,
    };
    set_lang(Lang::ZhCn);
    let zh = state.to_string();
    set_lang(Lang::En);
    assert_eq!(zh, "2 秒后重连：x");
    assert_eq!(state.to_string(), "reconnecting in 2 s: x");
}

/// Runs the binary with `TOPICSCOPE_LANG=lang`; returns what it wrote to stderr.
fn cli_stderr(lang: &str, args: &[&str]) -> String {
    let mut command = common::run::topicscope();
    command.env("TOPICSCOPE_LANG", lang).args(args);
    let out = common::run::run(command);
    assert!(!out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).trim_end().to_owned()
}

#[test]
fn the_command_line_speaks_the_locale_s_language() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("mqtt://127.0.0.1:{port}");
    let connect = ["sub", "--broker", url.as_str(), "--connect-timeout", "3"];
    assert_eq!(
        cli_stderr("zh_CN.UTF-8", &connect),
        format!("topicscope: 无法连接到 {url}：连接被拒绝（服务器是否在该端口上运行？）")
    );
    assert_eq!(
        cli_stderr("en", &connect),
        format!("topicscope: cannot connect to {url}: connection refused (is the broker running on that port?)")
    );

    let wildcard = ["pub", "--broker", url.as_str(), "-t", "家/#", "-m", "x"];
    assert_eq!(
        cli_stderr("zh-CN", &wildcard),
        "topicscope: 无法发布到“家/#”：发布的主题不能包含通配符“#”，通配符只用于订阅。"
    );
    assert_eq!(
        cli_stderr("en-US", &wildcard),
        "topicscope: cannot publish to '家/#': A topic to publish to cannot contain the wildcard '#'; \
         wildcards are only for subscribing."
    );
}

/// Every text of `cmd` and its subcommands a person reads in `--help`: the command's
/// description, each visible option's help and each documented value's; `(where, text)`,
/// with `None` where an option has no help at all.
fn help_texts(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Option<String>)>) {
    let path = format!("{path} {}", cmd.get_name());
    if let Some(about) = cmd.get_about() {
        out.push((path.clone(), Some(about.to_string())));
    }
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let at = format!("{path} {}", arg.get_id());
        out.push((at.clone(), arg.get_help().map(|h| h.to_string())));
        for value in arg.get_possible_values() {
            if let Some(help) = value.get_help() {
                out.push((format!("{at}={}", value.get_name()), Some(help.to_string())));
            }
        }
    }
    for sub in cmd.get_subcommands() {
        help_texts(sub, &path, out);
    }
}

#[test]
fn the_help_of_every_command_and_option_reads_in_chinese() {
    let _turn = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    // Values' help is made when asked for: each language's texts under that language.
    let texts = |lang| {
        set_lang(lang);
        let cmd = topicscope::cli::command();
        // clap's own check of the whole command line (one `--help` per command, and so on).
        cmd.clone().debug_assert();
        let mut texts = Vec::new();
        help_texts(&cmd, "", &mut texts);
        texts
    };
    let zh_texts = texts(Lang::ZhCn);
    let en_texts = texts(Lang::En);
    assert!(zh_texts.len() > 150, "only {} texts found", zh_texts.len());
    assert_eq!(zh_texts.len(), en_texts.len());
    let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut untranslated = Vec::new();
    for ((at, zh), (_, en)) in zh_texts.iter().zip(&en_texts) {
        match (zh, en) {
            (Some(zh), Some(en)) if cjk(zh) && !cjk(en) => {}
            // Benchmark sizes (`bench model --topics`) say only their default.
            (None, None) if at.starts_with(" topicscope bench ") => {}
            _ => untranslated.push(format!("{at}: {zh:?} / {en:?}")),
        }
    }
    assert!(untranslated.is_empty(), "{untranslated:#?}");
}

#[test]
fn the_help_is_printed_in_the_locale_s_language() {
    for (lang, has, lacks) in [
        ("zh_CN.UTF-8", ["用法:", "选项:", "订阅的 QoS", "打印帮助"], "Usage:"),
        (
            "en-US",
            ["Usage:", "Options:", "QoS of the subscriptions", "Print help"],
            "用法",
        ),
    ] {
        let mut command = common::run::topicscope();
        command.env("TOPICSCOPE_LANG", lang).args(["sub", "--help"]);
        let out = common::run::run(command);
        assert!(out.status.success(), "{out:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        for text in has {
            assert!(help.contains(text), "{lang}: no {text:?} in\n{help}");
        }
        assert!(!help.contains(lacks), "{lang}: {lacks:?} in\n{help}");
    }
}

#[test]
fn command_line_mistakes_are_explained_in_the_locale_s_language() {
    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "zh-CN",
            &["sub", "--count", "abc"],
            &["“--count <COUNT>”的值“abc”无效：不是整数"],
        ),
        (
            "en-US",
            &["sub", "--count", "abc"],
            &["invalid value 'abc' for '--count <COUNT>': not a whole number"],
        ),
        (
            "zh_CN.UTF-8",
            &["sub", "--brokr", "mqtt://127.0.0.1:1"],
            &[
                "错误:",
                "未知的参数“--brokr”",
                "你是不是想用“--broker”",
                "用法: topicscope sub",
                "更多信息请运行“--help”",
            ],
        ),
        (
            "zh-CN",
            &["pub", "-t", "a", "-m", "b", "-q", "3"],
            &["“--qos <QOS>”的值“3”无效：QoS 只能是 0、1 或 2"],
        ),
        (
            "en-US",
            &["sub", "--brokr", "mqtt://127.0.0.1:1"],
            &[
                "error:",
                "unexpected argument '--brokr' found",
                "did you mean '--broker'",
                "Usage: topicscope sub",
            ],
        ),
        (
            "en",
            &["pub", "-t", "a", "-m", "b", "-q", "3"],
            &["invalid value '3' for '--qos <QOS>': a QoS is 0, 1 or 2"],
        ),
    ];
    for (lang, args, has) in cases {
        let mut command = common::run::topicscope();
        command.env("TOPICSCOPE_LANG", lang).args(args);
        let out = common::run::run(command);
        assert_eq!(out.status.code(), Some(2), "{lang} {args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for text in has {
            assert!(stderr.contains(text), "{lang} {args:?}: no {text:?} in\n{stderr}");
        }
    }
}
