//! VerneMQ's `$SYS/<node>/…` tree (the node is an Erlang node name such as
//! `VerneMQ@127.0.0.1`; `systree_enabled` must be on).
//!
//! VerneMQ 1.x publishes each metric of `vmq-admin metrics show` under
//! `$SYS/<node>/` with the metric's name split at `_` (`vmq_systree.erl`, `key/2`:
//! `mqtt_publish_received` becomes `$SYS/<node>/mqtt/publish/received`). The names
//! read here are metric names of `vmq_metrics` (`mqtt_publish_received`,
//! `mqtt_publish_sent`, `bytes_received`, `bytes_sent`, `router_subscriptions`,
//! `retain_messages`, `active_mqtt_connections`). Older VerneMQ (0.x, the
//! `vmq_systree` page of its docs) published `clients/active`, `subscriptions/total`
//! and per-interval loads `…/last_sec/value` and `…/last_min/value`; those are read too.

use super::reading::{Metric, Reading, number};

/// The reading of `$SYS/<node>/<rest>`, or `None` when not one of VerneMQ's.
pub fn read(rest: &str, payload: &[u8]) -> Option<Reading> {
    use Metric::*;
    let metric = match rest {
        "mqtt/publish/received" => MessagesReceived,
        "mqtt/publish/sent" => MessagesSent,
        "bytes/received" => BytesReceived,
        "bytes/sent" => BytesSent,
        "router/subscriptions" | "subscriptions/total" => Subscriptions,
        "retain/messages" => Retained,
        "active/mqtt/connections" | "clients/active" => ClientsConnected,
        "clients/total" => ClientsTotal,
        "messages/received/last_sec/value" => LoadMessagesReceivedPerSec,
        "messages/sent/last_sec/value" => LoadMessagesSentPerSec,
        "bytes/received/last_sec/value" => LoadBytesReceivedPerSec,
        "bytes/sent/last_sec/value" => LoadBytesSentPerSec,
        "messages/received/last_min/value" => LoadMessagesReceivedPerMin,
        "messages/sent/last_min/value" => LoadMessagesSentPerMin,
        "bytes/received/last_min/value" => LoadBytesReceivedPerMin,
        "bytes/sent/last_min/value" => LoadBytesSentPerMin,
        // Every other metric: VerneMQ's tree all the same.
        _ => return Some(Reading::Other),
    };
    number(payload).map(|v| Reading::Value(metric, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vernemq_metrics_are_read_by_their_split_names() {
        assert_eq!(
            read("mqtt/publish/received", b"120"),
            Some(Reading::Value(Metric::MessagesReceived, 120.0))
        );
        assert_eq!(
            read("router/subscriptions", b"4"),
            Some(Reading::Value(Metric::Subscriptions, 4.0))
        );
        assert_eq!(read("system/utilization", b"3"), Some(Reading::Other));
    }
}
