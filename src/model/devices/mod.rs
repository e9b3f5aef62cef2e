//! Devices: the fleet as users think of it, recognised from the topics and payloads of
//! the public conventions: [`tasmota`], [`esphome`], [`zigbee2mqtt`], Home Assistant
//! discovery ([`ha_discovery`]) and plain last wills ([`last_will`]). [`Devices`] is fed
//! message by message per connection and keeps one [`Device`] each: availability and
//! since when, last seen, usual interval, rate, key readings, topics and the commands
//! its convention defines; [`health`] judges silent and flapping against an explicit
//! clock (seconds since the Unix epoch); [`collisions`] names client ids that kick each
//! other off, from the broker's `$SYS` notices and from last wills flapping in step.
//!
//! Per message the cost is a few hash lookups and prefix checks, never a walk of the
//! tree or of the devices; memory is bounded by [`MAX_DEVICES`] and the caps in
//! [`device`].

pub mod collisions;
pub mod device;
pub mod esphome;
pub mod ha_discovery;
pub mod health;
mod json_readings;
pub mod last_will;
pub mod recognise;
pub mod tasmota;
pub mod timeline;
pub mod user_rule;
pub mod zigbee2mqtt;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use collisions::{Collision, CollisionRules, Collisions, Evidence};
pub use device::{Device, DeviceReading};
pub use health::{Health, HealthRules};
pub use recognise::{DeviceCommand, Hit, Kind};
pub use user_rule::{RuleError, UserRule};

/// Most devices kept per connection; messages for further ones are not attributed.
pub const MAX_DEVICES: usize = 2_000;
/// Most topics with a known owner (discovery state and availability topics).
const MAX_OWNED_TOPICS: usize = 20_000;
/// Levels of a topic tried as a device's root (`esp32/a1b2c3/…`).
const ROOT_LEVELS: usize = 4;

/// Why a topic is known to belong to a device (from a discovery config).
#[derive(Clone, Debug)]
struct Owned {
    device: usize,
    /// The availability payloads, when the topic is an availability topic.
    availability: Option<(String, String)>,
    /// The entity's name, for a reading or state on this topic.
    label: Option<String>,
}

/// A health change worth announcing.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthEvent {
    pub name: String,
    pub health: Health,
}

/// How many devices, and how many are in trouble.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub total: usize,
    pub online: usize,
    pub offline: usize,
    pub silent: usize,
    pub flapping: usize,
}

impl Counts {
    /// Counts one device of health `h` (the total is set by the caller).
    pub fn add(&mut self, h: Health) {
        match h {
            Health::Online => self.online += 1,
            Health::Offline => self.offline += 1,
            Health::Silent => self.silent += 1,
            Health::Flapping => self.flapping += 1,
            Health::Unknown => {}
        }
    }
}

/// Every device of one connection.
#[derive(Debug, Default)]
pub struct Devices {
    devices: Vec<Device>,
    /// Device key (and discovery aliases `ha:<id>`) to index.
    index: HashMap<String, usize>,
    /// Topic roots of last-will and ESPHome devices.
    roots: HashMap<String, usize>,
    owned: HashMap<String, Owned>,
    rules: HealthRules,
    /// The health last announced per device (None until first judged).
    announced: Vec<Option<Health>>,
    /// Client-id collisions, fed by `$SYS` messages and live availability changes only.
    collisions: Collisions,
    /// The user's own patterns, tried before the conventions.
    user_rules: Vec<UserRule>,
}

impl Devices {
    pub fn new(rules: HealthRules) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    pub fn rules(&self) -> &HealthRules {
        &self.rules
    }

    /// New thresholds: every device is judged by them from now on.
    pub fn set_rules(&mut self, rules: HealthRules) {
        self.rules = rules;
    }

    pub fn user_rules(&self) -> &[UserRule] {
        &self.user_rules
    }

    /// The user's patterns; messages already received are not re-read here (the caller
    /// feeds the tree's last messages again when it wants them attributed).
    pub fn set_user_rules(&mut self, rules: Vec<UserRule>) {
        self.user_rules = rules;
    }

    pub fn devices(&self) -> &[Device] {
        &self.devices
    }

    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// The device with `name` (its shown name) or key.
    pub fn find(&self, name: &str) -> Option<&Device> {
        self.index
            .get(name)
            .map(|&i| &self.devices[i])
            .or_else(|| self.devices.iter().find(|d| d.name == name))
    }

    pub fn clear(&mut self) {
        let collision_rules = *self.collisions.rules();
        let user_rules = std::mem::take(&mut self.user_rules);
        *self = Self::new(self.rules);
        self.collisions = Collisions::new(collision_rules);
        self.user_rules = user_rules;
    }

    pub fn collisions(&self) -> &Collisions {
        &self.collisions
    }

    pub fn collisions_mut(&mut self) -> &mut Collisions {
        &mut self.collisions
    }

