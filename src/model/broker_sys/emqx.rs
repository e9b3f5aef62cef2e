//! EMQX's `$SYS/brokers/<node>/…` tree (also written by EMQX-like brokers such as RMQTT
//! and RobustMQ, which take the same names).
//!
//! Topic names from EMQX's "System Topic" page
//! (<https://docs.emqx.com/en/emqx/latest/observability/mqtt-system-topics.html>, and the
//! 4.x "$SYS - System Topic" pages): `version`, `uptime`, `datetime`, `sysdescr`, the
//! client events under `clients/`, statistics under `stats/` (`connections/count`,
//! `connections/max`, `subscriptions/count`, `retained/count`, …) and metrics under
//! `metrics/` (`messages/received`, `messages/sent`, `bytes/received`, `bytes/sent`, …).
//! EMQX names these `connections.count` internally and its pages list both spellings,
//! so a dot is read as a slash. EMQX publishes every `sys_interval` (1 minute by
//! default) and lets only local clients subscribe to `$SYS` unless its ACL says so.
//! RMQTT publishes `stats` and `metrics` as one JSON object each; those are read too.

use super::reading::{Metric, Reading, number, text, uptime_secs};

/// The reading of `$SYS/brokers/<node>/<rest>`, or `None` when not one of EMQX's.
pub fn read(node: &str, rest: &str, payload: &[u8]) -> Option<Reading> {
    match rest {
        "version" => return text(payload).map(Reading::Version),
        "sysdescr" => return text(payload).map(Reading::Description),
        "uptime" => return uptime_secs(payload).map(Reading::UptimeSecs),
        "datetime" => return Some(Reading::Node(node.to_owned())),
        "stats" | "metrics" => return Some(Reading::Other),
        _ => {}
    }
    if rest.starts_with("clients/") {
        return Some(Reading::Other);
    }
    let (kind, name) = rest.split_once('/')?;
    if kind != "stats" && kind != "metrics" {
        return None;
    }
    let name = name.replace('.', "/");
    match metric(&name) {
        Some(m) => number(payload).map(|v| Reading::Value(m, v)),
        None => Some(Reading::Other),
    }
}

/// The readings of an RMQTT-style JSON `stats` or `metrics` object:
/// `{"connections.count": 3, "messages.received": 10, …}`.
pub fn read_json(payload: &[u8]) -> Vec<Reading> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(payload) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let m = metric(&k.replace('.', "/"))?;
            v.as_f64().map(|v| Reading::Value(m, v))
        })
        .collect()
}

fn metric(name: &str) -> Option<Metric> {
    use Metric::*;
    Some(match name {
        "connections/count" => ClientsConnected,
        "connections/max" => ClientsMax,
        "subscriptions/count" => Subscriptions,
        "retained/count" => Retained,
        "messages/received" => MessagesReceived,
        "messages/sent" => MessagesSent,
        "bytes/received" => BytesReceived,
        "bytes/sent" => BytesSent,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emqx_stats_are_read_with_slashes_or_dots() {
        assert_eq!(
            read("emqx@127.0.0.1", "stats/connections/count", b"3"),
            Some(Reading::Value(Metric::ClientsConnected, 3.0))
        );
        assert_eq!(
            read("emqx@127.0.0.1", "stats/retained.count", b"9"),
            Some(Reading::Value(Metric::Retained, 9.0))
        );
        assert_eq!(read("n", "stats/topics/count", b"9"), Some(Reading::Other));
        assert_eq!(read("n", "clients/esp32-01/connected", b"{}"), Some(Reading::Other));
        assert_eq!(read("n", "weather/today", b"1"), None);
    }

    #[test]
    fn rmqtt_json_objects_are_read() {
        let r = read_json(br#"{"connections.count": 2, "retained.count": 5, "topics.count": 1}"#);
        assert!(r.contains(&Reading::Value(Metric::ClientsConnected, 2.0)));
        assert!(r.contains(&Reading::Value(Metric::Retained, 5.0)));
        assert_eq!(r.len(), 2);
        assert!(read_json(b"not json").is_empty());
    }
}
