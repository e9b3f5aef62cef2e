//! What the broker says about itself in `$SYS`: which broker it is, its version and
//! uptime, clients, traffic, retained messages and subscriptions ([`BrokerStats`]),
//! the load over the last half hour ([`LoadSeries`]), and whether it publishes any
//! `$SYS` at all ([`SysState`]: RabbitMQ publishes none).
//!
//! Each broker names its tree differently; one reader per family: [`mosquitto`]
//! (`$SYS/broker/…`, also amqtt and HiveMQ's `$SYS` extension), [`emqx`]
//! (`$SYS/brokers/<node>/…`), [`vernemq`] (`$SYS/<erlang node>/…`), and two that
//! publish client events only: [`nanomq`] and [`aedes`] (`$SYS/<uuid>/…`). Each cites
//! where its names come from.
//!
//! Pure data: fed by the connection with every message whose topic starts with `$`,
//! and by the clock (seconds since the Unix epoch) for rates and the silence verdict.

pub mod aedes;
pub mod emqx;
pub mod mosquitto;
pub mod nanomq;
pub mod reading;
pub mod series;
pub mod stats;
pub mod vernemq;

use std::collections::HashMap;

pub use reading::{Metric, Reading};
pub use series::{LOAD_POINTS_MAX, LOAD_WINDOW_SECS, LoadSeries};
pub use stats::{BrokerStats, Flow};

/// After a `$SYS` subscription is granted, how long without a `$SYS` message before
/// the broker is said to publish none. EMQX publishes once a minute by default, so
/// less would wrong it; mosquitto sends its version at once.
pub const SILENCE_SECS: f64 = 65.0;

/// The family of broker, from the shape of its `$SYS` tree and its version text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerKind {
    Mosquitto,
    /// `$SYS/broker/…` names without "mosquitto" in the version: amqtt, HiveMQ's
    /// extension and other brokers that copied mosquitto's tree.
    MosquittoLike,
    Emqx,
    VerneMq,
    NanoMq,
    /// Aedes (npm): heartbeat and client events, no figures.
    Aedes,
}

impl BrokerKind {
    /// The product name (a name, the same in every language); `None` for the
    /// mosquitto-like family, which the interface describes in words.
    pub fn product(self) -> Option<&'static str> {
        match self {
            BrokerKind::Mosquitto => Some("Mosquitto"),
            BrokerKind::MosquittoLike => None,
            BrokerKind::Emqx => Some("EMQX"),
            BrokerKind::VerneMq => Some("VerneMQ"),
            BrokerKind::NanoMq => Some("NanoMQ"),
            BrokerKind::Aedes => Some("Aedes"),
        }
    }

    /// True for brokers whose `$SYS` holds client events only, no figures.
    pub fn events_only(self) -> bool {
        matches!(self, BrokerKind::NanoMq | BrokerKind::Aedes)
    }
}

/// Whether the broker's `$SYS` is heard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SysState {
    /// No subscription covers `$SYS` (`#` does not: MQTT keeps `$` topics out of it).
    NotSubscribed,
    /// Subscribed (or asked) and waiting; `secs_left` until the verdict.
    Waiting { secs_left: f64 },
    /// Subscribed for [`SILENCE_SECS`] and nothing came: the broker publishes none
    /// (or its ACL hides them).
    Silent,
    /// `$SYS` messages arrive.
    Publishing,
}

/// The `$SYS` view of one connection.
#[derive(Clone, Debug, Default)]
pub struct BrokerSys {
    kind: Option<BrokerKind>,
    stats: BrokerStats,
    load: HashMap<Flow, LoadSeries>,
    totals: stats::TotalsToRates,
    /// `$SYS` messages read since the connection was opened.
    messages: u64,
    /// When the current `$SYS` subscription was granted.
    granted_at: Option<f64>,
    /// When the last `$SYS` message came.
    last_at: Option<f64>,
    /// [`SILENCE_SECS`] unless a test asks for less.
    silence_secs: Option<f64>,
}

impl BrokerSys {
    /// Reads one message whose topic starts with `$SYS/` (others are ignored) received at
    /// `t`. Cheap for topics it does not know: a few string comparisons.
    pub fn ingest(&mut self, topic: &str, payload: &[u8], t: f64) {
        let Some(rest) = topic.strip_prefix("$SYS/") else {
            return;
        };
        self.messages += 1;
        self.last_at = Some(t);
        let (kind, readings) = classify(rest, payload);
        if let Some(kind) = kind {
            self.recognise(kind);
        }
        for r in readings {
            self.apply(r, t);
        }
    }

    fn recognise(&mut self, kind: BrokerKind) {
        // A version saying "mosquitto" outranks the tree's shape; nothing else changes a
        // recognised broker (a bridged broker's `$SYS` may show up beside its own).
        match (self.kind, kind) {
            (None, k) | (Some(BrokerKind::MosquittoLike), k @ BrokerKind::Mosquitto) => self.kind = Some(k),
            _ => {}
        }
    }