    /// One message at `now` (seconds since the epoch). Retained messages set state and
    /// readings but are not the device speaking now, so they leave last seen and the
    /// rhythm alone.
    pub fn ingest(&mut self, topic: &str, payload: &[u8], retain: bool, now: f64) {
        if topic.starts_with('$') || topic.is_empty() {
            if topic.starts_with("$SYS/") {
                self.collisions.sys_message(topic, payload, now);
            }
            return;
        }
        if !self.user_rules.is_empty()
            && let Some(hit) = user_rule::recognise_any(&self.user_rules, topic, payload)
        {
            self.apply(hit, topic, retain, now);
            return;
        }
        if let Some(owned) = self.owned.get(topic).cloned() {
            self.owned_message(&owned, topic, payload, retain, now);
            return;
        }
        let hits = recognise_topic(topic, payload);
        if !hits.is_empty() {
            for hit in hits {
                self.apply(hit, topic, retain, now);
            }
            return;
        }
        if let Some(entity) = ha_discovery::parse(topic, payload) {
            self.discovered(entity, topic);
            return;
        }
        if let Some(i) = self.root_of(topic) {
            let mut hit = Hit::new(self.devices[i].kind, self.devices[i].id.clone());
            if recognise::json_readings(payload, &mut hit).is_none()
                && let Some(x) = recognise::plain_number(payload)
            {
                let label = topic.get(self.devices[i].id.len() + 1..).unwrap_or(topic);
                hit.readings.push((label.to_owned(), x));
            }
            self.apply(hit, topic, retain, now);
        }
    }

    /// The device whose root is a prefix of `topic` at a level boundary.
    fn root_of(&self, topic: &str) -> Option<usize> {
        if self.roots.is_empty() {
            return None;
        }
        topic
            .match_indices('/')
            .take(ROOT_LEVELS)
            .find_map(|(i, _)| self.roots.get(&topic[..i]).copied())
    }

    fn owned_message(&mut self, owned: &Owned, topic: &str, payload: &[u8], retain: bool, now: f64) {
        let d = &mut self.devices[owned.device];
        d.add_topic(topic);
        if let Some((on, off)) = &owned.availability {
            let p = String::from_utf8_lossy(payload);
            let said = if p == on.as_str() {
                Some(true)
            } else if p == off.as_str() {
                Some(false)
            } else {
                recognise::availability(payload)
            };
            if let Some(a) = said
                && d.set_available(a, now)
                && !retain
            {
                self.collisions.availability_changed(&d.name, a, now);
            }
        } else {
            let mut hit = Hit::default();
            let label = owned.label.clone().unwrap_or_else(|| topic.to_owned());
            if recognise::json_readings(payload, &mut hit).is_none() {
                let text = String::from_utf8_lossy(payload);
                if let Some(x) = recognise::plain_number(payload) {
                    hit.readings.push((label, x));
                } else if text.len() <= 24 && !text.trim().is_empty() {
                    hit.states.push((label, text.trim().to_owned()));
                }
            }
            for (k, v) in &hit.readings {
                d.add_reading(k, *v);
            }
            for (k, v) in &hit.states {
                d.set_state(k, v);
            }
        }
        if !retain {
            d.heard(now);
            d.answered(topic, now);
        }
    }

    /// The device for `key`, created (if there is room) with `kind`.
    fn device_for(&mut self, key: &str, kind: Kind) -> Option<usize> {
        if let Some(&i) = self.index.get(key) {
            let d = &mut self.devices[i];
            if kind.rank() > d.kind.rank() {
                d.kind = kind;
            }
            return Some(i);
        }
        if self.devices.len() >= MAX_DEVICES {
            return None;
        }
        let i = self.devices.len();
        self.devices.push(Device::new(key, kind));
        self.announced.push(None);
        self.index.insert(key.to_owned(), i);
        if matches!(kind, Kind::LastWill | Kind::EspHome) {
            self.roots.insert(key.to_owned(), i);
        }
        Some(i)
    }

    fn apply(&mut self, hit: Hit, topic: &str, retain: bool, now: f64) {
        let Some(kind) = hit.kind else { return };
        let Some(i) = self.device_for(&hit.id, kind) else {
            return;
        };
        if kind == Kind::EspHome && !self.roots.contains_key(&hit.id) {
            self.roots.insert(hit.id.clone(), i);
        }
        let d = &mut self.devices[i];
        if let Some(name) = &hit.name {
            name.clone_into(&mut d.name);
        }
        d.add_topic(topic);
        if let Some(a) = hit.available
            && d.set_available(a, now)
            && !retain
        {
            self.collisions.availability_changed(&d.name, a, now);
        }
        for (k, v) in &hit.readings {
            d.add_reading(k, *v);
        }
        for (k, v) in &hit.states {
            d.set_state(k, v);
        }
        for c in &hit.commands {
            d.add_command(c);
        }
        if hit.from_device && !retain {
            d.heard(now);
            d.answered(topic, now);
        }
    }

