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
    #[error("{}", crate::tr!("worker-profile-no-name"))]
    EmptyName,
    /// The broker address does not parse.
    #[error("{}", crate::tr!("worker-profile-bad-url", why = crate::i18n::shown(.0)))]
    Url(UrlError),
    /// An empty client id with a persistent session.
    #[error("{}", crate::tr!("worker-profile-empty-client-id"))]
    EmptyClientIdWithSession,
    /// A subscription filter breaks the MQTT rules.
    #[error("{}", crate::tr!("worker-profile-bad-subscription", filter = .filter.as_str(), why = crate::i18n::shown(.error)))]
    Subscription {
        /// The filter as saved.
        filter: String,
        /// Which rule it breaks.
        error: TopicError,
    },
    /// A QoS above 2.
    #[error("{}", crate::tr!("worker-profile-bad-qos", qos = *.qos, what = .what.as_str()))]
    InvalidQos {
        /// What the QoS belongs to, e.g. "the last-will message".
        what: String,
        /// The QoS as saved.
        qos: u8,
    },
    /// The last-will topic breaks the MQTT rules.
    #[error("{}", crate::tr!("worker-profile-bad-will-topic", why = crate::i18n::shown(.0)))]
    LastWillTopic(TopicError),
    /// MQTT 3.1.1 with a password but no user name.
    #[error("{}", crate::tr!("worker-profile-password-without-user"))]
    PasswordWithoutUsername,
    /// Only one of TLS client certificate and key is set.
    #[error("{}", crate::tr!("worker-profile-cert-without-key"))]
    CertWithoutKey,
    /// The packet size limit is outside what makes sense.
    #[error("{}", crate::tr!("worker-profile-bad-max-packet", bytes = *.bytes))]
    MaxPacketBytes {
        /// The limit as saved.
        bytes: usize,
    },
    /// A connect timeout of zero would fail every connection at once.
    #[error("{}", crate::tr!("worker-profile-zero-timeout"))]
    ZeroConnectTimeout,
    /// No profile has this name.
    #[error("{}", crate::tr!("worker-profile-not-found", name = .name.as_str()))]
    NotFound {
        /// The name asked for.
        name: String,
    },
    /// Another profile already has this name.
    #[error("{}", crate::tr!("worker-profile-name-taken", name = .name.as_str()))]
    NameTaken {
        /// The name asked for.
        name: String,
    },
}
