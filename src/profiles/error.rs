//! Why a profile is not usable, or why an edit to the profile list was refused.
//!
//! Each message is a sentence the editor can show under the offending field as is.
//! Inner errors are part of the message rather than a `source()` chain, because the UI
//! shows one string and must not lose the reason.

use thiserror::Error;

use super::broker_url::UrlError;
use super::topic::TopicError;

/// A profile failed validation, or a store edit named a missing or taken profile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    /// The name is empty or only spaces.
    #[error("The profile has no name; give it one.")]
    EmptyName,
    /// The broker address does not parse.
    #[error("The broker address is not valid: {0}.")]
    Url(UrlError),
    /// An empty client id with a persistent session.
    #[error(
        "The client ID is empty, which brokers only accept with a clean session; \
         enter a client ID or turn clean session on."
    )]
    EmptyClientIdWithSession,
    /// A subscription filter breaks the MQTT rules.
    #[error("The subscription '{filter}' is not valid. {error}")]
    Subscription {
        /// The filter as saved.
        filter: String,
        /// Which rule it breaks.
        error: TopicError,
    },
    /// A QoS above 2.
    #[error("QoS {qos} for {what} is not valid; use 0, 1 or 2.")]
    InvalidQos {
        /// What the QoS belongs to, e.g. "the last-will message".
        what: String,
        /// The QoS as saved.
        qos: u8,
    },
    /// The last-will topic breaks the MQTT rules.
    #[error("The last-will topic is not valid. {0}")]
    LastWillTopic(TopicError),
    /// MQTT 3.1.1 with a password but no user name.
    #[error(
        "MQTT 3.1.1 does not allow a password without a user name; \
         enter a user name or switch to MQTT 5."
    )]
    PasswordWithoutUsername,
    /// Only one of TLS client certificate and key is set.
    #[error("A TLS client certificate and its private key go together; set both or neither.")]
    CertWithoutKey,
    /// The packet size limit is outside what makes sense.
    #[error("The maximum packet size ({bytes} bytes) must be between 1 KiB and 256 MiB.")]
    MaxPacketBytes {
        /// The limit as saved.
        bytes: usize,
    },
    /// A connect timeout of zero would fail every connection at once.
    #[error("The connect timeout must be at least 1 second.")]
    ZeroConnectTimeout,
    /// No profile has this name.
    #[error("There is no profile named '{name}'.")]
    NotFound {
        /// The name asked for.
        name: String,
    },
    /// Another profile already has this name.
    #[error("A profile named '{name}' already exists; choose another name.")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
}
