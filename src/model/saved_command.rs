//! A saved command: a named publish (topic, payload, format, QoS, retain, MQTT 5
//! properties, and an optional reply to wait for), kept in collections with the
//! connection profile, with [variables](super::template) filled each time it is sent.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::MessageProperties;
use super::payload_format::PayloadFormat;
use super::template::{FillContext, Template, user_variables_of};

/// How long a reply is waited for when the command does not say.
pub const DEFAULT_REPLY_TIMEOUT_SECS: u32 = 10;

/// MQTT 5 properties as saved (empty fields are not sent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedProperties {
    pub content_type: String,
    pub response_topic: String,
    /// Sent as the UTF-8 bytes of the text; variables allowed (`{{uuid}}`).
    pub correlation_data: String,
    pub message_expiry_secs: Option<u32>,
    pub user_properties: Vec<(String, String)>,
}

/// Wait for a reply: the MQTT 5 way (a response topic and correlation data) needs no
/// setting; this is for devices that answer on a fixed topic (Tasmota's `stat/…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyWait {
    /// A topic filter; wildcards allowed.
    pub topic: String,
    pub timeout_secs: u32,
}

impl Default for ReplyWait {
    fn default() -> Self {
        Self {
            topic: String::new(),
            timeout_secs: DEFAULT_REPLY_TIMEOUT_SECS,
        }
    }
}

/// A named publish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedCommand {
    /// Unique within its collection.
    pub name: String,
    /// The collection it is listed under; empty for none.
    pub collection: String,
    /// The topic; variables allowed.
    pub topic: String,
    /// The payload as typed; variables allowed.
    pub payload: String,
    /// "text", "json" or "hex" (see [`PayloadFormat`]).
    pub format: String,
    pub qos: u8,
    pub retain: bool,
    /// Sent only on an MQTT 5 connection.
    pub properties: Option<SavedProperties>,
    /// Wait for a reply on a topic after sending.
    pub reply: Option<ReplyWait>,
    /// A keyboard shortcut such as "Ctrl+Alt+1" (see `ui::command_keys`).
    pub shortcut: Option<String>,
    /// The last values given to its user variables, offered again next time.
    pub values: BTreeMap<String, String>,
}

/// A command ready to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub topic: String,
    pub payload: Bytes,
    pub qos: u8,
    pub retain: bool,
    /// `None` unless sent on MQTT 5 with properties set.
    pub properties: Option<Box<MessageProperties>>,
    /// Where and how long to wait for a reply, if anywhere.
    pub reply: Option<(String, Duration)>,
}

impl SavedCommand {
    /// "collection / name", or the name alone.
    pub fn full_name(&self) -> String {
        if self.collection.is_empty() {
            self.name.clone()
        } else {
            format!("{} / {}", self.collection, self.name)
        }
    }

    /// True when `query` names it: its name, or "collection/name" (spaces around the
    /// slash optional).
    pub fn is_named(&self, query: &str) -> bool {
        let q = query.trim();
        if q == self.name {
            return true;
        }
        match q.split_once('/') {
            Some((c, n)) => c.trim() == self.collection && n.trim() == self.name,
            None => false,
        }
    }

    /// The user variables of its topic, payload and correlation data, in order.
    pub fn user_variables(&self) -> Vec<String> {
        let correlation = self.properties.as_ref().map_or("", |p| p.correlation_data.as_str());
        user_variables_of(&[&self.topic, &self.payload, correlation])
    }

    /// Fills the variables (`counter`: this send's number, from 1; user values from
    /// `values`, else the saved ones) and encodes the payload. `mqtt5`: the connection
    /// speaks MQTT 5 (otherwise no properties are sent).
    pub fn prepare(&self, counter: u64, values: &BTreeMap<String, String>, mqtt5: bool) -> Result<Prepared, String> {
        let mut all = self.values.clone();
        all.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        let ctx = FillContext {
            counter,
            values: &all,
            now: SystemTime::now(),
        };
        let fill = |text: &str| -> Result<String, String> {
            Template::parse(text)
                .and_then(|t| t.fill(&ctx))
                .map_err(|e| e.to_string())
        };
        let topic = fill(&self.topic)?;
        crate::profiles::validate_publish_topic(&topic).map_err(|e| e.to_string())?;
        let payload = PayloadFormat::from_name(&self.format).encode(&fill(&self.payload)?)?;
        if self.qos > 2 {
            return Err(crate::tr!("cmd-bad-qos", qos = self.qos));
        }
        let properties = match (&self.properties, mqtt5) {
            (Some(p), true) => {
                let response_topic = Some(fill(p.response_topic.trim())?).filter(|t| !t.is_empty());
                if let Some(t) = &response_topic {
                    crate::profiles::validate_publish_topic(t).map_err(|e| e.to_string())?;
                }
                let correlation = fill(&p.correlation_data)?;
                let props = MessageProperties {
                    content_type: Some(p.content_type.trim().to_owned()).filter(|t| !t.is_empty()),
                    response_topic,
                    correlation_data: (!correlation.is_empty()).then(|| Bytes::from(correlation.into_bytes())),
                    message_expiry_secs: p.message_expiry_secs,
                    payload_format_utf8: None,
                    user_properties: p
                        .user_properties
                        .iter()
                        .filter(|(k, _)| !k.trim().is_empty())
                        .cloned()
                        .collect(),
                };
                (!props.is_empty()).then(|| Box::new(props))
            }
            _ => None,
        };
        let reply = match &self.reply {
            Some(w) if !w.topic.trim().is_empty() => {
                let filter = fill(w.topic.trim())?;
                crate::profiles::validate_filter(&filter).map_err(|e| e.to_string())?;
                Some((filter, Duration::from_secs(u64::from(w.timeout_secs.max(1)))))
            }
            _ => None,
        };
        Ok(Prepared {
            topic,
            payload,
            qos: self.qos,
            retain: self.retain,
            properties,
            reply,
        })
    }
}

/// Checks a list of commands as saved: names present and unique within a collection,
/// QoS in range.
pub fn validate_commands(commands: &[SavedCommand]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for c in commands {
        if c.name.trim().is_empty() {
            return Err(crate::tr!("cmd-name-empty"));
        }
        if !seen.insert((c.collection.as_str(), c.name.as_str())) {
            return Err(crate::tr!("cmd-name-taken", name = c.full_name()));
        }
        if c.qos > 2 {
            return Err(crate::tr!("cmd-bad-qos", qos = c.qos));
        }
    }
    Ok(())
}

/// The command `query` names: an exact "collection/name" first, then a name that only
/// one command has. Errors say which names exist or which collections share the name.
pub fn find_command<'a>(commands: &'a [SavedCommand], query: &str) -> Result<&'a SavedCommand, String> {
    let matches: Vec<&SavedCommand> = commands.iter().filter(|c| c.is_named(query)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<String> = commands.iter().map(SavedCommand::full_name).collect();
            if names.is_empty() {
                Err(crate::tr!("cmd-none-saved", query = query))
            } else {
                Err(crate::tr!("cmd-not-found", query = query, names = names.join(", ")))
            }
        }
        many => {
            // The same name in several collections.
            let names: Vec<String> = many.iter().map(|c| c.full_name()).collect();
            Err(crate::tr!("cmd-ambiguous", query = query, names = names.join(", ")))
        }
    }
}

#[cfg(test)]
#[path = "saved_command_tests.rs"]
mod tests;
