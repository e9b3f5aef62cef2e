//! One broker connection as the window holds it: its own worker session, topic tree and
//! history, subscriptions, pause buffer and counters. Several live side by side in
//! [`super::AppState`]; nothing here knows about the others, so two brokers' data never mix.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::charts::Charts;
use super::notice::{Notice, NoticeLevel, push_notice_at};
use super::publish_history::PublishHistory;
use super::rate::RateMeter;
use crate::model::broker_sys::{BrokerSys, filter_covers_sys};
use crate::model::devices::{Devices, Health};
use crate::model::{Message, Model};
use crate::mqtt::{Command, ConnectionState, Event, PublishId, Waker, WorkerHandle};
use crate::profiles::{MqttVersion, Profile};

/// Most messages held while the tree is paused; beyond that they are counted as shed.
pub const PAUSE_BUFFER_MAX: usize = 1_000_000;
/// Most payload bytes held while the tree is paused (a paused window must not grow
/// without bound under a flood of large messages); beyond that messages are counted as
/// shed.
pub const PAUSE_BUFFER_MAX_BYTES: usize = 256 * 1024 * 1024;
/// `drain` looks at the clock after this many messages (a few hundred µs).
const DRAIN_CHECK_EVERY: usize = 256;

/// Identifies a connection for as long as the window runs.
pub type ConnId = u64;

/// A subscription as the window shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionStatus {
    pub filter: String,
    pub qos: u8,
    /// "granted QoS 1", "refused: …", or "pending".
    pub status: String,
}

impl SubscriptionStatus {
    /// The status in the interface language. `status` itself stays in the fixed
    /// English words the code and the tests compare ("pending", "granted QoS n",
    /// "refused: …"); this is what a person reads.
    pub fn shown(&self) -> String {
        if self.status == "pending" {
            return crate::tr!("chrome-sub-pending");
        }
        if let Some(qos) = self.status.strip_prefix("granted QoS ") {
            return crate::tr!("chrome-sub-granted", qos = qos);
        }
        match self.status.strip_prefix("refused: ") {
            Some(reason) => crate::tr!("chrome-sub-refused", reason = reason),
            None => self.status.clone(),
        }
    }
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
            Self::Pending => f.write_str(&crate::tr!("chrome-publish-sending")),
            Self::Sent => f.write_str(&crate::tr!("chrome-publish-sent")),
            Self::Acknowledged => f.write_str(&crate::tr!("chrome-publish-acknowledged")),
            Self::Failed(r) => f.write_str(&crate::tr!("chrome-publish-failed", reason = r.as_str())),
        }
    }
}

/// Messages held back while the tree is paused.
#[derive(Debug, Default)]
pub struct PauseBuffer {
    pub messages: Vec<Message>,
    pub shed: u64,
    /// Topic and payload bytes held.
    pub bytes: usize,
}

impl PauseBuffer {
    /// Holds `batch` up to the count and byte limits; returns how many were shed.
    pub fn hold(&mut self, batch: Vec<Message>) -> u64 {
        let mut shed = 0u64;
        for m in batch {
            let size = m.payload.len() + m.topic.len();
            if self.messages.len() >= PAUSE_BUFFER_MAX || self.bytes + size > PAUSE_BUFFER_MAX_BYTES {
                shed += 1;
                continue;
            }
            self.bytes += size;
            self.messages.push(m);
        }
        self.shed += shed;
        shed
    }
}

/// Counters for the status bar.
#[derive(Debug)]
pub struct Stats {
    pub rate: RateMeter,
    /// Messages received since the connection was opened, paused ones included.
    pub received: u64,
    /// Of those, the ones with the retain flag (a broker that sends none through
    /// wildcards is explained: see [`super::sub_watch::retained_hint`]).
    pub retained_received: u64,
    pub publish_failures: u64,
    pub shed_messages: u64,
}

/// What a connection's events change outside the connection itself.
pub struct Outside<'a> {
    pub charts: &'a mut Charts,
    pub publish_history: &'a mut PublishHistory,
    pub notices: &'a mut Vec<Notice>,
}

