//! Sending saved commands (and the publish form, which sends itself as one), waiting
//! for their replies, and running repeats: what [`AppState`] and [`Connection`] do for
//! the Commands and Publish panes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::connection::{Connection, PublishOutcome};
use super::repeats::{MAX_IN_FLIGHT, Repeat, RepeatId, RepeatSpec, load_payload};
use super::replies::covered_by;
use super::state::AppState;
use crate::model::saved_command::{DEFAULT_REPLY_TIMEOUT_SECS, Prepared, SavedCommand};
use crate::mqtt::{Command, PublishId, PublishRequest};

/// Most replies waited for at once on a connection; beyond it a send does not wait
/// (a fast repeat with a reply topic must not grow the list without bound).
const MAX_WAITING: usize = 1_000;

/// Sends a repeat makes in one tick at most (at 10,000 a second and a frame late).
const MAX_SENDS_PER_TICK: u64 = 5_000;

impl AppState {
    /// Replaces the active connection's saved commands and writes them to its profile
    /// in `profiles.ron`. `Ok(false)`: checked and kept for this session only, because
    /// the connection has no saved profile (the demo, a command-line broker).
    pub fn set_commands(&mut self, commands: Vec<SavedCommand>) -> Result<bool, String> {
        crate::model::saved_command::validate_commands(&commands)?;
        let name = self.conn().name.clone();
        self.conn_mut().profile.commands.clone_from(&commands);
        let Some(mut saved) = self.profiles.get(&name).cloned() else {
            return Ok(false);
        };
        saved.commands = commands;
        self.profiles.upsert(saved);
        self.profiles.save().map_err(|e| e.to_string())?;
        Ok(true)
    }

    /// True when the active connection's commands are kept in a saved profile.
    pub fn commands_saved(&self) -> bool {
        self.profiles.get(&self.conn().name).is_some()
    }

    /// Sends `command` on the active connection: variables filled (`values` for the
    /// user ones; its `{{counter}}` is how often it was sent this session, from 1),
    /// recorded in the publish history, and its reply waited for when it expects one.
    pub fn send_command(
        &mut self,
        command: &SavedCommand,
        values: &BTreeMap<String, String>,
    ) -> Result<PublishId, String> {
        if !self.connection_active() {
            return Err(crate::tr!("chrome-not-connected"));
        }
        let key = (self.conn().name.clone(), command.full_name());
        let counter = self.command_counters.get(&key).copied().unwrap_or(0) + 1;
        let prepared = command.prepare(counter, values, self.mqtt5_active())?;
        self.command_counters.insert(key, counter);
        let label = if command.name.is_empty() {
            prepared.topic.clone()
        } else {
            command.full_name()
        };
        self.conn_mut().expect_reply(&prepared, label);
        let Prepared {
            topic,
            payload,
            qos,
            retain,
            properties,
            ..
        } = prepared;
        self.publish(&topic, payload, qos, retain, &command.format, properties)
    }

    /// Starts repeating on the active connection; returns its id.
    pub fn start_repeat(&mut self, spec: RepeatSpec) -> Result<RepeatId, String> {
        if !self.connection_active() {
            return Err(crate::tr!("chrome-not-connected"));
        }
        // Checked once before starting, so a mistake is shown now, not after the first tick.
        spec.command.prepare(1, &spec.values, self.mqtt5_active())?;
        let id = self.next_repeat_id;
        self.next_repeat_id += 1;
        let c = self.conn_mut();
        // Finished repeats make way: the pane shows the running ones and the last few.
        c.repeats.retain(Repeat::running);
        c.repeats.push(Repeat::new(id, spec, Instant::now()));
        Ok(id)
    }

    /// Stops a repeat on whichever connection runs it.
    pub fn stop_repeat(&mut self, id: RepeatId) {
        for c in &mut self.connections {
            if let Some(r) = c.repeats.iter_mut().find(|r| r.id == id) {
                r.stopped = true;
                r.end(Instant::now(), None);
            }
        }
    }

    /// Sends what repeats have due and ends the reply waits whose time is up, on every
    /// connection; returns when to tick again (`None`: nothing is running).
    pub fn tick(&mut self, now: Instant) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        for i in 0..self.connections.len() {
            let wake = self.tick_connection(i, now);
            next = match (next, wake) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        next
    }

