//! `topicscope pub`: publishes one message and, at QoS 1/2, waits for the broker's ack.

use std::io::Read;
use std::time::Duration;

use bytes::Bytes;

use super::{PubArgs, PublishPropertyArgs, connect_profile, wait_connected};
use crate::i18n::shown;
use crate::model::MessageProperties;
use crate::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};
use crate::profiles::{MqttVersion, validate_publish_topic};

/// How long to wait for the broker's acknowledgement after connecting.
const ACK_TIMEOUT: Duration = Duration::from_secs(15);

pub fn run(args: &PubArgs) -> Result<(), String> {
    // Refused before connecting: a wildcard or empty topic can never be published.
    validate_publish_topic(&args.topic).map_err(|e| {
        crate::tr!(
            "worker-cli-cannot-publish-to",
            topic = args.topic.as_str(),
            error = shown(e)
        )
    })?;
    let payload = read_payload(args)?;
    let mut profile = connect_profile(&args.connect).map_err(|e| e.to_string())?;
    profile.subscriptions.clear();
    // Checked before connecting, like the topic.
    properties(&args.properties, profile.mqtt_version)?;

    let worker =
        WorkerHandle::spawn(None).map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = shown(e)))?;
    wait_connected(&worker, &profile, |_| {}).map_err(|e| e.to_string())?;
    let mut req = PublishRequest::new(1, args.topic.clone(), payload, args.qos, args.retain);
    req.properties = properties(&args.properties, profile.mqtt_version)?;
    worker.send_blocking(Command::Publish(req)).map_err(|e| e.to_string())?;
    let outcome = loop {
        match worker.events.recv_timeout(ACK_TIMEOUT) {
            Err(_) => {
                break Err(crate::tr!("worker-cli-no-ack", secs = ACK_TIMEOUT.as_secs()));
            }
            Ok(Event::PublishSent { id: 1 } | Event::PublishAcked { id: 1 }) => break Ok(()),
            Ok(Event::PublishFailed { id: 1, reason }) => {
                break Err(crate::tr!("worker-cli-publish-failed", why = reason));
            }
            Ok(Event::State(ConnectionState::Reconnecting { reason, .. })) => {
                break Err(crate::tr!("worker-cli-lost-before-publish", why = reason));
            }
            Ok(_) => {}
        }
    };
    // A clean DISCONNECT makes the broker forward a QoS 0 message before the socket closes.
    let _ = worker.send_blocking(Command::Disconnect);
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while let Ok(ev) = worker.events.recv_deadline(deadline) {
        if matches!(ev, Event::State(ConnectionState::Disconnected { .. })) {
            break;
        }
    }
    outcome
}

/// The MQTT 5 properties the flags ask for; refused under MQTT 3.1.1, which has none.
fn properties(args: &PublishPropertyArgs, version: MqttVersion) -> Result<Option<Box<MessageProperties>>, String> {
    if let Some(topic) = &args.response_topic {
        validate_publish_topic(topic).map_err(|e| {
            crate::tr!(
                "worker-cli-bad-response-topic",
                topic = topic.as_str(),
                error = shown(e)
            )
        })?;
    }
    let props = MessageProperties {
        content_type: args.content_type.clone(),
        response_topic: args.response_topic.clone(),
        correlation_data: args
            .correlation_data
            .as_ref()
            .map(|c| Bytes::copy_from_slice(c.as_bytes())),
        message_expiry_secs: args.message_expiry,
        payload_format_utf8: None,
        user_properties: args.user_properties.clone(),
    };
    if props.is_empty() {
        return Ok(None);
    }
    if version != MqttVersion::V5 {
        return Err(crate::tr!("worker-cli-properties-need-v5"));
    }
    Ok(Some(Box::new(props)))
}

fn read_payload(args: &PubArgs) -> Result<Bytes, String> {
    if let Some(m) = &args.message {
        return Ok(Bytes::from(m.clone().into_bytes()));
    }
    if let Some(path) = &args.file {
        return std::fs::read(path).map(Bytes::from).map_err(|e| {
            crate::tr!(
                "worker-cli-cannot-read-payload-file",
                path = shown(path.display()),
                error = shown(e)
            )
        });
    }
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| crate::tr!("worker-cli-cannot-read-stdin", error = shown(e)))?;
    Ok(Bytes::from(buf))
}
