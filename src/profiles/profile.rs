//! A connection profile: everything needed to connect to one broker, as saved in
//! `profiles.ron`.
//!
//! Every field has a default (`#[serde(default)]`) so that files written by older
//! versions, or edited by hand with fields left out, still load.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::broker_url::BrokerUrl;
use super::error::ProfileError;
use super::topic::{validate_filter, validate_publish_topic};

/// Keep-alive interval when none is saved.
pub const DEFAULT_KEEP_ALIVE_SECS: u16 = 30;
/// Connect timeout when none is saved.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 10;
/// Largest packet accepted or sent when none is saved. rumqttc's own default (10 KiB)
/// drops the connection on the first camera snapshot or firmware chunk.
pub const DEFAULT_MAX_PACKET_BYTES: usize = 64 * 1024 * 1024;
/// Smallest allowed packet limit: below this even ordinary JSON telemetry is refused.
pub const MIN_MAX_PACKET_BYTES: usize = 1024;
/// The MQTT protocol's own limit: a 256 MiB remaining length plus a 5-byte header.
pub const MAX_MAX_PACKET_BYTES: usize = 268_435_455 + 5;

/// MQTT protocol version to speak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MqttVersion {
    /// MQTT 3.1.1, the one every broker and ESP32 library speaks.
    #[default]
    V311,
    /// MQTT 5.
    V5,
}

/// One topic filter to subscribe to on every connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// Topic filter, wildcards allowed.
    pub filter: String,
    /// Maximum QoS requested (0, 1 or 2).
    #[serde(default)]
    pub qos: u8,
}

impl Subscription {
    /// A subscription at QoS 0.
    pub fn new(filter: impl Into<String>) -> Self {
        Self {
            filter: filter.into(),
            qos: 0,
        }
    }
}

/// TLS options; used only by mqtts:// and wss:// addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsSettings {
    /// PEM file of CA certificates to trust instead of the system roots.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate, for brokers that authenticate clients by certificate.
    pub client_cert: Option<PathBuf>,
    /// PEM private key matching `client_cert`.
    pub client_key: Option<PathBuf>,
    /// Accept any server certificate. For self-signed test brokers only.
    pub allow_invalid_certs: bool,
}

/// The message the broker publishes for us if we disappear without disconnecting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LastWill {
    /// Topic to publish to.
    pub topic: String,
    /// Payload, as text.
    pub payload: String,
    /// QoS (0, 1 or 2).
    pub qos: u8,
    /// Whether the broker retains the will message.
    pub retain: bool,
}

/// A saved connection. `Debug` hides the password, including one inside `broker_url`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Name shown in the profile picker; unique within a store.
    pub name: String,
    /// Broker address as typed, e.g. "mqtt://localhost:1883"; see [`BrokerUrl::parse`].
    pub broker_url: String,
    /// MQTT client identifier.
    pub client_id: String,
    /// User name; wins over one in `broker_url`.
    pub username: Option<String>,
    /// Password; wins over one in `broker_url`.
    pub password: Option<String>,
    /// Keep-alive interval; 0 turns keep-alive off.
    pub keep_alive_secs: u16,
    /// Start without a stored session on the broker.
    pub clean_session: bool,
    /// Filters subscribed to on every connect.
    pub subscriptions: Vec<Subscription>,
    /// Protocol version.
    pub mqtt_version: MqttVersion,
    /// MQTT 5: how long the broker keeps the session after the connection ends. `None`
    /// sends no value, which the broker reads as 0 (the session ends with the connection).
    pub session_expiry_secs: Option<u32>,
    /// TLS options (mqtts:// and wss:// only).
    pub tls: TlsSettings,
    /// Optional last-will message.
    pub last_will: Option<LastWill>,
    /// Largest packet accepted or sent.
    pub max_packet_bytes: usize,
    /// How long to wait for the broker to accept the connection.
    pub connect_timeout_secs: u64,
    /// The charts shown for this connection (which series, window, Y range).
    pub charts: Vec<crate::model::series::ChartLayout>,
    /// How payloads are read as text: a default and rules by topic filter.
    pub encodings: crate::model::EncodingRules,
    /// How binary payloads are decoded (MessagePack, CBOR, struct layouts…): a default
    /// (detection) and rules by topic filter. Files older than decoders load with none.
    pub decoders: crate::model::DecoderRules,
    /// Saved commands (named publishes in collections), sent from the window or with
    /// `topicscope pub --template`.
    pub commands: Vec<crate::model::saved_command::SavedCommand>,
    /// The Devices pane's own patterns and health thresholds.
    pub devices: DeviceSettings,
}

