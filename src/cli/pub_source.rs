//! What `topicscope pub` sends on each repeat: the message given by flags, or a saved
//! command of the profile with its variables filled anew for every send.
//!
//! Everything that can be wrong with it (an unknown command, a variable without a
//! value, a payload that is not valid JSON or hex) is found here, before connecting.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use bytes::Bytes;

use super::{PubArgs, PublishPropertyArgs};
use crate::i18n::shown;
use crate::model::MessageProperties;
use crate::model::saved_command::{DEFAULT_REPLY_TIMEOUT_SECS, Prepared, SavedCommand, SavedProperties, find_command};
use crate::profiles::{MqttVersion, Profile, validate_filter, validate_publish_topic};

/// The publishes of one `pub` run.
#[derive(Debug)]
pub enum Source {
    /// The same message every time (a plain publish).
    Fixed(Prepared),
    /// A saved command, filled for each send.
    Saved(Box<SavedSource>),
}

/// A saved command with the flags that override it.
#[derive(Debug)]
pub struct SavedSource {
    command: SavedCommand,
    values: BTreeMap<String, String>,
    mqtt5: bool,
    qos: Option<u8>,
    retain: bool,
    reply: ReplyFlags,
}

/// `--wait-reply` and `--reply-timeout`.
#[derive(Debug, Clone)]
struct ReplyFlags {
    filter: Option<String>,
    timeout_secs: Option<u32>,
}

impl ReplyFlags {
    fn from_args(args: &PubArgs) -> Result<Self, String> {
        if let Some(filter) = &args.wait_reply {
            validate_filter(filter)
                .map_err(|e| crate::tr!("cmdcli-bad-reply-filter", filter = filter.as_str(), error = shown(e)))?;
        }
        Ok(Self {
            filter: args.wait_reply.clone(),
            timeout_secs: args.reply_timeout,
        })
    }

    /// The reply wait these flags set on top of `saved` (the command's own, if any).
    fn apply(&self, saved: Option<(String, Duration)>) -> Option<(String, Duration)> {
        let timeout = |fallback: Duration| {
            self.timeout_secs
                .map_or(fallback, |s| Duration::from_secs(u64::from(s)))
        };
        let default = Duration::from_secs(u64::from(DEFAULT_REPLY_TIMEOUT_SECS));
        match (&self.filter, saved) {
            (Some(filter), saved) => Some((filter.clone(), timeout(saved.map_or(default, |(_, t)| t)))),
            (None, Some((filter, t))) => Some((filter, timeout(t))),
            (None, None) => None,
        }
    }
}

impl Source {
    /// Reads the flags (and, with `--template`, the profile's saved command). `profile`
    /// is the one the connection will use: its MQTT version decides the properties.
    pub fn from_args(args: &PubArgs, profile: &Profile) -> Result<Self, String> {
        let reply = ReplyFlags::from_args(args)?;
        let mqtt5 = profile.mqtt_version == MqttVersion::V5;
        let source = match &args.template {
            Some(name) => {
                let command = find_command(&profile.commands, name)
                    .map_err(|e| crate::tr!("cmdcli-in-profile", profile = profile.name.as_str(), error = e))?
                    .clone();
                let values: BTreeMap<String, String> = args.vars.iter().cloned().collect();
                check_values(&command, &values)?;
                if !mqtt5
                    && command
                        .properties
                        .as_ref()
                        .is_some_and(|p| *p != SavedProperties::default())
                {
                    let text = crate::tr!("cmdcli-properties-dropped", name = command.full_name());
                    eprintln!("topicscope: {}", crate::tr!("worker-cli-warning", text = text));
                }
                Self::Saved(Box::new(SavedSource {
                    command,
                    values,
                    mqtt5,
                    qos: args.qos,
                    retain: args.retain,
                    reply,
                }))
            }
            None => Self::Fixed(fixed(args, mqtt5, &reply)?),
        };
        // A first fill finds a bad payload, topic or variable now, not after connecting.
        source.prepare(1)?;
        Ok(source)
    }

    /// The publish for send number `counter` (from 1).
    pub fn prepare(&self, counter: u64) -> Result<Prepared, String> {
        match self {
            Self::Fixed(p) => Ok(p.clone()),
            Self::Saved(s) => {
                let mut p = s
                    .command
                    .prepare(counter, &s.values, s.mqtt5)
                    .map_err(|e| crate::tr!("cmdcli-cannot-prepare", name = s.command.full_name(), error = e))?;
                if let Some(q) = s.qos {
                    p.qos = q;
                }
                p.retain |= s.retain;
                p.reply = s.reply.apply(p.reply.take());
                // MQTT 5: a response topic is itself the place to wait for the answer.
                if p.reply.is_none()
                    && let Some(topic) = p.properties.as_ref().and_then(|pr| pr.response_topic.clone())
                {
                    p.reply = s.reply.apply(Some((
                        topic,
                        Duration::from_secs(u64::from(DEFAULT_REPLY_TIMEOUT_SECS)),
                    )));
                }
                Ok(p)
            }
        }
    }
}

