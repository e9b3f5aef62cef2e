//! NanoMQ's `$SYS` topics.
//!
//! NanoMQ publishes client events only, not broker figures: `$SYS/brokers/connected`
//! and `$SYS/brokers/disconnected`, a JSON object per client that comes or goes
//! (NanoMQ's docs, "Event" / system topics, and its 0.12 release notes). There is no
//! version, uptime or load to read: the pane says "NanoMQ" and that it publishes no
//! figures. Its HTTP API (`/api/v4/metrics`) has them, outside MQTT.

use super::reading::Reading;

/// The reading of `$SYS/brokers/<rest>` when it is one of NanoMQ's event topics.
pub fn read(rest: &str) -> Option<Reading> {
    matches!(rest, "connected" | "disconnected").then_some(Reading::Other)
}
