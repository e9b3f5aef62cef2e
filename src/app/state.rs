//! Everything the window shows, and the one place where it changes: the open broker
//! connections (each with its own session and tree, see [`Connection`]), the charts that
//! may read from any of them, the profiles, the publish history and the notices. User
//! actions go through the methods here; they act on the active connection.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::charts::Charts;
use super::connection::{ConnId, Connection, Outside, push_error, push_notice};
use super::connection::{PauseBuffer, PublishOutcome, SubscriptionStatus};
use super::notice::Notice;
use super::publish_history::{PublishHistory, PublishRecord};
use crate::model::{MessageProperties, NodeId};
use crate::mqtt::{Command, Event, PublishId, PublishRequest, Waker};
use crate::profiles::{Profile, ProfileStore, Subscription, validate_filter, validate_publish_topic};

/// The names the built-in local connections go by in the picker and the tabs.
pub const DEMO_NAME: &str = "Demo fleet";
pub const LOCAL_BROKER_NAME: &str = "Local broker";
/// The connection to a `--broker` URL given on the command line.
pub const COMMAND_LINE_NAME: &str = "command line";

/// The charts the demo opens with: temperatures from four devices, and humidity.
#[cfg(feature = "broker")]
fn demo_charts() -> Vec<crate::model::series::ChartLayout> {
    use crate::model::JsonPath;
    use crate::model::series::{ChartLayout, Extractor, SeriesSpec, TimeWindow};
    let field = |topic: &str, path: &str| SeriesSpec {
        topic: topic.to_owned(),
        extractor: JsonPath::parse(path).map_or(Extractor::Whole, Extractor::Json),
        connection: None,
    };
    vec![
        ChartLayout {
            title: crate::tr!("chrome-demo-chart-temperatures"),
            window: TimeWindow::Min1,
            series: vec![
                field("tele/tasmota_5C3F21/SENSOR", "AM2301.Temperature"),
                field("esp32/a1b2c3/telemetry", "temp"),
                field("zigbee2mqtt/bedroom_sensor", "temperature"),
                SeriesSpec {
                    topic: "greenhouse/sensor/air_temperature/state".into(),
                    extractor: Extractor::Whole,
                    connection: None,
                },
            ],
            y_range: None,
        },
        ChartLayout {
            title: crate::tr!("chrome-demo-chart-humidity"),
            window: TimeWindow::Min1,
            series: vec![
                field("tele/tasmota_5C3F21/SENSOR", "AM2301.Humidity"),
                field("zigbee2mqtt/bedroom_sensor", "humidity"),
            ],
            y_range: None,
        },
        // The binary boards, read through the demo profile's decoders.
        ChartLayout {
            title: crate::tr!("dec-demo-chart"),
            window: TimeWindow::Min1,
            series: crate::demo::demo_decoded_series(),
            y_range: None,
        },
    ]
}

/// The embedded broker and the simulated fleet, kept alive while the window runs.
#[cfg(feature = "broker")]
pub struct LocalServices {
    /// rumqttd behind its front: MQTT 3.1.1 and 5 on one port, and topics in any script
    /// (rumqttd alone panics on a topic starting with a non-ASCII character).
    pub broker: crate::broker::ServedBroker,
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

/// What applying worker events needs of [`AppState`], moved out whole so that a thread
/// of its own can apply them between frames (`super::background_drain`).
pub struct DrainParts {
    connections: Vec<Connection>,
    active: usize,
    charts: Charts,
    publish_history: PublishHistory,
    notices: Vec<Notice>,
}

impl DrainParts {
    /// As [`AppState::drain_events`], for the connections to brokers only: the local
    /// broker's takeovers and opened recordings (played on the clock, not on a worker's
    /// wake-up) are left to the frames.
    pub fn drain(&mut self, budget: Duration) -> bool {
        let mut out = Outside {
            charts: &mut self.charts,
            publish_history: &mut self.publish_history,
            notices: &mut self.notices,
        };
        drain_connections(&mut self.connections, self.active, &mut out, budget, Which::Brokers)
    }
}

/// Which connections [`drain_connections`] drains.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    All,
    Brokers,
    Recordings,
}

