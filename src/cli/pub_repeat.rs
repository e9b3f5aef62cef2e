//! The send loop of `topicscope pub`: publishes on the [`Schedule`], counts what the
//! broker acknowledged, collects replies, reports progress on stderr, and at the end
//! waits for the outstanding acks and replies before it sums up.
//!
//! One loop handles the single publish too (a schedule of one), so a plain publish,
//! a repeat and a request/response all end the same way.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use super::pub_reply::{Replies, Reply};
use super::pub_source::Source;
use super::terminal::{escape_controls, is_closed_pipe};
use crate::i18n::shown;
use crate::model::EncodingRules;
use crate::model::repeat::Schedule;
use crate::model::saved_command::Prepared;
use crate::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};

/// How long to wait for the broker's acknowledgement of the last publish.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(15);
/// How often the progress line is redrawn on a terminal.
const PROGRESS_TERMINAL: Duration = Duration::from_millis(250);
/// How often a progress line is written when stderr is a file or a pipe (a log).
const PROGRESS_LOG: Duration = Duration::from_secs(10);
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
    // The schedule runs open-ended and the count is kept here: a tick the schedule skips
    // because the machine stalled (it never sends a late burst) then delays the run
    // instead of shortening it, so `--repeat 20` always sends 20.
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
    run.skipped = schedule.skipped();
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
    /// Round trips of the replies received, in ms.
    round_trips_ms: Vec<f64>,
    timed_out: u64,
    /// The first timeout, in words, for the final error of a single request.
    first_timeout: Option<String>,
    terminal: bool,
    progress_at: Instant,
    /// A progress line is on the terminal without its newline.
    progress_shown: bool,
    /// stdout went away (`| head`): replies are no longer printed.
    stdout_closed: bool,
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
            round_trips_ms: Vec::new(),
            timed_out: 0,
            first_timeout: None,
            terminal: std::io::stderr().is_terminal(),
            progress_at: start,
            progress_shown: false,
            stdout_closed: false,
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
        self.progress(now, false);
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
                    self.note(&crate::tr!("cmdcli-send-failed", n = id, why = reason));
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
                self.end_progress();
                return Err(if self.repeat.repeating {
                    crate::tr!("cmdcli-connection-lost", n = self.sent, why = reason)
                } else {
                    crate::tr!("worker-cli-lost-before-publish", why = reason)
                });
            }
            Event::Error(text) => self.note(&crate::tr!("worker-cli-warning", text = text)),
            _ => {}
        }
        Ok(())
    }

    fn show_reply(&mut self, reply: &Reply) {
        let ms = reply.round_trip.as_secs_f64() * 1000.0;
        self.round_trips_ms.push(ms);
        let ms = format!("{ms:.1}");
        let topic = escape_controls(&reply.topic, false);
        let line = if self.repeat.repeating {
            crate::tr!("cmdcli-reply-n", n = reply.counter, topic = topic.as_ref(), ms = ms)
        } else {
            crate::tr!("cmdcli-reply", topic = topic.as_ref(), ms = ms)
        };
        self.note(&line);
        if self.stdout_closed {
            return;
        }
        let encoding = self.encodings.for_topic(&reply.topic);
        let text = encoding.decode(&reply.payload).text.into_owned();
        let mut out = std::io::stdout().lock();
        if let Err(e) = writeln!(out, "{}", escape_controls(&text, true)).and_then(|()| out.flush()) {
            // A closed pipe ends the printing, not the requests; other errors are told.
            self.stdout_closed = true;
            if !is_closed_pipe(&e) {
                self.note(&crate::tr!("worker-cli-stdout-failed", error = shown(e)));
            }
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
                self.note(&crate::tr!("cmdcli-no-reply-n", n = t.counter, text = text.as_str()));
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
        self.end_progress();
        self.summary()
    }

    fn summary(&mut self) -> Result<(), String> {
        let unacked = self.sent - self.acked - self.failed;
        if self.repeat.repeating {
            let secs = format!("{:.1}", self.start.elapsed().as_secs_f64());
            self.note(&crate::tr!(
                "cmdcli-summary",
                n = self.sent,
                acked = self.acked,
                secs = secs
            ));
            if self.skipped > 0 {
                self.note(&crate::tr!("cmdcli-skipped", n = self.skipped));
            }
            if let Some(line) = self.round_trip_summary() {
                self.note(&line);
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

    /// "replies: 20 of 20, round trip 1.2 / 3.4 / 9.9 ms (min / average / max)"; nothing
    /// when none came (the error says so).
    fn round_trip_summary(&self) -> Option<String> {
        let rt = &self.round_trips_ms;
        if rt.is_empty() {
            return None;
        }
        let min = rt.iter().copied().fold(f64::INFINITY, f64::min);
        let max = rt.iter().copied().fold(0.0, f64::max);
        let avg = rt.iter().sum::<f64>() / rt.len() as f64;
        Some(crate::tr!(
            "cmdcli-round-trips",
            n = rt.len(),
            total = rt.len() as u64 + self.timed_out,
            min = format!("{min:.1}"),
            avg = format!("{avg:.1}"),
            max = format!("{max:.1}")
        ))
    }

    /// "sent 10 of 60, acknowledged 10": redrawn in place on a terminal, now and then
    /// as a line in a log; never for a single publish.
    fn progress(&mut self, now: Instant, force: bool) {
        if !self.repeat.repeating {
            return;
        }
        let every = if self.terminal { PROGRESS_TERMINAL } else { PROGRESS_LOG };
        if !force && now.duration_since(self.progress_at) < every {
            return;
        }
        self.progress_at = now;
        let line = if self.repeat.count == 0 {
            crate::tr!("cmdcli-progress-endless", sent = self.sent, acked = self.acked)
        } else {
            crate::tr!(
                "cmdcli-progress",
                sent = self.sent,
                total = self.repeat.count,
                acked = self.acked
            )
        };
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[K{line}");
            self.progress_shown = true;
        } else {
            let _ = writeln!(err, "{line}");
        }
    }

    /// Leaves the progress line as it ended, with its newline.
    fn end_progress(&mut self) {
        if self.terminal {
            self.progress(Instant::now(), true);
        }
        if self.progress_shown {
            eprintln!();
            self.progress_shown = false;
        }
    }

    /// A line on stderr, below any progress line.
    fn note(&mut self, text: &str) {
        if self.progress_shown {
            eprint!("\r\x1b[K");
            self.progress_shown = false;
        }
        eprintln!("{text}");
    }
}
