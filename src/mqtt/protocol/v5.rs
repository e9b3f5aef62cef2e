//! MQTT 5 through rumqttc's v5 module: options, message properties both ways, topic
//! aliases, and reason codes in words.

use std::collections::HashMap;
use std::time::SystemTime;

use bytes::Bytes;
use rumqttc::Outgoing;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{
    LastWill, Packet, PubAckReason, PubRecReason, Publish, PublishProperties, SubscribeReasonCode,
};
use rumqttc::v5::{Event, EventLoop, MqttOptions};

use super::{Failure, MAX_INFLIGHT, Polled, own_payload};
use crate::model::{Message, MessageProperties};
use crate::mqtt::reason_v5::{describe, hung_up, publish_refusal, refused_protocol_version, subscribe_refusal};
use crate::mqtt::{OptionsError, PublishRequest};
use crate::profiles::Profile;

/// The v5 options for `profile`: the MQTT 3.1.1 options (transport, TLS, credentials,
/// last will, keep alive, clean start) carried over, plus the MQTT 5 connect properties.
/// Building on the v4 options keeps one place that reads the profile's connection fields.
pub fn options(profile: &Profile) -> Result<(MqttOptions, String), OptionsError> {
    let (v4, broker) = crate::mqtt::mqtt_options(profile)?;
    let (host, port) = v4.broker_address();
    let mut opts = MqttOptions::new(v4.client_id(), host, port);
    opts.set_transport(v4.transport());
    opts.set_keep_alive(v5_keep_alive(v4.keep_alive()));
    opts.set_clean_start(v4.clean_session());
    if let Some(login) = v4.credentials() {
        opts.set_credentials(login.username, login.password);
    }
    if let Some(will) = v4.last_will() {
        opts.set_last_will(LastWill::new(
            will.topic,
            will.message.to_vec(),
            qos(will.qos as u8),
            will.retain,
            None,
        ));
    }
    if let Some(modifier) = v4.request_modifier() {
        opts.set_request_modifier(move |request| modifier(request));
    }
    // rumqttc's v5 default is 10 KiB like v4's; this also tells the broker our limit.
    opts.set_max_packet_size(Some(u32::try_from(profile.max_packet_bytes).unwrap_or(u32::MAX)));
    opts.set_session_expiry_interval(profile.session_expiry_secs);
    // No topic aliases from the broker (the default of 0, said explicitly): rumqttd 0.20
    // reuses an alias for a different topic without resending it, which puts messages on
    // the wrong topic. Aliases that arrive anyway are still resolved (`TopicAliases`).
    opts.set_topic_alias_max(Some(0));
    opts.set_outgoing_inflight_upper_limit(MAX_INFLIGHT);
    opts.set_connection_timeout(profile.connect_timeout_secs.max(1));
    Ok((opts, broker))
}

/// rumqttc's v5 options panic on a keep-alive under 5 s, "off" (0) included: 1–4 s
/// become 5 s, and off becomes the longest interval MQTT can say (65,535 s, about 18 h).
fn v5_keep_alive(wanted: std::time::Duration) -> std::time::Duration {
    const MIN: std::time::Duration = std::time::Duration::from_secs(5);
    if wanted.is_zero() {
        std::time::Duration::from_secs(u64::from(u16::MAX))
    } else {
        wanted.max(MIN)
    }
}

