//! One device as the registry keeps it: identity, availability with its changes,
//! when it was heard from, its reporting rhythm, key readings with a short history,
//! switch states, topics and commands. Bounded: every list has a cap.

use std::collections::VecDeque;

use super::health::{Health, HealthRules};
use super::recognise::{DeviceCommand, Kind};
use super::timeline::Timeline;

/// How long a command waits for the device's answer before the wait is given up.
pub const ANSWER_WAIT_SECS: f64 = 30.0;

/// Messages within this many seconds of the previous one belong to the same report
/// (a Tasmota SENSOR and STATE, an ESPHome node's five sensors): the interval is
/// between reports, not between messages.
pub const BURST_SECS: f64 = 0.5;
/// Gaps kept for the interval estimate.
pub const GAPS_MAX: usize = 32;
/// Availability changes kept for the flapping verdict.
pub const CHANGES_MAX: usize = 64;
/// Message times kept for the rate (the last minute, at most this many).
pub const RATE_TIMES_MAX: usize = 256;
pub const RATE_WINDOW_SECS: f64 = 60.0;
pub const READINGS_MAX: usize = 8;
pub const READING_POINTS_MAX: usize = 48;
pub const TOPICS_MAX: usize = 32;
pub const STATES_MAX: usize = 8;
pub const COMMANDS_MAX: usize = 24;

/// A key reading and its recent values (oldest first).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DeviceReading {
    pub label: String,
    pub value: f64,
    #[serde(skip)]
    pub history: VecDeque<f32>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Some(true) online, Some(false) offline, None when it never said.
    pub available: Option<bool>,
    /// When availability last changed (or was first heard), seconds since the epoch.
    pub since: Option<f64>,
    /// The last live (not retained) message from the device.
    pub last_seen: Option<f64>,
    #[serde(skip)]
    last_report: Option<f64>,
    #[serde(skip)]
    gaps: VecDeque<f64>,
    #[serde(skip)]
    changes: VecDeque<f64>,
    #[serde(skip)]
    times: VecDeque<f64>,
    pub readings: Vec<DeviceReading>,
    pub states: Vec<(String, String)>,
    pub topics: Vec<String>,
    pub commands: Vec<DeviceCommand>,
    pub messages: u64,
    /// When it spoke and what it said about itself, over the last hours.
    #[serde(skip)]
    pub timeline: Timeline,
    /// A command sent from the pane, waiting for the device's answer: (sent at, topic).
    #[serde(skip)]
    pending_command: Option<(f64, String)>,
    /// Seconds from the last command to the device's next message on another topic.
    pub last_rtt: Option<f64>,
}

impl Device {
    pub fn new(id: &str, kind: Kind) -> Self {
        Self {
            id: id.to_owned(),
            name: id.to_owned(),
            kind,
            available: None,
            since: None,
            last_seen: None,
            last_report: None,
            gaps: VecDeque::new(),
            changes: VecDeque::new(),
            times: VecDeque::new(),
            readings: Vec::new(),
            states: Vec::new(),
            topics: Vec::new(),
            commands: Vec::new(),
            messages: 0,
            timeline: Timeline::default(),
            pending_command: None,
            last_rtt: None,
        }
    }

    /// A live message from the device at `now`: last seen, rhythm and rate.
    pub fn heard(&mut self, now: f64) {
        self.messages += 1;
        self.last_seen = Some(now);
        self.timeline.heard(now);
        match self.last_report {
            Some(prev) if now - prev < BURST_SECS => {}
            Some(prev) => {
                push_capped(&mut self.gaps, now - prev, GAPS_MAX);
                self.last_report = Some(now);
            }
            None => self.last_report = Some(now),
        }
        push_capped(&mut self.times, now, RATE_TIMES_MAX);
        while self.times.front().is_some_and(|t| now - t > RATE_WINDOW_SECS) {
            self.times.pop_front();
        }
    }

