//! The Home Assistant discovery browser's model: every retained discovery config under a
//! prefix, grouped into the devices they create, each entity with its topics, and which
//! ones are orphaned (nothing ever seen on their state or availability topics, or offline
//! for longer than a set time), plus configs whose JSON cannot be read.
//!
//! Built from a snapshot of the topic tree when the browser is shown or refreshed, not per
//! message: a home broker holds a few hundred configs, and the browser reads each once.
//! Parsing of the configs themselves (abbreviations, `~`) is
//! [`super::devices::ha_discovery::parse`].

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::TopicTree;
use super::devices::ha_discovery;

/// Home Assistant's default discovery prefix (without the trailing `/`).
pub const DEFAULT_PREFIX: &str = "homeassistant";

/// When an entity counts as orphaned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrphanRules {
    /// Offline (its availability says so) for longer than this.
    pub offline_after: Duration,
}

impl Default for OrphanRules {
    fn default() -> Self {
        Self {
            offline_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// Why an entity (or a whole device) is orphaned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orphan {
    /// Neither its state topic nor its availability topics ever had a message.
    NothingSeen,
    /// Its availability said offline this long ago, and nothing since.
    OfflineFor(Duration),
}

/// One entity a config creates.
#[derive(Clone, Debug, PartialEq)]
pub struct HaEntity {
    pub component: String,
    pub object_id: String,
    pub name: Option<String>,
    pub unique_id: Option<String>,
    pub config_topic: String,
    pub state_topic: Option<String>,
    pub command_topic: Option<String>,
    pub availability_topics: Vec<String>,
    pub orphan: Option<Orphan>,
}

impl HaEntity {
    /// Its name, else its object id.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.object_id)
    }
}

/// One device: the entities whose configs share its identifiers, connections or name.
#[derive(Clone, Debug, PartialEq)]
pub struct HaDevice {
    /// What groups the entities (`identifiers`, else `connections`, else name, else node).
    pub key: String,
    pub name: String,
    pub entities: Vec<HaEntity>,
}

impl HaDevice {
    /// Orphaned when every entity is: the device as a whole left nothing behind but
    /// configs. The reason is the first entity's.
    pub fn orphan(&self) -> Option<Orphan> {
        let first = self.entities.first()?.orphan?;
        self.entities.iter().all(|e| e.orphan.is_some()).then_some(first)
    }
}

/// A config whose payload is not a JSON object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenConfig {
    pub topic: String,
    /// Why, in words (serde_json's message: line, column and what was expected).
    pub error: String,
}

/// The counts shown in the browser's header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiscoveryCounts {
    pub devices: usize,
    pub entities: usize,
    /// Orphaned entities plus broken configs.
    pub orphaned: usize,
}

/// What was last seen on a topic: when, and the payload as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub at: SystemTime,
    pub payload: String,
}

/// Every discovery config under a prefix, as devices with entities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiscoveryIndex {
    pub devices: Vec<HaDevice>,
    pub broken: Vec<BrokenConfig>,
}

impl DiscoveryIndex {
    /// Reads the configs under `prefix` in `tree` and judges them at `now`.
    pub fn from_tree(tree: &TopicTree, prefix: &str, rules: OrphanRules, now: SystemTime) -> Self {
        let Some(root) = tree.find(prefix) else {
            return Self::default();
        };
        let configs = tree.iter_subtree(root).filter_map(|id| {
            if tree.name(id) != "config" {
                return None;
            }
            let msg = tree.last_message(id)?;
            Some((tree.full_topic(id), msg.payload.to_vec()))
        });
        let seen = |topic: &str| {
            let msg = tree.last_message(tree.find(topic)?)?;
            Some(Seen {
                at: msg.time(),
                payload: String::from_utf8_lossy(&msg.payload).into_owned(),
            })
        };
        Self::build(configs, prefix, &seen, rules, now)
    }

    /// The index of `configs` (topic, payload); `seen` says what a topic last carried.
    /// Empty payloads are removals and skipped; topics not shaped like a config too.
    pub fn build(
        configs: impl IntoIterator<Item = (String, Vec<u8>)>,
        prefix: &str,
        seen: &dyn Fn(&str) -> Option<Seen>,
        rules: OrphanRules,
        now: SystemTime,
    ) -> Self {
        let mut index = Self::default();
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        for (topic, payload) in configs {
            if payload.is_empty() {
                continue;
            }
            let Some((component, node, object)) = config_levels(&topic, prefix) else {
                continue;
            };
            // Owned: the topic moves into the entity below.
            let (component, node, object) = (component.to_owned(), node.map(str::to_owned), object.to_owned());
            let node = node.as_deref();
            let object = object.as_str();
            let raw: Value = match serde_json::from_slice(&payload) {
                Ok(Value::Object(map)) => Value::Object(map),
                Ok(_) => {
                    index.broken.push(BrokenConfig {
                        topic,
                        error: crate::tr!("ha-broken-not-object"),
                    });
                    continue;
                }
                Err(e) => {
                    index.broken.push(BrokenConfig {
                        topic,
                        error: crate::tr!("ha-broken-json", reason = e.to_string()),
                    });
                    continue;
                }
            };
            // `parse` knows only Home Assistant's default prefix.
            let canonical = format!("{}{component}/{}{object}/config", ha_discovery::PREFIX, node_part(node));
            let Some(parsed) = ha_discovery::parse(&canonical, &payload) else {
                continue;
            };
            let (key, device_name) = device_key(&raw, node, object);
            let mut entity = HaEntity {
                component: component.clone(),
                object_id: object.to_owned(),
                name: parsed.name,
                unique_id: text_of(&raw, &["unique_id", "uniq_id"]),
                config_topic: topic,
                state_topic: parsed.state_topic,
                command_topic: parsed.command_topic,
                availability_topics: Vec::new(),
                orphan: None,
            };
            entity.orphan = judge(&entity, &parsed.availability, seen, rules, now);
            entity.availability_topics = parsed.availability.into_iter().map(|(t, _, _)| t).collect();
            let i = *by_key.entry(key.clone()).or_insert_with(|| {
                index.devices.push(HaDevice {
                    key,
                    name: device_name.clone().unwrap_or_else(|| node.unwrap_or(object).to_owned()),
                    entities: Vec::new(),
                });
                index.devices.len() - 1
            });
            index.devices[i].entities.push(entity);
        }
        index
            .devices
            .sort_by(|a, b| super::natural_cmp(&a.name, &b.name).then_with(|| a.key.cmp(&b.key)));
        for d in &mut index.devices {
            d.entities.sort_by(|a, b| a.config_topic.cmp(&b.config_topic));
        }
        index.broken.sort_by(|a, b| a.topic.cmp(&b.topic));
        index
    }

