//! MQTT 3.1.1 through rumqttc's default (v4) module.

use std::time::SystemTime;

use rumqttc::{Event, EventLoop, Outgoing, Packet, SubscribeReasonCode};

use super::{Failure, Polled, own_payload};
use crate::model::Message;
use crate::mqtt::reason::{describe, hung_up};

/// The next event of the v4 event loop.
pub async fn poll(eventloop: &mut EventLoop, connect_timeout_secs: u64) -> Result<Polled, Failure> {
    let event = eventloop
        .poll()
        .await
        .map_err(|e| Failure::new(describe(&e, connect_timeout_secs), hung_up(&e)))?;
    Ok(match event {
        Event::Incoming(Packet::Publish(p)) => Polled::Message(Message {
            topic: p.topic,
            payload: own_payload(p.payload),
            qos: p.qos as u8,
            retain: p.retain,
            time: SystemTime::now(),
            properties: None,
        }),
        Event::Incoming(Packet::ConnAck(ack)) => Polled::ConnAck {
            session_present: ack.session_present,
            max_packet_bytes: None,
        },
        Event::Incoming(Packet::PubAck(ack)) => Polled::PublishDone {
            pkid: ack.pkid,
            refused: None,
        },
        Event::Incoming(Packet::PubComp(comp)) => Polled::PublishDone {
            pkid: comp.pkid,
            refused: None,
        },
        Event::Incoming(Packet::SubAck(ack)) => match ack.return_codes.first() {
            Some(SubscribeReasonCode::Success(q)) => Polled::SubAck {
                pkid: ack.pkid,
                granted: Ok(*q as u8),
            },
            // MQTT 3.1.1 has one failure code (0x80) and no reason string.
            Some(SubscribeReasonCode::Failure) => Polled::SubAck {
                pkid: ack.pkid,
                granted: Err(crate::tr!("worker-subscription-refused-v3")),
            },
            None => Polled::Other,
        },
        Event::Outgoing(Outgoing::Publish(pkid)) => Polled::PublishWritten { pkid },
        Event::Outgoing(Outgoing::Subscribe(pkid)) => Polled::SubscribeWritten { pkid },
        Event::Outgoing(Outgoing::Disconnect) => Polled::DisconnectWritten,
        _ => Polled::Other,
    })
}
