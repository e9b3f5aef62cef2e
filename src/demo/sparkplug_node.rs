//! A Sparkplug B edge node (`spBv1.0/demo/…/edge-01`) with one device (`press-1`), as an
//! industrial gateway behaves: NBIRTH with every metric's name and alias, then NDATA with
//! aliases only; DBIRTH/DDATA for the device; one sequence number (0–255, wrapping)
//! across the node's messages; a Node Control/Rebirth NCMD answered with fresh births.
//! Encoded with the same embedded schema the decoder reads.

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing};
use crate::model::decode::sparkplug::{self, Metric, MetricValue};

/// The edge node id (its group is `demo`, in [`NAME`]).
pub(crate) const EDGE_NODE: &str = "edge-01";
/// The device behind the edge node.
pub(crate) const DEVICE: &str = "press-1";
/// The namespace and group: the topic root shown in the device list.
pub(crate) const NAME: &str = "spBv1.0/demo";

/// Node metrics (name, alias); aliases are unique across the node and its devices.
const TEMPERATURE: (&str, u64) = ("Cabinet/Temperature", 1);
const UPTIME: (&str, u64) = ("Uptime", 2);
const RPM: (&str, u64) = ("Motor/RPM", 10);
const CURRENT: (&str, u64) = ("Motor/Current", 11);

pub(crate) struct SparkplugNode {
    seq: u64,
    /// Birth/death sequence: counts the node's sessions (a real node persists it).
    bd_seq: u64,
    temp: Drift,
    rpm: Drift,
    current: Drift,
    rng: SmallRng,
}

