//! Messages on their way to the writer thread, packed: every topic in one `String`,
//! every payload in one byte buffer, and a small fixed-size row per message.
//!
//! The window hands each batch it receives to its recording as it arrives. Cloning the
//! `Message`s cost an allocation per topic, turned each payload's unique buffer into a
//! shared one (which the model then had to copy again), and left the writer thread to
//! free them all one by one while the UI thread allocated on the other core: recording
//! 50k msg/s nearly doubled the UI thread's CPU. A packed batch is three buffers,
//! whatever its length (plus a copy of the properties of each MQTT 5 message that has
//! some), and leaves the messages as they were.

use crate::model::{Message, MessageProperties};

/// One message's place in the buffers, and what is not bytes.
#[derive(Debug)]
struct Row {
    time_us: i64,
    /// Where its topic ends in `topics` (it starts where the row before's ends).
    topic_end: usize,
    /// Where its payload ends in `payloads`.
    payload_end: usize,
    qos: u8,
    retain: bool,
    /// MQTT 5 properties, rare: cloned as they are.
    properties: Option<Box<MessageProperties>>,
}

/// A message of a [`RecordBatch`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowRef<'a> {
    /// Microseconds since 1970 (negative before it).
    pub time_us: i64,
    pub topic: &'a str,
    pub payload: &'a [u8],
    pub qos: u8,
    pub retain: bool,
    pub properties: Option<&'a MessageProperties>,
}

/// Messages copied into shared buffers, in order.
#[derive(Debug, Default)]
pub struct RecordBatch {
    topics: String,
    payloads: Vec<u8>,
    rows: Vec<Row>,
}

impl RecordBatch {
    /// An empty batch with room for `messages` messages of `bytes` topic and payload bytes.
    pub fn with_capacity(messages: usize, bytes: usize) -> Self {
        Self {
            topics: String::with_capacity(messages * 32),
            payloads: Vec::with_capacity(bytes),
            rows: Vec::with_capacity(messages),
        }
    }

    /// Copies `m` in.
    pub fn push(&mut self, m: &Message) {
        self.push_parts(
            crate::record::schema::time_us(m.time),
            &m.topic,
            &m.payload,
            m.qos,
            m.retain,
            m.properties.clone(),
        );
    }

    fn push_parts(
        &mut self,
        time_us: i64,
        topic: &str,
        payload: &[u8],
        qos: u8,
        retain: bool,
        properties: Option<Box<MessageProperties>>,
    ) {
        self.topics.push_str(topic);
        self.payloads.extend_from_slice(payload);
        self.rows.push(Row {
            time_us,
            topic_end: self.topics.len(),
            payload_end: self.payloads.len(),
            qos,
            retain,
            properties,
        });
    }

    /// Messages held.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Payload bytes held.
    pub fn payload_bytes(&self) -> usize {
        self.payloads.len()
    }

    /// The messages, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = RowRef<'_>> {
        let (mut topic_start, mut payload_start) = (0, 0);
        self.rows.iter().map(move |r| {
            let row = RowRef {
                time_us: r.time_us,
                topic: &self.topics[topic_start..r.topic_end],
                payload: &self.payloads[payload_start..r.payload_end],
                qos: r.qos,
                retain: r.retain,
                properties: r.properties.as_deref(),
            };
            (topic_start, payload_start) = (r.topic_end, r.payload_end);
            row
        })
    }
}

impl<'a> FromIterator<&'a Message> for RecordBatch {
    fn from_iter<I: IntoIterator<Item = &'a Message>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut batch = Self::with_capacity(iter.size_hint().0, 0);
        for m in iter {
            batch.push(m);
        }
        batch
    }
}

impl From<&[Message]> for RecordBatch {
    fn from(messages: &[Message]) -> Self {
        let bytes = messages.iter().map(|m| m.payload.len()).sum();
        let mut batch = Self::with_capacity(messages.len(), bytes);
        for m in messages {
            batch.push(m);
        }
        batch
    }
}

impl From<Vec<Message>> for RecordBatch {
    fn from(messages: Vec<Message>) -> Self {
        Self::from(&messages[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_back_whole_and_in_order() {
        let mut with_props = Message::new("温室/传感器/温度", "23.5", 2, true);
        with_props.properties = Some(Box::new(MessageProperties {
            content_type: Some("text/plain".into()),
            ..Default::default()
        }));
        let messages = vec![
            Message::new("a", "", 0, false),
            with_props,
            Message::new("", &[0u8, 255, 10][..], 1, false),
            Message::new("esp32/lamp/set", "ON", 1, false),
        ];
        let batch = RecordBatch::from(&messages[..]);
        assert_eq!(batch.len(), 4);
        assert_eq!(batch.payload_bytes(), 4 + 3 + 2);
        let rows: Vec<RowRef<'_>> = batch.iter().collect();
        assert_eq!(rows.len(), messages.len());
        for (row, m) in rows.iter().zip(&messages) {
            assert_eq!(row.topic, m.topic);
            assert_eq!(row.payload, &m.payload[..]);
            assert_eq!((row.qos, row.retain), (m.qos, m.retain));
            assert_eq!(row.properties, m.properties.as_deref());
            assert_eq!(row.time_us, crate::record::schema::time_us(m.time));
        }
        let again: RecordBatch = messages.iter().filter(|m| m.qos == 1).collect();
        let topics: Vec<&str> = again.iter().map(|r| r.topic).collect();
        assert_eq!(topics, ["", "esp32/lamp/set"]);
    }

    #[test]
    fn an_empty_batch_is_empty() {
        let batch = RecordBatch::default();
        assert!(batch.is_empty());
        assert_eq!(batch.iter().count(), 0);
    }
}