    pub fn counts(&self) -> DiscoveryCounts {
        let entities = self.devices.iter().map(|d| d.entities.len()).sum();
        let orphaned = self
            .devices
            .iter()
            .flat_map(|d| &d.entities)
            .filter(|e| e.orphan.is_some())
            .count();
        DiscoveryCounts {
            devices: self.devices.len(),
            entities,
            orphaned: orphaned + self.broken.len(),
        }
    }

    /// The config topics of every orphaned entity and every broken config.
    pub fn orphan_config_topics(&self) -> Vec<String> {
        self.devices
            .iter()
            .flat_map(|d| &d.entities)
            .filter(|e| e.orphan.is_some())
            .map(|e| e.config_topic.clone())
            .chain(self.broken.iter().map(|b| b.topic.clone()))
            .collect()
    }
}

/// `(component, node, object)` of `<prefix>/<component>/[<node>/]<object>/config`.
fn config_levels<'a>(topic: &'a str, prefix: &str) -> Option<(&'a str, Option<&'a str>, &'a str)> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('/')?.strip_suffix("/config")?;
    let levels: Vec<&str> = rest.split('/').collect();
    match levels.as_slice() {
        [c, n, o] => Some((*c, Some(*n), *o)),
        [c, o] => Some((*c, None, *o)),
        _ => None,
    }
}

fn node_part(node: Option<&str>) -> String {
    node.map(|n| format!("{n}/")).unwrap_or_default()
}

/// The first of `keys` holding a string (or a number, for ids) in `map`.
fn text_of(map: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// What groups an entity into a device, and the device's name. Home Assistant joins
/// entities by any shared identifier or connection; the first one is enough here, as
/// firmware repeats the same device block in every config.
fn device_key(raw: &Value, node: Option<&str>, object: &str) -> (String, Option<String>) {
    let device = raw.get("device").or_else(|| raw.get("dev"));
    let name = device.and_then(|d| text_of(d, &["name"]));
    let ids = device.and_then(|d| d.get("identifiers").or_else(|| d.get("ids")));
    let first_id = match ids {
        Some(Value::Array(a)) => a.iter().find_map(scalar),
        Some(v) => scalar(v),
        None => None,
    };
    if let Some(id) = first_id {
        return (format!("id:{id}"), name);
    }
    let connection = device
        .and_then(|d| d.get("connections").or_else(|| d.get("cns")))
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(Value::as_array)
        .map(|pair| pair.iter().filter_map(scalar).collect::<Vec<_>>().join(":"))
        .filter(|c| !c.is_empty());
    if let Some(c) = connection {
        return (format!("cn:{c}"), name);
    }
    if let Some(n) = &name {
        return (format!("name:{n}"), name);
    }
    (format!("node:{}", node.unwrap_or(object)), None)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The orphan rules for one entity. The newest availability message decides when there
/// is one; else any message on the state topic means the device is there. An entity
/// with neither topic (a bare button) cannot be judged and is not called an orphan.
fn judge(
    entity: &HaEntity,
    availability: &[(String, String, String)],
    seen: &dyn Fn(&str) -> Option<Seen>,
    rules: OrphanRules,
    now: SystemTime,
) -> Option<Orphan> {
    let newest = availability
        .iter()
        .filter_map(|(t, _, off)| seen(t).map(|s| (s, off)))
        .max_by_key(|(s, _)| s.at);
    if let Some((s, off)) = newest {
        if s.payload.trim() != off.as_str() {
            return None;
        }
        // A clock set back makes the age zero, never an error.
        let age = now.duration_since(s.at).unwrap_or_default();
        return (age > rules.offline_after).then_some(Orphan::OfflineFor(age));
    }
    match &entity.state_topic {
        Some(t) if seen(t).is_some() => None,
        None if availability.is_empty() => None,
        _ => Some(Orphan::NothingSeen),
    }
}

#[cfg(test)]
#[path = "ha_browser_tests.rs"]
mod tests;