impl SparkplugNode {
    pub fn new(seed: u64) -> Self {
        Self {
            seq: 0,
            bd_seq: 0,
            temp: Drift::new(38.0, 20.0, 70.0)
                .wave(1.5, 300.0, 0.0)
                .walk(0.05, 3.0)
                .noise(0.1),
            rpm: Drift::new(1450.0, 0.0, 1800.0).walk(2.0, 60.0).noise(4.0),
            current: Drift::new(12.0, 0.0, 30.0).walk(0.1, 2.0).noise(0.2),
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    fn topic(kind: &str) -> String {
        format!("{NAME}/{kind}/{EDGE_NODE}")
    }

    fn device_topic(kind: &str) -> String {
        format!("{NAME}/{kind}/{EDGE_NODE}/{DEVICE}")
    }

    /// The next sequence number (0–255, wrapping).
    fn next_seq(&mut self) -> u64 {
        let seq = self.seq;
        self.seq = (self.seq + 1) % 256;
        seq
    }

    fn payload(&mut self, now: &Now, metrics: &[Metric]) -> Vec<u8> {
        let ms = u64::try_from(now.local.and_utc().timestamp_millis()).unwrap_or(0);
        let seq = self.next_seq();
        // Our own schema and metrics: encoding cannot fail but for a bug; send nothing then.
        sparkplug::encode(ms, Some(seq), metrics).unwrap_or_default()
    }

    /// NBIRTH (sequence restarts at 0) and DBIRTH: every metric with name and alias.
    fn births(&mut self, now: &Now) -> Vec<Outgoing> {
        self.seq = 0;
        let named = |(name, alias): (&str, u64), value| Metric {
            name: Some(name.to_owned()),
            alias: Some(alias),
            value,
        };
        let node = [
            Metric {
                name: Some("bdSeq".into()),
                alias: None,
                value: MetricValue::Int64(self.bd_seq as i64),
            },
            Metric {
                name: Some("Node Control/Rebirth".into()),
                alias: None,
                value: MetricValue::Boolean(false),
            },
            named(TEMPERATURE, MetricValue::Float(self.temp.last() as f32)),
            named(UPTIME, MetricValue::Int64(now.uptime_whole() as i64)),
        ];
        let device = [
            named(RPM, MetricValue::Double(self.rpm.last().round())),
            named(CURRENT, MetricValue::Float(self.current.last() as f32)),
        ];
        vec![
            Outgoing::new(Self::topic("NBIRTH"), self.payload(now, &node)),
            Outgoing::new(Self::device_topic("DBIRTH"), self.payload(now, &device)),
        ]
    }
}

fn by_alias((_, alias): (&str, u64), value: MetricValue) -> Metric {
    Metric {
        name: None,
        alias: Some(alias),
        value,
    }
}

impl Device for SparkplugNode {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: format!("sim-sparkplug-{EDGE_NODE}"),
            // A plain status topic beside the namespace's message types (not a
            // Sparkplug topic, so never decoded as one): the NDEATH will of a real node
            // is protobuf, which the link's text will cannot carry.
            availability_topic: format!("{NAME}/{EDGE_NODE}/status"),
            online: "online",
            offline: "offline",
            subscriptions: vec![Self::topic("NCMD")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        self.bd_seq = (self.bd_seq + 1) % 256;
        self.births(now)
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        let rng = &mut self.rng;
        self.temp.sample(now, rng);
        self.rpm.sample(now, rng);
        self.current.sample(now, rng);
        let node = [
            by_alias(TEMPERATURE, MetricValue::Float(self.temp.last() as f32)),
            by_alias(UPTIME, MetricValue::Int64(now.uptime_whole() as i64)),
        ];
        let device = [
            by_alias(RPM, MetricValue::Double(self.rpm.last().round())),
            by_alias(CURRENT, MetricValue::Float(self.current.last() as f32)),
        ];
        vec![
            Outgoing::new(Self::topic("NDATA"), self.payload(now, &node)),
            Outgoing::new(Self::device_topic("DDATA"), self.payload(now, &device)),
        ]
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], now: &Now) -> Vec<Outgoing> {
        if topic != Self::topic("NCMD") {
            return Vec::new();
        }
        let rebirth = crate::model::Decoder::Sparkplug
            .decode(payload)
            .is_ok_and(|v| v["metrics"]["Node Control/Rebirth"] == serde_json::Value::Bool(true));
        if rebirth {
            self.births(now)
        } else {
            // A real node ignores what it cannot read; the demo says why, as its boards do.
            vec![Outgoing::new(
                format!("{NAME}/{EDGE_NODE}/error"),
                "expected a Sparkplug B NCMD with Node Control/Rebirth = true",
            )]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SparkplugRegistry;
    use crate::model::sparkplug_registry::rebirth_command;

    #[test]
    fn data_is_named_after_birth_and_a_rebirth_restarts_the_sequence() {
        let mut node = SparkplugNode::new(4);
        let mut reg = SparkplugRegistry::default();
        let mut feed = |out: Vec<Outgoing>| -> Vec<serde_json::Value> {
            out.iter()
                .map(|m| reg.observe(&m.topic, &m.payload).unwrap().unwrap())
                .collect()
        };
        feed(node.on_connect(&Now::at(9, 0.0)));
        for s in 1..300 {
            for v in feed(node.on_tick(&Now::at(9, f64::from(s)))) {
                assert!(v.get("warnings").is_none(), "{v}");
                let metrics = v["metrics"].as_object().unwrap();
                assert!(metrics.keys().all(|k| !k.starts_with("alias")), "{v}");
            }
        }
        let (topic, cmd) = rebirth_command(&SparkplugNode::topic("NDATA"), 0).unwrap();
        let births = node.on_message(&topic, &cmd.unwrap(), &Now::at(9, 300.0));
        assert_eq!(births.len(), 2);
        let born = feed(births);
        assert_eq!(born[0]["seq"], 0);
        assert!(born[1]["metrics"]["Motor/RPM"].is_number());
        let next = feed(node.on_tick(&Now::at(9, 301.0)));
        assert!(next[0].get("warnings").is_none(), "{}", next[0]);
        assert!(next[1]["metrics"]["Motor/Current"].is_number());
        // Anything else on NCMD brings no birth, only a word on the error topic.
        let junk = node.on_message(&topic, b"junk", &Now::at(9, 302.0));
        assert_eq!(junk.len(), 1);
        assert!(junk[0].topic.ends_with("/error"));
    }
}