/// How the Devices pane finds and judges this connection's devices beyond the public
/// conventions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceSettings {
    /// Patterns with a named wildcard, e.g. `sensors/{device}/#` (see
    /// [`crate::model::devices::UserRule`]).
    pub rules: Vec<String>,
    /// Silent after this many seconds without a message, instead of three usual
    /// intervals (at least 30 s).
    pub silent_after_secs: Option<u32>,
    /// Flapping: more than this many availability changes...
    pub flap_changes: u32,
    /// ...within this many minutes.
    pub flap_window_mins: u32,
    /// Also announce trouble as a desktop notification...
    pub desktop_notifications: bool,
    /// ...shown by this program, given `--app-name=… --icon=… TITLE TEXT`.
    pub notify_command: String,
}

/// The program that shows desktop notifications unless the settings name another.
pub const DEFAULT_NOTIFY_COMMAND: &str = "notify-send";

impl Default for DeviceSettings {
    fn default() -> Self {
        let rules = crate::model::devices::HealthRules::default();
        Self {
            rules: Vec::new(),
            silent_after_secs: None,
            flap_changes: rules.flap_changes as u32,
            flap_window_mins: (rules.flap_window_secs / 60.0).round() as u32,
            desktop_notifications: false,
            notify_command: DEFAULT_NOTIFY_COMMAND.to_owned(),
        }
    }
}

impl DeviceSettings {
    /// The thresholds as the model applies them.
    pub fn health_rules(&self) -> crate::model::devices::HealthRules {
        crate::model::devices::HealthRules {
            silent_fixed_secs: self.silent_after_secs.map(f64::from),
            flap_changes: self.flap_changes as usize,
            flap_window_secs: f64::from(self.flap_window_mins.max(1)) * 60.0,
            ..Default::default()
        }
    }

    /// The patterns that parse (a hand-edited file may hold a bad one: it is skipped).
    pub fn user_rules(&self) -> Vec<crate::model::devices::UserRule> {
        self.rules
            .iter()
            .filter_map(|r| crate::model::devices::UserRule::parse(r).ok())
            .collect()
    }
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            name: "New profile".to_owned(),
            broker_url: "mqtt://localhost:1883".to_owned(),
            client_id: generate_client_id(),
            username: None,
            password: None,
            keep_alive_secs: DEFAULT_KEEP_ALIVE_SECS,
            clean_session: true,
            // Everything, plus the broker's own statistics: what an explorer is for.
            subscriptions: vec![Subscription::new("#"), Subscription::new("$SYS/#")],
            mqtt_version: MqttVersion::default(),
            session_expiry_secs: None,
            tls: TlsSettings::default(),
            last_will: None,
            max_packet_bytes: DEFAULT_MAX_PACKET_BYTES,
            connect_timeout_secs: DEFAULT_CONNECT_TIMEOUT_SECS,
            charts: Vec::new(),
            encodings: crate::model::EncodingRules::default(),
            decoders: crate::model::DecoderRules::default(),
            commands: Vec::new(),
            devices: DeviceSettings::default(),
        }
    }
}

/// A fresh client id, `topicscope-` and 8 random hex digits. Random because two clients
/// with the same id make the broker disconnect one of them, over and over.
pub fn generate_client_id() -> String {
    format!("topicscope-{:08x}", rand::random::<u32>())
}

