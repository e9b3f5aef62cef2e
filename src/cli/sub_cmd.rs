//! `topicscope sub`: subscribes and prints messages as text, JSON lines or hex.
//!
//! It keeps no message after printing it: no topic tree, no history, only a set of topic
//! hashes for the `--quiet` summary. Its own memory is the 64 KiB output buffer plus
//! the batch being printed; a slow reader of stdout blocks the write, the CLI stops
//! taking batches from the worker, and the worker's bounded queues push back on TCP.

use std::collections::HashSet;
use std::hash::{Hash as _, Hasher as _};
use std::io::Write;
use std::time::Instant;

use super::connection::subscribing_profile;
use super::terminal::{escape_controls, is_closed_pipe};
use super::{Format, SubArgs, wait_connected};
use crate::model::{DecodeChoice, DecoderRules, EncodingRules, Message, TextEncoding};
use crate::mqtt::{ConnectionState, Event, WorkerHandle};

pub fn run(args: &SubArgs) -> Result<(), String> {
    let profile = subscribing_profile(&args.connect, &args.topics, args.qos)?;
    let filters = profile.subscriptions.len();

    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = crate::i18n::shown(e)))?;
    // `--encoding` reads every topic one way; without it a saved profile's rules apply.
    let encodings = match args.encoding {
        Some(e) => EncodingRules {
            default: e.into(),
            rules: Vec::new(),
        },
        None => profile.encodings.clone(),
    };
    // `--decode` decodes every topic one way; without it the profile's rules apply, but
    // not its detection: output that scripts read does not change unasked.
    let decoders = match &args.decode {
        Some(choice) => DecoderRules {
            default: choice.clone(),
            rules: Vec::new(),
        },
        None => DecoderRules {
            default: DecodeChoice::Raw,
            rules: profile.decoders.rules.clone(),
        },
    };
    let mut printer = Printer::new(args, filters, encodings, decoders);
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
    encodings: EncodingRules,
    decoders: DecoderRules,
    /// Sparkplug B aliases and sequence numbers, so DATA metrics print by name.
    sparkplug: crate::model::SparkplugRegistry,
    /// Hashes of the topics seen, for the `--quiet` summary (8 bytes a topic, not a tree).
    topics: HashSet<u64>,
    count: u64,
    first_at: Option<Instant>,
    out: std::io::BufWriter<std::io::Stdout>,
    failure: Option<String>,
    /// How many filters were asked for, and which the broker refused: `sub` keeps going
    /// on the granted ones and fails only when every one is refused.
    filter_count: usize,
    refused: HashSet<String>,
    /// Stdout was closed by its reader: stop quietly, print nothing more.
    stdout_closed: bool,
    /// Connected now (true from the start: `run` waits for the first connection), so a
    /// failed retry is not called a lost connection and getting back is said.
    connected: bool,
}

impl Printer {
    fn new(args: &SubArgs, filter_count: usize, encodings: EncodingRules, decoders: DecoderRules) -> Self {
        Self {
            format: args.format,
            encodings,
            decoders,
            sparkplug: crate::model::SparkplugRegistry::default(),
            quiet: args.quiet,
            limit: args.count,
            topics: HashSet::new(),
            count: 0,
            first_at: None,
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            failure: None,
            filter_count,
            refused: HashSet::new(),
            stdout_closed: false,
            connected: true,
        }
    }

