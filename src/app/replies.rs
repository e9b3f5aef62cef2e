//! Request and reply: after a publish that expects an answer, the connection watches for
//! it and measures the round trip.
//!
//! Two ways to expect an answer: MQTT 5's response topic (with correlation data, only
//! the message carrying the same data is the reply), and for MQTT 3.1.1 devices "wait
//! for a message on this topic" (Tasmota answers `cmnd/x/POWER` on `stat/x/POWER`).
//! Messages are matched as they arrive from the worker, before a pause holds them, and
//! the round trip runs from the publish to the reply's receive time.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;

use crate::model::Message;
use crate::model::encoding_rules::filter_matches;

/// Finished requests kept for the publish pane.
pub const DONE_MAX: usize = 20;

/// A reply being waited for.
#[derive(Clone, Debug)]
struct Waiting {
    /// What was sent: a command's name or the topic.
    label: String,
    filter: String,
    /// MQTT 5: only a message with this correlation data is the reply.
    correlation: Option<Bytes>,
    sent_at: SystemTime,
    deadline: Instant,
    timeout: Duration,
    /// The subscription was added for this wait and goes when nothing waits on it.
    own_subscription: bool,
    /// The repeat the request belongs to, if any.
    tag: Option<u64>,
}

/// How a request ended.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplyOutcome {
    Reply {
        topic: String,
        payload: Bytes,
        round_trip: Duration,
    },
    TimedOut {
        after: Duration,
    },
}

/// A finished request.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplyRecord {
    pub label: String,
    pub filter: String,
    pub outcome: ReplyOutcome,
    pub sent_at: SystemTime,
}

/// One connection's requests.
#[derive(Debug, Default)]
pub struct Replies {
    waiting: Vec<Waiting>,
    /// Newest first.
    pub done: VecDeque<ReplyRecord>,
    /// Tagged outcomes not yet taken.
    tagged: Vec<(u64, Option<Duration>)>,
}

impl Replies {
    /// Waits for a reply on `filter` (`correlation`: MQTT 5 correlation data to match)
    /// until `timeout` after now. `own_subscription`: the caller subscribed to `filter`
    /// for this request, and it is handed back by [`Self::on_message`] or
    /// [`Self::expire`] to unsubscribe once nothing waits on it.
    pub fn wait(
        &mut self,
        label: String,
        filter: String,
        correlation: Option<Bytes>,
        timeout: Duration,
        own_subscription: bool,
    ) {
        self.waiting.push(Waiting {
            label,
            filter,
            correlation,
            sent_at: SystemTime::now(),
            deadline: Instant::now() + timeout,
            timeout,
            own_subscription,
            tag: None,
        });
    }

    /// Marks the wait added last as belonging to repeat `tag`: its outcome is then also
    /// handed out by [`Self::take_tagged`].
    pub fn tag_last(&mut self, tag: u64) {
        if let Some(w) = self.waiting.last_mut() {
            w.tag = Some(tag);
        }
    }

    /// The outcomes of tagged waits that ended since the last call: the tag and the
    /// round trip (`None`: no reply in time).
    pub fn take_tagged(&mut self) -> Vec<(u64, Option<Duration>)> {
        std::mem::take(&mut self.tagged)
    }

    /// True when something is waited for.
    pub fn any_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// How many replies are waited for.
    pub fn waiting_count(&self) -> usize {
        self.waiting.len()
    }

    /// True when a wait already holds a subscription to `filter`.
    pub fn holds_subscription(&self, filter: &str) -> bool {
        self.waiting.iter().any(|w| w.own_subscription && w.filter == filter)
    }