/// One broker connection.
pub struct Connection {
    pub id: ConnId,
    /// The profile's name; unique among the open connections, and what charts refer to.
    pub name: String,
    pub profile: Profile,
    pub model: Model,
    /// What the broker says about itself in `$SYS` (the Broker pane).
    pub broker_sys: BrokerSys,
    /// The fleet recognised from this connection's messages (the Devices pane).
    pub devices: Devices,
    /// When the devices' health was last announced (seconds since the epoch).
    devices_checked: f64,
    /// When each subscription was granted (a silent one is explained in the tree).
    pub grants: super::sub_watch::GrantTimes,
    pub status: ConnectionState,
    pub subscriptions: Vec<SubscriptionStatus>,
    pub paused: Option<PauseBuffer>,
    pub stats: Stats,
    /// Outcome of the most recent publish from the panel on this connection.
    pub last_publish: Option<(PublishId, PublishOutcome)>,
    /// Bumped whenever the tree is emptied: views holding node ids start afresh.
    pub epoch: u64,
    /// Publishes waiting for their outcome, with their index in the publish history.
    pub(super) pending_publishes: HashMap<PublishId, usize>,
    /// Replies waited for, and the last requests' outcomes.
    pub replies: super::replies::Replies,
    /// Rates by first level over time and the top lists (the Traffic pane).
    pub traffic: super::traffic::Traffic,
    /// Repeated publishes on this connection (running ones and the last finished).
    pub repeats: Vec<super::repeats::Repeat>,
    /// Which repeat each in-flight publish belongs to.
    pub(super) repeat_ids: super::repeats::RepeatIds,
    /// The recording of this connection's messages, while one runs (`start_recording`):
    /// every batch is copied to its writer thread without waiting; a full queue counts
    /// drops in its stats instead of slowing the frame.
    pub recording: Option<super::recording::Recorder>,
    /// A recording opened read-only in place of a broker (see [`super::playback`]).
    pub playback: Option<super::playback::Playback>,
    worker: Option<WorkerHandle>,
    waker: Option<Waker>,
    /// The rest of a message batch that `drain` cut short at its time budget.
    backlog: Option<std::vec::IntoIter<Message>>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A connection that has not connected yet; its worker starts on the first `connect`.
    pub fn new(id: ConnId, profile: Profile, history_budget_bytes: usize, waker: Option<Waker>) -> Self {
        Self {
            id,
            name: profile.name.clone(),
            profile,
            model: Model::new(history_budget_bytes),
            broker_sys: BrokerSys::default(),
            devices: Devices::default(),
            devices_checked: 0.0,
            grants: super::sub_watch::GrantTimes::default(),
            status: ConnectionState::Disconnected { reason: None },
            subscriptions: Vec::new(),
            paused: None,
            stats: Stats {
                rate: RateMeter::new(Instant::now()),
                received: 0,
                retained_received: 0,
                publish_failures: 0,
                shed_messages: 0,
            },
            last_publish: None,
            epoch: 0,
            pending_publishes: HashMap::new(),
            replies: super::replies::Replies::default(),
            repeats: Vec::new(),
            traffic: super::traffic::Traffic::default(),
            repeat_ids: super::repeats::RepeatIds::default(),
            recording: None,
            playback: None,
            worker: None,
            waker,
            backlog: None,
        }
    }

    /// Starts recording this connection's messages on the topics matching `filters`
    /// (empty: all) to a new file at `path`.
    pub fn start_recording(
        &mut self,
        path: &std::path::Path,
        filters: Vec<String>,
        options: crate::record::WriterOptions,
    ) -> Result<(), crate::record::RecordError> {
        // The file says what it holds: the filters asked for, else what was subscribed.
        let described: Vec<String> = if filters.is_empty() {
            self.subscriptions.iter().map(|s| s.filter.clone()).collect()
        } else {
            filters.clone()
        };
        let meta = crate::record::RecordingMeta::new(&self.profile.broker_url, &described);
        let mut recorder = super::recording::Recorder::create(path, &meta, filters, options)?;
        if let ConnectionState::Connected { broker } = &self.status {
            recorder.event("connected", broker);
        }
        recorder.offer_start_state(&self.retained_state(std::time::SystemTime::now()));
        self.recording = Some(recorder);
        Ok(())
    }