impl Profile {
    /// A profile with defaults for everything but its name and broker address.
    pub fn new(name: impl Into<String>, broker_url: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            broker_url: broker_url.into(),
            ..Self::default()
        }
    }

    /// The parsed broker address.
    pub fn parsed_url(&self) -> Result<BrokerUrl, ProfileError> {
        BrokerUrl::parse(&self.broker_url).map_err(ProfileError::Url)
    }

    /// User name and password to send. Each profile field wins over the same part of
    /// the URL; an empty field counts as unset, because that is what an empty text box
    /// in the editor means. An unparsable URL contributes nothing.
    pub fn effective_credentials(&self) -> (Option<String>, Option<String>) {
        let from_url = BrokerUrl::parse(&self.broker_url).ok();
        let pick = |explicit: &Option<String>, in_url: Option<String>| {
            explicit
                .clone()
                .filter(|text| !text.is_empty())
                .or(in_url.filter(|text| !text.is_empty()))
        };
        let (url_user, url_pass) = from_url.map_or((None, None), |url| (url.username, url.password));
        (pick(&self.username, url_user), pick(&self.password, url_pass))
    }

    /// True when connecting skips the broker's certificate check: "allow invalid
    /// certificates" is on and the address uses TLS (elsewhere the setting does nothing).
    /// The window and the CLI show a warning whenever this holds.
    pub fn certificate_check_skipped(&self) -> bool {
        self.tls.allow_invalid_certs && self.parsed_url().is_ok_and(|url| url.transport.uses_tls())
    }

    /// Checks everything that can be checked without the network or the file system.
    pub fn validate(&self) -> Result<(), ProfileError> {
        if self.name.trim().is_empty() {
            return Err(ProfileError::EmptyName);
        }
        self.parsed_url()?;
        // rumqttc panics on this combination, and MQTT 3.1.1 forbids it (§3.1.3.1).
        if self.client_id.is_empty() && !self.clean_session {
            return Err(ProfileError::EmptyClientIdWithSession);
        }
        for subscription in &self.subscriptions {
            validate_filter(&subscription.filter).map_err(|error| ProfileError::Subscription {
                filter: subscription.filter.clone(),
                error,
            })?;
            check_qos(
                subscription.qos,
                &crate::tr!("worker-qos-of-subscription", filter = subscription.filter.as_str()),
            )?;
        }
        if let Some(will) = &self.last_will {
            validate_publish_topic(&will.topic).map_err(ProfileError::LastWillTopic)?;
            check_qos(will.qos, &crate::tr!("worker-qos-of-will"))?;
        }
        let (username, password) = self.effective_credentials();
        // MQTT 3.1.1 §3.1.2.9: a password flag without a user name flag is a protocol error.
        if self.mqtt_version == MqttVersion::V311 && password.is_some() && username.is_none() {
            return Err(ProfileError::PasswordWithoutUsername);
        }
        if self.tls.client_cert.is_some() != self.tls.client_key.is_some() {
            return Err(ProfileError::CertWithoutKey);
        }
        if !(MIN_MAX_PACKET_BYTES..=MAX_MAX_PACKET_BYTES).contains(&self.max_packet_bytes) {
            return Err(ProfileError::MaxPacketBytes {
                bytes: self.max_packet_bytes,
            });
        }
        if self.connect_timeout_secs == 0 {
            return Err(ProfileError::ZeroConnectTimeout);
        }
        Ok(())
    }
}

fn check_qos(qos: u8, what: &str) -> Result<(), ProfileError> {
    if qos > 2 {
        return Err(ProfileError::InvalidQos {
            what: what.to_owned(),
            qos,
        });
    }
    Ok(())
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry "user:pass@"; show its parsed, password-free form instead.
        let shown_url = match BrokerUrl::parse(&self.broker_url) {
            Ok(url) if url.password.is_some() => url.to_string(),
            Ok(_) => self.broker_url.clone(),
            Err(_) if self.broker_url.contains('@') => "<unparsable, hidden>".to_owned(),
            Err(_) => self.broker_url.clone(),
        };
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("broker_url", &shown_url)
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("keep_alive_secs", &self.keep_alive_secs)
            .field("clean_session", &self.clean_session)
            .field("subscriptions", &self.subscriptions)
            .field("mqtt_version", &self.mqtt_version)
            .field("session_expiry_secs", &self.session_expiry_secs)
            .field("tls", &self.tls)
            .field("last_will", &self.last_will)
            .field("max_packet_bytes", &self.max_packet_bytes)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("encodings", &self.encodings)
            .field("decoders", &self.decoders)
            .field("commands", &self.commands)
            .finish()
    }
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
