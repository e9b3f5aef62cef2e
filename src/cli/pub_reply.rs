//! Waiting for replies to `topicscope pub`: the requests still waiting, which incoming
//! message answers which, and the subscriptions that bring the answers.
//!
//! A message answers a request when it arrives on the request's reply filter after the
//! publish, and, if it came on the MQTT 5 response topic of a request that carried
//! correlation data, when it carries the same data (a responder answering someone else,
//! or an earlier request, is not the reply). Retained messages are state the broker
//! hands every new subscriber, not answers, and so is the echo of our own publish when
//! the filter covers the command topic: both are passed over.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::model::Message;
use crate::model::encoding_rules::filter_matches;

/// A request waiting for its reply.
#[derive(Debug)]
struct Waiting {
    /// The send number.
    counter: u64,
    filter: String,
    /// Set when the reply must carry this correlation data (on `response_topic`).
    correlation: Option<(String, Bytes)>,
    /// Our own publish, not to be taken for the answer.
    own: (String, Bytes),
    sent_at: Instant,
    deadline: Instant,
}

/// A reply that arrived.
#[derive(Debug)]
pub struct Reply {
    pub counter: u64,
    pub topic: String,
    pub payload: Bytes,
    pub round_trip: Duration,
}

/// A request that got no reply in time.
#[derive(Debug)]
pub struct TimedOut {
    pub counter: u64,
    pub filter: String,
    pub timeout: Duration,
}

/// The requests waiting, oldest first, and the reply subscriptions.
#[derive(Debug, Default)]
pub struct Replies {
    waiting: Vec<Waiting>,
    /// Filters subscribed for replies, with how many waiting requests use each.
    subscribed: HashMap<String, usize>,
    /// The filter of the latest request: kept subscribed for the next send.
    latest: Option<String>,
}

impl Replies {
    /// True when `filter` is already subscribed.
    pub fn is_subscribed(&self, filter: &str) -> bool {
        self.subscribed.contains_key(filter)
    }

    /// Records that the broker granted `filter`.
    pub fn subscribed(&mut self, filter: &str) {
        self.subscribed.entry(filter.to_owned()).or_insert(0);
    }

    /// A request was just published.
    pub fn expect(
        &mut self,
        counter: u64,
        filter: &str,
        timeout: Duration,
        response: Option<(String, Bytes)>,
        own: (String, Bytes),
        now: Instant,
    ) {
        *self.subscribed.entry(filter.to_owned()).or_insert(0) += 1;
        self.latest = Some(filter.to_owned());
        self.waiting.push(Waiting {
            counter,
            filter: filter.to_owned(),
            correlation: response,
            own,
            sent_at: now,
            deadline: now + timeout,
        });
    }

    /// The request `msg` answers, if any, taken off the list.
    pub fn offer(&mut self, msg: &Message, now: Instant) -> Option<Reply> {
        if msg.retain {
            return None;
        }
        let correlation = msg.properties.as_ref().and_then(|p| p.correlation_data.as_ref());
        let at = self.waiting.iter().position(|w| {
            filter_matches(&w.filter, &msg.topic)
                && !(w.own.0 == msg.topic && w.own.1 == msg.payload)
                && match &w.correlation {
                    Some((topic, data)) if *topic == msg.topic => correlation == Some(data),
                    _ => true,
                }
        })?;
        let w = self.waiting.remove(at);
        Some(Reply {
            counter: w.counter,
            topic: msg.topic.clone(),
            payload: msg.payload.clone(),
            round_trip: now.saturating_duration_since(w.sent_at),
        })
    }

    /// Requests whose time ran out by `now`, taken off the list.
    pub fn expired(&mut self, now: Instant) -> Vec<TimedOut> {
        let mut out = Vec::new();
        self.waiting.retain(|w| {
            let late = w.deadline <= now;
            if late {
                out.push(TimedOut {
                    counter: w.counter,
                    filter: w.filter.clone(),
                    timeout: w.deadline - w.sent_at,
                });
            }
            !late
        });
        out
    }