impl Which {
    fn takes(self, c: &Connection) -> bool {
        match self {
            Which::All => true,
            Which::Brokers => c.playback.is_none(),
            Which::Recordings => c.playback.is_some(),
        }
    }
}

/// Drains `connections` for at most `budget`, starting after the one shown (`active`);
/// then announces what their devices did. True when events are left over.
fn drain_connections(
    connections: &mut [Connection],
    active: usize,
    out: &mut Outside<'_>,
    budget: Duration,
    which: Which,
) -> bool {
    let deadline = Instant::now() + budget;
    let mut left = false;
    let n = connections.len();
    let start = (active + 1) % n.max(1);
    for k in 0..n {
        let c = &mut connections[(start + k) % n];
        if which.takes(c) {
            left |= c.drain(deadline, out);
        }
    }
    let now = super::charts::now_secs();
    for c in connections.iter_mut() {
        c.announce_devices(now, out.notices);
    }
    left
}

/// The window's state.
pub struct AppState {
    /// The open connections, in tab order; never empty (a fresh window holds one that
    /// has not connected yet).
    pub connections: Vec<Connection>,
    /// Index of the connection the panes show.
    pub active: usize,
    pub profiles: ProfileStore,
    /// Shown when the profiles file could not be read (it is then never overwritten).
    pub profiles_error: Option<String>,
    pub config_dir: PathBuf,
    pub publish_history: PublishHistory,
    pub charts: Charts,
    /// The embedded broker (and simulated fleet) started from the window, if any.
    #[cfg(feature = "broker")]
    pub local: Option<LocalServices>,
    /// Messages for the user (errors and notices), newest last; shown in the status bar.
    pub notices: Vec<Notice>,
    history_budget_bytes: usize,
    waker: Option<Waker>,
    next_conn_id: ConnId,
    pub(super) next_publish_id: PublishId,
    pub(super) next_repeat_id: u64,
    /// How often each saved command was sent this session, by connection and full name:
    /// its `{{counter}}`.
    pub(super) command_counters: HashMap<(String, String), u64>,
    /// Profiles whose saved charts were restored this session (not again on reconnect).
    charts_restored: HashSet<String>,
    /// Marks the window's frames, so that a recording's writer pauses while one is drawn.
    pub frame_gate: std::sync::Arc<crate::frame_gate::FrameGate>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("connections", &self.connections)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// `waker` is called by every connection's worker when it queued events.
    pub fn new(waker: Option<Waker>, config_dir: PathBuf, history_budget_bytes: usize) -> Self {
        let outcome = ProfileStore::load(config_dir.join(crate::profiles::PROFILES_FILE_NAME));
        let (profiles, profiles_error) = (outcome.store, outcome.error.map(|e| e.to_string()));
        let publish_history = PublishHistory::load(config_dir.join(super::publish_history::FILE));
        let mut notices = Vec::new();
        if let Some(e) = &publish_history.load_error {
            push_error(&mut notices, e.clone());
        }
        let first = Connection::new(1, Profile::new("", ""), history_budget_bytes, waker.clone());
        Self {
            connections: vec![first],
            active: 0,
            profiles,
            profiles_error,
            config_dir,
            publish_history,
            charts: Charts::default(),
            #[cfg(feature = "broker")]
            local: None,
            notices,
            history_budget_bytes,
            waker,
            next_conn_id: 2,
            next_publish_id: 1,
            next_repeat_id: 1,
            command_counters: HashMap::new(),
            charts_restored: HashSet::new(),
            frame_gate: std::sync::Arc::default(),
        }
    }

    /// The connection the panes show.
    pub fn conn(&self) -> &Connection {
        &self.connections[self.active.min(self.connections.len() - 1)]
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        let i = self.active.min(self.connections.len() - 1);
        &mut self.connections[i]
    }

    /// The connection with this id, if it is still open.
    pub fn conn_by_id(&self, id: ConnId) -> Option<&Connection> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// Shows connection `index` in the panes.
    pub fn set_active(&mut self, index: usize) {
        if index < self.connections.len() {
            self.active = index;
        }
    }