/// The v5 module's own QoS type from its number (values above 2 are clamped to 2).
pub fn qos(n: u8) -> QoS {
    match n {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

/// The v5 event loop plus this connection's topic aliases (rumqttc resolves them for its
/// own bookkeeping but hands out the publish with the empty topic it arrived with).
/// We ask for none, but a broker that sends them anyway still gets its messages placed.
pub struct Link {
    eventloop: EventLoop,
    aliases: TopicAliases,
    /// The current network connection got its ConnAck (errors before it are connect failures).
    connected: bool,
    /// A publish came with a topic alias the broker never set up. rumqttc answers that
    /// with its own DISCONNECT event (a protocol error), which must not pass for the user's.
    alias_error: Option<String>,
}

impl Link {
    pub fn new(eventloop: EventLoop) -> Self {
        Self {
            eventloop,
            aliases: TopicAliases::default(),
            connected: false,
            alias_error: None,
        }
    }

    /// Drops the network connection; the next poll reconnects.
    pub fn reset(&mut self) {
        self.eventloop.clean();
        self.connected = false;
    }

    /// Forgets a publish kept for re-sending in a resumed session.
    pub fn forget_publish(&mut self, pkid: u16) {
        self.eventloop
            .pending
            .retain(|r| !matches!(r, rumqttc::v5::Request::Publish(p) if p.pkid == pkid));
    }

    /// The next event of the v5 event loop.
    /// Events rumqttc already read and holds.
    pub fn buffered(&self) -> usize {
        self.eventloop.state.events.len()
    }

    pub async fn poll(&mut self, connect_timeout_secs: u64) -> Result<Polled, Failure> {
        let event = match self.eventloop.poll().await {
            Ok(event) => event,
            Err(e) => {
                let connected = std::mem::take(&mut self.connected);
                return Err(connect_failure(&e, connect_timeout_secs, connected));
            }
        };
        Ok(match event {
            Event::Incoming(Packet::Publish(p)) => match self.aliases.resolve(&p) {
                Ok(topic) => Polled::Message(message(topic, p)),
                Err(alias) => {
                    self.alias_error = Some(crate::tr!(
                        "worker-unknown-topic-alias",
                        alias = crate::i18n::shown(alias)
                    ));
                    Polled::Other
                }
            },
            Event::Outgoing(Outgoing::Disconnect) => match self.alias_error.take() {
                // rumqttc queued its DISCONNECT (0x82) but 0.25 never writes it and keeps
                // reading: close the connection ourselves and let the session reconnect.
                Some(text) => {
                    self.reset();
                    return Err(Failure::new(text, false));
                }
                None => Polled::DisconnectWritten,
            },
            Event::Incoming(Packet::ConnAck(ack)) => {
                // Aliases belong to one network connection.
                self.aliases.clear();
                self.alias_error = None;
                self.connected = true;
                Polled::ConnAck {
                    session_present: ack.session_present,
                    max_packet_bytes: ack.properties.and_then(|p| p.max_packet_size),
                }
            }
            Event::Incoming(Packet::PubAck(ack)) => {
                let reason = ack.properties.and_then(|p| p.reason_string);
                let refused = match ack.reason {
                    PubAckReason::Success | PubAckReason::NoMatchingSubscribers => None,
                    code => Some(publish_refusal(code, reason)),
                };
                Polled::PublishDone {
                    pkid: ack.pkid,
                    refused,
                }
            }
            // A refused QoS 2 publish ends at PUBREC; an accepted one at PUBCOMP.
            Event::Incoming(Packet::PubRec(rec)) => match rec.reason {
                PubRecReason::Success | PubRecReason::NoMatchingSubscribers => Polled::Other,
                code => Polled::PublishDone {
                    pkid: rec.pkid,
                    refused: Some(publish_refusal(
                        pubrec_as_puback(code),
                        rec.properties.and_then(|p| p.reason_string),
                    )),
                },
            },
            Event::Incoming(Packet::PubComp(comp)) => Polled::PublishDone {
                pkid: comp.pkid,
                refused: None,
            },
            Event::Incoming(Packet::SubAck(ack)) => {
                let reason = ack.properties.and_then(|p| p.reason_string);
                match ack.return_codes.first() {
                    Some(SubscribeReasonCode::Success(q)) => Polled::SubAck {
                        pkid: ack.pkid,
                        granted: Ok(*q as u8),
                    },
                    Some(code) => Polled::SubAck {
                        pkid: ack.pkid,
                        granted: Err(subscribe_refusal(*code, reason)),
                    },
                    None => Polled::Other,
                }
            }
            Event::Outgoing(Outgoing::Publish(pkid)) => Polled::PublishWritten { pkid },
            Event::Outgoing(Outgoing::Subscribe(pkid)) => Polled::SubscribeWritten { pkid },
            _ => Polled::Other,
        })
    }
}

/// Why the connection failed; before the ConnAck, a broker that hangs up on (or refuses)
/// an MQTT 5 CONNECT most likely speaks only MQTT 3.1.1, and the user is told so (as
/// `mosquitto_sub` does) instead of just "the broker closed the connection".
fn connect_failure(e: &rumqttc::v5::ConnectionError, connect_timeout_secs: u64, connected: bool) -> Failure {
    let text = describe(e, connect_timeout_secs);
    if connected {
        return Failure::new(text, hung_up(e));
    }
    if refused_protocol_version(e) {
        return Failure::new(crate::tr!("worker-no-mqtt5", why = text), false);
    }
    if hung_up(e) {
        return Failure::new(crate::tr!("worker-maybe-mqtt3-only"), false);
    }
    Failure::new(text, false)
}

/// The size of `req` as an MQTT 5 PUBLISH packet (what the broker's maximum applies to).
pub fn publish_packet_bytes(req: &PublishRequest) -> usize {
    let properties = req.properties.as_deref().map(publish_properties);
    let mut packet = Publish::new(req.topic.as_str(), qos(req.qos), req.payload.clone(), properties);
    if req.qos > 0 {
        packet.pkid = 1;
    }
    packet.size()
}

/// PUBREC and PUBACK share their failure codes; one table of words serves both.
fn pubrec_as_puback(code: PubRecReason) -> PubAckReason {
    match code {
        PubRecReason::Success => PubAckReason::Success,
        PubRecReason::NoMatchingSubscribers => PubAckReason::NoMatchingSubscribers,
        PubRecReason::UnspecifiedError => PubAckReason::UnspecifiedError,
        PubRecReason::ImplementationSpecificError => PubAckReason::ImplementationSpecificError,
        PubRecReason::NotAuthorized => PubAckReason::NotAuthorized,
        PubRecReason::TopicNameInvalid => PubAckReason::TopicNameInvalid,
        PubRecReason::PacketIdentifierInUse => PubAckReason::PacketIdentifierInUse,
        PubRecReason::QuotaExceeded => PubAckReason::QuotaExceeded,
        PubRecReason::PayloadFormatInvalid => PubAckReason::PayloadFormatInvalid,
    }
}

/// Topic aliases the broker set up on this connection (MQTT 5 §3.3.2.3.4).
#[derive(Debug, Default)]
struct TopicAliases(HashMap<u16, String>);

impl TopicAliases {
    fn clear(&mut self) {
        self.0.clear();
    }

    /// The publish's topic: as sent (remembering an alias that comes with it), or looked
    /// up when only the alias came. `Err(alias)` when the alias was never set up.
    fn resolve(&mut self, p: &Publish) -> Result<String, u16> {
        let alias = p.properties.as_ref().and_then(|props| props.topic_alias);
        let topic = topic_text(&p.topic);
        match alias {
            Some(alias) if topic.is_empty() => self.0.get(&alias).cloned().ok_or(alias),
            Some(alias) => {
                self.0.insert(alias, topic.clone());
                Ok(topic)
            }
            None => Ok(topic),
        }
    }
}

/// MQTT topics are UTF-8; rumqttc's v5 module hands them out as bytes.
fn topic_text(bytes: &Bytes) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn message(topic: String, p: Publish) -> Message {
    Message {
        topic,
        payload: own_payload(p.payload),
        qos: p.qos as u8,
        retain: p.retain,
        time: SystemTime::now(),
        properties: p
            .properties
            .map(message_properties)
            .filter(|m| !m.is_empty())
            .map(Box::new),
    }
}

/// The model's copy of a received publish's properties (no rumqttc types in the model).
fn message_properties(p: PublishProperties) -> MessageProperties {
    MessageProperties {
        content_type: p.content_type,
        response_topic: p.response_topic,
        correlation_data: p.correlation_data.map(|b| Bytes::copy_from_slice(&b)),
        message_expiry_secs: p.message_expiry_interval,
        payload_format_utf8: p.payload_format_indicator.map(|f| f == 1),
        user_properties: p.user_properties,
    }
}

/// The properties to send with a publish.
pub fn publish_properties(p: &MessageProperties) -> PublishProperties {
    PublishProperties {
        payload_format_indicator: p.payload_format_utf8.map(u8::from),
        message_expiry_interval: p.message_expiry_secs,
        topic_alias: None,
        response_topic: p.response_topic.clone(),
        correlation_data: p.correlation_data.clone(),
        user_properties: p.user_properties.clone(),
        subscription_identifiers: Vec::new(),
        content_type: p.content_type.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{LastWill as ProfileWill, MqttVersion};
    use std::time::Duration;

    fn publish(topic: &str, alias: Option<u16>) -> Publish {
        let props = alias.map(|a| PublishProperties {
            topic_alias: Some(a),
            ..PublishProperties::default()
        });
        Publish::new(topic, QoS::AtMostOnce, "x", props)
    }

    #[test]
    fn topic_aliases_resolve_to_the_topic_they_were_set_up_with() {
        let mut aliases = TopicAliases::default();
        assert_eq!(aliases.resolve(&publish("plain/topic", None)), Ok("plain/topic".into()));
        assert_eq!(aliases.resolve(&publish("a/b", Some(3))), Ok("a/b".into()));
        assert_eq!(aliases.resolve(&publish("", Some(3))), Ok("a/b".into()));
        // A broker may point an alias at another topic later.
        assert_eq!(aliases.resolve(&publish("c/d", Some(3))), Ok("c/d".into()));
        assert_eq!(aliases.resolve(&publish("", Some(3))), Ok("c/d".into()));
        assert_eq!(aliases.resolve(&publish("", Some(9))), Err(9));
        aliases.clear();
        assert_eq!(aliases.resolve(&publish("", Some(3))), Err(3));
    }

    #[test]
    fn properties_round_trip_between_rumqttc_and_the_model() {
        let model = MessageProperties {
            content_type: Some("application/json".into()),
            response_topic: Some("reply/here".into()),
            correlation_data: Some(Bytes::from_static(&[1, 2, 0xff])),
            message_expiry_secs: Some(60),
            payload_format_utf8: Some(true),
            user_properties: vec![("k".into(), "v".into()), ("k".into(), "w".into())],
        };
        let wire = publish_properties(&model);
        assert_eq!(wire.payload_format_indicator, Some(1));
        assert_eq!(message_properties(wire), model);
        // Only a topic alias: nothing worth keeping in the model.
        let p = publish("t", Some(1));
        assert!(message("t".into(), p).properties.is_none());
    }

    #[test]
    fn any_keep_alive_is_accepted() {
        for (secs, expected) in [(0u16, 65_535u64), (1, 5), (4, 5), (5, 5), (600, 600)] {
            let mut profile = Profile::new("p", "mqtt://127.0.0.1:1999");
            profile.mqtt_version = MqttVersion::V5;
            profile.keep_alive_secs = secs;
            let (opts, _) = options(&profile).expect("options");
            assert_eq!(opts.keep_alive(), Duration::from_secs(expected), "{secs}");
        }
    }

    #[test]
    fn options_carry_the_profile_over() {
        let mut profile = Profile::new("p", "mqtt://user:secret@127.0.0.1:1999");
        profile.mqtt_version = MqttVersion::V5;
        profile.session_expiry_secs = Some(300);
        profile.clean_session = false;
        profile.keep_alive_secs = 45;
        profile.max_packet_bytes = 5 * 1024 * 1024;
        profile.connect_timeout_secs = 7;
        profile.last_will = Some(ProfileWill {
            topic: "status".into(),
            payload: "gone".into(),
            qos: 1,
            retain: true,
        });
        let (opts, shown) = options(&profile).unwrap();
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(opts.broker_address(), ("127.0.0.1".to_owned(), 1999));
        assert_eq!(opts.session_expiry_interval(), Some(300));
        assert!(!opts.clean_start());
        assert_eq!(opts.keep_alive(), Duration::from_secs(45));
        assert_eq!(opts.max_packet_size(), Some(5 * 1024 * 1024));
        assert_eq!(opts.connection_timeout(), 7);
        let login = opts.credentials().unwrap();
        assert_eq!((login.username.as_str(), login.password.as_str()), ("user", "secret"));
        let will = opts.last_will().unwrap();
        assert_eq!(
            (&will.topic[..], &will.message[..], will.retain),
            (&b"status"[..], &b"gone"[..], true)
        );
    }
}
