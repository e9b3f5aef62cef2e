//! Aedes's `$SYS/<broker id>/…` topics.
//!
//! Aedes (npm) publishes no figures, only events, under its broker id (a UUID):
//! `heartbeat` and `birth` (the id, for its cluster), `new/clients` and
//! `disconnect/clients` (a client id), `new/subscribes` and `new/unsubscribes` (JSON).
//! Names from `aedes.js` and `lib/handlers/subscribe.js` of moscajs/aedes, and a live
//! Aedes 0.51.3 recorded in `tests/data/sys/aedes-0.51.3.txt`.

use super::reading::Reading;

/// The reading of `$SYS/<id>/<rest>` when it is one of Aedes's event topics.
pub fn read(rest: &str) -> Option<Reading> {
    matches!(
        rest,
        "heartbeat" | "birth" | "new/clients" | "disconnect/clients" | "new/subscribes" | "new/unsubscribes"
    )
    .then_some(Reading::Other)
}
