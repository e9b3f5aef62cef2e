//! Turns a [`Profile`] into rumqttc options.

use std::time::Duration;

use rumqttc::{LastWill, MqttOptions, QoS, Transport};

use super::tls::{TlsSetupError, tls_configuration};

use crate::profiles::{BrokerUrl, Profile, Transport as UrlTransport};

/// Why a profile cannot be used to connect.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error("{0}")]
    Url(String),
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("{0}")]
    Invalid(String),
}

/// QoS from its number (values above 2 are clamped to 2).
pub fn qos(n: u8) -> QoS {
    match n {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

/// The rumqttc options for a profile, and the broker as shown to the user.
pub fn mqtt_options(profile: &Profile) -> Result<(MqttOptions, String), OptionsError> {
    let url = BrokerUrl::parse(&profile.broker_url).map_err(|e| OptionsError::Url(e.to_string()))?;
    // rumqttc asserts this (a panic in the worker); profiles are validated, but the
    // worker does not rely on every caller having done it.
    if profile.client_id.is_empty() && !profile.clean_session {
        return Err(OptionsError::Invalid(crate::tr!("worker-keep-session-needs-client-id")));
    }
    let shown = url.to_string();
    let tls = || tls_configuration(&profile.tls);
    let (host, transport) = match url.transport {
        UrlTransport::Tcp => (url.socket_host(), Transport::Tcp),
        UrlTransport::Tls => (url.socket_host(), Transport::Tls(tls()?)),
        // rumqttc takes the whole URL as the "host" for WebSockets.
        UrlTransport::Ws => (url.websocket_url().unwrap_or_default(), Transport::Ws),
        UrlTransport::Wss => (url.websocket_url().unwrap_or_default(), Transport::Wss(tls()?)),
    };
    let mut opts = MqttOptions::new(profile.client_id.clone(), host, url.port);
    opts.set_transport(transport);
    // 0 turns keep-alive off (rumqttc accepts zero and then never pings).
    opts.set_keep_alive(Duration::from_secs(u64::from(profile.keep_alive_secs)));
    opts.set_clean_session(profile.clean_session);
    // rumqttc defaults to 10 KiB, and one larger message would kill the connection.
    opts.set_max_packet_size(profile.max_packet_bytes, profile.max_packet_bytes);
    opts.set_request_channel_capacity(1024);
    opts.set_inflight(100);
    let (user, pass) = profile.effective_credentials();
    if let Some(user) = user {
        opts.set_credentials(user, pass.unwrap_or_default());
    }
    if let Some(will) = &profile.last_will {
        opts.set_last_will(LastWill::new(
            will.topic.clone(),
            will.payload.clone(),
            qos(will.qos),
            will.retain,
        ));
    }
    Ok((opts, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_session_without_client_id_is_refused_in_words_not_a_panic() {
        let mut profile = Profile::new("p", "mqtt://127.0.0.1:1883");
        profile.client_id.clear();
        profile.clean_session = false;
        let err = mqtt_options(&profile).expect_err("refused");
        assert!(err.to_string().contains("needs a client id"), "{err}");
        profile.clean_session = true;
        assert!(mqtt_options(&profile).is_ok());
    }
}