    /// Availability said at `now`; a change is recorded for the flapping verdict.
    /// Sets availability; true when it changed from a known other state (a change the
    /// flapping and collision verdicts count).
    pub fn set_available(&mut self, available: bool, now: f64) -> bool {
        if self.available == Some(available) {
            return false;
        }
        let changed = self.available.is_some();
        if changed {
            push_capped(&mut self.changes, now, CHANGES_MAX);
        }
        self.timeline.said(available, now);
        self.available = Some(available);
        self.since = Some(now);
        // A device that comes back starts its rhythm afresh: the gap over its
        // absence is not its reporting interval.
        self.last_report = None;
        changed
    }

    pub fn add_reading(&mut self, label: &str, value: f64) {
        if let Some(r) = self.readings.iter_mut().find(|r| r.label == label) {
            r.value = value;
            push_capped(&mut r.history, value as f32, READING_POINTS_MAX);
        } else if self.readings.len() < READINGS_MAX {
            self.readings.push(DeviceReading {
                label: label.to_owned(),
                value,
                history: VecDeque::from([value as f32]),
            });
        }
    }

    pub fn set_state(&mut self, key: &str, value: &str) {
        if let Some(s) = self.states.iter_mut().find(|(k, _)| k == key) {
            value.clone_into(&mut s.1);
        } else if self.states.len() < STATES_MAX {
            self.states.push((key.to_owned(), value.to_owned()));
        }
    }

    pub fn add_topic(&mut self, topic: &str) {
        if self.topics.len() < TOPICS_MAX && !self.topics.iter().any(|t| t == topic) {
            self.topics.push(topic.to_owned());
        }
    }

    pub fn add_command(&mut self, c: &super::recognise::DeviceCommand) {
        if self.commands.len() < COMMANDS_MAX && !self.commands.contains(c) {
            self.commands.push(c.clone());
        }
    }

    /// A command was published on `topic` at `now`: the device's next message on
    /// another topic (its state answering) gives the round trip.
    pub fn command_sent(&mut self, topic: &str, now: f64) {
        self.pending_command = Some((now, topic.to_owned()));
    }

    /// A live message from the device on `topic` at `now`: the answer to a command
    /// waiting for one (its own echo on the command topic is not).
    pub fn answered(&mut self, topic: &str, now: f64) {
        if let Some((sent, command_topic)) = &self.pending_command
            && topic != command_topic
            && now >= *sent
        {
            if now - sent <= ANSWER_WAIT_SECS {
                self.last_rtt = Some(now - sent);
            }
            self.pending_command = None;
        }
    }

    /// True while a command waits for its answer at `now`.
    pub fn awaiting_answer(&self, now: f64) -> bool {
        self.pending_command
            .as_ref()
            .is_some_and(|(sent, _)| now - sent <= ANSWER_WAIT_SECS)
    }

    /// True when the last command got no answer within [`ANSWER_WAIT_SECS`].
    pub fn answer_missed(&self, now: f64) -> bool {
        self.pending_command
            .as_ref()
            .is_some_and(|(sent, _)| now - sent > ANSWER_WAIT_SECS)
    }

    /// The usual time between reports: the median of the recent gaps, once there are
    /// three (a median ignores the odd long pause or quick retry).
    pub fn interval(&self) -> Option<f64> {
        if self.gaps.len() < 3 {
            return None;
        }
        let mut g: Vec<f64> = self.gaps.iter().copied().collect();
        g.sort_by(f64::total_cmp);
        Some(g[g.len() / 2])
    }

    /// Messages per second over the last minute (or the time since the first one).
    pub fn rate(&self, now: f64) -> f64 {
        let recent = self.times.iter().filter(|t| now - **t <= RATE_WINDOW_SECS).count();
        let Some(first) = self.times.iter().find(|t| now - **t <= RATE_WINDOW_SECS) else {
            return 0.0;
        };
        recent as f64 / (now - first).clamp(1.0, RATE_WINDOW_SECS)
    }

    /// Availability changes within the last `window` seconds.
    pub fn changes_within(&self, now: f64, window: f64) -> usize {
        self.changes.iter().filter(|t| now - **t <= window).count()
    }

    /// The device's health at `now` under `rules`.
    pub fn health(&self, now: f64, rules: &HealthRules) -> Health {
        rules.judge(self, now)
    }
}

fn push_capped<T>(q: &mut VecDeque<T>, v: T, cap: usize) {
    if q.len() >= cap {
        q.pop_front();
    }
    q.push_back(v);
}
