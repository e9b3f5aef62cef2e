//! Command-line interface: the GUI by default, and headless `sub`, `pub`, `profiles`
//! and `broker` subcommands running on the same worker and model as the window.

mod bench_cmd;
mod connection;
mod decode_arg;
mod desktop_cmd;
mod devices_cmd;
mod duration_arg;
mod encoding_arg;
mod export_cmd;
mod help_lang;
mod interrupt;
pub mod logging;
mod profiles_cmd;
mod pub_cmd;
mod pub_repeat;
mod pub_reply;
mod pub_report;
mod pub_source;
mod record_cmd;
mod replay_cmd;
mod sub_cmd;
mod terminal;
mod top_cmd;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use bench_cmd::{BenchArgs, BenchWhat};
pub use desktop_cmd::DesktopArgs;
pub use encoding_arg::EncodingArg;
pub use export_cmd::{ExportArgs, ExportFormat};
pub use help_lang::{command, parse};
pub use record_cmd::RecordArgs;
pub use replay_cmd::{ReplayArgs, Speed};

use crate::profiles::MqttVersion;

pub use connection::{ConnectError, check_filters, connect_profile, subscribing_profile, wait_connected};

/// Topicscope: a fast, native MQTT explorer.
#[derive(Debug, Parser)]
#[command(name = "topicscope", version, about = crate::tr!("clihelp-about"), propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[arg(help = crate::tr!("clihelp-cli-broker"), long, global = false)]
    pub broker: Option<String>,
    #[arg(help = crate::tr!("clihelp-cli-profile"), long)]
    pub profile: Option<String>,
    #[arg(help = crate::tr!("clihelp-cli-mqtt-version"), long, requires = "broker", value_name = "VERSION", value_parser = parse_mqtt_version)]
    pub mqtt_version: Option<MqttVersion>,
    #[arg(help = crate::tr!("clihelp-cli-open"), long, value_name = "FILE", conflicts_with_all = ["broker", "profile"])]
    pub open: Option<std::path::PathBuf>,
    #[cfg(feature = "broker")]
    #[arg(help = crate::tr!("clihelp-cli-demo"), long, conflicts_with_all = ["broker", "profile", "open"])]
    pub demo: bool,
}

/// A QoS on the command line: 0, 1 or 2, refused in the user's language otherwise.
pub(crate) fn parse_qos(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(q) if q <= 2 => Ok(q),
        _ => Err(crate::tr!("clihelp-err-qos")),
    }
}

/// A number of seconds, 1 or more.
pub(crate) fn parse_whole_seconds(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(crate::tr!("clihelp-err-whole-seconds")),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    #[command(about = crate::tr!("clihelp-cmd-sub"))]
    Sub(Box<SubArgs>),
    #[command(about = crate::tr!("clihelp-cmd-pub"))]
    Pub(Box<PubArgs>),
    #[command(about = crate::tr!("clihelp-cmd-top"))]
    Top(Box<TopArgs>),
    #[command(about = crate::tr!("clihelp-cmd-record"))]
    Record(Box<RecordArgs>),
    #[command(about = crate::tr!("clihelp-cmd-replay"))]
    Replay(Box<ReplayArgs>),
    #[command(about = crate::tr!("clihelp-cmd-export"))]
    Export(Box<ExportArgs>),
    #[command(about = crate::tr!("clihelp-cmd-devices"))]
    Devices(Box<DevicesArgs>),
    #[command(about = crate::tr!("clihelp-cmd-profiles"))]
    Profiles,
    #[command(about = crate::tr!("clihelp-cmd-bench"))]
    Bench(BenchArgs),
    #[command(about = crate::tr!("clihelp-cmd-broker"))]
    #[cfg(feature = "broker")]
    Broker(BrokerArgs),
    #[command(about = crate::tr!("clihelp-cmd-desktop-install"))]
    DesktopInstall(DesktopArgs),
}

