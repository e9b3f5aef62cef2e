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
pub use record_cmd::RecordArgs;
pub use replay_cmd::{ReplayArgs, Speed};

use crate::profiles::MqttVersion;

pub use connection::{ConnectError, check_filters, connect_profile, subscribing_profile, wait_connected};

/// Topicscope: a fast, native MQTT explorer.
#[derive(Debug, Parser)]
#[command(name = "topicscope", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Connect the window to this broker at start (mqtt://, mqtts://, ws://, wss://).
    #[arg(long, global = false)]
    pub broker: Option<String>,
    /// Connect the window with this saved profile at start.
    #[arg(long)]
    pub profile: Option<String>,
    /// MQTT version for --broker: 3 (3.1.1) or 5.
    #[arg(long, requires = "broker", value_name = "VERSION", value_parser = parse_mqtt_version)]
    pub mqtt_version: Option<MqttVersion>,
    /// Open this recording (a .tsrec file) in the window, read-only, without a broker.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["broker", "profile"])]
    pub open: Option<std::path::PathBuf>,
    /// Start an embedded broker with a simulated ESP32 fleet and show it.
    #[cfg(feature = "broker")]
    #[arg(long, conflicts_with_all = ["broker", "profile", "open"])]
    pub demo: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Subscribe and print messages.
    Sub(Box<SubArgs>),
    /// Publish a message or a saved command, once or repeated, and wait for replies.
    Pub(Box<PubArgs>),
    /// The busiest topics now, refreshed every second (like top).
    Top(Box<TopArgs>),
    /// Record messages to a file (SQLite) until Ctrl+C or --duration.
    Record(Box<RecordArgs>),
    /// Publish a recording into a broker with its original timing, QoS and retain.
    Replay(Box<ReplayArgs>),
    /// Write a recording as JSON Lines or as CSV of its numeric series.
    Export(Box<ExportArgs>),
    /// The devices on a broker (Tasmota, ESPHome, Zigbee2MQTT, HA discovery, last wills):
    /// who is online, who went silent, their readings and commands.
    Devices(Box<DevicesArgs>),
    /// List saved connection profiles.
    Profiles,
    /// Measure speed and memory (run a release build).
    Bench(BenchArgs),
    /// Run the embedded MQTT broker without a window.
    #[cfg(feature = "broker")]
    Broker(BrokerArgs),
    /// Add Topicscope to the desktop's application menu (Linux, BSD): its entry and icons.
    DesktopInstall(DesktopArgs),
}

/// How to reach the broker; shared by `sub` and `pub`.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// Broker URL, e.g. mqtt://localhost:1883, mqtts://host:8883, ws://host:9001/mqtt.
    #[arg(long, short = 'b')]
    pub broker: Option<String>,
    /// Use this saved profile (flags given here override its fields).
    #[arg(long)]
    pub profile: Option<String>,
    /// Client id (default: a generated `topicscope-…` id).
    #[arg(long)]
    pub client_id: Option<String>,
    /// Keep the session on the broker (clean session off).
    #[arg(long)]
    pub no_clean_session: bool,
    #[arg(long, short = 'u')]
    pub username: Option<String>,
    /// Password; prefer the TOPICSCOPE_PASSWORD variable, which other local users cannot
    /// see in the process list.
    #[arg(long, short = 'P', env = "TOPICSCOPE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Keep-alive interval in seconds; 0 turns keep-alive off.
    #[arg(long, short = 'k')]
    pub keep_alive: Option<u16>,
    /// Give up connecting after this many seconds.
    #[arg(long, default_value_t = 10)]
    pub connect_timeout: u64,
    /// PEM file of the CA certificates that signed the broker's certificate, trusted
    /// instead of the system's CAs (mqtts:// and wss:// only).
    #[arg(long, value_name = "FILE")]
    pub cafile: Option<PathBuf>,
    /// PEM client certificate, for brokers that require one (mutual TLS).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// PEM private key of the client certificate.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Do not check the broker's certificate. For test brokers only: anyone on the
    /// network path could read and change the connection.
    #[arg(long)]
    pub insecure: bool,
    /// Topic of the last-will message the broker publishes if this client vanishes
    /// without disconnecting.
    #[arg(long, value_name = "TOPIC")]
    pub will_topic: Option<String>,
    /// Payload of the last-will message (default: empty).
    #[arg(long, value_name = "TEXT", requires = "will_topic")]
    pub will_payload: Option<String>,
    /// QoS of the last-will message.
    #[arg(long, requires = "will_topic", value_parser = clap::value_parser!(u8).range(0..=2))]
    pub will_qos: Option<u8>,
    /// Ask the broker to retain the last-will message.
    #[arg(long, requires = "will_topic")]
    pub will_retain: bool,
    /// MQTT protocol version: 3 (3.1.1, also written 3.1.1 or 4) or 5. Default 3, or the profile's.
    #[arg(long, value_name = "VERSION", value_parser = parse_mqtt_version)]
    pub mqtt_version: Option<MqttVersion>,
    /// MQTT 5: keep the session this many seconds after disconnecting (with --no-clean-session).
    #[arg(long, value_name = "SECS")]
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
    /// `topic payload` per line, non-UTF-8 bytes escaped as \xNN.
    Text,
    /// One JSON object per line.
    Json,
    /// `topic` and the payload as hex.
    Hex,
}

