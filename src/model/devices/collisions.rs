//! Client-id collisions: two boards flashed with one client id kick each other off the
//! broker in a loop. Detected from what the broker says about takeovers, and suspected
//! from two devices' last wills flapping in step.
//!
//! Evidence, each on its own path so the per-message cost stays on `$SYS` topics and
//! availability changes only (never every message):
//! - mosquitto with `log_dest topic`: a line on `$SYS/broker/log/<level>` reading
//!   `<time>: Client <id> already connected, closing old connection.` (captured from
//!   mosquitto 2.0.11 into `tests/data/mosquitto_takeover_log.txt`; 2.0 logs it at level
//!   E, older versions at N, so the level is not checked);
//! - EMQX: `$SYS/brokers/<node>/clients/<id>/disconnected` with a JSON payload whose
//!   `reason` is `takenover` or `discarded` (the old session ended by a new connection
//!   with the same id; EMQX 4 spelled it `takeovered`). Shape from EMQX's "System Topic"
//!   documentation (docs.emqx.com/en/emqx/latest/observability/mqtt-system-topics.html);
//! - the embedded broker: its front sees every CONNECT and reports a takeover in-process
//!   (`broker::ServedBroker::takeovers`, fed in by `AppState`), since rumqttd routes no
//!   `$` topic;
//! - suspected: device A goes offline within a few seconds of device B coming online and
//!   then the other way round, repeatedly. Only live (not retained) changes count, so
//!   the burst of retained last wills at subscribe time is not mistaken for a swap.
//!
//! One takeover alone is not a collision: a board that resets before the broker noticed
//! its old connection is dead causes one too. A collision is [`CollisionRules::takeovers`]
//! takeovers within [`CollisionRules::window_secs`].

use std::collections::{HashMap, VecDeque};

/// Collisions kept per connection (the least recently seen goes first).
pub const MAX_COLLISIONS: usize = 256;
/// Takeover times kept per collision.
const TAKEOVERS_MAX: usize = 64;
/// Recent availability changes kept for the in-step pattern.
const TRANSITIONS_MAX: usize = 64;
/// Devices seen changing near a client id's takeovers, kept per collision.
const NEAR_MAX: usize = 8;
/// A device that changed availability near this many takeovers of one client id is
/// taken to be one of the boards using it.
const NEAR_TAKEOVERS: u32 = 2;

/// Where a collision was learnt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Evidence {
    /// mosquitto's log on `$SYS/broker/log/#` ("already connected, closing old connection").
    MosquittoLog,
    /// EMQX's `$SYS/brokers/+/clients/+/disconnected` event with reason takenover/discarded.
    EmqxEvent,
    /// The embedded broker's front (in-process: the window's local broker and demo).
    EmbeddedBroker,
    /// Two devices' last wills flapping in step: a suspicion, not a broker's word.
    LastWillsInStep,
}

impl Evidence {
    /// True when no broker said so (the pattern only suggests it).
    pub fn suspected(self) -> bool {
        self == Self::LastWillsInStep
    }
}

/// The thresholds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CollisionRules {
    /// A collision needs at least this many takeovers (or swaps) ...
    pub takeovers: usize,
    /// ... within this many seconds.
    pub window_secs: f64,
    /// Two devices' changes at most this far apart are one swap.
    pub step_secs: f64,
}

impl Default for CollisionRules {
    fn default() -> Self {
        Self {
            takeovers: 3,
            window_secs: 600.0,
            step_secs: 5.0,
        }
    }
}

/// One client id (or one suspected pair of devices) and its takeovers.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Collision {
    /// The client id the broker named; None for a suspicion from last wills.
    pub client_id: Option<String>,
    /// The devices' names: the suspected pair, or for a broker's takeovers the devices
    /// whose live availability changed within a step of at least two of them (a broker
    /// names the client id, not the topics it publishes).
    pub devices: Vec<String>,
    pub evidence: Evidence,
    /// First and last takeover seen, seconds since the epoch.
    pub first_secs: f64,
    pub last_secs: f64,
    /// Takeovers seen since we connected.
    pub total: u64,
    #[serde(skip)]
    times: VecDeque<f64>,
    /// For a pair: which of the two was left online by each swap (true: the first).
    #[serde(skip)]
    winners: VecDeque<(f64, bool)>,
    #[serde(skip)]
    announced: bool,
    /// Devices that changed near a takeover, and how many times.
    #[serde(skip)]
    near: Vec<(String, u32)>,
}

impl Collision {
    fn new(client_id: Option<String>, devices: Vec<String>, evidence: Evidence, now: f64) -> Self {
        Self {
            client_id,
            devices,
            evidence,
            first_secs: now,
            last_secs: now,
            total: 0,
            times: VecDeque::new(),
            winners: VecDeque::new(),
            announced: false,
            near: Vec::new(),
        }
    }