/// How to reach the broker; shared by `sub` and `pub`.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    #[arg(help = crate::tr!("clihelp-connect-args-broker"), long, short = 'b')]
    pub broker: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-profile"), long)]
    pub profile: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-client-id"), long)]
    pub client_id: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-no-clean-session"), long)]
    pub no_clean_session: bool,
    #[arg(help = crate::tr!("clihelp-connect-args-username"), long, short = 'u')]
    pub username: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-password"), long, short = 'P', env = "TOPICSCOPE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-keep-alive"), long, short = 'k')]
    pub keep_alive: Option<u16>,
    #[arg(help = crate::tr!("clihelp-connect-args-connect-timeout"), long, default_value_t = 10)]
    pub connect_timeout: u64,
    #[arg(help = crate::tr!("clihelp-connect-args-cafile"), long, value_name = "FILE")]
    pub cafile: Option<PathBuf>,
    #[arg(help = crate::tr!("clihelp-connect-args-cert"), long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    #[arg(help = crate::tr!("clihelp-connect-args-key"), long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    #[arg(help = crate::tr!("clihelp-connect-args-insecure"), long)]
    pub insecure: bool,
    #[arg(help = crate::tr!("clihelp-connect-args-will-topic"), long, value_name = "TOPIC")]
    pub will_topic: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-will-payload"), long, value_name = "TEXT", requires = "will_topic")]
    pub will_payload: Option<String>,
    #[arg(help = crate::tr!("clihelp-connect-args-will-qos"), long, requires = "will_topic", value_parser = crate::cli::parse_qos)]
    pub will_qos: Option<u8>,
    #[arg(help = crate::tr!("clihelp-connect-args-will-retain"), long, requires = "will_topic")]
    pub will_retain: bool,
    #[arg(help = crate::tr!("clihelp-connect-args-mqtt-version"), long, value_name = "VERSION", value_parser = parse_mqtt_version)]
    pub mqtt_version: Option<MqttVersion>,
    #[arg(help = crate::tr!("clihelp-connect-args-session-expiry"), long, value_name = "SECS")]
    pub session_expiry: Option<u32>,
}

/// `--mqtt-version`: the names people use for each version.
fn parse_mqtt_version(text: &str) -> Result<MqttVersion, String> {
    match text
        .trim()
        .to_ascii_lowercase()
        .trim_start_matches("mqtt")
        .trim_start_matches('v')
    {
        "3" | "3.1.1" | "311" | "4" => Ok(MqttVersion::V311),
        "5" | "5.0" => Ok(MqttVersion::V5),
        _ => Err(crate::tr!("worker-cli-bad-mqtt-version", text = text)),
    }
}

/// Output format of `sub`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[value(help = crate::tr!("clihelp-format-text"))]
    Text,
    #[value(help = crate::tr!("clihelp-format-json"))]
    Json,
    #[value(help = crate::tr!("clihelp-format-hex"))]
    Hex,
}

/// Arguments of `sub`.
#[derive(Debug, Clone, Args)]
pub struct SubArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-sub-args-topics"), long = "topic", short = 't')]
    pub topics: Vec<String>,
    #[arg(help = crate::tr!("clihelp-sub-args-qos"), long, short = 'q', default_value_t = 0, value_parser = crate::cli::parse_qos)]
    pub qos: u8,
    #[arg(help = crate::tr!("clihelp-sub-args-count"), long, short = 'C')]
    pub count: Option<u64>,
    #[arg(help = crate::tr!("clihelp-sub-args-format"), long, short = 'F', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[arg(help = crate::tr!("clihelp-sub-args-quiet"), long)]
    pub quiet: bool,
    #[arg(help = crate::tr!("clihelp-sub-args-encoding"), long, short = 'E', value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,
    #[arg(help = crate::tr!("clihelp-sub-args-decode"), long, short = 'D', value_parser = decode_arg::parse_decode, value_name = "DECODER")]
    pub decode: Option<crate::model::DecodeChoice>,
}

