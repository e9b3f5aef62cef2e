//! Everything the window shows, and the one place where it changes: worker events are
//! applied in [`AppState::apply`], user actions go through the methods here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::charts::Charts;
use super::publish_history::{PublishHistory, PublishRecord};
use super::rate::RateMeter;
use crate::model::{Message, MessageProperties, Model, NodeId};
use crate::mqtt::{Command, ConnectionState, Event, PublishId, PublishRequest, WorkerHandle};
use crate::profiles::{MqttVersion, Profile, ProfileStore, Subscription, validate_filter, validate_publish_topic};

/// Most messages held while the tree is paused; beyond that they are counted as shed.
pub const PAUSE_BUFFER_MAX: usize = 1_000_000;

/// A subscription as the window shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionStatus {
    pub filter: String,
    pub qos: u8,
    /// "granted QoS 1", "refused: …", or "pending".
    pub status: String,
}

/// The outcome of one publish, as shown in the publish panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishOutcome {
    Pending,
    Sent,
    Acknowledged,
    Failed(String),
}

impl std::fmt::Display for PublishOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pending => write!(f, "sending…"),
            Self::Sent => write!(f, "sent"),
            Self::Acknowledged => write!(f, "acknowledged by the broker"),
            Self::Failed(r) => write!(f, "failed: {r}"),
        }
    }
}

/// Messages held back while the tree is paused.
#[derive(Debug, Default)]
pub struct PauseBuffer {
    pub messages: Vec<Message>,
    pub shed: u64,
}

/// The charts the demo opens with: temperatures from four devices, and humidity.
#[cfg(feature = "broker")]
fn demo_charts() -> Vec<crate::model::series::ChartLayout> {
    use crate::model::JsonPath;
    use crate::model::series::{ChartLayout, Extractor, SeriesSpec, TimeWindow};
    let field = |topic: &str, path: &str| SeriesSpec {
        topic: topic.to_owned(),
        extractor: JsonPath::parse(path).map_or(Extractor::Whole, Extractor::Json),
    };
    vec![
        ChartLayout {
            title: "Temperatures".into(),
            window: TimeWindow::Min1,
            series: vec![
                field("tele/tasmota_5C3F21/SENSOR", "AM2301.Temperature"),
                field("esp32/a1b2c3/telemetry", "temp"),
                field("zigbee2mqtt/bedroom_sensor", "temperature"),
                SeriesSpec {
                    topic: "greenhouse/sensor/air_temperature/state".into(),
                    extractor: Extractor::Whole,
                },
            ],
            y_range: None,
        },
        ChartLayout {
            title: "Humidity".into(),
            window: TimeWindow::Min1,
            series: vec![
                field("tele/tasmota_5C3F21/SENSOR", "AM2301.Humidity"),
                field("zigbee2mqtt/bedroom_sensor", "humidity"),
            ],
            y_range: None,
        },
    ]
}

/// The embedded broker and the simulated fleet, kept alive while the window runs.
#[cfg(feature = "broker")]
pub struct LocalServices {
    pub broker: crate::broker::RunningBroker,
    pub fleet: Option<crate::demo::Fleet>,
}

#[cfg(feature = "broker")]
impl std::fmt::Debug for LocalServices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServices")
            .field("url", &self.broker.url())
            .finish_non_exhaustive()
    }
}

/// Counters for the status bar.
#[derive(Debug)]
pub struct Stats {
    pub rate: RateMeter,
    pub publish_failures: u64,
    pub shed_messages: u64,
}

/// `drain_events` looks at the clock after this many messages (a few hundred µs).
const DRAIN_CHECK_EVERY: usize = 256;

