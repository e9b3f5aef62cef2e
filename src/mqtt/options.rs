//! Turns a [`Profile`] into rumqttc options.

use std::time::Duration;

use rumqttc::{LastWill, MqttOptions, QoS, TlsConfiguration, Transport};

use crate::profiles::{BrokerUrl, Profile, Transport as UrlTransport};

/// Why a profile cannot be used to connect.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error("{0}")]
    Url(String),
    #[error("cannot read {what} file {path}: {source}")]
    File {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Unsupported(String),
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
    let shown = url.to_string();
    let tls = || tls_config(profile);
    let (host, transport) = match url.transport {
        UrlTransport::Tcp => (url.socket_host(), Transport::Tcp),
        UrlTransport::Tls => (url.socket_host(), Transport::Tls(tls()?)),
        // rumqttc takes the whole URL as the "host" for WebSockets.
        UrlTransport::Ws => (url.websocket_url().unwrap_or_default(), Transport::Ws),
        UrlTransport::Wss => (url.websocket_url().unwrap_or_default(), Transport::Wss(tls()?)),
    };
    let mut opts = MqttOptions::new(profile.client_id.clone(), host, url.port);
    opts.set_transport(transport);
    opts.set_keep_alive(Duration::from_secs(u64::from(profile.keep_alive_secs.max(5))));
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

fn tls_config(profile: &Profile) -> Result<TlsConfiguration, OptionsError> {
    let tls = &profile.tls;
    if tls.allow_invalid_certs {
        return Err(OptionsError::Unsupported(
            "\"allow invalid certificates\" is not supported yet; give the broker's CA file instead".into(),
        ));
    }
    let read = |what: &'static str, path: &std::path::Path| {
        std::fs::read(path).map_err(|source| OptionsError::File {
            what,
            path: path.display().to_string(),
            source,
        })
    };
    let client_auth = match (&tls.client_cert, &tls.client_key) {
        (Some(cert), Some(key)) => Some((read("client certificate", cert)?, read("client key", key)?)),
        (None, None) => None,
        _ => {
            return Err(OptionsError::Unsupported(
                "a client certificate needs both the certificate and the key file".into(),
            ));
        }
    };
    match &tls.ca_file {
        Some(ca) => Ok(TlsConfiguration::Simple {
            ca: read("CA", ca)?,
            alpn: None,
            client_auth,
        }),
        None if client_auth.is_some() => Err(OptionsError::Unsupported(
            "a client certificate currently needs a CA file as well".into(),
        )),
        // System trust roots.
        None => std::panic::catch_unwind(TlsConfiguration::default)
            .map_err(|_| OptionsError::Unsupported("could not load the system's trusted certificates".into())),
    }
}