    fn apply(&mut self, reading: Reading, t: f64) {
        match reading {
            Reading::Version(v) => {
                if v.to_ascii_lowercase().starts_with("mosquitto") {
                    self.recognise(BrokerKind::Mosquitto);
                }
                self.stats.version = Some(v);
            }
            Reading::Description(d) => self.stats.description = Some(d),
            Reading::UptimeSecs(s) => self.stats.uptime_secs = Some(s),
            Reading::Node(n) => self.stats.node = Some(n),
            Reading::Other => {}
            Reading::Value(metric, v) => {
                if let Some((flow, per_sec)) = Flow::of_load(metric) {
                    self.set_rate(flow, v * per_sec, true, t);
                } else if let Some(flow) = Flow::of_total(metric)
                    && let Some(rate) = self.totals.rate(flow, t, v)
                    && !self.stats.rate_is_brokers(flow)
                {
                    self.set_rate(flow, rate, false, t);
                }
                self.stats.values.insert(metric, v);
            }
        }
    }

    fn set_rate(&mut self, flow: Flow, per_sec: f64, brokers: bool, t: f64) {
        self.stats.rates.insert(flow, (per_sec, brokers));
        self.load.entry(flow).or_default().push(t, per_sec);
    }

    /// A subscription covering `$SYS` was granted at `t` (again after a reconnect).
    pub fn sys_granted(&mut self, t: f64) {
        self.granted_at = Some(t);
    }

    /// The connection went down or the `$SYS` subscription went away.
    pub fn sys_gone(&mut self) {
        self.granted_at = None;
    }

    /// Whether `$SYS` is heard at `now`; `subscribed`: a subscription covering `$SYS`
    /// is wanted on the connection.
    /// Not subscribed wins over what was heard before: the figures would go stale.
    pub fn state(&self, now: f64, subscribed: bool) -> SysState {
        if !subscribed {
            return SysState::NotSubscribed;
        }
        if self.messages > 0 {
            return SysState::Publishing;
        }
        let silence = self.silence_secs();
        match self.granted_at {
            Some(at) if now - at >= silence => SysState::Silent,
            Some(at) => SysState::Waiting {
                secs_left: silence - (now - at),
            },
            None => SysState::Waiting { secs_left: silence },
        }
    }

    /// How long a granted `$SYS` subscription may stay silent before the verdict.
    pub fn silence_secs(&self) -> f64 {
        self.silence_secs.unwrap_or(SILENCE_SECS)
    }

    /// Shortens (or lengthens) the wait before "publishes no `$SYS`" (tests use seconds).
    pub fn set_silence_secs(&mut self, secs: f64) {
        self.silence_secs = Some(secs);
    }

    pub fn kind(&self) -> Option<BrokerKind> {
        self.kind
    }

    pub fn stats(&self) -> &BrokerStats {
        &self.stats
    }

    /// The per-second rate of `flow` over the last half hour.
    pub fn load(&self, flow: Flow) -> Option<&LoadSeries> {
        self.load.get(&flow)
    }

    /// `$SYS` messages read.
    pub fn messages(&self) -> u64 {
        self.messages
    }

    /// When the last `$SYS` message came.
    pub fn last_at(&self) -> Option<f64> {
        self.last_at
    }
}

/// True when `filter` receives `$SYS` topics: only a filter that starts with `$SYS`
/// does (MQTT 3.1.1 §4.7.2: `#` and `+` do not match a leading `$`).
pub fn filter_covers_sys(filter: &str) -> bool {
    filter == "$SYS" || filter.starts_with("$SYS/")
}

/// Which broker `$SYS/<rest>` comes from, and what it says.
fn classify(rest: &str, payload: &[u8]) -> (Option<BrokerKind>, Vec<Reading>) {
    if let Some(r) = rest.strip_prefix("broker/") {
        let reading = mosquitto::read(r, payload);
        let kind = reading.is_some().then_some(BrokerKind::MosquittoLike);
        return (kind, reading.into_iter().collect());
    }
    if let Some(r) = rest.strip_prefix("brokers/") {
        if let Some(reading) = nanomq::read(r) {
            return (Some(BrokerKind::NanoMq), vec![reading]);
        }
        let Some((node, what)) = r.split_once('/') else {
            return (None, Vec::new());
        };
        let mut readings: Vec<Reading> = emqx::read(node, what, payload).into_iter().collect();
        if matches!(what, "stats" | "metrics") {
            readings.extend(emqx::read_json(payload));
        }
        if readings.is_empty() {
            return (None, readings);
        }
        readings.push(Reading::Node(node.to_owned()));
        return (Some(BrokerKind::Emqx), readings);
    }
    // VerneMQ: `$SYS/<node>/…`, and an Erlang node name always holds an `@`.
    if let Some((node, what)) = rest.split_once('/')
        && node.contains('@')
    {
        let readings = vernemq::read(what, payload)
            .into_iter()
            .chain([Reading::Node(node.to_owned())])
            .collect();
        return (Some(BrokerKind::VerneMq), readings);
    }
    // Aedes: `$SYS/<uuid>/…` with its few event names.
    if let Some((id, what)) = rest.split_once('/')
        && let Some(reading) = aedes::read(what)
    {
        return (Some(BrokerKind::Aedes), vec![reading, Reading::Node(id.to_owned())]);
    }
    (None, Vec::new())
}

#[cfg(test)]
mod tests;