    /// Applies one worker event to the active connection (benchmarks and tests feed
    /// events this way; the window drains each connection's own channel).
    pub fn apply(&mut self, ev: Event) {
        let i = self.active.min(self.connections.len() - 1);
        let mut out = Outside {
            charts: &mut self.charts,
            publish_history: &mut self.publish_history,
            notices: &mut self.notices,
        };
        self.connections[i].apply(ev, &mut out);
    }

    /// Drains every connection's events for at most `budget` in all; true when events
    /// are left over. The connection that waited longest goes first, so a flooding
    /// broker cannot starve a quiet one.
    pub fn drain_events(&mut self, budget: Duration) -> bool {
        self.drain_frames_share(budget, Which::All)
    }

    /// What a frame does of [`Self::drain_events`] while the background drain applies
    /// the brokers' events: the local broker's takeovers, the opened recordings (played
    /// on the clock), and the devices' news once a second (it must come even when no
    /// event arrives). True when a recording has more due (playing, loading).
    pub fn frame_upkeep(&mut self, budget: Duration) -> bool {
        self.drain_frames_share(budget, Which::Recordings)
    }

    /// The local broker's takeovers, then the `which` connections' events for `budget`.
    fn drain_frames_share(&mut self, budget: Duration, which: Which) -> bool {
        #[cfg(feature = "broker")]
        self.feed_local_takeovers();
        let mut out = Outside {
            charts: &mut self.charts,
            publish_history: &mut self.publish_history,
            notices: &mut self.notices,
        };
        drain_connections(&mut self.connections, self.active, &mut out, budget, which)
    }

    /// Moves out what applying events needs, for the background drain to work on
    /// between frames. Until [`Self::return_drain_parts`] the state has no connections:
    /// nothing may read it meanwhile.
    pub(super) fn lend_drain_parts(&mut self) -> DrainParts {
        DrainParts {
            connections: std::mem::take(&mut self.connections),
            active: self.active,
            charts: std::mem::take(&mut self.charts),
            publish_history: std::mem::replace(&mut self.publish_history, PublishHistory::placeholder()),
            notices: std::mem::take(&mut self.notices),
        }
    }

    /// When the background drain lost what it was lent (it cannot, short of a panic
    /// outside its guard): a fresh window's one connection, and the user is told.
    pub(super) fn recover_lost_drain_parts(&mut self) {
        let id = self.next_conn_id;
        self.next_conn_id += 1;
        self.connections = vec![Connection::new(
            id,
            Profile::new("", ""),
            self.history_budget_bytes,
            self.waker.clone(),
        )];
        self.active = 0;
        self.charts = Charts::default();
        self.publish_history = PublishHistory::load(self.config_dir.join(super::publish_history::FILE));
        push_error(&mut self.notices, crate::tr!("chrome-drain-lost"));
    }

    /// Puts back what [`Self::lend_drain_parts`] moved out.
    pub(super) fn return_drain_parts(&mut self, parts: DrainParts) {
        self.connections = parts.connections;
        self.charts = parts.charts;
        self.publish_history = parts.publish_history;
        let added = std::mem::replace(&mut self.notices, parts.notices);
        self.notices.extend(added);
    }

    /// Client-id takeovers the local broker's front saw (rumqttd publishes no `$SYS`)
    /// go to the collisions of the connections to it.
    #[cfg(feature = "broker")]
    fn feed_local_takeovers(&mut self) {
        let Some(local) = &self.local else { return };
        let url = local.broker.url();
        for t in local.broker.takeovers().try_iter().take(1024) {
            let at =
                t.at.duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
            for c in self.connections.iter_mut().filter(|c| c.profile.broker_url == url) {
                c.devices.collisions_mut().takeover(
                    t.client_id.clone(),
                    crate::model::devices::Evidence::EmbeddedBroker,
                    at,
                );
            }
        }
    }