    /// What the broker holds retained, as far as this connection has seen: each topic
    /// that came retained (its last message, or one still in its history: a last will
    /// reaches a subscriber already there as a live message), its last value, flagged
    /// retained and stamped `at`. The broker sends retained messages once, when the
    /// subscription is made, so a recording started later starts with them (the Home
    /// Assistant configs, the devices' online/offline), as one made with `topicscope
    /// record` does.
    fn retained_state(&self, at: std::time::SystemTime) -> Vec<Message> {
        let tree = self.model.tree();
        let history = self.model.history();
        tree.iter_subtree(crate::model::NodeId::ROOT)
            .filter(|&id| tree.node(id).retained() || history.messages(id).any(|m| m.retain))
            .filter_map(|id| {
                let last = tree.last_message(id).filter(|m| !m.payload.is_empty())?;
                Some(Message {
                    topic: tree.full_topic(id),
                    payload: last.payload.to_bytes(),
                    qos: last.qos,
                    retain: true,
                    time: at,
                    properties: last.properties().cloned().map(Box::new),
                })
            })
            .collect()
    }

    /// Stops the recording (if one runs): waits for its last commit and returns its
    /// final counters, or why it failed.
    pub fn stop_recording(&mut self) -> Option<Result<crate::record::RecordingStats, crate::record::RecordError>> {
        self.recording.take().map(super::recording::Recorder::finish)
    }

    /// True while connected or trying to be.
    pub fn active(&self) -> bool {
        !matches!(self.status, ConnectionState::Disconnected { .. })
    }

    pub fn connected(&self) -> bool {
        matches!(self.status, ConnectionState::Connected { .. })
    }

    /// True when this connection speaks MQTT 5 and is up (publishes can carry properties).
    pub fn mqtt5_active(&self) -> bool {
        self.active() && self.profile.mqtt_version == MqttVersion::V5
    }

    /// The broker address without any password the URL may carry.
    pub fn broker_display(&self) -> String {
        crate::profiles::BrokerUrl::parse(&self.profile.broker_url)
            .map_or_else(|_| self.profile.broker_url.clone(), |u| u.to_string())
    }

    /// Sends a command to this connection's worker, starting the worker if needed.
    pub fn send(&mut self, cmd: Command) -> Result<(), String> {
        if self.playback.is_some() {
            return Err(self.read_only());
        }
        if self.worker.is_none() {
            let w = WorkerHandle::spawn_behind_ui(self.waker.clone())
                .map_err(|e| crate::tr!("chrome-worker-start-failed", error = crate::i18n::shown(e)))?;
            self.worker = Some(w);
        }
        match &self.worker {
            Some(w) => w.send(cmd).map_err(|e| e.to_string()),
            None => Err(crate::tr!("chrome-worker-stopped")),
        }
    }

    /// Why nothing can be sent on an opened recording, in words.
    pub fn read_only(&self) -> String {
        crate::tr!("rec-open-read-only", name = self.name.as_str())
    }

    /// Connects (or reconnects) with `profile`; the tree is kept.
    pub fn connect(&mut self, profile: Profile) -> Result<(), String> {
        self.subscriptions = profile
            .subscriptions
            .iter()
            .map(|s| SubscriptionStatus {
                filter: s.filter.clone(),
                qos: s.qos,
                status: "pending".into(),
            })
            .collect();
        self.name = profile.name.clone();
        // Perhaps another broker: what the last one said about itself goes.
        self.broker_sys = BrokerSys::default();
        self.devices.clear();
        self.profile = profile.clone();
        self.apply_device_settings();
        self.status = ConnectionState::Connecting {
            broker: self.broker_display(),
        };
        self.send(Command::Connect(Box::new(profile)))
    }

    /// Empties the tree, the history and the counters (the connection stays as it is).
    pub fn clear(&mut self) {
        self.model.clear();
        self.traffic.clear();
        self.devices.clear();
        self.backlog = None;
        if let Some(p) = &mut self.paused {
            p.messages.clear();
            p.bytes = 0;
        }
        self.stats.shed_messages = 0;
        self.epoch += 1;
    }

