//! The two MQTT protocol versions behind one small interface, so the session (backoff,
//! re-subscribing, ack matching, the offline queue) is written once.
//!
//! rumqttc has a separate client, event loop and packet set per version; [`Client`] and
//! [`Connection`] wrap either, and [`Polled`] is what the session needs to know of each
//! event, with reason codes already turned into words.

mod v4;
mod v5;

use super::options::qos as v4_qos;
use super::{OptionsError, PublishRequest};
use crate::model::Message;
use crate::profiles::{MqttVersion, Profile};

/// Capacity of rumqttc's request channel (client → event loop).
const REQUEST_CAPACITY: usize = 1024;
/// Outgoing QoS 1/2 publishes waiting for their acks, at most.
const MAX_INFLIGHT: u16 = 100;

/// Payloads up to this size are copied out of rumqttc's read buffer.
const COPY_PAYLOAD_MAX_BYTES: usize = 64 * 1024;

/// rumqttc hands out slices of its read buffer: keeping a small one in the history would
/// pin the whole buffer chunk, outside the history's byte budget. Small payloads are
/// copied (cheap); large ones are most of their chunk anyway and are kept as they are.
fn own_payload(payload: bytes::Bytes) -> bytes::Bytes {
    if payload.len() <= COPY_PAYLOAD_MAX_BYTES {
        bytes::Bytes::copy_from_slice(&payload)
    } else {
        payload
    }
}

/// One event of the connection, as the session needs it.
#[derive(Debug)]
pub enum Polled {
    /// A message arrived (topic aliases already resolved).
    Message(Message),
    /// The broker accepted the connection; an MQTT 5 broker may state the largest packet
    /// it accepts.
    ConnAck {
        session_present: bool,
        max_packet_bytes: Option<u32>,
    },
    /// A QoS 1/2 publish is finished: acknowledged, or refused with a reason (MQTT 5).
    PublishDone { pkid: u16, refused: Option<String> },
    /// The broker answered a subscribe: granted QoS, or why it refused.
    SubAck { pkid: u16, granted: Result<u8, String> },
    /// A publish was written to the socket (packet id 0 for QoS 0).
    PublishWritten { pkid: u16 },
    /// A subscribe was written to the socket.
    SubscribeWritten { pkid: u16 },
    /// A DISCONNECT was written: the user's (the session is over), or one rumqttc sends
    /// by itself on a protocol error (the session must reconnect).
    DisconnectWritten,
    /// Nothing the session acts on (pings, acks it sends itself, …).
    Other,
}

/// The handle that queues requests for the event loop.
#[derive(Clone, Debug)]
pub enum Client {
    V4(rumqttc::AsyncClient),
    V5(rumqttc::v5::AsyncClient),
}

/// The event loop of one connection (reconnects when polled after an error).
pub enum Connection {
    V4(Box<rumqttc::EventLoop>),
    V5(Box<v5::Link>),
}

/// The client and event loop for `profile`, and the broker as shown to the user.
pub fn open(profile: &Profile) -> Result<(Client, Connection, String), OptionsError> {
    let timeout_secs = profile.connect_timeout_secs.max(1);
    match profile.mqtt_version {
        MqttVersion::V311 => {
            let (opts, broker) = super::mqtt_options(profile)?;
            let (client, mut eventloop) = rumqttc::AsyncClient::new(opts, REQUEST_CAPACITY);
            eventloop.network_options.set_connection_timeout(timeout_secs);
            Ok((Client::V4(client), Connection::V4(Box::new(eventloop)), broker))
        }
        MqttVersion::V5 => {
            let (opts, broker) = v5::options(profile)?;
            let (client, eventloop) = rumqttc::v5::AsyncClient::new(opts, REQUEST_CAPACITY);
            Ok((
                Client::V5(client),
                Connection::V5(Box::new(v5::Link::new(eventloop))),
                broker,
            ))
        }
    }
}

/// Why the connection failed or dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One sentence for the user.
    pub text: String,
    /// The broker hung up an established connection (end of stream, reset): the packet
    /// written last may be what it could not take.
    pub hung_up: bool,
}

impl Failure {
    pub fn new(text: impl Into<String>, hung_up: bool) -> Self {
        Self {
            text: text.into(),
            hung_up,
        }
    }
}