/// The window's state.
pub struct AppState {
    pub model: Model,
    pub worker: WorkerHandle,
    pub connection: ConnectionState,
    /// The profile of the current (or last) connection.
    pub active_profile: Option<Profile>,
    pub profiles: ProfileStore,
    /// Shown when the profiles file could not be read (it is then never overwritten).
    pub profiles_error: Option<String>,
    pub config_dir: PathBuf,
    pub subscriptions: Vec<SubscriptionStatus>,
    pub paused: Option<PauseBuffer>,
    pub stats: Stats,
    pub publish_history: PublishHistory,
    /// Outcome of the most recent publish from the panel.
    pub last_publish: Option<(PublishId, PublishOutcome)>,
    pending_publishes: HashMap<PublishId, usize>,
    next_publish_id: PublishId,
    pub charts: Charts,
    /// The embedded broker (and simulated fleet) started from the window, if any.
    #[cfg(feature = "broker")]
    pub local: Option<LocalServices>,
    /// Messages for the user (errors and notices), newest last; shown in the status bar.
    pub notices: Vec<(Instant, String)>,
    /// The rest of a message batch that `drain_events` cut short at its time budget.
    backlog: Option<std::vec::IntoIter<Message>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(worker: WorkerHandle, config_dir: PathBuf, history_budget_bytes: usize) -> Self {
        let outcome = ProfileStore::load(config_dir.join(crate::profiles::PROFILES_FILE_NAME));
        let (profiles, profiles_error) = (outcome.store, outcome.error.map(|e| e.to_string()));
        let publish_history = PublishHistory::load(config_dir.join(super::publish_history::FILE));
        let mut notices = Vec::new();
        if let Some(e) = &publish_history.load_error {
            notices.push((Instant::now(), e.clone()));
        }
        Self {
            model: Model::new(history_budget_bytes),
            worker,
            connection: ConnectionState::Disconnected { reason: None },
            active_profile: None,
            profiles,
            profiles_error,
            config_dir,
            subscriptions: Vec::new(),
            paused: None,
            stats: Stats {
                rate: RateMeter::new(Instant::now()),
                publish_failures: 0,
                shed_messages: 0,
            },
            publish_history,
            last_publish: None,
            pending_publishes: HashMap::new(),
            next_publish_id: 1,
            charts: Charts::default(),
            #[cfg(feature = "broker")]
            local: None,
            notices,
            backlog: None,
        }
    }

    /// Applies one worker event.
    pub fn apply(&mut self, ev: Event) {
        match ev {
            Event::State(s) => {
                if matches!(s, ConnectionState::Connected { .. }) {
                    // Every ConnAck re-subscribes: wait for the broker's answers again.
                    // Refused filters are not retried.
                    for sub in self
                        .subscriptions
                        .iter_mut()
                        .filter(|s| !s.status.starts_with("refused"))
                    {
                        sub.status = "pending".into();
                    }
                }
                self.connection = s;
            }
            Event::Messages(batch) => {
                self.stats.rate.add(batch.len() as u64, Instant::now());
                match &mut self.paused {
                    Some(buf) => {
                        let room = PAUSE_BUFFER_MAX.saturating_sub(buf.messages.len());
                        let n = batch.len();
                        buf.messages.extend(batch.into_iter().take(room));
                        let shed = n.saturating_sub(room) as u64;
                        buf.shed += shed;
                        self.stats.shed_messages += shed;
                    }
                    None => {
                        for m in batch {
                            self.ingest(m);
                        }
                    }
                }
            }
            Event::PublishSent { id } => self.publish_outcome(id, PublishOutcome::Sent),
            Event::PublishAcked { id } => self.publish_outcome(id, PublishOutcome::Acknowledged),
            Event::PublishFailed { id, reason } => {
                self.stats.publish_failures += 1;
                self.publish_outcome(id, PublishOutcome::Failed(reason));
            }
            Event::Subscribed { filter, qos } => self.set_sub_status(&filter, format!("granted QoS {qos}")),
            Event::SubscribeFailed { filter, reason } => {
                self.notice(format!("subscription '{filter}' failed: {reason}"));
                self.set_sub_status(&filter, format!("refused: {reason}"));
            }
            Event::Error(e) => self.notice(e),
            // Placeholder until the UI rewrite shows the outcome where the action was started.
            Event::RetainedCleared(report) => self.notice(report.to_string()),
        }
    }

    /// Records one message in the model and feeds the plots that follow its topic.
    fn ingest(&mut self, m: Message) {
        if self.charts.watches(&m.topic) {
            let topic = m.topic.clone();
            let id = self.model.ingest(m);
            if let Some(last) = self.model.tree().last_message(id) {
                self.charts.on_message(&topic, last);
            }
        } else {
            self.model.ingest(m);
        }
    }

    /// Adds a series to a chart (a new one when `None`) and saves the layout with the profile.
    pub fn plot(&mut self, spec: crate::model::series::SeriesSpec, chart: Option<usize>) {
        self.charts.add_series(chart, spec, &self.model);
        self.save_chart_layout();
    }

    /// Stores the chart layout in the active profile (and its file, when it is saved there).
    pub fn save_chart_layout(&mut self) {
        let layouts = self.charts.layouts();
        let Some(p) = &mut self.active_profile else { return };
        p.charts = layouts;
        if self.profiles.get(&p.name).is_some() {
            let mut saved = self.profiles.get(&p.name).cloned().unwrap_or_else(|| p.clone());
            saved.charts = p.charts.clone();
            self.profiles.upsert(saved);
            if let Err(e) = self.profiles.save() {
                self.notice(e.to_string());
            }
        }
    }