    /// Returns true when the command is done.
    fn handle(&mut self, ev: Event) -> bool {
        match ev {
            Event::Messages(batch) => {
                for msg in batch {
                    self.first_at.get_or_insert_with(Instant::now);
                    let decoded = if self.quiet || self.format == Format::Hex {
                        None
                    } else {
                        decode(&self.decoders, &mut self.sparkplug, &msg)
                    };
                    if !self.quiet
                        && let Err(e) = write_message(
                            &mut self.out,
                            self.format,
                            &msg,
                            self.encodings.for_topic(&msg.topic),
                            decoded.as_ref(),
                        )
                    {
                        return self.output_failed(&e);
                    }
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    msg.topic.hash(&mut hasher);
                    self.topics.insert(hasher.finish());
                    self.count += 1;
                    if self.limit.is_some_and(|n| self.count >= n) {
                        return true;
                    }
                }
                match self.out.flush() {
                    Ok(()) => false,
                    Err(e) => self.output_failed(&e),
                }
            }
            Event::SubscribeFailed { filter, reason } => {
                let shown = escape_controls(&filter, false).into_owned();
                // With one filter the failure below says it all; with several, the others
                // go on, so say which one is missing.
                if self.refused.insert(filter) && self.filter_count > 1 {
                    let text = crate::tr!(
                        "worker-cli-subscription-refused",
                        filter = shown.as_str(),
                        why = reason.as_str()
                    );
                    eprintln!("topicscope: {}", crate::tr!("worker-cli-warning", text = text));
                }
                if self.refused.len() >= self.filter_count {
                    self.failure = Some(if self.filter_count == 1 {
                        crate::tr!(
                            "worker-cli-subscription-failed",
                            filter = shown.as_str(),
                            why = reason.as_str()
                        )
                    } else {
                        crate::tr!("worker-cli-every-subscription-refused")
                    });
                    return true;
                }
                false
            }
            Event::Subscribed { filter, .. } => {
                // Granted after a reconnect (e.g. ACLs changed): no longer refused.
                self.refused.remove(&filter);
                false
            }
            Event::State(ConnectionState::Reconnecting { reason, retry_in, .. }) => {
                let secs = retry_in.as_secs_f32().ceil() as u64;
                if std::mem::replace(&mut self.connected, false) {
                    eprintln!(
                        "topicscope: {}",
                        crate::tr!("worker-cli-connection-lost", why = reason, secs = secs)
                    );
                } else {
                    eprintln!(
                        "topicscope: {}",
                        crate::tr!("worker-cli-reconnect-failed", why = reason, secs = secs)
                    );
                }
                false
            }
            Event::State(ConnectionState::Connected { broker }) => {
                if !std::mem::replace(&mut self.connected, true) {
                    eprintln!("topicscope: {}", crate::tr!("worker-cli-reconnected", broker = broker));
                }
                false
            }
            Event::State(ConnectionState::Disconnected { reason: Some(reason) }) => {
                self.failure = Some(crate::tr!("worker-state-disconnected-because", why = reason));
                true
            }
            Event::Error(e) => {
                eprintln!("topicscope: {e}");
                false
            }
            _ => false,
        }
    }

    /// A write to stdout failed: a closed pipe ends the command quietly and successfully
    /// (as `head` expects); anything else is an error in words.
    fn output_failed(&mut self, error: &std::io::Error) -> bool {
        self.stdout_closed = true;
        if !is_closed_pipe(error) {
            self.failure = Some(crate::tr!(
                "worker-cli-stdout-failed",
                error = crate::i18n::shown(error)
            ));
        }
        true
    }

    fn finish(&mut self) {
        if self.stdout_closed {
            return;
        }
        if let Err(e) = self.out.flush() {
            self.output_failed(&e);
            return;
        }
        if self.quiet {
            let secs = self.first_at.map_or(0.0, |t| t.elapsed().as_secs_f64());
            let rate = if secs > 0.0 { self.count as f64 / secs } else { 0.0 };
            let line = format!(
                "received {} messages on {} topics in {:.3} s ({:.0} msg/s)",
                self.count,
                self.topics.len(),
                secs,
                rate
            );
            if let Err(e) = writeln!(self.out, "{line}").and_then(|()| self.out.flush()) {
                self.output_failed(&e);
            }
        }
    }
}

/// The decoded value of `msg` when a decoder applies and succeeds; a failure is said on
/// stderr (naming the topic) and the payload is printed as received.
fn decode(
    decoders: &DecoderRules,
    sparkplug: &mut crate::model::SparkplugRegistry,
    msg: &Message,
) -> Option<(String, serde_json::Value)> {
    let decoder = decoders.decoder_for(&msg.topic, &msg.payload)?;
    let decoded = match decoder {
        // Sparkplug names DATA metrics from the births seen before, and flags gaps.
        crate::model::Decoder::Sparkplug => sparkplug
            .observe(&msg.topic, &msg.payload)
            .unwrap_or_else(|| decoder.decode(&msg.payload)),
        _ => decoder.decode(&msg.payload),
    };
    match decoded {
        Ok(value) => Some((decoder.name(), value)),
        Err(e) => {
            eprintln!(
                "topicscope: {}",
                crate::tr!(
                    "dec-cli-failed",
                    topic = escape_controls(&msg.topic, false),
                    format = decoder.name(),
                    error = e.to_string()
                )
            );
            None
        }
    }
}