    /// `device` changed availability near one of this client id's takeovers.
    fn seen_near(&mut self, device: &str) {
        let count = if let Some((_, n)) = self.near.iter_mut().find(|(d, _)| d == device) {
            *n += 1;
            *n
        } else if self.near.len() < NEAR_MAX {
            self.near.push((device.to_owned(), 1));
            1
        } else {
            return;
        };
        if count == NEAR_TAKEOVERS && self.devices.len() < NEAR_MAX {
            self.devices.push(device.to_owned());
        }
    }

    fn takeover(&mut self, now: f64) {
        self.total += 1;
        self.last_secs = now;
        if self.times.len() >= TAKEOVERS_MAX {
            self.times.pop_front();
        }
        self.times.push_back(now);
    }

    /// Takeovers within the last `window_secs` before `now`.
    pub fn takeovers_within(&self, now: f64, window_secs: f64) -> usize {
        self.times.iter().rev().take_while(|&&t| now - t <= window_secs).count()
    }

    /// Whether it counts as a collision now. A pair also needs each device to have been
    /// the one left online at least twice: a fleet-wide reconnect after a broker restart
    /// swaps pairs one way only.
    pub fn active(&self, now: f64, rules: &CollisionRules) -> bool {
        if self.takeovers_within(now, rules.window_secs) < rules.takeovers {
            return false;
        }
        if !self.evidence.suspected() {
            return true;
        }
        let recent = self.winners.iter().filter(|(t, _)| now - t <= rules.window_secs);
        let (first, second) = recent.fold((0, 0), |(a, b), &(_, w)| if w { (a + 1, b) } else { (a, b + 1) });
        first >= 2 && second >= 2
    }

    /// What to call it: the client id, or the suspected pair "a, b".
    pub fn label(&self) -> String {
        self.client_id.clone().unwrap_or_else(|| self.devices.join(", "))
    }

    /// Whether this collision concerns the device with `name` and `id`: named in the
    /// pair, or the broker's client id is the device's name, id or the id's last part
    /// (`tasmota:plug` → `plug`), compared without case.
    pub fn concerns(&self, name: &str, id: &str) -> bool {
        if self.devices.iter().any(|d| d == name) {
            return true;
        }
        let Some(cid) = &self.client_id else { return false };
        let tail = id.rsplit([':', '/']).next().unwrap_or(id);
        [name, id, tail].iter().any(|s| s.eq_ignore_ascii_case(cid))
    }
}

/// A live availability change, for the in-step pattern.
#[derive(Clone, Debug)]
struct Transition {
    device: String,
    online: bool,
    at: f64,
}

/// Every collision of one connection.
#[derive(Debug, Default)]
pub struct Collisions {
    rules: CollisionRules,
    /// Keyed by client id, or by `"\u{0}a\u{0}b"` for a suspected pair (a < b).
    by_key: HashMap<String, Collision>,
    recent: VecDeque<Transition>,
}

impl Collisions {
    pub fn new(rules: CollisionRules) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    pub fn rules(&self) -> &CollisionRules {
        &self.rules
    }

    /// A `$SYS` message at `now`; anything but a takeover notice is ignored after a
    /// prefix check.
    pub fn sys_message(&mut self, topic: &str, payload: &[u8], now: f64) {
        if let Some(id) = mosquitto_takeover(topic, payload) {
            self.takeover(id, Evidence::MosquittoLog, now);
        } else if let Some(id) = emqx_takeover(topic, payload) {
            self.takeover(id, Evidence::EmqxEvent, now);
        }
    }

    /// A takeover of `client_id` at `now` reported by the broker.
    pub fn takeover(&mut self, client_id: String, evidence: Evidence, now: f64) {
        if !self.by_key.contains_key(&client_id) {
            self.make_room();
        }
        let step = self.rules.step_secs;
        let c = self
            .by_key
            .entry(client_id.clone())
            .or_insert_with(|| Collision::new(Some(client_id), Vec::new(), evidence, now));
        c.takeover(now);
        // The devices whose last will or birth came just before the broker's word.
        let mut seen: Vec<&str> = Vec::new();
        for t in self.recent.iter().rev().take_while(|t| now - t.at <= step) {
            if !seen.contains(&t.device.as_str()) {
                seen.push(&t.device);
                c.seen_near(&t.device);
            }
        }
    }

