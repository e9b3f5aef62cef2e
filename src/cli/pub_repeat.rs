//! The send loop of `topicscope pub`: publishes on the [`Schedule`], counts what the
//! broker acknowledged, collects replies, reports progress on stderr, and at the end
//! waits for the outstanding acks and replies before it sums up.
//!
//! One loop handles the single publish too (a schedule of one), so a plain publish,
//! a repeat and a request/response all end the same way.

use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use super::pub_reply::{Replies, Reply};
use super::pub_report::{ReplyOut, RoundTrips, Status};
use super::pub_source::Source;
use super::terminal::escape_controls;
use crate::model::EncodingRules;
use crate::model::repeat::Schedule;
use crate::model::saved_command::Prepared;
use crate::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};

/// How long to wait for the broker's acknowledgement of the last publish.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(15);
/// Failures named one by one; past this only counted, so a dead link cannot flood.
const FAILURES_SHOWN: u64 = 5;

/// How many times, how often.
#[derive(Clone, Copy, Debug)]
pub struct Repeat {
    /// 0: until stopped.
    pub count: u64,
    pub interval: Duration,
    /// `--repeat` was given: show progress and a summary.
    pub repeating: bool,
}

/// Publishes `source` as `repeat` says on a connected worker; `Err` when any publish
/// failed or any reply did not come.
pub fn send_all(
    worker: &WorkerHandle,
    source: &Source,
    repeat: Repeat,
    encodings: EncodingRules,
) -> Result<(), String> {
    let start = Instant::now();
    // The schedule runs open-ended and the count is kept here (the schedule itself
    // never bursts after a stall: it moves the rest later), so `--repeat 20` sends 20.
    let mut schedule = Schedule::new(repeat.interval, 0, start);
    let mut run = Run::new(repeat, encodings, start);
    let all_sent = |sent: u64| repeat.count > 0 && sent >= repeat.count;
    while !all_sent(run.sent) {
        for _ in 0..schedule.due(Instant::now()) {
            if all_sent(run.sent) {
                break;
            }
            let prepared = source.prepare(run.sent + 1)?;
            run.publish(worker, prepared)?;
        }
        if all_sent(run.sent) {
            break;
        }
        let Some(next) = schedule.next_at() else { break };
        run.pump(worker, next)?;
    }
    run.skipped = schedule.delays();
    run.finish(worker)
}

/// What happened so far.
struct Run {
    repeat: Repeat,
    encodings: EncodingRules,
    start: Instant,
    sent: u64,
    /// QoS 0: written to the connection; QoS 1/2: acknowledged by the broker.
    acked: u64,
    failed: u64,
    /// Why the publish failed, for a single publish (a repeat counts and names a few).
    first_failure: Option<String>,
    skipped: u64,
    last_send: Instant,
    replies: Replies,
    round_trips: RoundTrips,
    timed_out: u64,
    /// The first timeout, in words, for the final error of a single request.
    first_timeout: Option<String>,
    status: Status,
    stdout: ReplyOut,
}

impl Run {
    fn new(repeat: Repeat, encodings: EncodingRules, start: Instant) -> Self {
        Self {
            repeat,
            encodings,
            start,
            sent: 0,
            acked: 0,
            failed: 0,
            first_failure: None,
            skipped: 0,
            last_send: start,
            replies: Replies::default(),
            round_trips: RoundTrips::default(),
            timed_out: 0,
            first_timeout: None,
            status: Status::new(repeat, start),
            stdout: ReplyOut::default(),
        }
    }

