//! When each subscription was granted, and how many messages the connection had then,
//! so that a subscription granted long ago after which nothing at all arrived can be
//! explained (the tree's empty state, the subscriptions pane) instead of leaving a
//! blank pane. Counting the connection's messages costs nothing on the message path;
//! the price is that a filter is not called silent while other filters bring traffic.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::connection::SubscriptionStatus;
use crate::model::broker_sys::{SysState, filter_covers_sys};

/// How long a granted subscription may bring nothing before it is explained: retained
/// messages come at once, and an ESP32 reporting every few seconds is heard by then.
pub const SILENT_AFTER: Duration = Duration::from_secs(10);

/// The grant time of each filter on one connection, with the connection's message
/// count at that moment.
#[derive(Debug, Default)]
pub struct GrantTimes {
    at: HashMap<String, (Instant, u64)>,
}

impl GrantTimes {
    /// `filter` was granted at `now`, when the connection had received `messages`.
    pub fn granted(&mut self, filter: &str, now: Instant, messages: u64) {
        self.at.insert(filter.to_owned(), (now, messages));
    }

    /// The connection went down: every subscription waits for its next grant.
    pub fn clear(&mut self) {
        self.at.clear();
    }

    /// The granted filters (`$SYS` aside: the Broker pane explains those) after whose
    /// grant nothing arrived for [`SILENT_AFTER`] (`messages`: the connection's count
    /// now), with how long. Also the time until the next one would become silent, for
    /// a repaint.
    pub fn silent<'a>(
        &self,
        subs: &'a [SubscriptionStatus],
        now: Instant,
        messages: u64,
    ) -> (Vec<(&'a str, Duration)>, Option<Duration>) {
        let mut silent = Vec::new();
        let mut next = None::<Duration>;
        for s in subs.iter().filter(|s| !filter_covers_sys(&s.filter)) {
            let Some(&(at, then)) = self.at.get(&s.filter) else {
                continue;
            };
            // Something arrived since: not silent.
            if messages != then {
                continue;
            }
            let waited = now.saturating_duration_since(at);
            if waited >= SILENT_AFTER {
                silent.push((s.filter.as_str(), waited));
            } else {
                let left = SILENT_AFTER - waited;
                next = Some(next.map_or(left, |n| n.min(left)));
            }
        }
        (silent, next)
    }
}

/// Why wildcard filters bring live messages but no retained one: RabbitMQ (3.x) sends a
/// retained message only to a subscription of that exact topic, never through `+` or
/// `#`, and publishes no `$SYS`. A broker with `$SYS` is not suspected (mosquitto, EMQX,
/// VerneMQ publish it, and mosquitto retains its own `$SYS/broker/version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetainedHint {
    /// The granted wildcard filters concerned.
    pub filters: Vec<String>,
    /// A QoS 2 request was granted QoS 1, as RabbitMQ does: the guess is firmer.
    pub qos_downgraded: bool,
}

/// The hint, when: `$SYS` is [`SysState::Silent`], messages arrived (`received`) and
/// none of them was retained (`retained`), and a granted filter has a wildcard.
pub fn retained_hint(subs: &[SubscriptionStatus], sys: SysState, received: u64, retained: u64) -> Option<RetainedHint> {
    if sys != SysState::Silent || received == 0 || retained > 0 {
        return None;
    }
    let granted_qos = |s: &SubscriptionStatus| s.status.strip_prefix("granted QoS ")?.parse::<u8>().ok();
    let filters: Vec<String> = subs
        .iter()
        .filter(|s| !filter_covers_sys(&s.filter) && s.filter.contains(['+', '#']) && granted_qos(s).is_some())
        .map(|s| s.filter.clone())
        .collect();
    if filters.is_empty() {
        return None;
    }
    let qos_downgraded = subs.iter().any(|s| s.qos == 2 && granted_qos(s) == Some(1));
    Some(RetainedHint {
        filters,
        qos_downgraded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(filter: &str) -> SubscriptionStatus {
        SubscriptionStatus {
            filter: filter.into(),
            qos: 0,
            status: "granted QoS 0".into(),
        }
    }

    #[test]
    fn a_filter_granted_long_ago_is_silent_and_sys_is_left_to_the_broker_pane() {
        let t0 = Instant::now();
        let subs = [sub("#"), sub("$SYS/#"), sub("esp32/+/state")];
        let mut g = GrantTimes::default();
        g.granted("#", t0, 7);
        g.granted("$SYS/#", t0, 7);
        g.granted("esp32/+/state", t0 + Duration::from_secs(5), 7);
        let (silent, next) = g.silent(&subs, t0 + Duration::from_secs(11), 7);
        assert_eq!(silent, [("#", Duration::from_secs(11))]);
        assert_eq!(next, Some(Duration::from_secs(4)));
        // One message since, and none is silent.
        assert_eq!(g.silent(&subs, t0 + Duration::from_secs(11), 8), (Vec::new(), None));
        g.clear();
        assert_eq!(g.silent(&subs, t0 + Duration::from_secs(60), 7), (Vec::new(), None));
    }

    #[test]
    fn no_retained_through_wildcards_on_a_broker_without_sys_is_explained() {
        let mut q2 = sub("farm/#");
        q2.qos = 2;
        q2.status = "granted QoS 1".into();
        let subs = [sub("#"), sub("$SYS/#"), sub("farm/shed/temp")];
        let hint = retained_hint(&subs, SysState::Silent, 5, 0).expect("suspected");
        assert_eq!(hint.filters, ["#"], "neither $SYS nor an exact topic");
        assert!(!hint.qos_downgraded);
        let firmer = retained_hint(&[q2.clone()], SysState::Silent, 5, 0).unwrap();
        assert!(firmer.qos_downgraded, "QoS 2 granted as 1");
        // Not when: $SYS is heard or still awaited, a retained message came, nothing came,
        // or no wildcard was granted.
        assert_eq!(retained_hint(&subs, SysState::Publishing, 5, 0), None);
        assert_eq!(retained_hint(&subs, SysState::Waiting { secs_left: 3.0 }, 5, 0), None);
        assert_eq!(retained_hint(&subs, SysState::NotSubscribed, 5, 0), None);
        assert_eq!(retained_hint(&subs, SysState::Silent, 5, 1), None);
        assert_eq!(retained_hint(&subs, SysState::Silent, 0, 0), None);
        assert_eq!(retained_hint(&[sub("farm/shed/temp")], SysState::Silent, 5, 0), None);
        let mut pending = sub("#");
        pending.status = "pending".into();
        assert_eq!(retained_hint(&[pending], SysState::Silent, 5, 0), None);
    }
}
