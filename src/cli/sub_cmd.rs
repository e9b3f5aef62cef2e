//! `topicscope sub`: subscribes and prints messages as text, JSON lines or hex.

use std::io::Write;
use std::time::Instant;

use base64::Engine as _;

use super::{Format, SubArgs, connect_profile, wait_connected};
use crate::model::{Message, MessageProperties, Model, TextOrHex, escape_non_utf8};
use crate::mqtt::{ConnectionState, Event, WorkerHandle};
use crate::profiles::{Subscription, validate_filter};

/// History budget for the CLI's model: it only needs counts, not deep history.
const CLI_HISTORY_BUDGET_BYTES: usize = 16 * 1024 * 1024;

pub fn run(args: &SubArgs) -> Result<(), String> {
    let filters = if args.topics.is_empty() {
        vec!["#".to_owned()]
    } else {
        args.topics.clone()
    };
    for f in &filters {
        validate_filter(f).map_err(|e| format!("invalid topic filter '{f}': {e}"))?;
    }
    let mut profile = connect_profile(&args.connect).map_err(|e| e.to_string())?;
    profile.subscriptions = filters
        .iter()
        .map(|f| Subscription {
            filter: f.clone(),
            qos: args.qos,
        })
        .collect();

    let worker = WorkerHandle::spawn(None).map_err(|e| format!("cannot start the MQTT worker: {e}"))?;
    let mut printer = Printer::new(args);
    let mut done = false;
    wait_connected(&worker, &profile, |ev| done |= printer.handle(ev)).map_err(|e| e.to_string())?;
    while !done {
        let Ok(ev) = worker.events.recv() else { break };
        done = printer.handle(ev);
    }
    printer.finish();
    match printer.failure.take() {
        Some(f) => Err(f),
        None => Ok(()),
    }
}

struct Printer {
    format: Format,
    quiet: bool,
    limit: Option<u64>,
    model: Model,
    count: u64,
    first_at: Option<Instant>,
    out: std::io::BufWriter<std::io::Stdout>,
    failure: Option<String>,
}

impl Printer {
    fn new(args: &SubArgs) -> Self {
        Self {
            format: args.format,
            quiet: args.quiet,
            limit: args.count,
            model: Model::new(CLI_HISTORY_BUDGET_BYTES),
            count: 0,
            first_at: None,
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            failure: None,
        }
    }

    /// Returns true when the command is done.
    fn handle(&mut self, ev: Event) -> bool {
        match ev {
            Event::Messages(batch) => {
                for msg in batch {
                    self.first_at.get_or_insert_with(Instant::now);
                    if !self.quiet && write_message(&mut self.out, self.format, &msg).is_err() {
                        return true; // stdout closed (e.g. piped into `head`)
                    }
                    self.model.ingest(msg);
                    self.count += 1;
                    if self.limit.is_some_and(|n| self.count >= n) {
                        return true;
                    }
                }
                self.out.flush().is_err()
            }
            Event::SubscribeFailed { filter, reason } => {
                self.failure = Some(format!("subscription to '{filter}' failed: {reason}"));
                true
            }
            Event::State(ConnectionState::Reconnecting { reason, .. }) => {
                eprintln!("topicscope: connection lost ({reason}); reconnecting");
                false
            }
            Event::State(ConnectionState::Disconnected { reason: Some(reason) }) => {
                self.failure = Some(format!("disconnected: {reason}"));
                true
            }
            Event::Error(e) => {
                eprintln!("topicscope: {e}");
                false
            }
            _ => false,
        }
    }

    fn finish(&mut self) {
        let _ = self.out.flush();
        if self.quiet {
            let secs = self.first_at.map_or(0.0, |t| t.elapsed().as_secs_f64());
            let rate = if secs > 0.0 { self.count as f64 / secs } else { 0.0 };
            println!(
                "received {} messages on {} topics in {:.3} s ({:.0} msg/s)",
                self.count,
                self.model.tree().topic_count(),
                secs,
                rate
            );
        }
    }
}

fn write_message(out: &mut impl Write, format: Format, msg: &Message) -> std::io::Result<()> {
    match format {
        Format::Text => writeln!(out, "{} {}", msg.topic, escape_non_utf8(&msg.payload)),
        Format::Hex => {
            write!(out, "{} ", msg.topic)?;
            for b in msg.payload.iter() {
                write!(out, "{b:02x}")?;
            }
            writeln!(out)
        }
        Format::Json => {
            let time: chrono::DateTime<chrono::Utc> = msg.time.into();
            let mut obj = serde_json::Map::new();
            obj.insert("topic".into(), msg.topic.clone().into());
            match std::str::from_utf8(&msg.payload) {
                Ok(text) => obj.insert("payload".into(), text.into()),
                Err(_) => obj.insert(
                    "payload_base64".into(),
                    base64::engine::general_purpose::STANDARD.encode(&msg.payload).into(),
                ),
            };
            obj.insert("qos".into(), msg.qos.into());
            obj.insert("retain".into(), msg.retain.into());
            obj.insert(
                "time".into(),
                time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
            );
            if let Some(props) = &msg.properties {
                obj.insert("properties".into(), properties_json(props));
            }
            writeln!(out, "{}", serde_json::Value::Object(obj))
        }
    }
}

/// MQTT 5 properties as a JSON object; absent ones are left out. User properties are a list
/// of `[key, value]` pairs because keys may repeat and their order matters.
fn properties_json(p: &MessageProperties) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    if let Some(ct) = &p.content_type {
        obj.insert("content_type".into(), ct.as_str().into());
    }
    if let Some(utf8) = p.payload_format_utf8 {
        obj.insert("payload_format_utf8".into(), utf8.into());
    }
    if let Some(rt) = &p.response_topic {
        obj.insert("response_topic".into(), rt.as_str().into());
    }
    match p.correlation_text() {
        Some(TextOrHex::Text(text)) => {
            obj.insert("correlation_data".into(), text.into());
        }
        Some(TextOrHex::Hex(_)) => {
            let bytes = p.correlation_data.as_deref().unwrap_or_default();
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            obj.insert("correlation_data_hex".into(), hex.into());
        }
        None => {}
    }
    if let Some(e) = p.message_expiry_secs {
        obj.insert("message_expiry_secs".into(), e.into());
    }
    if !p.user_properties.is_empty() {
        let pairs = p
            .user_properties
            .iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect();
        obj.insert("user_properties".into(), serde_json::Value::Array(pairs));
    }
    serde_json::Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_carry_mqtt5_properties_only_when_present() {
        let mut msg = Message::new("a/b", "hi", 1, false);
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg).unwrap();
        assert!(!String::from_utf8_lossy(&out).contains("properties"));

        msg.properties = Some(Box::new(MessageProperties {
            content_type: Some("text/plain".into()),
            correlation_data: Some(bytes::Bytes::from_static(&[0xff, 0x01])),
            message_expiry_secs: Some(9),
            user_properties: vec![("k".into(), "v1".into()), ("k".into(), "v2".into())],
            ..MessageProperties::default()
        }));
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            line["properties"],
            serde_json::json!({
                "content_type": "text/plain",
                "correlation_data_hex": "ff01",
                "message_expiry_secs": 9,
                "user_properties": [["k", "v1"], ["k", "v2"]],
            })
        );
    }
}
