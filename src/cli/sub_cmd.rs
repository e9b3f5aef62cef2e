//! `topicscope sub`: subscribes and prints messages as text, JSON lines or hex.

use std::io::Write;
use std::time::Instant;

use base64::Engine as _;

use super::{Format, SubArgs, connect_profile, wait_connected};
use crate::model::{Message, Model, escape_non_utf8};
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
            writeln!(out, "{}", serde_json::Value::Object(obj))
        }
    }
}