/// Arguments of `top`.
#[derive(Debug, Clone, Args)]
pub struct TopArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-top-args-topics"), long = "topic", short = 't')]
    pub topics: Vec<String>,
    #[arg(help = crate::tr!("clihelp-top-args-rows"), long, short = 'n', default_value_t = 20)]
    pub rows: usize,
    #[arg(help = crate::tr!("clihelp-top-args-interval"), long, default_value = "1s", value_parser = duration_arg::parse_interval)]
    pub interval: std::time::Duration,
    #[arg(help = crate::tr!("clihelp-top-args-by-bytes"), long)]
    pub by_bytes: bool,
    #[arg(help = crate::tr!("clihelp-top-args-iterations"), long)]
    pub iterations: Option<u64>,
}

/// Arguments of `devices`.
#[derive(Debug, Clone, Args)]
pub struct DevicesArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-devices-args-topics"), long = "topic", short = 't')]
    pub topics: Vec<String>,
    #[arg(help = crate::tr!("clihelp-devices-args-wait"), long, default_value_t = 5.0)]
    pub wait: f64,
    #[arg(help = crate::tr!("clihelp-devices-args-json"), long)]
    pub json: bool,
}

/// Arguments of `pub`.
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("reply_source").args(["wait_reply", "template"]).multiple(true))]
pub struct PubArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-pub-args-topic"), long = "topic", short = 't', required_unless_present = "template")]
    pub topic: Option<String>,
    #[arg(help = crate::tr!("clihelp-pub-args-message"), long, short = 'm', conflicts_with = "file")]
    pub message: Option<String>,
    #[arg(help = crate::tr!("clihelp-pub-args-file"), long, short = 'f')]
    pub file: Option<std::path::PathBuf>,
    #[arg(help = crate::tr!("clihelp-pub-args-qos"), long, short = 'q', value_parser = crate::cli::parse_qos)]
    pub qos: Option<u8>,
    #[arg(help = crate::tr!("clihelp-pub-args-retain"), long, short = 'r')]
    pub retain: bool,
    // MQTT 5 properties to send with the message.
    #[command(flatten)]
    pub properties: PublishPropertyArgs,
    #[arg(help = crate::tr!("clihelp-pub-args-template"), 
        long,
        value_name = "NAME",
        requires = "profile",
        conflicts_with_all = [
            "topic", "message", "file", "content_type", "response_topic",
            "correlation_data", "message_expiry", "user_properties",
        ]
    )]
    pub template: Option<String>,
    #[arg(help = crate::tr!("clihelp-pub-args-vars"), long = "var", value_name = "NAME=VALUE", requires = "template", value_parser = parse_user_property)]
    pub vars: Vec<(String, String)>,
    #[arg(help = crate::tr!("clihelp-pub-args-repeat"), long, value_name = "N")]
    pub repeat: Option<u64>,
    #[arg(help = crate::tr!("clihelp-pub-args-interval"), long, value_name = "DURATION", requires = "repeat", default_value = "1s",
          value_parser = duration_arg::parse_interval)]
    pub interval: std::time::Duration,
    #[arg(help = crate::tr!("clihelp-pub-args-wait-reply"), long, value_name = "TOPIC_FILTER")]
    pub wait_reply: Option<String>,
    #[arg(help = crate::tr!("clihelp-pub-args-reply-timeout"), long, value_name = "SECS", requires = "reply_source", value_parser = crate::cli::parse_whole_seconds)]
    pub reply_timeout: Option<u32>,
}

/// MQTT 5 publish properties of `pub` (each needs `--mqtt-version 5`).
#[derive(Debug, Clone, Default, Args)]
pub struct PublishPropertyArgs {
    #[arg(help = crate::tr!("clihelp-publish-property-args-content-type"), long, value_name = "TYPE")]
    pub content_type: Option<String>,
    #[arg(help = crate::tr!("clihelp-publish-property-args-response-topic"), long, value_name = "TOPIC")]
    pub response_topic: Option<String>,
    #[arg(help = crate::tr!("clihelp-publish-property-args-correlation-data"), long, value_name = "TEXT")]
    pub correlation_data: Option<String>,
    #[arg(help = crate::tr!("clihelp-publish-property-args-message-expiry"), long, value_name = "SECS")]
    pub message_expiry: Option<u32>,
    #[arg(help = crate::tr!("clihelp-publish-property-args-user-properties"), long = "user-property", value_name = "KEY=VALUE", value_parser = parse_user_property)]
    pub user_properties: Vec<(String, String)>,
}