/// Arguments of `sub`.
#[derive(Debug, Clone, Args)]
pub struct SubArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Topic filter (repeatable). Default `#`.
    #[arg(long = "topic", short = 't')]
    pub topics: Vec<String>,
    /// QoS of the subscriptions.
    #[arg(long, short = 'q', default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=2))]
    pub qos: u8,
    /// Exit after this many messages.
    #[arg(long, short = 'C')]
    pub count: Option<u64>,
    #[arg(long, short = 'F', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print nothing per message; print the count and rate at the end.
    #[arg(long)]
    pub quiet: bool,
    /// Read payloads as text in this encoding (text and JSON output); bytes that are not
    /// valid in it are shown as \xNN. Default UTF-8, or the profile's encodings.
    #[arg(long, short = 'E', value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,
    /// Decode binary payloads and print them as JSON: auto (only CBOR or MessagePack
    /// that is sure), msgpack, cbor, base64, gzip, none, or struct:'f32le temperature;
    /// u16le humidity; u8[6] mac'. Without it, the profile's decoder rules apply.
    #[arg(long, short = 'D', value_parser = decode_arg::parse_decode, value_name = "DECODER")]
    pub decode: Option<crate::model::DecodeChoice>,
}

/// Arguments of `top`.
#[derive(Debug, Clone, Args)]
pub struct TopArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Topic filter to watch (repeatable). Default `#`.
    #[arg(long = "topic", short = 't')]
    pub topics: Vec<String>,
    /// Rows of topics shown.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub rows: usize,
    /// Time between tables: 500ms, 1s, 2.5s (a bare number is seconds).
    #[arg(long, default_value = "1s", value_parser = duration_arg::parse_interval)]
    pub interval: std::time::Duration,
    /// Order by bytes per second instead of messages per second.
    #[arg(long)]
    pub by_bytes: bool,
    /// Print this many tables, then exit (default: until interrupted). Without a
    /// terminal, tables are printed one after the other instead of redrawn.
    #[arg(long)]
    pub iterations: Option<u64>,
}