    /// A discovery config: its entity joins the device that owns its availability
    /// topic or the root of its topics, else a device of its own.
    fn discovered(&mut self, e: ha_discovery::Entity, config_topic: &str) {
        let alias = format!("ha:{}", e.device_id);
        let owner_of = |t: &String| self.owned.get(t).map(|o| o.device).or_else(|| self.root_of(t));
        let existing = self
            .index
            .get(&alias)
            .copied()
            .or_else(|| e.availability.iter().find_map(|(t, _, _)| owner_of(t)))
            .or_else(|| e.state_topic.as_ref().and_then(owner_of));
        let i = match existing {
            Some(i) => {
                if self.devices[i].kind.rank() < Kind::HaDiscovery.rank() {
                    self.devices[i].kind = Kind::HaDiscovery;
                }
                i
            }
            None => {
                // The root of its availability topic is where its other topics live.
                // A state topic's parent serves when it is specific enough (two levels).
                let root = e
                    .availability
                    .first()
                    .and_then(|(t, _, _)| t.rsplit_once('/'))
                    .map(|(r, _)| r)
                    .or_else(|| {
                        let parent = e.state_topic.as_deref()?.rsplit_once('/')?.0;
                        parent.contains('/').then_some(parent)
                    });
                let key = root.map_or_else(|| alias.clone(), str::to_owned);
                let Some(i) = self.device_for(&key, Kind::HaDiscovery) else {
                    return;
                };
                if root.is_some() {
                    self.roots.insert(key, i);
                }
                i
            }
        };
        // Aliases are bounded like the devices (a flood of configs cannot grow it).
        if self.index.len() < 2 * MAX_DEVICES {
            self.index.entry(alias).or_insert(i);
        }
        let d = &mut self.devices[i];
        if let Some(name) = &e.device_name
            && d.name == d.id
        {
            name.clone_into(&mut d.name);
        }
        d.add_topic(config_topic);
        for c in &e.commands {
            d.add_command(c);
        }
        if self.owned.len() >= MAX_OWNED_TOPICS {
            return;
        }
        for (t, on, off) in e.availability {
            self.owned.insert(
                t,
                Owned {
                    device: i,
                    availability: Some((on, off)),
                    label: None,
                },
            );
        }
        if let Some(t) = e.state_topic {
            self.owned.entry(t).or_insert(Owned {
                device: i,
                availability: None,
                label: e.name,
            });
        }
    }

    /// A command was published to device `key` (its id or name) on `topic` at `now`.
    pub fn command_sent(&mut self, key: &str, topic: &str, now: f64) {
        let i = self
            .index
            .get(key)
            .copied()
            .or_else(|| self.devices.iter().position(|d| d.name == key));
        if let Some(i) = i {
            self.devices[i].command_sent(topic, now);
        }
    }

    /// Counts at `now`.
    pub fn counts(&self, now: f64) -> Counts {
        let mut c = Counts {
            total: self.devices.len(),
            ..Counts::default()
        };
        for d in &self.devices {
            c.add(d.health(now, &self.rules));
        }
        c
    }

    /// Devices whose health turned bad (offline, silent, flapping) since the last call.
    /// A device's first verdict is its baseline: a fleet that was already offline when
    /// we connected is shown, not announced.
    pub fn health_events(&mut self, now: f64) -> Vec<HealthEvent> {
        let mut events = Vec::new();
        for (d, announced) in self.devices.iter().zip(self.announced.iter_mut()) {
            let h = d.health(now, &self.rules);
            let before = announced.replace(h);
            if before.is_some_and(|b| b != h) && matches!(h, Health::Offline | Health::Silent | Health::Flapping) {
                events.push(HealthEvent {
                    name: d.name.clone(),
                    health: h,
                });
            }
        }
        events
    }
}

/// The conventions with their own topic shapes, cheapest checks first.
fn recognise_topic(topic: &str, payload: &[u8]) -> Vec<Hit> {
    let first = topic.split('/').next().unwrap_or("");
    match first {
        "tele" | "stat" | "cmnd" => {
            return tasmota::recognise(topic, payload)
                .map(|mut h| {
                    h.name = Some(h.id.clone());
                    h.id = format!("tasmota:{}", h.id);
                    h
                })
                .into_iter()
                .collect();
        }
        zigbee2mqtt::BASE => {
            return zigbee2mqtt::recognise(topic, payload)
                .into_iter()
                .map(|mut h| {
                    h.name = Some(h.id.clone());
                    h.id = format!("{}/{}", zigbee2mqtt::BASE, h.id);
                    h
                })
                .collect();
        }
        "homeassistant" => return Vec::new(),
        _ => {}
    }
    esphome::recognise(topic, payload)
        .or_else(|| last_will::recognise(topic, payload))
        .into_iter()
        .collect()
}