    /// Applies one worker event.
    pub fn apply(&mut self, ev: Event, out: &mut Outside<'_>) {
        match ev {
            Event::State(s) => {
                if let Some(writer) = &self.recording {
                    match &s {
                        ConnectionState::Connected { broker } => writer.event("connected", broker),
                        ConnectionState::Reconnecting { reason, .. } => writer.event("lost", reason),
                        ConnectionState::Disconnected { reason } => {
                            writer.event("disconnected", reason.as_deref().unwrap_or_default());
                        }
                        ConnectionState::Connecting { .. } => {}
                    }
                }
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
                // A `$SYS` subscription counts as silent only from its next grant.
                self.broker_sys.sys_gone();
                self.grants.clear();
                // A failure the user did not ask for is worth a toast (repeats collapse there).
                match &s {
                    ConnectionState::Reconnecting { reason, .. }
                    | ConnectionState::Disconnected { reason: Some(reason) } => {
                        push_error(out.notices, format!("{}: {reason}", super::display_name(&self.name)));
                    }
                    _ => {}
                }
                self.status = s;
            }
            Event::Messages(batch) => {
                self.arrived(&batch);
                match &mut self.paused {
                    Some(buf) => {
                        self.stats.shed_messages += buf.hold(batch);
                    }
                    None => {
                        for m in batch {
                            self.ingest(m, out.charts);
                        }
                    }
                }
            }
            Event::PublishSent { id } => self.publish_outcome(id, PublishOutcome::Sent, out),
            Event::PublishAcked { id } => self.publish_outcome(id, PublishOutcome::Acknowledged, out),
            Event::PublishFailed { id, reason } => {
                self.stats.publish_failures += 1;
                self.publish_outcome(id, PublishOutcome::Failed(reason), out);
            }
            Event::Subscribed { filter, qos } => {
                if filter_covers_sys(&filter) {
                    self.broker_sys.sys_granted(crate::app::now_secs());
                }
                self.grants.granted(&filter, Instant::now(), self.stats.received);
                self.set_sub_status(&filter, format!("granted QoS {qos}"));
            }
            Event::SubscribeFailed { filter, reason } => {
                let text = crate::tr!(
                    "chrome-subscription-failed",
                    name = super::display_name(&self.name),
                    filter = filter.as_str(),
                    reason = reason.as_str()
                );
                push_error(out.notices, text);
                self.set_sub_status(&filter, format!("refused: {reason}"));
            }
            Event::RetainedCleared(report) => push_notice(out.notices, format!("{}: {report}", self.name)),
            Event::Error(e) => push_error(out.notices, format!("{}: {e}", self.name)),
        }
    }

    /// What a batch changes as it arrives, before a pause holds it or a busy frame
    /// leaves it in the backlog: the counters, the replies waited for, and the broker's
    /// `$SYS` figures (the Broker pane stays live while the tree is paused).
    fn arrived(&mut self, batch: &[Message]) {
        if let Some(recorder) = &mut self.recording {
            // Copied into one packed batch (a few allocations); never waits.
            recorder.offer(batch);
        }
        self.stats.rate.add(batch.len() as u64, Instant::now());
        self.stats.received += batch.len() as u64;
        self.stats.retained_received += batch.iter().filter(|m| m.retain).count() as u64;
        self.match_replies(batch);
        // One byte compared per message on the normal path.
        for m in batch.iter().filter(|m| m.topic.starts_with('$')) {
            let t = m
                .time
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            self.broker_sys.ingest(&m.topic, &m.payload, t);
        }
        // A few hash lookups per message; live while the tree is paused, like $SYS.
        for m in batch {
            let t = m
                .time
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            self.devices.ingest(&m.topic, &m.payload, m.retain, t);
        }
    }