pub(super) fn write_message(
    out: &mut impl Write,
    format: Format,
    msg: &Message,
    encoding: TextEncoding,
    decoded: Option<&(String, serde_json::Value)>,
) -> std::io::Result<()> {
    match format {
        Format::Text if decoded.is_some() => {
            let value = decoded.map(|(_, v)| v.to_string()).unwrap_or_default();
            writeln!(
                out,
                "{} {}",
                escape_controls(&msg.topic, false),
                escape_controls(&value, true)
            )
        }
        Format::Text => writeln!(
            out,
            "{} {}",
            escape_controls(&msg.topic, false),
            escape_controls(&encoding.decode(&msg.payload).text, true)
        ),
        Format::Hex => {
            write!(out, "{} ", escape_controls(&msg.topic, false))?;
            for b in msg.payload.iter() {
                write!(out, "{b:02x}")?;
            }
            writeln!(out)
        }
        Format::Json => writeln!(
            out,
            "{}",
            crate::model::message_json::message_json(msg, encoding, decoded)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MessageProperties;

    #[test]
    fn decoded_payloads_print_as_json() {
        // {"t": 21.5, "ok": true} in MessagePack.
        let msg = Message::new(
            "esp32/a/mp",
            &b"\x82\xa1t\xcb\x40\x35\x80\0\0\0\0\0\xa2ok\xc3"[..],
            0,
            false,
        );
        let auto = DecoderRules::default();
        let decoded = decode(&auto, &mut Default::default(), &msg);
        let mut out = Vec::new();
        write_message(&mut out, Format::Text, &msg, TextEncoding::Utf8, decoded.as_ref()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "esp32/a/mp {\"t\":21.5,\"ok\":true}\n");
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg, TextEncoding::Utf8, decoded.as_ref()).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(line["decoded"], serde_json::json!({"t": 21.5, "ok": true}));
        assert_eq!(line["decoder"], "MessagePack");
        // Text is never decoded by detection; a failing decoder leaves the payload as is.
        assert!(decode(&auto, &mut Default::default(), &Message::new("a", "21.5", 0, false)).is_none());
        let cbor = DecoderRules {
            default: DecodeChoice::With(crate::model::Decoder::Cbor),
            rules: Vec::new(),
        };
        assert!(decode(&cbor, &mut Default::default(), &msg).is_none());
    }

    #[test]
    fn text_and_hex_output_escape_terminal_controls() {
        let msg = Message::new("evil/\u{1b}[2J", "\u{1b}]0;pwned\u{7}line1\nline2\r", 0, false);
        let mut out = Vec::new();
        write_message(&mut out, Format::Text, &msg, TextEncoding::Utf8, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "evil/\\x1b[2J \\x1b]0;pwned\\x07line1\nline2\\x0d\n"
        );
        let mut out = Vec::new();
        write_message(&mut out, Format::Hex, &msg, TextEncoding::Utf8, None).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("evil/\\x1b[2J 1b5d"));
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg, TextEncoding::Utf8, None).unwrap();
        assert!(!out.contains(&0x1b), "JSON escapes controls itself");
    }

    #[test]
    fn json_lines_carry_mqtt5_properties_only_when_present() {
        let mut msg = Message::new("a/b", "hi", 1, false);
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg, TextEncoding::Utf8, None).unwrap();
        assert!(!String::from_utf8_lossy(&out).contains("properties"));

        msg.properties = Some(Box::new(MessageProperties {
            content_type: Some("text/plain".into()),
            correlation_data: Some(bytes::Bytes::from_static(&[0xff, 0x01])),
            message_expiry_secs: Some(9),
            user_properties: vec![("k".into(), "v1".into()), ("k".into(), "v2".into())],
            ..MessageProperties::default()
        }));
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &msg, TextEncoding::Utf8, None).unwrap();
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

    #[test]
    fn payloads_are_read_in_the_chosen_encoding() {
        let msg = Message::new("legacy/t", &b"\xce\xc2\xb6\xc8 23.5\xff"[..], 0, false);
        let line = |format, encoding| {
            let mut out = Vec::new();
            write_message(&mut out, format, &msg, encoding, None).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(line(Format::Text, TextEncoding::Gb18030), "legacy/t 温度 23.5\\xff\n");
        assert_eq!(
            line(Format::Text, TextEncoding::Utf8),
            "legacy/t \\xce¶\\xc8 23.5\\xff\n"
        );
        // JSON carries text only when every byte was valid; otherwise the exact bytes.
        assert!(line(Format::Json, TextEncoding::Gb18030).contains("payload_base64"));
        let clean = Message::new("legacy/t", &b"\xce\xc2\xb6\xc8"[..], 0, false);
        let mut out = Vec::new();
        write_message(&mut out, Format::Json, &clean, TextEncoding::Gb18030, None).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["payload"], "温度");
    }
}
