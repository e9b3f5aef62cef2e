//! A device's health: offline (it said so), silent (nothing for 3× its usual interval,
//! or at least a minimum), flapping (its availability changed too often lately), or
//! fine. Judged against an explicit clock so tests drive it with a test clock.

use super::device::Device;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Health {
    /// Worst first: the order the pane sorts by.
    Flapping,
    Offline,
    Silent,
    Online,
    /// Never said whether it is online, and not silent.
    Unknown,
}

/// The thresholds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthRules {
    /// Silent after this many usual intervals without a message.
    pub silent_factor: f64,
    /// ...and never sooner than this many seconds.
    pub silent_min_secs: f64,
    /// A set time instead: silent after this many seconds, whatever the rhythm.
    pub silent_fixed_secs: Option<f64>,
    /// Flapping when availability changed more than this many times...
    pub flap_changes: usize,
    /// ...within this many seconds.
    pub flap_window_secs: f64,
}

impl Default for HealthRules {
    fn default() -> Self {
        Self {
            silent_factor: 3.0,
            silent_min_secs: 30.0,
            silent_fixed_secs: None,
            flap_changes: 4,
            flap_window_secs: 600.0,
        }
    }
}

impl HealthRules {
    /// How long without a message before `d` counts as silent: the set time, or three
    /// usual intervals; None before its rhythm is known.
    pub fn silent_after(&self, d: &Device) -> Option<f64> {
        if let Some(fixed) = self.silent_fixed_secs {
            return Some(fixed);
        }
        d.interval().map(|i| (i * self.silent_factor).max(self.silent_min_secs))
    }

    pub fn judge(&self, d: &Device, now: f64) -> Health {
        if d.changes_within(now, self.flap_window_secs) > self.flap_changes {
            return Health::Flapping;
        }
        if d.available == Some(false) {
            return Health::Offline;
        }
        if let (Some(after), Some(seen)) = (self.silent_after(d), d.last_seen)
            && now - seen > after
        {
            return Health::Silent;
        }
        match d.available {
            Some(true) => Health::Online,
            _ => Health::Unknown,
        }
    }
}
