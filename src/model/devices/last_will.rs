//! Plain last-will topics: a last level of `status`, `LWT` or `availability` (and the
//! demo homes' 状态/状態/상태) carrying online/offline, 1/0 or true/false. Not `state`:
//! `…/state` with 1/0 is far more often a relay than a last will.
//! The device is the topic without its last level; anything else under that root is
//! attributed to it by the registry.

use super::recognise::{Hit, Kind, availability};

const LAST_LEVELS: &[&str] = &["status", "LWT", "lwt", "availability", "状态", "状態", "상태"];

/// Recognises `<root>/status` and the like with an availability payload.
pub fn recognise(topic: &str, payload: &[u8]) -> Option<Hit> {
    let (root, leaf) = topic.rsplit_once('/')?;
    if root.is_empty() || !LAST_LEVELS.contains(&leaf) {
        return None;
    }
    let available = availability(payload)?;
    let mut hit = Hit::new(Kind::LastWill, root);
    hit.available = Some(available);
    Some(hit)
}