    /// Takes `m` as the reply to the oldest request it answers, if any. Returns the
    /// subscriptions nothing waits on any more.
    pub fn on_message(&mut self, m: &Message) -> Vec<String> {
        // A retained message is the state from before: the broker sends it when the
        // reply subscription is made, and it is not an answer to what was just sent.
        if self.waiting.is_empty() || m.retain {
            return Vec::new();
        }
        let correlation = m.properties.as_ref().and_then(|p| p.correlation_data.as_ref());
        let Some(i) = self.waiting.iter().position(|w| {
            filter_matches(&w.filter, &m.topic) && w.correlation.as_ref().is_none_or(|c| Some(c) == correlation)
        }) else {
            return Vec::new();
        };
        let w = self.waiting.remove(i);
        let round_trip = m.time.duration_since(w.sent_at).unwrap_or_default();
        let outcome = ReplyOutcome::Reply {
            topic: m.topic.clone(),
            payload: m.payload.clone(),
            round_trip,
        };
        self.finish(w, outcome)
    }

    /// Ends the waits whose time is up. Returns the subscriptions nothing waits on.
    pub fn expire(&mut self, now: Instant) -> Vec<String> {
        let mut released = Vec::new();
        while let Some(i) = self.waiting.iter().position(|w| w.deadline <= now) {
            let w = self.waiting.remove(i);
            let outcome = ReplyOutcome::TimedOut { after: w.timeout };
            released.extend(self.finish(w, outcome));
        }
        released
    }

    /// When the next wait runs out.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.waiting.iter().map(|w| w.deadline).min()
    }

    /// Forgets the waits (the connection closed or reconnects with a new session).
    pub fn cancel_all(&mut self) {
        self.waiting.clear();
    }

    fn finish(&mut self, w: Waiting, outcome: ReplyOutcome) -> Vec<String> {
        let release = w.own_subscription && !self.holds_subscription(&w.filter);
        if let Some(tag) = w.tag {
            let rtt = match &outcome {
                ReplyOutcome::Reply { round_trip, .. } => Some(*round_trip),
                ReplyOutcome::TimedOut { .. } => None,
            };
            self.tagged.push((tag, rtt));
        }
        self.done.push_front(ReplyRecord {
            label: w.label,
            filter: w.filter.clone(),
            outcome,
            sent_at: w.sent_at,
        });
        self.done.truncate(DONE_MAX);
        if release { vec![w.filter] } else { Vec::new() }
    }
}

/// True when messages on `filter` already reach the connection through `subscribed`
/// (so a reply needs no subscription of its own). Conservative: a wildcard filter is
/// covered only by the same filter or one that matches its every topic level by level.
pub fn covered_by<'a>(filter: &str, mut subscribed: impl Iterator<Item = &'a str>) -> bool {
    subscribed.any(|s| s == filter || filter_covers(s, filter))
}