    /// Announces devices that went offline, silent or flapping, and new client-id
    /// collisions (checked once a second).
    pub fn announce_devices(&mut self, now: f64, notices: &mut Vec<Notice>) {
        // A recording's devices went silent long ago: that is not news.
        if now - self.devices_checked < 1.0 || self.playback.is_some() {
            return;
        }
        self.devices_checked = now;
        // The connection as its tab names it ("演示设备群", not the stored "Demo fleet").
        let shown_name = super::display_name(&self.name);
        let new_collisions = self.devices.collisions_mut().new_collisions(now);
        let active: Vec<crate::model::devices::Collision> =
            self.devices.collisions().active(now).into_iter().cloned().collect();
        // A collision explains its devices going offline and online: its own toast says
        // why, so theirs would only repeat it (the demo's twins made four toasts at once).
        let explained = |name: &str| {
            active.iter().any(|c| {
                c.devices.iter().any(|d| d == name)
                    || c.client_id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(name))
            })
        };
        for e in self.devices.health_events(now) {
            if matches!(e.health, Health::Offline | Health::Flapping) && explained(&e.name) {
                continue;
            }
            let name = e.name.as_str();
            let conn = shown_name.as_str();
            let text = match e.health {
                Health::Offline => crate::tr!("dev-toast-offline", name = name, conn = conn),
                Health::Silent => match self.profile.devices.silent_after_secs {
                    Some(secs) => crate::tr!("dev-toast-silent-set", name = name, secs = secs, conn = conn),
                    None => crate::tr!("dev-toast-silent", name = name, conn = conn),
                },
                _ => crate::tr!("dev-toast-flapping", name = name, conn = conn),
            };
            if self.profile.devices.desktop_notifications
                && let Some(why) = super::desktop_notify::notify(&self.profile.devices.notify_command, &text)
            {
                push_notice_at(notices, why, NoticeLevel::Error);
            }
            push_notice_at(notices, text, NoticeLevel::Error);
        }
        for c in new_collisions {
            // A suspicion about devices the broker already named in a collision adds nothing.
            let confirmed = |o: &crate::model::devices::Collision| {
                !o.evidence.suspected() && c.devices.iter().all(|d| o.devices.contains(d))
            };
            if c.evidence.suspected() && active.iter().any(confirmed) {
                continue;
            }
            let conn = shown_name.as_str();
            let text = if c.evidence.suspected() {
                crate::tr!(
                    "dev-toast-collision-suspected",
                    pair = c.devices.join(", "),
                    conn = conn
                )
            } else {
                crate::tr!("dev-toast-collision", id = c.label(), conn = conn)
            };
            if self.profile.devices.desktop_notifications
                && let Some(why) = super::desktop_notify::notify(&self.profile.devices.notify_command, &text)
            {
                push_notice_at(notices, why, NoticeLevel::Error);
            }
            push_notice_at(notices, text, NoticeLevel::Error);
        }
    }

    /// Records one message in the model and feeds the plots that follow its topic.
    pub fn ingest(&mut self, m: Message, charts: &mut Charts) {
        if charts.watches(&self.name, &m.topic) {
            let topic = m.topic.clone();
            let id = self.model.ingest(m);
            if let Some(last) = self.model.tree().last_message(id) {
                let encoding = self.profile.encodings.for_topic(&topic);
                charts.on_message(&self.name, &topic, last, encoding, self.model.sparkplug());
            }
        } else {
            self.model.ingest(m);
        }
    }

    /// Drains this connection's events until `deadline`; true when some are left over.
    /// A batch holds up to thousands of messages, so batches are split: the time is
    /// checked every `DRAIN_CHECK_EVERY` messages and the rest waits for the next frame.
    pub fn drain(&mut self, deadline: Instant, out: &mut Outside<'_>) -> bool {
        if self.playback.is_some() {
            return self.drain_playback(deadline, out);
        }
        loop {
            // Finish the batch cut short last time before taking new events: keeps order.
            if let Some(mut rest) = self.backlog.take() {
                let mut n = 0usize;
                while let Some(m) = rest.next() {
                    self.ingest(m, out.charts);
                    n += 1;
                    if n.is_multiple_of(DRAIN_CHECK_EVERY) && Instant::now() >= deadline && !rest.as_slice().is_empty()
                    {
                        self.backlog = Some(rest);
                        return true;
                    }
                }
            }
            let Some(worker) = &self.worker else { return false };
            if Instant::now() >= deadline {
                return !worker.events.is_empty();
            }
            match worker.events.try_recv() {
                Ok(Event::Messages(batch)) if self.paused.is_none() => {
                    self.arrived(&batch);
                    self.backlog = Some(batch.into_iter());
                }
                Ok(ev) => self.apply(ev, out),
                Err(_) => return false,
            }
        }
    }

    /// Takes the replies waited for out of a batch as it arrives: before a pause holds
    /// it or a busy frame leaves it in the backlog, so a round trip is the reply's arrival.
    fn match_replies(&mut self, batch: &[Message]) {
        if !self.replies.any_waiting() {
            return;
        }
        for m in batch {
            for filter in self.replies.on_message(m) {
                self.release_reply_subscription(filter);
            }
        }
        self.count_repeat_replies();
    }

    fn set_sub_status(&mut self, filter: &str, status: String) {
        if let Some(s) = self.subscriptions.iter_mut().find(|s| s.filter == filter) {
            s.status = status;
        }
    }

    fn publish_outcome(&mut self, id: PublishId, outcome: PublishOutcome, out: &mut Outside<'_>) {
        if self.repeat_outcome(id, &outcome) {
            return;
        }
        if let PublishOutcome::Failed(reason) = &outcome {
            push_error(out.notices, format!("{}: {reason}", super::display_name(&self.name)));
        }
        if let Some(idx) = self.pending_publishes.get(&id).copied() {
            out.publish_history.set_outcome(idx, &outcome);
            // A QoS 0 publish stays pending after "sent": a broker that hangs up right after
            // it (MQTT 3.1.1's only refusal) turns it into a failure. Entries leave the map
            // once their record falls out of the history (`AppState::publish`).
            if matches!(outcome, PublishOutcome::Acknowledged | PublishOutcome::Failed(_)) {
                self.pending_publishes.remove(&id);
            }
        }
        if let Some((last, o)) = &mut self.last_publish
            && *last == id
        {
            *o = outcome;
        }
    }

    /// Applies the held messages and follows live traffic again.
    pub fn resume(&mut self, charts: &mut Charts) {
        if let Some(buf) = self.paused.take() {
            for m in buf.messages {
                self.ingest(m, charts);
            }
        }
    }

    /// True when a subscription covering `$SYS` is wanted and not refused.
    pub fn sys_subscribed(&self) -> bool {
        self.subscriptions
            .iter()
            .any(|s| filter_covers_sys(&s.filter) && !s.status.starts_with("refused"))
    }

    /// The granted filters after whose grant nothing arrived for
    /// [`super::sub_watch::SILENT_AFTER`], with how long; and when the next may become so.
    pub fn silent_subscriptions(&self, now: Instant) -> (Vec<(&str, Duration)>, Option<Duration>) {
        self.grants.silent(&self.subscriptions, now, self.stats.received)
    }

    /// Why the wildcard filters bring no retained message, when the broker looks like
    /// RabbitMQ (see [`super::sub_watch::retained_hint`]); `now`: seconds since 1970.
    pub fn retained_hint(&self, now: f64) -> Option<super::sub_watch::RetainedHint> {
        let sys = self.broker_sys.state(now, self.sys_subscribed());
        super::sub_watch::retained_hint(
            &self.subscriptions,
            sys,
            self.stats.received,
            self.stats.retained_received,
        )
    }

    /// The refused subscription covering `$SYS`, if any.
    pub fn sys_refused(&self) -> Option<&SubscriptionStatus> {
        self.subscriptions
            .iter()
            .find(|s| filter_covers_sys(&s.filter) && s.status.starts_with("refused"))
    }

    /// Time until the reconnect countdown shown for this connection changes.
    pub fn countdown_tick(&self) -> Option<Duration> {
        matches!(self.status, ConnectionState::Reconnecting { .. }).then_some(Duration::from_millis(500))
    }
}

