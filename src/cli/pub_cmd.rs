//! `topicscope pub`: publishes one message and, at QoS 1/2, waits for the broker's ack.

use std::io::Read;
use std::time::Duration;

use bytes::Bytes;

use super::{PubArgs, connect_profile, wait_connected};
use crate::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};
use crate::profiles::validate_publish_topic;

/// How long to wait for the broker's acknowledgement after connecting.
const ACK_TIMEOUT: Duration = Duration::from_secs(15);

pub fn run(args: &PubArgs) -> Result<(), String> {
    // Refused before connecting: a wildcard or empty topic can never be published.
    validate_publish_topic(&args.topic).map_err(|e| format!("cannot publish to '{}': {e}", args.topic))?;
    let payload = read_payload(args)?;
    let mut profile = connect_profile(&args.connect).map_err(|e| e.to_string())?;
    profile.subscriptions.clear();

    let worker = WorkerHandle::spawn(None).map_err(|e| format!("cannot start the MQTT worker: {e}"))?;
    wait_connected(&worker, &profile, |_| {}).map_err(|e| e.to_string())?;
    let req = PublishRequest::new(1, args.topic.clone(), payload, args.qos, args.retain);
    worker.send_blocking(Command::Publish(req)).map_err(|e| e.to_string())?;
    let outcome = loop {
        match worker.events.recv_timeout(ACK_TIMEOUT) {
            Err(_) => {
                break Err(format!(
                    "no acknowledgement from the broker within {} s",
                    ACK_TIMEOUT.as_secs()
                ));
            }
            Ok(Event::PublishSent { id: 1 } | Event::PublishAcked { id: 1 }) => break Ok(()),
            Ok(Event::PublishFailed { id: 1, reason }) => {
                break Err(format!("publish failed: {reason}"));
            }
            Ok(Event::State(ConnectionState::Reconnecting { reason, .. })) => {
                break Err(format!("connection lost before the publish completed: {reason}"));
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

fn read_payload(args: &PubArgs) -> Result<Bytes, String> {
    if let Some(m) = &args.message {
        return Ok(Bytes::from(m.clone().into_bytes()));
    }
    if let Some(path) = &args.file {
        return std::fs::read(path)
            .map(Bytes::from)
            .map_err(|e| format!("cannot read payload file {}: {e}", path.display()));
    }
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read the payload from stdin: {e}"))?;
    Ok(Bytes::from(buf))
}