    /// Drains worker events for at most `budget`; true when events are left over.
    /// A batch holds up to thousands of messages, so batches are split: the time is
    /// checked every [`DRAIN_CHECK_EVERY`] messages and the rest waits for the next frame.
    pub fn drain_events(&mut self, budget: Duration) -> bool {
        let start = Instant::now();
        loop {
            // Finish the batch cut short last time before taking new events: keeps order.
            if let Some(mut rest) = self.backlog.take() {
                let mut n = 0usize;
                while let Some(m) = rest.next() {
                    self.ingest(m);
                    n += 1;
                    if n.is_multiple_of(DRAIN_CHECK_EVERY) && start.elapsed() >= budget && !rest.as_slice().is_empty() {
                        self.backlog = Some(rest);
                        return true;
                    }
                }
            }
            if start.elapsed() >= budget {
                return !self.worker.events.is_empty();
            }
            match self.worker.events.try_recv() {
                Ok(Event::Messages(batch)) if self.paused.is_none() => {
                    self.stats.rate.add(batch.len() as u64, Instant::now());
                    self.backlog = Some(batch.into_iter());
                }
                Ok(ev) => self.apply(ev),
                Err(_) => return false,
            }
        }
    }

    fn set_sub_status(&mut self, filter: &str, status: String) {
        if let Some(s) = self.subscriptions.iter_mut().find(|s| s.filter == filter) {
            s.status = status;
        }
    }

    fn publish_outcome(&mut self, id: PublishId, outcome: PublishOutcome) {
        if let Some(idx) = self.pending_publishes.get(&id).copied() {
            self.publish_history.set_outcome(idx, &outcome);
            if !matches!(outcome, PublishOutcome::Pending) {
                self.pending_publishes.remove(&id);
            }
        }
        if let Some((last, o)) = &mut self.last_publish
            && *last == id
        {
            *o = outcome;
        }
    }

    /// Records a message for the user.
    pub fn notice(&mut self, text: impl Into<String>) {
        self.notices.push((Instant::now(), text.into()));
        if self.notices.len() > 50 {
            self.notices.remove(0);
        }
    }

    /// Sends a command; a full or stopped worker becomes a notice.
    pub fn send(&mut self, cmd: Command) {
        if let Err(e) = self.worker.send(cmd) {
            self.notice(e.to_string());
        }
    }

    /// Connects with `profile`; the tree is kept (it is cleared only on request).
    pub fn connect(&mut self, profile: Profile) {
        self.subscriptions = profile
            .subscriptions
            .iter()
            .map(|s| SubscriptionStatus {
                filter: s.filter.clone(),
                qos: s.qos,
                status: "pending".into(),
            })
            .collect();
        if self.profiles.get(&profile.name).is_some() {
            self.profiles.set_last_used(Some(&profile.name));
            if let Err(e) = self.profiles.save() {
                self.notice(e.to_string());
            }
        }
        // The profile's charts come back with it.
        if !profile.charts.is_empty() || self.active_profile.as_ref().is_some_and(|p| p.name != profile.name) {
            self.charts.restore(&profile.charts, &self.model);
        }
        self.active_profile = Some(profile.clone());
        // Shown without any password the URL may carry.
        let broker = crate::profiles::BrokerUrl::parse(&profile.broker_url)
            .map_or_else(|_| profile.broker_url.clone(), |u| u.to_string());
        self.connection = ConnectionState::Connecting { broker };
        self.send(Command::Connect(Box::new(profile)));
    }

    /// Starts the embedded broker on a free 127.0.0.1 port (once), optionally with the
    /// simulated ESP32 fleet, and connects to it.
    #[cfg(feature = "broker")]
    pub fn start_local(&mut self, with_fleet: bool) -> Result<(), String> {
        if self.local.is_none() {
            let broker = crate::broker::start_embedded(crate::broker::EmbeddedBrokerConfig::default())
                .map_err(|e| format!("could not start the local broker: {e}"))?;
            self.local = Some(LocalServices { broker, fleet: None });
        }
        let Some(local) = self.local.as_mut() else {
            return Ok(());
        };
        let url = local.broker.url();
        if with_fleet && local.fleet.is_none() {
            local.fleet =
                Some(crate::demo::Fleet::start(&url).map_err(|e| format!("could not start the simulated fleet: {e}"))?);
        }
        let mut profile = Profile::new(if with_fleet { "Demo fleet" } else { "Local broker" }, &url);
        // rumqttd closes the connection on `$SYS/#`, and has no $SYS topics anyway.
        profile.subscriptions = vec![Subscription {
            filter: "#".into(),
            qos: 0,
        }];
        if with_fleet {
            profile.charts = demo_charts();
        }
        self.notice(format!(
            "local broker at {url}: boards on this machine can publish to it"
        ));
        self.connect(profile);
        Ok(())
    }