    /// Subscribes for the reply first (a fast device could answer before a later
    /// SUBSCRIBE), then hands the publish to the worker.
    fn publish(&mut self, worker: &WorkerHandle, p: Prepared) -> Result<(), String> {
        if let Some((filter, _)) = &p.reply {
            self.subscribe(worker, filter)?;
        }
        let counter = self.sent + 1;
        let response = p
            .properties
            .as_ref()
            .and_then(|pr| Some((pr.response_topic.clone()?, pr.correlation_data.clone()?)));
        let own = (p.topic.clone(), p.payload.clone());
        let mut req = PublishRequest::new(counter, p.topic, p.payload, p.qos, p.retain);
        req.properties = p.properties;
        worker.send_blocking(Command::Publish(req)).map_err(|e| e.to_string())?;
        let now = Instant::now();
        self.sent = counter;
        self.last_send = now;
        if let Some((filter, timeout)) = p.reply {
            self.replies.expect(counter, &filter, timeout, response, own, now);
        }
        Ok(())
    }

    /// Subscribes to `filter` unless it already is, and waits for the broker's SubAck.
    fn subscribe(&mut self, worker: &WorkerHandle, filter: &str) -> Result<(), String> {
        if self.replies.is_subscribed(filter) {
            return Ok(());
        }
        worker
            .send_blocking(Command::Subscribe {
                filter: filter.to_owned(),
                qos: 1,
            })
            .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + ACK_TIMEOUT;
        loop {
            match worker.events.recv_deadline(deadline) {
                Ok(Event::Subscribed { filter: f, .. }) if f == filter => {
                    self.replies.subscribed(filter);
                    return Ok(());
                }
                Ok(Event::SubscribeFailed { filter: f, reason }) if f == filter => {
                    return Err(crate::tr!(
                        "cmdcli-reply-subscribe-failed",
                        filter = filter,
                        why = reason
                    ));
                }
                Ok(ev) => self.handle(worker, ev)?,
                Err(_) => {
                    return Err(crate::tr!(
                        "cmdcli-reply-subscribe-timeout",
                        filter = filter,
                        secs = ACK_TIMEOUT.as_secs()
                    ));
                }
            }
        }
    }

    /// Handles events until `until`.
    fn pump(&mut self, worker: &WorkerHandle, until: Instant) -> Result<(), String> {
        while Instant::now() < until {
            self.step(worker, until)?;
        }
        Ok(())
    }

    /// Handles the next event, or wakes at `until` or a reply's deadline without one.
    fn step(&mut self, worker: &WorkerHandle, until: Instant) -> Result<(), String> {
        let wake = self.replies.next_deadline().map_or(until, |d| d.min(until));
        match worker.events.recv_deadline(wake) {
            Ok(ev) => self.handle(worker, ev)?,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Err(crate::tr!("worker-stopped")),
        }
        let now = Instant::now();
        self.expire(worker, now);
        self.status.progress(self.sent, self.acked, now, false);
        Ok(())
    }

    fn handle(&mut self, worker: &WorkerHandle, ev: Event) -> Result<(), String> {
        match ev {
            Event::PublishSent { .. } | Event::PublishAcked { .. } => self.acked += 1,
            Event::PublishFailed { id, reason } => {
                self.failed += 1;
                if !self.repeat.repeating {
                    self.first_failure.get_or_insert(reason);
                } else if self.failed <= FAILURES_SHOWN {
                    self.status
                        .note(&crate::tr!("cmdcli-send-failed", n = id, why = reason));
                }
            }
            Event::Messages(batch) => {
                let now = Instant::now();
                for msg in &batch {
                    if let Some(reply) = self.replies.offer(msg, now) {
                        self.show_reply(&reply);
                    }
                }
                self.unsubscribe_unused(worker);
            }
            Event::State(
                ConnectionState::Reconnecting { reason, .. } | ConnectionState::Disconnected { reason: Some(reason) },
            ) => {
                self.status.end(self.sent, self.acked);
                return Err(if self.repeat.repeating {
                    crate::tr!("cmdcli-connection-lost", n = self.sent, why = reason)
                } else {
                    crate::tr!("worker-cli-lost-before-publish", why = reason)
                });
            }
            Event::Error(text) => self.status.note(&crate::tr!("worker-cli-warning", text = text)),
            _ => {}
        }
        Ok(())
    }