/// `--user-property KEY=VALUE`; the value may contain '='.
fn parse_user_property(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(crate::tr!("worker-cli-not-key-value", text = text)),
    }
}

/// Arguments of `broker`.
#[cfg(feature = "broker")]
#[derive(Debug, Clone, Args)]
pub struct BrokerArgs {
    #[arg(help = crate::tr!("clihelp-broker-args-bind"), long, default_value = "127.0.0.1:1883")]
    pub bind: std::net::SocketAddr,
    #[arg(help = crate::tr!("clihelp-broker-args-ws-bind"), long, value_name = "ADDR")]
    pub ws_bind: Option<std::net::SocketAddr>,
    #[arg(help = crate::tr!("clihelp-broker-args-simulate"), long)]
    pub simulate: bool,
}

/// `topicscope broker [--bind ADDR] [--simulate]`: serves until killed.
#[cfg(feature = "broker")]
fn broker_cmd(args: &BrokerArgs) -> Result<(), String> {
    if !args.simulate {
        return crate::broker::run_foreground(args.bind, args.ws_bind).map_err(|e| format!("{e:#}"));
    }
    let broker = crate::broker::serve(args.bind, args.ws_bind).map_err(|e| {
        crate::tr!(
            "worker-cli-broker-cannot-start",
            addr = crate::i18n::shown(args.bind),
            error = crate::i18n::shown(e)
        )
    })?;
    println!("{}", crate::tr!("worker-cli-broker-listening", url = broker.url()));
    if let Some(ws) = broker.ws_url() {
        println!("{}", crate::tr!("worker-cli-broker-websockets", url = ws));
    }
    let _fleet = crate::demo::Fleet::start(&broker.url())
        .map_err(|e| crate::tr!("worker-cli-fleet-cannot-start", error = crate::i18n::shown(e)))?;
    println!(
        "{}",
        crate::tr!(
            "worker-cli-simulated-devices",
            devices = crate::demo::device_names().join(", ")
        )
    );
    Err(crate::tr!(
        "worker-cli-broker-stopped",
        error = crate::i18n::shown(broker.wait())
    ))
}

/// Runs a headless subcommand; returns the process exit code.
pub fn run(cmd: Cmd) -> i32 {
    // A Chinese locale gets Chinese messages (TOPICSCOPE_LANG overrides the locale).
    crate::i18n::set_lang(crate::i18n::detect());
    let result = match cmd {
        Cmd::Sub(args) => sub_cmd::run(&args),
        Cmd::Pub(args) => pub_cmd::run(&args),
        Cmd::Top(args) => top_cmd::run(&args),
        Cmd::Record(args) => record_cmd::run(&args),
        Cmd::Replay(args) => replay_cmd::run(&args),
        Cmd::Export(args) => export_cmd::run(&args),
        Cmd::Devices(args) => devices_cmd::run(&args),
        Cmd::Profiles => profiles_cmd::run(),
        Cmd::Bench(args) => bench_cmd::run(&args),
        #[cfg(feature = "broker")]
        Cmd::Broker(args) => broker_cmd(&args),
        Cmd::DesktopInstall(args) => desktop_cmd::run(&args),
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("topicscope: {message}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mqtt_versions_are_accepted_under_their_usual_names() {
        for text in ["3", "3.1.1", "4", "311", "mqttv311", "V3"] {
            assert_eq!(parse_mqtt_version(text), Ok(MqttVersion::V311), "{text}");
        }
        for text in ["5", "5.0", "mqttv5", "v5"] {
            assert_eq!(parse_mqtt_version(text), Ok(MqttVersion::V5), "{text}");
        }
        assert!(parse_mqtt_version("6").unwrap_err().contains("use 3 (3.1.1) or 5"));
    }

    #[test]
    fn user_properties_split_at_the_first_equals_sign() {
        assert_eq!(parse_user_property("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_user_property("k="), Ok(("k".into(), String::new())));
        assert!(parse_user_property("=v").is_err());
        assert!(parse_user_property("novalue").is_err());
    }
}
