//! One MQTT message as the worker hands it to the model.

use std::time::SystemTime;

use bytes::Bytes;

/// MQTT 5 properties of a received message (empty under MQTT 3.1.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageProperties {
    pub content_type: Option<String>,
    pub response_topic: Option<String>,
    pub correlation_data: Option<Bytes>,
    pub message_expiry_secs: Option<u32>,
    pub payload_format_utf8: Option<bool>,
    pub user_properties: Vec<(String, String)>,
}

/// A message as received from the broker. The payload is kept exactly as received.
#[derive(Clone, Debug)]
pub struct Message {
    pub topic: String,
    pub payload: Bytes,
    /// 0, 1 or 2.
    pub qos: u8,
    pub retain: bool,
    pub time: SystemTime,
    /// `None` under MQTT 3.1.1 or when the message carried no properties.
    pub properties: Option<Box<MessageProperties>>,
}

impl Message {
    /// A message received now with no properties (handy for tests and the CLI).
    pub fn new(topic: impl Into<String>, payload: impl Into<Bytes>, qos: u8, retain: bool) -> Self {
        Self {
            topic: topic.into(),
            payload: payload.into(),
            qos,
            retain,
            time: SystemTime::now(),
            properties: None,
        }
    }
}