    /// Adds a series read from the active connection to a chart (a new one when `None`)
    /// and saves the layout with the chart's profile.
    pub fn plot(&mut self, spec: crate::model::series::SeriesSpec, chart: Option<usize>) {
        let i = self.active.min(self.connections.len() - 1);
        let conn = &self.connections[i];
        self.charts
            .add_series_in(chart, &conn.name, spec, &conn.model, &conn.profile.encodings);
        self.save_chart_layout();
    }

    /// Stores the chart layouts in the profiles of the open connections (and their file,
    /// for saved profiles).
    pub fn save_chart_layout(&mut self) {
        let mut changed = false;
        for c in &mut self.connections {
            let layouts = self.charts.layouts(&c.name);
            if c.profile.charts == layouts {
                continue;
            }
            c.profile.charts = layouts.clone();
            if let Some(saved) = self.profiles.get(&c.name).cloned() {
                let mut saved = saved;
                saved.charts = layouts;
                self.profiles.upsert(saved);
                changed = true;
            }
        }
        if changed && let Err(e) = self.profiles.save() {
            self.error(e.to_string());
        }
    }

    /// Records a message for the user.
    pub fn notice(&mut self, text: impl Into<String>) {
        push_notice(&mut self.notices, text.into());
    }

    /// Records a failure for the user: it stays on screen until dismissed.
    pub fn error(&mut self, text: impl Into<String>) {
        push_error(&mut self.notices, text.into());
    }

    /// Sends a command to the active connection; a full or stopped worker becomes a notice.
    pub fn send(&mut self, cmd: Command) {
        if let Err(e) = self.conn_mut().send(cmd) {
            self.error(e);
        }
    }

    /// Connects with `profile`: the open connection of that name reconnects, else a new
    /// connection opens beside the others (or takes the place of an unused one). It
    /// becomes the active one. Trees are kept; they are emptied only on request.
    pub fn connect(&mut self, profile: Profile) {
        if self.profiles.get(&profile.name).is_some() {
            self.profiles.set_last_used(Some(&profile.name));
            if let Err(e) = self.profiles.save() {
                self.error(e.to_string());
            }
        }
        let index = match self.connections.iter().position(|c| c.name == profile.name) {
            Some(i) => i,
            None if self.conn_unused(self.active) => self.active,
            None => {
                let id = self.next_conn_id;
                self.next_conn_id += 1;
                let c = Connection::new(id, profile.clone(), self.history_budget_bytes, self.waker.clone());
                self.connections.push(c);
                self.share_history_budget();
                self.connections.len() - 1
            }
        };
        self.active = index;
        // A profile's saved charts come back the first time it opens, not on reconnect
        // (that would undo what the user changed since).
        if self.charts_restored.insert(profile.name.clone()) && !profile.charts.is_empty() {
            let conns = &self.connections;
            self.charts.restore(&profile.name, &profile.charts, |name| {
                conns.iter().find(|c| c.name == name).map(|c| &c.model)
            });
        }
        if let Err(e) = self.connections[index].connect(profile) {
            self.error(e);
        }
    }

    /// True when connection `i` never connected and holds nothing: a new profile may use it.
    fn conn_unused(&self, i: usize) -> bool {
        self.connections.get(i).is_some_and(|c| {
            !c.active()
                && c.playback.is_none()
                && c.model.total_messages() == 0
                && (c.name.is_empty() || c.profile.broker_url.is_empty())
        })
    }

    /// Adds a connection that is not a broker's (an opened recording) in the place of
    /// the unused one on screen, or beside the others; it becomes the active one.
    pub(super) fn add_connection(&mut self, profile: Profile, fill: impl FnOnce(&mut Connection)) -> usize {
        let id = self.next_conn_id;
        self.next_conn_id += 1;
        let mut c = Connection::new(id, profile, self.history_budget_bytes, self.waker.clone());
        fill(&mut c);
        let index = if self.conn_unused(self.active) {
            self.connections[self.active] = c;
            self.active
        } else {
            self.connections.push(c);
            self.connections.len() - 1
        };
        self.share_history_budget();
        self.active = index;
        index
    }

