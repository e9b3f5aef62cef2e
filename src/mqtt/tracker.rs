//! What the session and the supervisor know about one connection's requests: wanted
//! subscriptions, publishes in flight, and which packet a broker's hang-up is blamed on.
//!
//! Both run on one current-thread runtime, so a request pushed to rumqttc and then
//! recorded here (with no await in between) is recorded before rumqttc reports it.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::PublishRequest;

/// A broker that hangs up within this time of a packet we wrote, before answering it, is
/// taken to have refused that packet (mosquitto closes an MQTT 3.1.1 connection on a
/// publish over its `max_packet_size`; rumqttd closes on `$SYS/#`).
pub const HANG_UP_BLAME_WINDOW: Duration = Duration::from_secs(3);

/// The last PUBLISH or SUBSCRIBE written on the current connection.
#[derive(Debug, Clone)]
pub enum Written {
    Publish {
        pkid: u16,
        req: PublishRequest,
        at: Instant,
    },
    Subscribe {
        filter: String,
        at: Instant,
    },
}

/// What a hang-up was blamed on.
#[derive(Debug)]
pub enum Blamed {
    /// A publish; it is not sent again.
    Publish { pkid: u16, req: PublishRequest },
    /// A subscription; it is given up.
    Subscribe { filter: String },
}

/// Book-keeping shared by the session task and the supervisor.
#[derive(Debug, Default)]
pub struct Tracker {
    pub connected: bool,
    /// The user asked to disconnect: a DISCONNECT written now ends the session. Any other
    /// DISCONNECT is rumqttc's own answer to a protocol error.
    pub disconnect_requested: bool,
    /// Wanted subscriptions, restored on every ConnAck.
    pub subscriptions: Vec<(String, u8)>,
    /// Publishes handed to rumqttc, not yet written (matched in order to `Outgoing::Publish`).
    pub outbox: VecDeque<PublishRequest>,
    /// QoS 1/2 publishes written and waiting for PUBACK / PUBCOMP, by packet id.
    pub inflight: HashMap<u16, PublishRequest>,
    /// Publishes made while reconnecting, sent after the next ConnAck.
    pub offline: VecDeque<PublishRequest>,
    /// Subscribe requests handed to rumqttc, in order.
    pub sub_outbox: VecDeque<String>,
    /// Subscribes written and waiting for SUBACK, by packet id.
    pub sub_inflight: HashMap<u16, String>,
    /// The last PUBLISH or SUBSCRIBE written, for blaming a hang-up on it.
    pub last_written: Option<Written>,
    /// The largest packet the broker accepts (MQTT 5 CONNACK), if it said.
    pub broker_max_packet_bytes: Option<u32>,
    /// The largest packet the profile lets us send.
    pub profile_max_packet_bytes: usize,
}

impl Tracker {
    pub fn new(subscriptions: Vec<(String, u8)>, profile_max_packet_bytes: usize) -> Self {
        Self {
            subscriptions,
            profile_max_packet_bytes,
            ..Self::default()
        }
    }

    /// Everything handed over but not finished, in request order.
    pub fn take_unfinished(&mut self) -> Vec<PublishRequest> {
        let mut out: Vec<PublishRequest> = self.inflight.drain().map(|(_, r)| r).collect();
        out.extend(self.outbox.drain(..));
        out.extend(self.offline.drain(..));
        out.sort_by_key(|r| r.id);
        out
    }

    pub fn want_subscription(&mut self, filter: String, q: u8) {
        match self.subscriptions.iter_mut().find(|(f, _)| *f == filter) {
            Some(existing) => existing.1 = q,
            None => self.subscriptions.push((filter, q)),
        }
    }

    /// The broker hung up: the packet written last is blamed when it was written
    /// moments before and is still unanswered. Brokers handle packets in order, so that
    /// is the one they could not take. A blamed publish is forgotten (never re-sent); a
    /// blamed subscription is given up. Anything else is retried with the next connection.
    pub fn blame_hang_up(&mut self, now: Instant) -> Option<Blamed> {
        let written = self.last_written.take()?;
        match written {
            Written::Publish { pkid, req, at } if now.duration_since(at) < HANG_UP_BLAME_WINDOW => {
                if req.qos > 0 && self.inflight.remove(&pkid).is_none() {
                    return None; // answered meanwhile
                }
                Some(Blamed::Publish { pkid, req })
            }
            Written::Subscribe { filter, at } if now.duration_since(at) < HANG_UP_BLAME_WINDOW => {
                if !self.sub_inflight.values().any(|f| *f == filter) {
                    return None;
                }
                self.subscriptions.retain(|(f, _)| *f != filter);
                Some(Blamed::Subscribe { filter })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: u64, qos: u8) -> PublishRequest {
        PublishRequest::new(id, "t", vec![0u8; 3000], qos, false)
    }

    #[test]
    fn a_hang_up_right_after_an_unanswered_publish_blames_it() {
        let now = Instant::now();
        let mut t = Tracker::new(vec![("#".into(), 0)], 1 << 20);
        t.inflight.insert(7, req(1, 1));
        t.last_written = Some(Written::Publish {
            pkid: 7,
            req: req(1, 1),
            at: now,
        });
        assert!(matches!(t.blame_hang_up(now), Some(Blamed::Publish { pkid: 7, .. })));
        assert!(t.inflight.is_empty(), "not re-sent with a fresh session");
        assert_eq!(t.subscriptions.len(), 1, "subscriptions are not blamed");
    }

    #[test]
    fn an_answered_or_old_packet_is_not_blamed() {
        let now = Instant::now();
        let mut t = Tracker::new(vec![("#".into(), 0)], 1 << 20);
        t.last_written = Some(Written::Publish {
            pkid: 7,
            req: req(1, 1),
            at: now,
        });
        assert!(t.blame_hang_up(now).is_none(), "acknowledged already");
        t.sub_inflight.insert(3, "#".into());
        t.last_written = Some(Written::Subscribe {
            filter: "#".into(),
            at: now,
        });
        assert!(t.blame_hang_up(now + HANG_UP_BLAME_WINDOW).is_none(), "too long ago");
        assert_eq!(t.subscriptions.len(), 1);
    }

    #[test]
    fn a_hang_up_right_after_an_unanswered_subscribe_gives_it_up() {
        let now = Instant::now();
        let mut t = Tracker::new(vec![("#".into(), 0), ("$SYS/#".into(), 0)], 1 << 20);
        t.sub_inflight.insert(3, "$SYS/#".into());
        t.last_written = Some(Written::Subscribe {
            filter: "$SYS/#".into(),
            at: now,
        });
        assert!(matches!(t.blame_hang_up(now), Some(Blamed::Subscribe { filter }) if filter == "$SYS/#"));
        assert_eq!(t.subscriptions, vec![("#".to_owned(), 0)]);
    }
}