    fn tick_connection(&mut self, i: usize, now: Instant) -> Option<Instant> {
        let mut next_id = self.next_publish_id;
        let c = &mut self.connections[i];
        // The stacked traffic chart: one sample a second of the first level.
        c.traffic.history.sample(c.model.tree(), std::time::SystemTime::now());
        for filter in c.replies.expire(now) {
            c.release_reply_subscription(filter);
        }
        c.count_repeat_replies();
        let mut next = c.replies.next_deadline();
        for r in 0..c.repeats.len() {
            if !c.repeats[r].running() {
                continue;
            }
            if !c.connected() {
                // Sends are not queued while the connection is down; those ticks are
                // skipped (and counted) when it comes back.
                next = Some(next.map_or(now + Duration::from_millis(250), |n| {
                    n.min(now + Duration::from_millis(250))
                }));
                continue;
            }
            if c.repeats[r].in_flight() < MAX_IN_FLIGHT {
                let due = c.repeats[r].schedule.due(now).min(MAX_SENDS_PER_TICK);
                for _ in 0..due {
                    if let Err(e) = c.repeat_send(r, &mut next_id) {
                        c.repeats[r].end(now, Some(e));
                        break;
                    }
                }
            }
            let rep = &mut c.repeats[r];
            if rep.schedule.finished() && rep.running() && rep.in_flight() == 0 {
                rep.end(now, None);
            }
            let wake = if rep.schedule.finished() {
                // Waiting for the last acknowledgements: look again soon.
                rep.running().then(|| now + Duration::from_millis(100))
            } else {
                rep.schedule.next_at()
            };
            next = match (next, wake) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        self.next_publish_id = next_id;
        next
    }
}

impl Connection {
    /// Waits for the reply `prepared` expects, if any (subscribing to its topic when no
    /// subscription of the connection covers it).
    pub(super) fn expect_reply(&mut self, prepared: &Prepared, label: String) {
        let response = prepared.properties.as_ref().and_then(|p| p.response_topic.clone());
        let correlation = prepared.properties.as_ref().and_then(|p| p.correlation_data.clone());
        let (filter, timeout) = match (&prepared.reply, response) {
            (Some((filter, timeout)), _) => (filter.clone(), *timeout),
            (None, Some(topic)) => (topic, Duration::from_secs(u64::from(DEFAULT_REPLY_TIMEOUT_SECS))),
            (None, None) => return,
        };
        if self.replies.waiting_count() >= MAX_WAITING {
            return;
        }
        let subscribed = self
            .subscriptions
            .iter()
            .filter(|s| !s.status.starts_with("refused"))
            .map(|s| s.filter.as_str());
        let own = !covered_by(&filter, subscribed);
        if own && !self.replies.holds_subscription(&filter) {
            // Sent before the publish on the same connection: the broker has the
            // subscription in place before the device can answer.
            let _ = self.send(Command::Subscribe {
                filter: filter.clone(),
                qos: 0,
            });
        }
        self.replies.wait(label, filter, correlation, timeout, own);
    }

    /// Unsubscribes from a filter subscribed only for a reply, unless the user has
    /// subscribed to it since.
    pub(super) fn release_reply_subscription(&mut self, filter: String) {
        if self.subscriptions.iter().any(|s| s.filter == filter) {
            return;
        }
        let _ = self.send(Command::Unsubscribe { filter });
    }

    /// Sends repeat `r`'s next message.
    fn repeat_send(&mut self, r: usize, next_id: &mut PublishId) -> Result<(), String> {
        let mqtt5 = self.mqtt5_active();
        self.repeats[r].sends += 1;
        let rep = &self.repeats[r];
        let n = rep.sends;
        let spec = &rep.spec;
        let mut prepared = spec.command.prepare(n, &spec.values, mqtt5)?;
        if let Some(size) = spec.payload_size {
            prepared.payload = load_payload(n, size);
        } else {
            let label = spec.command.full_name();
            let label = if label.is_empty() {
                prepared.topic.clone()
            } else {
                label
            };
            let waits = self.replies.waiting_count();
            self.expect_reply(&prepared, label);
            if self.replies.waiting_count() > waits {
                self.replies.tag_last(self.repeats[r].id);
            }
        }
        let id = *next_id;
        *next_id += 1;
        let mut request = PublishRequest::new(id, prepared.topic, prepared.payload, prepared.qos, prepared.retain);
        request.properties = prepared.properties;
        let repeat_id = self.repeats[r].id;
        match self.send(Command::Publish(request)) {
            Ok(()) => self.repeat_ids.insert(id, repeat_id),
            Err(_) => self.repeats[r].busy += 1,
        }
        Ok(())
    }

    /// Adds the round trips of repeats' replies that ended to their repeats.
    pub(super) fn count_repeat_replies(&mut self) {
        for (tag, rtt) in self.replies.take_tagged() {
            if let Some(r) = self.repeats.iter_mut().find(|r| r.id == tag) {
                r.replies.add(rtt);
            }
        }
    }

    /// Counts a publish outcome for the repeat it belongs to; false when it belongs to none.
    pub(super) fn repeat_outcome(&mut self, id: PublishId, outcome: &PublishOutcome) -> bool {
        let last = !matches!(outcome, PublishOutcome::Pending);
        let Some(repeat_id) = self.repeat_ids.take(id, last) else {
            return false;
        };
        if let Some(r) = self.repeats.iter_mut().find(|r| r.id == repeat_id) {
            match outcome {
                PublishOutcome::Sent | PublishOutcome::Acknowledged => r.acknowledged += 1,
                PublishOutcome::Failed(reason) => {
                    r.failed += 1;
                    r.error = Some(reason.clone());
                }
                PublishOutcome::Pending => {}
            }
        }
        true
    }
}