/// Refuses a value for a variable the command does not have (a typo: `color` for
/// `colour` would otherwise send the saved value), then a missing value, naming the flag
/// to add.
fn check_values(command: &SavedCommand, values: &BTreeMap<String, String>) -> Result<(), String> {
    let wanted = command.user_variables();
    if let Some(unknown) = values.keys().find(|k| !wanted.contains(k)) {
        let known = if wanted.is_empty() {
            crate::tr!("cmdcli-no-vars")
        } else {
            wanted.join(", ")
        };
        return Err(crate::tr!(
            "cmdcli-unknown-var",
            var = unknown.as_str(),
            name = command.full_name(),
            known = known
        ));
    }
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|v| !values.contains_key(*v) && !command.values.contains_key(*v))
        .collect();
    if !missing.is_empty() {
        let flags: Vec<String> = missing.iter().map(|v| format!("--var {v}=…")).collect();
        let names: Vec<String> = missing.iter().map(|v| format!("{{{{{v}}}}}")).collect();
        return Err(crate::tr!(
            "cmdcli-missing-vars",
            n = missing.len(),
            name = command.full_name(),
            vars = names.join(", "),
            flags = flags.join(" ")
        ));
    }
    Ok(())
}

/// The message the flags describe, sent as given on every repeat.
fn fixed(args: &PubArgs, mqtt5: bool, reply: &ReplyFlags) -> Result<Prepared, String> {
    // clap requires --topic without --template.
    let topic = args.topic.clone().unwrap_or_default();
    // Refused before connecting: a wildcard or empty topic can never be published.
    validate_publish_topic(&topic)
        .map_err(|e| crate::tr!("worker-cli-cannot-publish-to", topic = topic.as_str(), error = shown(e)))?;
    let properties = properties(&args.properties, mqtt5)?;
    Ok(Prepared {
        topic,
        payload: read_payload(args)?,
        qos: args.qos.unwrap_or(0),
        retain: args.retain,
        properties,
        reply: reply.apply(None),
    })
}

/// The MQTT 5 properties the flags ask for; refused under MQTT 3.1.1, which has none.
fn properties(args: &PublishPropertyArgs, mqtt5: bool) -> Result<Option<Box<MessageProperties>>, String> {
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
    if !mqtt5 {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn led() -> SavedCommand {
        SavedCommand {
            name: "LED colour".into(),
            collection: "greenhouse".into(),
            topic: "cmnd/led/COLOR".into(),
            payload: "{{colour}} {{level}}".into(),
            values: BTreeMap::from([("level".to_owned(), "50".to_owned())]),
            ..SavedCommand::default()
        }
    }

    #[test]
    fn a_missing_value_names_the_variable_and_the_flag() {
        let err = check_values(&led(), &BTreeMap::new()).unwrap_err();
        assert!(err.contains("{{colour}}") && err.contains("--var colour="), "{err}");
        assert!(!err.contains("level"), "a saved value is not missing: {err}");
        let given = BTreeMap::from([("colour".to_owned(), "red".to_owned())]);
        assert_eq!(check_values(&led(), &given), Ok(()));
    }

    #[test]
    fn a_value_for_no_variable_is_refused() {
        let typo = BTreeMap::from([
            ("colour".to_owned(), "red".to_owned()),
            ("color".to_owned(), "red".to_owned()),
        ]);
        let err = check_values(&led(), &typo).unwrap_err();
        assert!(err.contains("color") && err.contains("colour, level"), "{err}");
    }

    #[test]
    fn reply_flags_override_the_saved_wait() {
        let flags = ReplyFlags {
            filter: None,
            timeout_secs: Some(3),
        };
        let saved = Some(("stat/#".to_owned(), Duration::from_secs(10)));
        assert_eq!(flags.apply(saved), Some(("stat/#".to_owned(), Duration::from_secs(3))));
        assert_eq!(flags.apply(None), None);
        let flags = ReplyFlags {
            filter: Some("a/b".into()),
            timeout_secs: None,
        };
        assert_eq!(flags.apply(None), Some(("a/b".to_owned(), Duration::from_secs(10))));
    }
}
