//! Connecting from the command line: builds the profile from flags and waits for the
//! outcome, so every failure ends in one sentence within the connect timeout.

use std::time::{Duration, Instant};

use super::ConnectArgs;
use crate::mqtt::{Command, ConnectionState, Event, WorkerHandle};
use crate::profiles::{BrokerUrl, LastWill, Profile, ProfileStore};

/// Why the CLI could not get connected.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Setup(String),
    #[error("{}", crate::tr!("worker-cli-cannot-connect", broker = .broker.as_str(), why = .reason.as_str()))]
    Failed { broker: String, reason: String },
}

/// The profile these flags describe: a saved one when `--profile` is given, with flags on top.
/// The connection profile of `args` subscribed to `topics` (`#` when none), each filter
/// checked first; what `sub` and `top` start from.
pub fn subscribing_profile(args: &ConnectArgs, topics: &[String], qos: u8) -> Result<Profile, String> {
    let filters = if topics.is_empty() {
        vec!["#".to_owned()]
    } else {
        topics.to_vec()
    };
    check_filters(&filters)?;
    let mut profile = connect_profile(args).map_err(|e| e.to_string())?;
    profile.subscriptions = filters
        .into_iter()
        .map(|filter| crate::profiles::Subscription { filter, qos })
        .collect();
    Ok(profile)
}

/// Every filter valid, or the first bad one named with why.
pub fn check_filters(filters: &[String]) -> Result<(), String> {
    for f in filters {
        crate::profiles::validate_filter(f).map_err(|e| {
            crate::tr!(
                "worker-cli-bad-filter",
                filter = f.as_str(),
                error = crate::i18n::shown(e)
            )
        })?;
    }
    Ok(())
}

pub fn connect_profile(args: &ConnectArgs) -> Result<Profile, ConnectError> {
    let mut profile =
        match &args.profile {
            Some(name) => {
                let outcome = ProfileStore::load_default();
                if let Some(e) = outcome.error {
                    return Err(ConnectError::Setup(e.to_string()));
                }
                outcome.store.get(name).cloned().ok_or_else(|| {
                    ConnectError::Setup(crate::tr!("worker-cli-no-such-profile", name = name.as_str()))
                })?
            }
            None => Profile::new(
                "command line",
                args.broker.as_deref().unwrap_or("mqtt://localhost:1883"),
            ),
        };
    if args.profile.is_some()
        && let Some(url) = &args.broker
    {
        profile.broker_url = url.clone();
    }
    if let Some(id) = &args.client_id {
        profile.client_id = id.clone();
    }
    if args.no_clean_session {
        profile.clean_session = false;
    }
    if args.username.is_some() {
        profile.username = args.username.clone();
    }
    if args.password.is_some() {
        profile.password = args.password.clone();
    }
    if let Some(k) = args.keep_alive {
        profile.keep_alive_secs = k;
    }
    profile.connect_timeout_secs = args.connect_timeout.max(1);
    if let Some(version) = args.mqtt_version {
        profile.mqtt_version = version;
    }
    if args.session_expiry.is_some() {
        if profile.mqtt_version != crate::profiles::MqttVersion::V5 {
            return Err(ConnectError::Setup(crate::tr!("worker-cli-session-expiry-needs-v5")));
        }
        profile.session_expiry_secs = args.session_expiry;
    }
    apply_tls_flags(args, &mut profile);
    if let Some(topic) = &args.will_topic {
        profile.last_will = Some(LastWill {
            topic: topic.clone(),
            payload: args.will_payload.clone().unwrap_or_default(),
            qos: args.will_qos.unwrap_or(0),
            retain: args.will_retain,
        });
    }
    let url = BrokerUrl::parse(&profile.broker_url).map_err(|e| ConnectError::Setup(e.to_string()))?;
    profile.validate().map_err(|e| ConnectError::Setup(e.to_string()))?;
    for warning in tls_warnings(args, &profile, &url) {
        eprintln!("topicscope: {}", crate::tr!("worker-cli-warning", text = warning));
    }
    Ok(profile)
}

fn apply_tls_flags(args: &ConnectArgs, profile: &mut Profile) {
    if let Some(ca) = &args.cafile {
        profile.tls.ca_file = Some(ca.clone());
    }
    if let (Some(cert), Some(key)) = (&args.cert, &args.key) {
        profile.tls.client_cert = Some(cert.clone());
        profile.tls.client_key = Some(key.clone());
    }
    if args.insecure {
        profile.tls.allow_invalid_certs = true;
    }
}

/// What the user should know about TLS before the connection starts: that nothing is
/// checked (also when a saved profile says so), or that TLS flags have no effect.
fn tls_warnings(args: &ConnectArgs, profile: &Profile, url: &BrokerUrl) -> Vec<String> {
    let mut warnings = Vec::new();
    if !url.transport.uses_tls() {
        let given: Vec<&str> = [
            ("--cafile", args.cafile.is_some()),
            ("--cert", args.cert.is_some()),
            ("--key", args.key.is_some()),
            ("--insecure", args.insecure),
        ]
        .into_iter()
        .filter_map(|(flag, set)| set.then_some(flag))
        .collect();
        if !given.is_empty() {
            warnings.push(crate::tr!(
                "worker-cli-tls-flags-ignored",
                flags = given.join(", "),
                scheme = url.transport.scheme()
            ));
        }
    } else if profile.tls.allow_invalid_certs {
        warnings.push(crate::tr!("worker-cli-insecure"));
    }
    warnings
}

/// Sends Connect and waits for the first outcome. Events that arrive meanwhile other than
/// state changes are handed to `other` (messages can arrive before the Connected event).
pub fn wait_connected(
    worker: &WorkerHandle,
    profile: &Profile,
    mut other: impl FnMut(Event),
) -> Result<(), ConnectError> {
    let broker = BrokerUrl::parse(&profile.broker_url).map_or_else(|_| profile.broker_url.clone(), |u| u.to_string());
    worker
        .send_blocking(Command::Connect(Box::new(profile.clone())))
        .map_err(|e| ConnectError::Setup(e.to_string()))?;
    // The worker reports a timeout itself; this is the safety net against a hang.
    let deadline = Instant::now() + Duration::from_secs(profile.connect_timeout_secs + 5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ev = worker.events.recv_timeout(left).map_err(|_| ConnectError::Failed {
            broker: broker.clone(),
            reason: crate::tr!("worker-cli-no-answer", secs = profile.connect_timeout_secs),
        })?;
        match ev {
            Event::State(ConnectionState::Connected { .. }) => return Ok(()),
            Event::State(ConnectionState::Reconnecting { reason, .. })
            | Event::State(ConnectionState::Disconnected { reason: Some(reason) }) => {
                return Err(ConnectError::Failed { broker, reason });
            }
            Event::State(_) => {}
            other_event => other(other_event),
        }
    }
}