/// True when every topic `inner` matches is also matched by `outer`.
fn filter_covers(outer: &str, inner: &str) -> bool {
    // `$` topics are not reached by a leading wildcard.
    if inner.starts_with('$') && outer.starts_with(['+', '#']) {
        return false;
    }
    let mut o = outer.split('/');
    let mut i = inner.split('/');
    loop {
        match (o.next(), i.next()) {
            (Some("#"), _) => return true,
            (Some("+"), Some(x)) if x != "#" => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MessageProperties;

    fn msg(topic: &str, correlation: Option<&[u8]>) -> Message {
        let mut m = Message::new(topic, "ON", 0, false);
        if let Some(c) = correlation {
            m.properties = Some(Box::new(MessageProperties {
                correlation_data: Some(Bytes::copy_from_slice(c)),
                ..MessageProperties::default()
            }));
        }
        m
    }

    #[test]
    fn the_first_message_on_the_topic_answers_a_plain_wait() {
        let mut r = Replies::default();
        r.wait(
            "toggle".into(),
            "stat/plug/+".into(),
            None,
            Duration::from_secs(5),
            true,
        );
        assert!(r.on_message(&msg("tele/plug/STATE", None)).is_empty());
        assert!(r.any_waiting());
        assert_eq!(
            r.on_message(&msg("stat/plug/POWER", None)),
            vec!["stat/plug/+".to_owned()]
        );
        assert!(!r.any_waiting());
        let done = &r.done[0];
        assert_eq!(done.label, "toggle");
        assert!(matches!(&done.outcome, ReplyOutcome::Reply { topic, .. } if topic == "stat/plug/POWER"));
    }

    #[test]
    fn a_retained_state_is_not_a_reply() {
        let mut r = Replies::default();
        r.wait(
            "pump on".into(),
            "greenhouse/switch/pump/state".into(),
            None,
            Duration::from_secs(5),
            true,
        );
        let mut old = msg("greenhouse/switch/pump/state", None);
        old.retain = true;
        assert!(r.on_message(&old).is_empty());
        assert!(r.any_waiting());
        assert!(!r.on_message(&msg("greenhouse/switch/pump/state", None)).is_empty());
    }

    #[test]
    fn correlation_data_picks_the_reply_among_others() {
        let mut r = Replies::default();
        r.wait(
            "a".into(),
            "resp".into(),
            Some(Bytes::from_static(b"1")),
            Duration::from_secs(5),
            false,
        );
        r.wait(
            "b".into(),
            "resp".into(),
            Some(Bytes::from_static(b"2")),
            Duration::from_secs(5),
            false,
        );
        assert!(r.on_message(&msg("resp", Some(b"9"))).is_empty());
        assert!(r.on_message(&msg("resp", None)).is_empty());
        assert_eq!(r.waiting_count(), 2);
        r.on_message(&msg("resp", Some(b"2")));
        assert_eq!(r.done[0].label, "b");
        r.on_message(&msg("resp", Some(b"1")));
        assert_eq!(r.done[0].label, "a");
        assert!(!r.any_waiting());
    }

    #[test]
    fn a_shared_subscription_is_released_by_the_last_wait() {
        let mut r = Replies::default();
        r.wait("1".into(), "stat/x".into(), None, Duration::from_secs(5), true);
        r.wait("2".into(), "stat/x".into(), None, Duration::from_secs(5), true);
        assert!(r.on_message(&msg("stat/x", None)).is_empty());
        assert_eq!(r.on_message(&msg("stat/x", None)), vec!["stat/x".to_owned()]);
    }

    #[test]
    fn tagged_waits_hand_out_their_outcomes_once() {
        let mut r = Replies::default();
        r.wait("t".into(), "a".into(), None, Duration::from_millis(10), false);
        r.tag_last(7);
        r.wait("u".into(), "b".into(), None, Duration::from_secs(5), false);
        r.on_message(&msg("b", None));
        assert!(r.take_tagged().is_empty(), "untagged");
        r.expire(Instant::now() + Duration::from_secs(1));
        assert_eq!(r.take_tagged(), vec![(7, None)]);
        assert!(r.take_tagged().is_empty());
    }

    #[test]
    fn waits_time_out() {
        let mut r = Replies::default();
        r.wait("slow".into(), "stat/x".into(), None, Duration::from_millis(10), true);
        let deadline = r.next_deadline().unwrap();
        assert!(r.expire(deadline - Duration::from_millis(5)).is_empty());
        assert_eq!(r.expire(deadline), vec!["stat/x".to_owned()]);
        assert_eq!(
            r.done[0].outcome,
            ReplyOutcome::TimedOut {
                after: Duration::from_millis(10)
            }
        );
        assert_eq!(r.next_deadline(), None);
    }

    #[test]
    fn coverage_by_existing_subscriptions() {
        let subs = ["#", "$SYS/#"];
        assert!(covered_by("stat/x/POWER", subs.iter().copied()));
        assert!(covered_by("stat/+/POWER", subs.iter().copied()));
        assert!(covered_by("$SYS/broker/uptime", subs.iter().copied()));
        assert!(!covered_by("$other/x", subs.iter().copied()));
        assert!(covered_by("a/+/c", ["a/+/+"].into_iter()));
        assert!(covered_by("a/b/c", ["a/+/c"].into_iter()));
        assert!(!covered_by("a/+/c", ["a/b/c"].into_iter()));
        assert!(!covered_by("a/#", ["a/+"].into_iter()));
        assert!(covered_by("a/#", ["a/#"].into_iter()));
        assert!(!covered_by("a/b", ["a/b/c"].into_iter()));
    }
}
