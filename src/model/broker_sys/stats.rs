//! The broker's figures as last read ([`BrokerStats`]) and the per-second rates worked
//! out from them: the broker's own load average where it states one, else the
//! difference of its totals between two `$SYS` updates.

use std::collections::HashMap;

use super::reading::Metric;

/// Which way traffic goes, seen from the broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    MessagesIn,
    MessagesOut,
    BytesIn,
    BytesOut,
}

impl Flow {
    pub const ALL: [Flow; 4] = [Flow::MessagesIn, Flow::MessagesOut, Flow::BytesIn, Flow::BytesOut];

    /// The broker's running total of this flow.
    fn total(self) -> Metric {
        match self {
            Flow::MessagesIn => Metric::MessagesReceived,
            Flow::MessagesOut => Metric::MessagesSent,
            Flow::BytesIn => Metric::BytesReceived,
            Flow::BytesOut => Metric::BytesSent,
        }
    }

    /// The flow a load figure is about, and the factor that makes it per second.
    pub(super) fn of_load(metric: Metric) -> Option<(Flow, f64)> {
        use Metric::*;
        Some(match metric {
            LoadMessagesReceivedPerMin => (Flow::MessagesIn, 1.0 / 60.0),
            LoadMessagesSentPerMin => (Flow::MessagesOut, 1.0 / 60.0),
            LoadBytesReceivedPerMin => (Flow::BytesIn, 1.0 / 60.0),
            LoadBytesSentPerMin => (Flow::BytesOut, 1.0 / 60.0),
            LoadMessagesReceivedPerSec => (Flow::MessagesIn, 1.0),
            LoadMessagesSentPerSec => (Flow::MessagesOut, 1.0),
            LoadBytesReceivedPerSec => (Flow::BytesIn, 1.0),
            LoadBytesSentPerSec => (Flow::BytesOut, 1.0),
            _ => return None,
        })
    }

    /// The flow a running total is about.
    pub(super) fn of_total(metric: Metric) -> Option<Flow> {
        Flow::ALL.into_iter().find(|f| f.total() == metric)
    }
}

/// What the broker said about itself, as last read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BrokerStats {
    /// The version as the broker writes it.
    pub version: Option<String>,
    /// EMQX's description of itself.
    pub description: Option<String>,
    /// The cluster node that spoke last (EMQX, VerneMQ).
    pub node: Option<String>,
    pub uptime_secs: Option<u64>,
    /// The other figures, by kind.
    pub values: HashMap<Metric, f64>,
    /// Per-second rates by flow, and whether the broker stated them (true) or they were
    /// worked out from its totals (false).
    pub rates: HashMap<Flow, (f64, bool)>,
}

impl BrokerStats {
    /// The figure `metric`, if the broker stated it.
    pub fn value(&self, metric: Metric) -> Option<f64> {
        self.values.get(&metric).copied()
    }

    /// Per second, if known.
    pub fn rate(&self, flow: Flow) -> Option<f64> {
        self.rates.get(&flow).map(|r| r.0)
    }

    /// True when the broker stated this rate itself (its own load average).
    pub fn rate_is_brokers(&self, flow: Flow) -> bool {
        self.rates.get(&flow).is_some_and(|r| r.1)
    }
}

/// Works out rates from running totals: the last total of each flow and when it came.
#[derive(Clone, Debug, Default)]
pub(super) struct TotalsToRates {
    last: HashMap<Flow, (f64, f64)>,
}

impl TotalsToRates {
    /// A new total at `t`; the rate since the last one, if there was one before it.
    /// A total that went down (the broker restarted) starts afresh.
    pub fn rate(&mut self, flow: Flow, t: f64, total: f64) -> Option<f64> {
        let previous = self.last.insert(flow, (t, total));
        let (t0, v0) = previous?;
        let dt = t - t0;
        (dt > 0.0 && total >= v0).then(|| (total - v0) / dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_come_from_totals_and_a_restart_starts_afresh() {
        let mut r = TotalsToRates::default();
        assert_eq!(r.rate(Flow::MessagesIn, 0.0, 100.0), None);
        assert_eq!(r.rate(Flow::MessagesIn, 10.0, 600.0), Some(50.0));
        assert_eq!(r.rate(Flow::MessagesIn, 20.0, 5.0), None);
        assert_eq!(r.rate(Flow::MessagesIn, 30.0, 105.0), Some(10.0));
        // Two totals at once give no rate (no division by zero).
        assert_eq!(r.rate(Flow::MessagesIn, 30.0, 205.0), None);
    }
}