    fn make_room(&mut self) {
        if self.by_key.len() < MAX_COLLISIONS {
            return;
        }
        let oldest = self
            .by_key
            .iter()
            .min_by(|a, b| a.1.last_secs.total_cmp(&b.1.last_secs))
            .map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            self.by_key.remove(&k);
        }
    }

    /// A device's live (not retained) availability change at `now`. When another
    /// device changed the opposite way within `step_secs` and its change is its latest,
    /// the two swapped places: one swap of a suspected pair.
    pub fn availability_changed(&mut self, device: &str, online: bool, now: f64) {
        let step = self.rules.step_secs;
        while self.recent.front().is_some_and(|t| now - t.at > step) || self.recent.len() >= TRANSITIONS_MAX {
            self.recent.pop_front();
        }
        let mut latest_seen: Vec<&str> = Vec::new();
        let mut partner = None;
        for t in self.recent.iter().rev() {
            if t.device == device || latest_seen.contains(&t.device.as_str()) {
                continue;
            }
            latest_seen.push(&t.device);
            if t.online != online {
                partner = Some(t.device.clone());
                break;
            }
        }
        self.recent.push_back(Transition {
            device: device.to_owned(),
            online,
            at: now,
        });
        // The broker's word may come first: a change just after a takeover belongs to
        // it too (once per takeover and device: not when it changed around it already).
        for c in self.by_key.values_mut().filter(|c| !c.evidence.suspected()) {
            let after = c.last_secs;
            if (0.0..=step).contains(&(now - after))
                && !self
                    .recent
                    .iter()
                    .rev()
                    .skip(1)
                    .take_while(|t| t.at >= after - step)
                    .any(|t| t.device == device)
            {
                c.seen_near(device);
            }
        }
        let Some(other) = partner else { return };
        let (a, b) = if device < other.as_str() {
            (device.to_owned(), other)
        } else {
            (other, device.to_owned())
        };
        // Which one the swap left online: the device now online.
        let first_won = (a == device) == online;
        let key = format!("\u{0}{a}\u{0}{b}");
        if !self.by_key.contains_key(&key) {
            self.make_room();
        }
        let c = self
            .by_key
            .entry(key)
            .or_insert_with(|| Collision::new(None, vec![a, b], Evidence::LastWillsInStep, now));
        c.takeover(now);
        if c.winners.len() >= TAKEOVERS_MAX {
            c.winners.pop_front();
        }
        c.winners.push_back((now, first_won));
    }

    /// The collisions active at `now`, most recent first.
    pub fn active(&self, now: f64) -> Vec<&Collision> {
        let mut v: Vec<&Collision> = self.by_key.values().filter(|c| c.active(now, &self.rules)).collect();
        v.sort_by(|a, b| b.last_secs.total_cmp(&a.last_secs));
        v
    }

    /// The active collision concerning the device `name`/`id`, if any.
    pub fn for_device(&self, name: &str, id: &str, now: f64) -> Option<&Collision> {
        self.by_key
            .values()
            .find(|c| c.concerns(name, id) && c.active(now, &self.rules))
    }

    /// Collisions that became active since the last call, each announced once (again
    /// only after it has been quiet for a whole window).
    pub fn new_collisions(&mut self, now: f64) -> Vec<Collision> {
        let rules = self.rules;
        let mut out = Vec::new();
        for c in self.by_key.values_mut() {
            let active = c.active(now, &rules);
            if active && !c.announced {
                c.announced = true;
                out.push(c.clone());
            } else if !active && c.takeovers_within(now, rules.window_secs) == 0 {
                c.announced = false;
            }
        }
        out.sort_by_key(Collision::label);
        out
    }

    pub fn clear(&mut self) {
        *self = Self::new(self.rules);
    }
}

/// The client id in mosquitto's takeover notice, from `$SYS/broker/log/<level>`.
pub fn mosquitto_takeover(topic: &str, payload: &[u8]) -> Option<String> {
    const TAIL: &str = " already connected, closing old connection.";
    topic.strip_prefix("$SYS/broker/log/")?;
    let text = std::str::from_utf8(payload).ok()?.trim_end();
    let line = text.strip_suffix(TAIL)?;
    // `<timestamp>: Client <id>`; the timestamp's format is configurable, so the id
    // starts after the first ": Client " (or at the start without a timestamp).
    let id = match line.find(": Client ") {
        Some(at) => &line[at + ": Client ".len()..],
        None => line.strip_prefix("Client ")?,
    };
    (!id.is_empty()).then(|| id.to_owned())
}

/// The client id of an EMQX disconnect event caused by a takeover.
pub fn emqx_takeover(topic: &str, payload: &[u8]) -> Option<String> {
    let rest = topic.strip_prefix("$SYS/brokers/")?;
    let (_node, rest) = rest.split_once('/')?;
    let from_topic = rest.strip_prefix("clients/")?.strip_suffix("/disconnected")?;
    let event: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let reason = event.get("reason")?.as_str()?;
    if !matches!(reason, "takenover" | "takeovered" | "discarded") {
        return None;
    }
    let id = event.get("clientid").and_then(|v| v.as_str()).unwrap_or(from_topic);
    (!id.is_empty()).then(|| id.to_owned())
}

#[cfg(test)]
#[path = "collisions_tests.rs"]
mod tests;