/// Records information for the user.
pub fn push_notice(notices: &mut Vec<Notice>, text: String) {
    push_notice_at(notices, text, NoticeLevel::Info);
}

/// Records a failure for the user (it stays on screen until dismissed).
pub fn push_error(notices: &mut Vec<Notice>, text: String) {
    push_notice_at(notices, text, NoticeLevel::Error);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Connection::apply` borrows from the app, owned by a test.
    struct Outer {
        _dir: tempfile::TempDir,
        charts: Charts,
        history: PublishHistory,
        notices: Vec<Notice>,
    }

    impl Outer {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let history = PublishHistory::load(dir.path().join("publish_history.ron"));
            Self {
                _dir: dir,
                charts: Charts::default(),
                history,
                notices: Vec::new(),
            }
        }

        fn out(&mut self) -> Outside<'_> {
            Outside {
                charts: &mut self.charts,
                publish_history: &mut self.history,
                notices: &mut self.notices,
            }
        }
    }

    #[test]
    fn a_subscription_status_is_shown_in_words_with_its_details() {
        let sub = |status: &str| SubscriptionStatus {
            filter: "#".into(),
            qos: 1,
            status: status.into(),
        };
        // Tests of the lib run in English; tests/i18n_chrome.rs checks the Chinese.
        for status in ["pending", "granted QoS 1", "refused: Not authorized (0x87)"] {
            assert_eq!(sub(status).shown(), status);
        }
        assert_eq!(sub("something new").shown(), "something new");
    }

    /// The broker sent its retained messages when the connection subscribed, long
    /// before the recording: it starts with them (not with the live-only topics).
    #[test]
    fn a_recording_starts_with_the_retained_state_seen_before_it() {
        let mut conn = Connection::new(1, Profile::new("b", "mqtt://127.0.0.1:1"), 1 << 20, None);
        let mut outer = Outer::new();
        let mut out = outer.out();
        conn.apply(
            Event::Messages(vec![
                Message::new("homeassistant/sensor/t/config", "{\"name\":\"温度\"}", 1, true),
                Message::new("esp32/a/status", "online", 0, true),
                Message::new("esp32/a/t", "21.5", 0, false),
                Message::new("esp32/a/status", "offline", 1, false),
            ]),
            &mut out,
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("later.tsrec");
        conn.start_recording(
            &file,
            vec!["homeassistant/#".into(), "esp32/#".into()],
            crate::record::WriterOptions::default(),
        )
        .unwrap();
        conn.apply(
            Event::Messages(vec![Message::new("esp32/a/t", "22", 0, false)]),
            &mut out,
        );
        let stats = conn.stop_recording().unwrap().unwrap();
        assert_eq!(stats.dropped, 0);
        let rec = crate::record::Recording::open(&file).unwrap();
        let mut got = Vec::new();
        rec.for_each(&crate::record::RecordingQuery::default(), |r| {
            got.push((
                r.message.topic,
                String::from_utf8_lossy(&r.message.payload).into_owned(),
                r.message.retain,
            ));
            true
        })
        .unwrap();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("esp32/a/status".to_owned(), "offline".to_owned(), true),
                ("esp32/a/t".to_owned(), "22".to_owned(), false),
                (
                    "homeassistant/sensor/t/config".to_owned(),
                    "{\"name\":\"温度\"}".to_owned(),
                    true
                ),
            ],
            "the retained topics' last values, then what came live"
        );
    }

    #[test]
    fn a_recording_gets_every_batch_the_connection_applies() {
        let mut conn = Connection::new(1, Profile::new("b", "mqtt://127.0.0.1:1"), 1 << 20, None);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("window.tsrec");
        conn.start_recording(&file, Vec::new(), crate::record::WriterOptions::default())
            .unwrap();
        let mut outer = Outer::new();
        let mut out = outer.out();
        conn.paused = Some(PauseBuffer::default());
        let batch = vec![
            Message::new("esp32/a/t", "21.5", 1, false),
            Message::new("esp32/a/h", &[0u8, 255][..], 0, true),
        ];
        conn.apply(Event::Messages(batch), &mut out);
        let stats = conn.stop_recording().unwrap().unwrap();
        assert_eq!((stats.messages, stats.dropped), (2, 0));
        assert!(conn.recording.is_none());
        let rec = crate::record::Recording::open(&file).unwrap();
        let mut got = Vec::new();
        rec.for_each(&crate::record::RecordingQuery::default(), |r| {
            got.push((
                r.message.topic,
                r.message.payload.to_vec(),
                r.message.qos,
                r.message.retain,
            ));
            true
        })
        .unwrap();
        assert_eq!(
            got,
            vec![
                ("esp32/a/t".to_owned(), b"21.5".to_vec(), 1, false),
                ("esp32/a/h".to_owned(), vec![0, 255], 0, true)
            ],
            "recorded while the tree is paused, too"
        );
    }

    #[test]
    fn sys_figures_stay_live_while_the_tree_is_paused() {
        let mut conn = Connection::new(1, Profile::new("b", "mqtt://127.0.0.1:1"), 1 << 20, None);
        conn.paused = Some(PauseBuffer::default());
        let mut outer = Outer::new();
        let mut out = outer.out();
        let batch = vec![
            Message::new("$SYS/broker/uptime", "42 seconds", 0, false),
            Message::new("esp32/t", "1", 0, false),
        ];
        conn.apply(Event::Messages(batch), &mut out);
        assert_eq!(conn.broker_sys.stats().uptime_secs, Some(42));
        assert_eq!(conn.stats.received, 2);
        assert_eq!(conn.model.total_messages(), 0, "the tree is paused");
        // Resumed, the tree gets both, and the broker's figures are not counted twice.
        conn.resume(&mut outer.charts);
        assert_eq!(conn.model.total_messages(), 2);
        assert_eq!(conn.broker_sys.messages(), 1);
    }

    #[test]
    fn devices_are_fed_as_batches_arrive_and_going_offline_is_announced_once() {
        let mut conn = Connection::new(1, Profile::new("b", "mqtt://127.0.0.1:1"), 1 << 20, None);
        conn.paused = Some(PauseBuffer::default());
        let mut outer = Outer::new();
        let mut out = outer.out();
        let online = vec![Message::new("tele/plug/LWT", "Online", 1, true)];
        conn.apply(Event::Messages(online), &mut out);
        assert_eq!(conn.devices.devices().len(), 1, "fed while the tree is paused");
        let now = crate::app::now_secs();
        conn.announce_devices(now, out.notices);
        assert!(out.notices.is_empty(), "an online device is not news");
        let offline = vec![Message::new("tele/plug/LWT", "Offline", 1, true)];
        conn.apply(Event::Messages(offline), &mut out);
        conn.announce_devices(now + 0.5, out.notices);
        assert!(out.notices.is_empty(), "checked at most once a second");
        conn.announce_devices(now + 1.5, out.notices);
        assert_eq!(out.notices.len(), 1);
        assert!(out.notices[0].text.contains("plug"), "{}", out.notices[0].text);
        conn.announce_devices(now + 3.0, out.notices);
        assert_eq!(out.notices.len(), 1, "announced once");
    }

    #[test]
    fn twins_kicking_each_other_off_make_one_toast_not_one_per_board() {
        let mut conn = Connection::new(1, Profile::new("b", "mqtt://127.0.0.1:1"), 1 << 20, None);
        let mut outer = Outer::new();
        let mut out = outer.out();
        let now = crate::app::now_secs();
        let both_online = vec![
            Message::new("shed/fan/status", "online", 1, false),
            Message::new("shed/pump/status", "online", 1, false),
        ];
        conn.apply(Event::Messages(both_online), &mut out);
        conn.announce_devices(now, out.notices);
        // Two boards with one client id: each connect kicks the other off, whose will
        // the broker then publishes. Six swaps in step.
        for i in 0..6 {
            let (up, down) = if i % 2 == 0 { ("fan", "pump") } else { ("pump", "fan") };
            let swap = vec![
                Message::new(format!("shed/{down}/status"), "offline", 1, false),
                Message::new(format!("shed/{up}/status"), "online", 1, false),
            ];
            conn.apply(Event::Messages(swap), &mut out);
        }
        conn.announce_devices(now + 1.5, out.notices);
        let texts: Vec<&str> = out.notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts.len(), 1, "one toast for one cause: {texts:?}");
        assert!(
            texts[0].contains("shed/fan") && texts[0].contains("shed/pump"),
            "{texts:?}"
        );
    }

    #[test]
    fn the_pause_buffer_is_bounded_in_bytes_and_counts_what_it_sheds() {
        let mut buf = PauseBuffer::default();
        let big = bytes::Bytes::from(vec![0u8; 100 * 1024 * 1024]);
        let batch: Vec<Message> = (0..4)
            .map(|i| Message::new(format!("t/{i}"), big.clone(), 0, false))
            .collect();
        // Two 100 MiB messages fit in 256 MiB, the other two are shed and counted.
        assert_eq!(buf.hold(batch), 2);
        assert_eq!(buf.messages.len(), 2);
        assert_eq!(buf.shed, 2);
        assert!(buf.bytes <= PAUSE_BUFFER_MAX_BYTES);
        // Small ones still fit.
        assert_eq!(buf.hold(vec![Message::new("s", "1", 0, false)]), 0);
    }
}