    /// Gives each open connection an equal share of the history budget.
    fn share_history_budget(&mut self) {
        let share = self.history_budget_bytes / self.connections.len().max(1);
        for c in &mut self.connections {
            c.model.set_history_budget_bytes(share);
        }
    }

    /// Disconnects and closes connection `index`; its charts' series stay, empty.
    pub fn close_connection(&mut self, index: usize) {
        if index >= self.connections.len() {
            return;
        }
        // Stopped here rather than on drop, so the user is told where it went.
        self.stop_recording_of(index);
        let closed = self.connections.remove(index);
        self.charts.clear_points_of(&closed.name);
        drop(closed);
        if self.connections.is_empty() {
            let id = self.next_conn_id;
            self.next_conn_id += 1;
            self.connections.push(Connection::new(
                id,
                Profile::new("", ""),
                self.history_budget_bytes,
                self.waker.clone(),
            ));
        }
        if self.active >= index && self.active > 0 {
            self.active -= 1;
        }
        self.active = self.active.min(self.connections.len() - 1);
        self.share_history_budget();
    }

    /// Empties the active connection's tree and history (and its series' points).
    pub fn clear_tree(&mut self) {
        let name = self.conn().name.clone();
        self.conn_mut().clear();
        self.charts.clear_points_of(&name);
        self.notice(crate::tr!("chrome-cleared-topics", name = display_name(&name)));
    }