    /// Filters no request waits on any more and the next send will not use (a response
    /// topic with `{{uuid}}` in it makes a new one each time): to unsubscribe.
    pub fn unused_filters(&mut self) -> Vec<String> {
        for n in self.subscribed.values_mut() {
            *n = 0;
        }
        for w in &self.waiting {
            if let Some(n) = self.subscribed.get_mut(&w.filter) {
                *n += 1;
            }
        }
        let unused: Vec<String> = self
            .subscribed
            .iter()
            .filter(|(f, n)| **n == 0 && Some(*f) != self.latest.as_ref())
            .map(|(f, _)| f.clone())
            .collect();
        for f in &unused {
            self.subscribed.remove(f);
        }
        unused
    }

    /// The earliest deadline of a waiting request.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.waiting.iter().map(|w| w.deadline).min()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MessageProperties;

    const SEC: Duration = Duration::from_secs(1);

    fn with_correlation(topic: &str, payload: &str, data: &str) -> Message {
        let mut m = Message::new(topic, payload.as_bytes().to_vec(), 0, false);
        m.properties = Some(Box::new(MessageProperties {
            correlation_data: Some(Bytes::copy_from_slice(data.as_bytes())),
            ..MessageProperties::default()
        }));
        m
    }

    fn own(topic: &str, payload: &str) -> (String, Bytes) {
        (topic.to_owned(), Bytes::copy_from_slice(payload.as_bytes()))
    }

    #[test]
    fn only_the_same_correlation_data_answers_an_mqtt5_request() {
        let t0 = Instant::now();
        let mut r = Replies::default();
        let corr = Some(("reply/me".to_owned(), Bytes::from_static(b"req-1")));
        r.expect(1, "reply/me", 5 * SEC, corr, own("cmd", "on"), t0);
        assert!(r.offer(&with_correlation("reply/me", "no", "req-0"), t0).is_none());
        assert!(r.offer(&Message::new("reply/me", &b"none"[..], 0, false), t0).is_none());
        let reply = r
            .offer(&with_correlation("reply/me", "yes", "req-1"), t0 + SEC)
            .unwrap();
        assert_eq!((reply.counter, &reply.payload[..]), (1, &b"yes"[..]));
        assert_eq!(reply.round_trip, SEC);
        assert!(r.is_empty());
    }

    #[test]
    fn a_topic_wait_takes_the_first_live_message_that_is_not_our_echo() {
        let t0 = Instant::now();
        let mut r = Replies::default();
        r.expect(1, "stat/#", 5 * SEC, None, own("stat/cmd", "TOGGLE"), t0);
        r.expect(2, "stat/#", 5 * SEC, None, own("stat/cmd", "TOGGLE"), t0);
        assert!(r.offer(&Message::new("stat/x", &b"old"[..], 0, true), t0).is_none());
        assert!(
            r.offer(&Message::new("stat/cmd", &b"TOGGLE"[..], 0, false), t0)
                .is_none()
        );
        assert!(r.offer(&Message::new("tele/x", &b"?"[..], 0, false), t0).is_none());
        assert_eq!(
            r.offer(&Message::new("stat/x", &b"ON"[..], 0, false), t0)
                .unwrap()
                .counter,
            1
        );
        assert_eq!(r.next_deadline(), Some(t0 + 5 * SEC));
        let late = r.expired(t0 + 5 * SEC);
        assert_eq!((late.len(), late[0].counter, late[0].timeout), (1, 2, 5 * SEC));
        assert!(r.is_empty());
    }

    #[test]
    fn one_off_reply_topics_are_unsubscribed_the_latest_is_kept() {
        let t0 = Instant::now();
        let mut r = Replies::default();
        r.subscribed("r/1");
        r.expect(1, "r/1", SEC, None, own("c", "x"), t0);
        r.subscribed("r/2");
        r.expect(2, "r/2", SEC, None, own("c", "x"), t0);
        assert!(r.unused_filters().is_empty());
        r.offer(&Message::new("r/1", &b"a"[..], 0, false), t0);
        r.offer(&Message::new("r/2", &b"b"[..], 0, false), t0);
        assert_eq!(r.unused_filters(), vec!["r/1".to_owned()]);
        assert!(r.is_subscribed("r/2"));
    }
}