    fn show_reply(&mut self, reply: &Reply) {
        let ms = self.round_trips.push(reply.round_trip);
        let topic = escape_controls(&reply.topic, false);
        let line = if self.repeat.repeating {
            crate::tr!("cmdcli-reply-n", n = reply.counter, topic = topic.as_ref(), ms = ms)
        } else {
            crate::tr!("cmdcli-reply", topic = topic.as_ref(), ms = ms)
        };
        self.status.note(&line);
        let encoding = self.encodings.for_topic(&reply.topic);
        if let Some(failure) = self.stdout.print(&encoding.decode(&reply.payload).text) {
            self.status.note(&failure);
        }
    }

    fn expire(&mut self, worker: &WorkerHandle, now: Instant) {
        let late = self.replies.expired(now);
        if late.is_empty() {
            return;
        }
        for t in late {
            self.timed_out += 1;
            let text = crate::tr!(
                "cmdcli-no-reply",
                filter = escape_controls(&t.filter, false).into_owned(),
                secs = t.timeout.as_secs()
            );
            if self.repeat.repeating && self.timed_out <= FAILURES_SHOWN {
                self.status
                    .note(&crate::tr!("cmdcli-no-reply-n", n = t.counter, text = text.as_str()));
            }
            self.first_timeout.get_or_insert(text);
        }
        self.unsubscribe_unused(worker);
    }

    /// Drops reply subscriptions no request needs (one-off response topics).
    fn unsubscribe_unused(&mut self, worker: &WorkerHandle) {
        for filter in self.replies.unused_filters() {
            // Best effort: a subscription left over costs nothing once we disconnect.
            let _ = worker.send(Command::Unsubscribe { filter });
        }
    }

    /// Waits for the acks of the last publishes and for the replies still due.
    fn finish(mut self, worker: &WorkerHandle) -> Result<(), String> {
        let ack_deadline = self.last_send + ACK_TIMEOUT;
        loop {
            let now = Instant::now();
            self.expire(worker, now);
            let acks_due = (self.acked + self.failed < self.sent && now < ack_deadline).then_some(ack_deadline);
            let until = match (acks_due, self.replies.next_deadline()) {
                (Some(a), Some(r)) => a.min(r),
                (Some(t), None) | (None, Some(t)) => t,
                (None, None) => break,
            };
            self.step(worker, until)?;
        }
        self.status.end(self.sent, self.acked);
        self.summary()
    }

    fn summary(&mut self) -> Result<(), String> {
        let unacked = self.sent - self.acked - self.failed;
        if self.repeat.repeating {
            let secs = format!("{:.1}", self.start.elapsed().as_secs_f64());
            self.status.note(&crate::tr!(
                "cmdcli-summary",
                n = self.sent,
                acked = self.acked,
                secs = secs
            ));
            if self.skipped > 0 {
                self.status.note(&crate::tr!("cmdcli-skipped", n = self.skipped));
            }
            if let Some(line) = self.round_trips.summary(self.timed_out) {
                self.status.note(&line);
            }
        }
        if let Some(why) = self.first_failure.take() {
            return Err(crate::tr!("worker-cli-publish-failed", why = why));
        }
        if self.failed > 0 {
            return Err(crate::tr!("cmdcli-failed", n = self.failed, total = self.sent));
        }
        if unacked > 0 && !self.repeat.repeating {
            return Err(crate::tr!("worker-cli-no-ack", secs = ACK_TIMEOUT.as_secs()));
        }
        if unacked > 0 {
            return Err(crate::tr!("cmdcli-unacked", n = unacked, secs = ACK_TIMEOUT.as_secs()));
        }
        match (self.timed_out, self.first_timeout.take()) {
            (0, _) => Ok(()),
            (1, Some(text)) if !self.repeat.repeating => Err(text),
            (n, _) => Err(crate::tr!("cmdcli-replies-missing", n = n, total = self.sent)),
        }
    }
}
