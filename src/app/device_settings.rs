//! The Devices pane's settings of a connection (the user's `{device}` patterns, the
//! silence and flapping thresholds, desktop notifications): applied to the connection's
//! device registry and saved with its profile. A new pattern re-reads the last message
//! of every topic it covers, so boards already in the tree show at once.

use super::AppState;
use super::connection::Connection;
use crate::profiles::DeviceSettings;

impl AppState {
    /// Applies `settings` to the active connection and saves them with its profile.
    pub fn set_device_settings(&mut self, settings: DeviceSettings) {
        let conn = self.conn_mut();
        let patterns_changed = conn.profile.devices.rules != settings.rules;
        conn.profile.devices = settings.clone();
        conn.apply_device_settings();
        if patterns_changed {
            conn.reread_for_patterns();
        }
        let name = conn.name.clone();
        if let Some(mut saved) = self.profiles.get(&name).cloned() {
            saved.devices = settings;
            self.profiles.upsert(saved);
            if let Err(e) = self.profiles.save() {
                self.error(e.to_string());
            }
        }
    }
}

impl Connection {
    /// The profile's device settings, given to the registry.
    pub fn apply_device_settings(&mut self) {
        self.devices.set_rules(self.profile.devices.health_rules());
        self.devices.set_user_rules(self.profile.devices.user_rules());
    }

    /// Feeds the registry the last message of every topic a user pattern covers, oldest
    /// first, with its own time and retain flag.
    pub fn reread_for_patterns(&mut self) {
        let rules = self.devices.user_rules().to_vec();
        if rules.is_empty() {
            return;
        }
        let tree = self.model.tree();
        let mut found: Vec<(f64, String, bytes::Bytes, bool)> = Vec::new();
        for id in tree.iter_subtree(crate::model::NodeId::ROOT) {
            let Some(last) = tree.last_message(id) else { continue };
            let topic = tree.full_topic(id);
            if rules.iter().any(|r| r.device_root(&topic).is_some()) {
                let t = last
                    .time()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
                found.push((t, topic, last.payload.to_bytes(), last.retain));
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (t, topic, payload, retain) in found {
            self.devices.ingest(&topic, &payload, retain, t);
        }
    }
}