    pub fn disconnect(&mut self) {
        self.send(Command::Disconnect);
    }

    /// True while connected or trying to be.
    pub fn connection_active(&self) -> bool {
        !matches!(self.connection, ConnectionState::Disconnected { .. })
    }

    /// True when the current connection speaks MQTT 5 (so publishes can carry properties).
    pub fn mqtt5_active(&self) -> bool {
        self.connection_active()
            && self
                .active_profile
                .as_ref()
                .is_some_and(|p| p.mqtt_version == MqttVersion::V5)
    }

    /// Adds a subscription while connected. Returns the error to show, if any.
    pub fn subscribe(&mut self, filter: &str, qos: u8) -> Result<(), String> {
        validate_filter(filter).map_err(|e| e.to_string())?;
        if !self.connection_active() {
            return Err("connect first".into());
        }
        match self.subscriptions.iter_mut().find(|s| s.filter == filter) {
            Some(s) => {
                s.qos = qos;
                s.status = "pending".into();
            }
            None => self.subscriptions.push(SubscriptionStatus {
                filter: filter.to_owned(),
                qos,
                status: "pending".into(),
            }),
        }
        if let Some(p) = &mut self.active_profile {
            p.subscriptions.retain(|s| s.filter != filter);
            p.subscriptions.push(Subscription {
                filter: filter.to_owned(),
                qos,
            });
        }
        self.send(Command::Subscribe {
            filter: filter.to_owned(),
            qos,
        });
        Ok(())
    }

    pub fn unsubscribe(&mut self, filter: &str) {
        self.subscriptions.retain(|s| s.filter != filter);
        if let Some(p) = &mut self.active_profile {
            p.subscriptions.retain(|s| s.filter != filter);
        }
        self.send(Command::Unsubscribe {
            filter: filter.to_owned(),
        });
    }

    /// Publishes (with MQTT 5 properties, if any); returns the error to show when the
    /// topic is refused.
    pub fn publish(
        &mut self,
        topic: &str,
        payload: Bytes,
        qos: u8,
        retain: bool,
        format: &str,
        properties: Option<Box<MessageProperties>>,
    ) -> Result<PublishId, String> {
        validate_publish_topic(topic).map_err(|e| e.to_string())?;
        if !self.connection_active() {
            return Err("not connected".into());
        }
        let id = self.next_publish_id;
        self.next_publish_id += 1;
        let record = PublishRecord::new(topic, &payload, qos, retain, format);
        let idx = self.publish_history.push(record);
        if let Some(e) = self.publish_history.save_error.take() {
            self.notice(e);
        }
        // Indices shift when a record is pushed; keep pending ones pointing at theirs.
        for v in self.pending_publishes.values_mut() {
            *v += 1;
        }
        self.pending_publishes
            .retain(|_, v| *v < super::publish_history::MAX_RECORDS);
        self.pending_publishes.insert(id, idx);
        self.last_publish = Some((id, PublishOutcome::Pending));
        let mut request = PublishRequest::new(id, topic, payload, qos, retain);
        request.properties = properties;
        self.send(Command::Publish(request));
        Ok(id)
    }

    /// Topics with a retained message in the subtree of `id` (including `id`).
    pub fn retained_topics_in(&self, id: NodeId) -> Vec<String> {
        let tree = self.model.tree();
        tree.iter_subtree(id)
            .filter(|n| tree.node(*n).retained())
            .map(|n| tree.full_topic(n))
            .collect()
    }

    /// Clears retained messages on the broker.
    pub fn clear_retained(&mut self, topics: Vec<String>) {
        if !topics.is_empty() {
            let n = topics.len();
            self.send(Command::ClearRetained { topics });
            self.notice(format!("clearing {n} retained message(s)"));
        }
    }

    pub fn pause(&mut self) {
        if self.paused.is_none() {
            self.paused = Some(PauseBuffer::default());
        }
    }

    /// Applies the held messages and follows live traffic again.
    pub fn resume(&mut self) {
        if let Some(buf) = self.paused.take() {
            for m in buf.messages {
                self.ingest(m);
            }
        }
    }
}
