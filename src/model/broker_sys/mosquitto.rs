//! mosquitto's `$SYS/broker/…` tree.
//!
//! Topic names from mosquitto(8), "BROKER STATUS" (<https://mosquitto.org/man/mosquitto-8.html>;
//! the 1.4 and 2.0 pages agree on these), checked against a live mosquitto 2.0 in
//! `tests/broker_sys.rs`. Totals and counts are published every `sys_interval` seconds
//! (10 by default), and only when they changed; `version` once per subscription.
//! The `load/…/1min` figures are the broker's moving averages of a count per minute.
//!
//! amqtt's `BrokerSysPlugin` uses this tree too, with a few names of its own (byte
//! totals as `load/bytes/…`, `messages/retained/count`, `messages/subscriptions/count`,
//! heap in megabytes: the pane shows heap for mosquitto only), recorded live in
//! `tests/data/sys/amqtt-0.12.1.txt`. The HiveMQ community "$SYS topic" extension copies
//! mosquitto's names; HiveMQ itself publishes no `$SYS` topics, so a HiveMQ without
//! the extension is "publishes none".

use super::reading::{Metric, Reading, number, text, uptime_secs};

/// The reading of a `$SYS/broker/…` topic (`rest` is what follows `$SYS/broker/`), or
/// `None` when the topic is not one of mosquitto's.
pub fn read(rest: &str, payload: &[u8]) -> Option<Reading> {
    use Metric::*;
    let metric = match rest {
        "version" => return text(payload).map(Reading::Version),
        "uptime" => return uptime_secs(payload).map(Reading::UptimeSecs),
        "clients/connected" | "clients/active" => ClientsConnected,
        "clients/total" => ClientsTotal,
        "clients/maximum" => ClientsMax,
        // PUBLISH messages (mosquitto, then amqtt): `messages/…` counts every packet,
        // pings included, which is not what "messages per second" means to a person.
        "publish/messages/received" | "messages/publish/received" => MessagesReceived,
        "publish/messages/sent" | "messages/publish/sent" => MessagesSent,
        // amqtt (and the mqtt.org wiki's $SYS page) name the byte totals `load/bytes/…`.
        "bytes/received" | "load/bytes/received" => BytesReceived,
        "bytes/sent" | "load/bytes/sent" => BytesSent,
        "load/publish/received/1min" => LoadMessagesReceivedPerMin,
        "load/publish/sent/1min" => LoadMessagesSentPerMin,
        "load/bytes/received/1min" => LoadBytesReceivedPerMin,
        "load/bytes/sent/1min" => LoadBytesSentPerMin,
        "retained messages/count" | "messages/retained/count" => Retained,
        "subscriptions/count" | "messages/subscriptions/count" => Subscriptions,
        // 2.0 names, then 1.x names.
        "heap/current" | "heap/current size" => HeapBytes,
        "heap/maximum" | "heap/maximum size" => HeapMaxBytes,
        _ if is_known_other(rest) => return Some(Reading::Other),
        _ => return None,
    };
    number(payload).map(|v| Reading::Value(metric, v))
}

/// The rest of mosquitto's tree: figures not shown (5 and 15 minute loads, stored
/// messages, publish counts, bridges) that still say "this is mosquitto".
fn is_known_other(rest: &str) -> bool {
    const PREFIXES: [&str; 11] = [
        "time",
        "cpu/",
        "shared_subscriptions/",
        "load/",
        "clients/",
        "messages/",
        "publish/",
        "store/",
        "connection/",
        "timestamp",
        "heap/",
    ];
    PREFIXES.iter().any(|p| rest.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mosquittos_figures_are_read_and_others_are_kept_apart() {
        assert_eq!(
            read("version", b"mosquitto version 2.0.11"),
            Some(Reading::Version("mosquitto version 2.0.11".into()))
        );
        assert_eq!(read("uptime", b"61 seconds"), Some(Reading::UptimeSecs(61)));
        assert_eq!(
            read("load/publish/received/1min", b"12.50"),
            Some(Reading::Value(Metric::LoadMessagesReceivedPerMin, 12.5))
        );
        // Packets of every kind are not messages.
        assert_eq!(read("load/messages/received/1min", b"30.0"), Some(Reading::Other));
        assert_eq!(read("messages/received", b"300"), Some(Reading::Other));
        assert_eq!(
            read("retained messages/count", b"7"),
            Some(Reading::Value(Metric::Retained, 7.0))
        );
        assert_eq!(read("load/sockets/5min", b"1.0"), Some(Reading::Other));
        assert_eq!(read("clients/connected", b"many"), None);
        assert_eq!(read("weather", b"1"), None);
    }
}
