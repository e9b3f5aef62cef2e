//! One figure read from one `$SYS` message: what the per-broker readers return, and
//! how their payloads ("42", "12 seconds", "1.5e3") become numbers.

/// A figure a broker states about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Clients connected now.
    ClientsConnected,
    /// Clients the broker knows, connected or not (mosquitto's `clients/total`).
    ClientsTotal,
    /// The most clients connected at once since the broker started.
    ClientsMax,
    /// PUBLISH messages received since the broker started.
    MessagesReceived,
    /// PUBLISH messages sent since the broker started.
    MessagesSent,
    /// Bytes received since the broker started.
    BytesReceived,
    /// Bytes sent since the broker started.
    BytesSent,
    /// The broker's own average of PUBLISH messages received, per minute.
    LoadMessagesReceivedPerMin,
    /// The broker's own average of PUBLISH messages sent, per minute.
    LoadMessagesSentPerMin,
    /// The broker's own average of bytes received, per minute.
    LoadBytesReceivedPerMin,
    /// The broker's own average of bytes sent, per minute.
    LoadBytesSentPerMin,
    /// The broker's own count of messages received in its last second.
    LoadMessagesReceivedPerSec,
    /// The broker's own count of messages sent in its last second.
    LoadMessagesSentPerSec,
    /// The broker's own count of bytes received in its last second.
    LoadBytesReceivedPerSec,
    /// The broker's own count of bytes sent in its last second.
    LoadBytesSentPerSec,
    /// Retained messages held.
    Retained,
    /// Subscriptions held.
    Subscriptions,
    /// Heap in use, bytes.
    HeapBytes,
    /// The most heap used, bytes.
    HeapMaxBytes,
}

/// What one `$SYS` message says.
#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    /// The broker's version as it writes it ("mosquitto version 2.0.18", "5.8.0").
    Version(String),
    /// The broker's own description (EMQX's `sysdescr`).
    Description(String),
    /// Seconds since the broker started.
    UptimeSecs(u64),
    /// A number.
    Value(Metric, f64),
    /// A node of a cluster was seen (EMQX, VerneMQ): its name.
    Node(String),
    /// The topic belongs to this broker's `$SYS` tree but carries nothing shown here
    /// (client events, Erlang VM figures): it still tells which broker this is.
    Other,
}

/// A payload as a number: "42", " 42 ", "1.5", "3e2"; `None` for anything else.
pub fn number(payload: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A payload as text, trimmed; `None` when it is not UTF-8 or empty.
pub fn text(payload: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// An uptime as brokers write it: "12345 seconds" (mosquitto), "12345" (plain
/// seconds), or EMQX's "1 days, 2 hours, 3 minutes, 4 seconds" (older EMQX also
/// wrote it without "days").
pub fn uptime_secs(payload: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(payload).ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(secs);
    }
    let mut total = 0u64;
    let mut seen = false;
    for part in text.split(',') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(unit)) = (words.next(), words.next()) else {
            return None;
        };
        let n: u64 = n.parse().ok()?;
        let scale = match unit.trim_end_matches('s') {
            "second" => 1,
            "minute" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(scale)?)?;
        seen = true;
    }
    seen.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptimes_are_read_in_each_brokers_words() {
        assert_eq!(uptime_secs(b"3723 seconds"), Some(3723));
        assert_eq!(uptime_secs(b"3723"), Some(3723));
        assert_eq!(
            uptime_secs(b"1 days, 2 hours, 3 minutes, 4 seconds"),
            Some(86_400 + 7200 + 180 + 4)
        );
        assert_eq!(uptime_secs(b"5 minutes, 1 seconds"), Some(301));
        assert_eq!(uptime_secs(b"soon"), None);
        assert_eq!(uptime_secs(b""), None);
        assert_eq!(uptime_secs(b"3 fortnights"), None);
    }

    #[test]
    fn numbers_are_plain_decimal_payloads_only() {
        assert_eq!(number(b" 42\n"), Some(42.0));
        assert_eq!(number(b"1.25"), Some(1.25));
        assert_eq!(number(b"NaN"), None);
        assert_eq!(number(b"42 clients"), None);
        assert_eq!(number(&[0xff, 0x30]), None);
    }
}