/// Arguments of `devices`.
#[derive(Debug, Clone, Args)]
pub struct DevicesArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Topic filter to collect (repeatable). Default `#`.
    #[arg(long = "topic", short = 't')]
    pub topics: Vec<String>,
    /// Seconds to collect messages before printing.
    #[arg(long, default_value_t = 5.0)]
    pub wait: f64,
    /// Print JSON (one array of devices) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pub`.
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("reply_source").args(["wait_reply", "template"]).multiple(true))]
pub struct PubArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Topic to publish to (no wildcards).
    #[arg(long = "topic", short = 't', required_unless_present = "template")]
    pub topic: Option<String>,
    /// Payload text (sent as written: variables such as {{counter}} are filled only in
    /// saved commands, see --template).
    #[arg(long, short = 'm', conflicts_with = "file")]
    pub message: Option<String>,
    /// Read the payload from this file (bytes as they are).
    #[arg(long, short = 'f')]
    pub file: Option<std::path::PathBuf>,
    /// QoS 0, 1 or 2 (default 0; with --template, the command's own QoS unless given).
    #[arg(long, short = 'q', value_parser = clap::value_parser!(u8).range(0..=2))]
    pub qos: Option<u8>,
    /// Ask the broker to retain the message (with --template: retain even when the
    /// command does not).
    #[arg(long, short = 'r')]
    pub retain: bool,
    /// MQTT 5 properties to send with the message.
    #[command(flatten)]
    pub properties: PublishPropertyArgs,
    /// Send the saved command NAME (or COLLECTION/NAME) of the --profile: its topic,
    /// payload, QoS, retain, MQTT 5 properties and reply wait. -q and -r override its QoS
    /// and retain; --wait-reply and --reply-timeout its reply wait.
    #[arg(
        long,
        value_name = "NAME",
        requires = "profile",
        conflicts_with_all = [
            "topic", "message", "file", "content_type", "response_topic",
            "correlation_data", "message_expiry", "user_properties",
        ]
    )]
    pub template: Option<String>,
    /// A value for a variable of the --template, e.g. --var colour=red for {{colour}}
    /// (repeatable; overrides the value last used in the window).
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "template", value_parser = parse_user_property)]
    pub vars: Vec<(String, String)>,
    /// Send N times (0: until stopped with Ctrl+C). {{counter}} counts the sends from 1.
    #[arg(long, value_name = "N")]
    pub repeat: Option<u64>,
    /// Time between repeated sends: 500ms, 1s, 2.5s, 1m (a bare number is seconds).
    #[arg(long, value_name = "DURATION", requires = "repeat", default_value = "1s",
          value_parser = duration_arg::parse_interval)]
    pub interval: std::time::Duration,
    /// After each publish, wait for a message on this topic filter and print its payload
    /// (with the round-trip time on stderr); fails when none comes in time.
    #[arg(long, value_name = "TOPIC_FILTER")]
    pub wait_reply: Option<String>,
    /// Seconds to wait for a reply (default 10, or the saved command's).
    #[arg(long, value_name = "SECS", requires = "reply_source", value_parser = clap::value_parser!(u32).range(1..))]
    pub reply_timeout: Option<u32>,
}

/// MQTT 5 publish properties of `pub` (each needs `--mqtt-version 5`).
#[derive(Debug, Clone, Default, Args)]
pub struct PublishPropertyArgs {
    /// MQTT 5 content type, e.g. application/json.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
    /// MQTT 5 response topic.
    #[arg(long, value_name = "TOPIC")]
    pub response_topic: Option<String>,
    /// MQTT 5 correlation data (sent as the bytes of this text).
    #[arg(long, value_name = "TEXT")]
    pub correlation_data: Option<String>,
    /// MQTT 5 message expiry interval in seconds.
    #[arg(long, value_name = "SECS")]
    pub message_expiry: Option<u32>,
    /// MQTT 5 user property (repeatable; keys may repeat).
    #[arg(long = "user-property", value_name = "KEY=VALUE", value_parser = parse_user_property)]
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
    /// Address to listen on. Only loopback unless you say otherwise (e.g. 0.0.0.0:1883
    /// for boards on the LAN).
    #[arg(long, default_value = "127.0.0.1:1883")]
    pub bind: std::net::SocketAddr,
    /// Also listen for MQTT over WebSockets here (any path, e.g. ws://HOST:PORT/mqtt).
    #[arg(long, value_name = "ADDR")]
    pub ws_bind: Option<std::net::SocketAddr>,
    /// Also run the simulated ESP32 fleet against it.
    #[arg(long)]
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