    /// Starts the embedded broker on a free 127.0.0.1 port (once), optionally with the
    /// simulated ESP32 fleet, and connects to it.
    #[cfg(feature = "broker")]
    pub fn start_local(&mut self, with_fleet: bool) -> Result<(), String> {
        if self.local.is_none() {
            let loopback = std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0));
            let broker = crate::broker::serve(loopback, None)
                .map_err(|e| crate::tr!("chrome-local-broker-failed", error = crate::i18n::shown(e)))?;
            self.local = Some(LocalServices { broker, fleet: None });
        }
        let Some(local) = self.local.as_mut() else {
            return Ok(());
        };
        let url = local.broker.url();
        if with_fleet && local.fleet.is_none() {
            local.fleet = Some(
                crate::demo::Fleet::start(&url)
                    .map_err(|e| crate::tr!("chrome-fleet-failed", error = crate::i18n::shown(e)))?,
            );
        }
        let mut profile = Profile::new(if with_fleet { DEMO_NAME } else { LOCAL_BROKER_NAME }, &url);
        // rumqttd has no $SYS topics (its front grants `$SYS/#` and it brings nothing).
        profile.subscriptions = vec![Subscription {
            filter: "#".into(),
            qos: 0,
        }];
        if with_fleet {
            profile.charts = demo_charts();
            profile.decoders = crate::demo::demo_decoders();
        }
        // The demo's example commands, or those the user changed since it started.
        profile.commands = match self.connections.iter().find(|c| c.name == profile.name) {
            Some(c) => c.profile.commands.clone(),
            None if with_fleet => crate::demo::example_commands(),
            None => Vec::new(),
        };
        let first_time = !self.connections.iter().any(|c| c.name == profile.name);
        if first_time {
            self.notice(crate::tr!("chrome-local-broker-at", url = url.as_str()));
        }
        self.connect(profile);
        Ok(())
    }

    pub fn disconnect(&mut self) {
        self.send(Command::Disconnect);
    }

    /// True while the active connection is connected or trying to be.
    pub fn connection_active(&self) -> bool {
        self.conn().active()
    }

    /// True when the active connection speaks MQTT 5 (so publishes can carry properties).
    pub fn mqtt5_active(&self) -> bool {
        self.conn().mqtt5_active()
    }

    /// Adds a subscription to the active connection. Returns the error to show, if any.
    pub fn subscribe(&mut self, filter: &str, qos: u8) -> Result<(), String> {
        validate_filter(filter).map_err(|e| e.to_string())?;
        if !self.connection_active() {
            return Err(crate::tr!("chrome-connect-first"));
        }
        let c = self.conn_mut();
        match c.subscriptions.iter_mut().find(|s| s.filter == filter) {
            Some(s) => {
                s.qos = qos;
                s.status = "pending".into();
            }
            None => c.subscriptions.push(SubscriptionStatus {
                filter: filter.to_owned(),
                qos,
                status: "pending".into(),
            }),
        }
        c.profile.subscriptions.retain(|s| s.filter != filter);
        c.profile.subscriptions.push(Subscription {
            filter: filter.to_owned(),
            qos,
        });
        self.send(Command::Subscribe {
            filter: filter.to_owned(),
            qos,
        });
        Ok(())
    }

    pub fn unsubscribe(&mut self, filter: &str) {
        let c = self.conn_mut();
        c.subscriptions.retain(|s| s.filter != filter);
        c.profile.subscriptions.retain(|s| s.filter != filter);
        self.send(Command::Unsubscribe {
            filter: filter.to_owned(),
        });
    }

    /// Publishes on the active connection (with MQTT 5 properties, if any); returns the
    /// error to show when the topic is refused.
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
        if self.conn().playback.is_some() {
            return Err(self.conn().read_only());
        }
        if !self.connection_active() {
            return Err(crate::tr!("chrome-not-connected"));
        }
        let id = self.next_publish_id;
        self.next_publish_id += 1;
        let mut record = PublishRecord::new(topic, &payload, qos, retain, format);
        record.connection = self.conn().name.clone();
        let idx = self.publish_history.push(record);
        if let Some(e) = self.publish_history.save_error.take() {
            self.error(e);
        }
        // Indices shift when a record is pushed; keep pending ones pointing at theirs.
        for c in &mut self.connections {
            for v in c.pending_publishes.values_mut() {
                *v += 1;
            }
            c.pending_publishes
                .retain(|_, v| *v < super::publish_history::MAX_RECORDS);
        }
        let c = self.conn_mut();
        c.pending_publishes.insert(id, idx);
        c.last_publish = Some((id, PublishOutcome::Pending));
        let mut request = PublishRequest::new(id, topic, payload, qos, retain);
        request.properties = properties;
        self.send(Command::Publish(request));
        Ok(id)
    }

    /// Topics with a retained message in the subtree of `id` (including `id`), in the
    /// active connection's tree.
    pub fn retained_topics_in(&self, id: NodeId) -> Vec<String> {
        let tree = self.conn().model.tree();
        tree.iter_subtree(id)
            .filter(|n| tree.node(*n).retained())
            .map(|n| tree.full_topic(n))
            .collect()
    }

    /// Clears retained messages on the active connection's broker.
    pub fn clear_retained(&mut self, topics: Vec<String>) {
        if !topics.is_empty() {
            let n = topics.len();
            self.send(Command::ClearRetained { topics });
            self.notice(crate::tr!("chrome-clearing-retained", n = n));
        }
    }

    /// Clears every retained message the active connection's broker holds under
    /// `filter` (probed, then checked); the outcome comes back as a notice.
    pub fn clear_retained_below(&mut self, filter: String) {
        self.notice(crate::tr!("chrome-probing-retained", filter = filter.as_str()));
        self.send(Command::ClearRetainedBelow { filter });
    }

    pub fn pause(&mut self) {
        let c = self.conn_mut();
        if c.paused.is_none() {
            c.paused = Some(PauseBuffer::default());
        }
    }

    /// Applies the held messages and follows live traffic again.
    pub fn resume(&mut self) {
        let i = self.active.min(self.connections.len() - 1);
        self.connections[i].resume(&mut self.charts);
    }
}

/// A connection's name as shown: the unused first connection has none yet, and the
/// built-in ones are named in the interface language (their profile names, which key
/// layouts and charts, stay as they are).
pub fn display_name(name: &str) -> String {
    match name {
        "" => crate::tr!("chrome-new-connection"),
        DEMO_NAME => crate::tr!("chrome-demo-name"),
        LOCAL_BROKER_NAME => crate::tr!("chrome-local-broker-name"),
        COMMAND_LINE_NAME => crate::tr!("chrome-command-line-name"),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