impl Connection {
    /// The next event, or why the connection failed. Polling again after an error
    /// reconnects at once: the caller waits first.
    pub async fn poll(&mut self, connect_timeout_secs: u64) -> Result<Polled, Failure> {
        match self {
            Self::V4(eventloop) => v4::poll(eventloop, connect_timeout_secs).await,
            Self::V5(link) => link.poll(connect_timeout_secs).await,
        }
    }

    /// Events rumqttc already read and holds: the next poll goes to the socket only when
    /// there are none.
    pub fn buffered(&self) -> usize {
        match self {
            Self::V4(eventloop) => eventloop.state.events.len(),
            Self::V5(link) => link.buffered(),
        }
    }

    /// Drops the network connection (the next poll reconnects), keeping unacknowledged
    /// packets for a resumed session as rumqttc does after an error.
    pub fn reset(&mut self) {
        match self {
            Self::V4(eventloop) => eventloop.clean(),
            Self::V5(link) => link.reset(),
        }
    }

    /// Forgets a publish rumqttc keeps for re-sending in a resumed session: one the
    /// broker hung up on is not sent again.
    pub fn forget_publish(&mut self, pkid: u16) {
        if pkid == 0 {
            return;
        }
        match self {
            Self::V4(eventloop) => eventloop
                .pending
                .retain(|r| !matches!(r, rumqttc::Request::Publish(p) if p.pkid == pkid)),
            Self::V5(link) => link.forget_publish(pkid),
        }
    }
}

impl Client {
    /// Hands a publish to the event loop (waits while its queue is full).
    pub async fn publish(&self, req: &PublishRequest) -> Result<(), String> {
        match self {
            Self::V4(c) => c
                .publish_bytes(req.topic.clone(), v4_qos(req.qos), req.retain, req.payload.clone())
                .await
                .map_err(|e| e.to_string()),
            Self::V5(c) => {
                let (topic, qos, payload) = (req.topic.clone(), v5::qos(req.qos), req.payload.clone());
                match req.properties.as_deref() {
                    Some(p) => c
                        .publish_bytes_with_properties(topic, qos, req.retain, payload, v5::publish_properties(p))
                        .await
                        .map_err(|e| e.to_string()),
                    None => c
                        .publish_bytes(topic, qos, req.retain, payload)
                        .await
                        .map_err(|e| e.to_string()),
                }
            }
        }
    }

    /// The size of `req` on the wire, to check it against the maximum packet sizes
    /// before rumqttc would fail the whole connection over it.
    pub fn publish_packet_bytes(&self, req: &PublishRequest) -> usize {
        let packet_id = if req.qos > 0 { 2 } else { 0 };
        match self {
            Self::V4(_) => {
                let remaining = 2 + req.topic.len() + packet_id + req.payload.len();
                super::too_large::fixed_header_bytes(remaining) + remaining
            }
            Self::V5(_) => v5::publish_packet_bytes(req),
        }
    }

    /// The size of a SUBSCRIBE for one filter on the wire.
    pub fn subscribe_packet_bytes(&self, filter: &str) -> usize {
        // Packet id, the filter with its length, one options byte; MQTT 5 adds an empty
        // property length.
        let properties = match self {
            Self::V4(_) => 0,
            Self::V5(_) => 1,
        };
        let remaining = 2 + properties + 2 + filter.len() + 1;
        super::too_large::fixed_header_bytes(remaining) + remaining
    }

    /// Hands a subscribe to the event loop.
    pub async fn subscribe(&self, filter: &str, qos: u8) -> Result<(), String> {
        match self {
            Self::V4(c) => c.subscribe(filter, v4_qos(qos)).await.map_err(|e| e.to_string()),
            Self::V5(c) => c.subscribe(filter, v5::qos(qos)).await.map_err(|e| e.to_string()),
        }
    }

    /// Hands an unsubscribe to the event loop.
    pub async fn unsubscribe(&self, filter: &str) -> Result<(), String> {
        match self {
            Self::V4(c) => c.unsubscribe(filter).await.map_err(|e| e.to_string()),
            Self::V5(c) => c.unsubscribe(filter).await.map_err(|e| e.to_string()),
        }
    }

    /// Asks for a DISCONNECT without waiting (false when the queue is full or gone).
    pub fn try_disconnect(&self) -> bool {
        match self {
            Self::V4(c) => c.try_disconnect().is_ok(),
            Self::V5(c) => c.try_disconnect().is_ok(),
        }
    }
}
