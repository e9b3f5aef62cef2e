//! Small types shared by the simulated devices: the clock they see, the messages they
//! emit and the ON/OFF/TOGGLE vocabulary most of them understand.
//!
//! Everything here is pure so device logic can be tested without a broker.

use chrono::{NaiveDateTime, Timelike};

/// The moment a device acts at: wall-clock time (for daily curves and timestamps in
/// payloads) and how long the device has been running (for uptimes and short cycles).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Now {
    pub local: NaiveDateTime,
    pub uptime_secs: f64,
}

impl Now {
    /// Hour of the day as a fraction, 0.0 ≤ h < 24.0.
    pub fn hour(&self) -> f64 {
        let t = self.local.time();
        f64::from(t.num_seconds_from_midnight()) / 3600.0 + f64::from(t.nanosecond().min(999_999_999)) / 3.6e12
    }

    /// Whole seconds of uptime, as firmware counters report it.
    pub fn uptime_whole(&self) -> u64 {
        // Uptime is never negative or huge; the cast saturates anyway.
        self.uptime_secs.max(0.0) as u64
    }

    /// Tasmota's `Time` field: local time, no zone.
    pub fn tasmota_time(&self) -> String {
        self.local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// A test clock: a fixed date at `hour` o'clock, `uptime_secs` after boot.
    #[cfg(test)]
    pub fn at(hour: u32, uptime_secs: f64) -> Now {
        let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("valid test date")
            + chrono::Duration::milliseconds((uptime_secs * 1000.0) as i64);
        Now { local, uptime_secs }
    }
}

/// One message a device wants published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    pub topic: String,
    pub payload: Vec<u8>,
    /// Retained messages (availability, states, discovery) go out at QoS 1 like real
    /// firmware sends them; telemetry at QoS 0.
    pub retain: bool,
}

impl Outgoing {
    pub fn new(topic: impl Into<String>, payload: impl Into<Vec<u8>>) -> Self {
        Self {
            topic: topic.into(),
            payload: payload.into(),
            retain: false,
        }
    }

    pub fn retained(topic: impl Into<String>, payload: impl Into<Vec<u8>>) -> Self {
        Self {
            retain: true,
            ..Self::new(topic, payload)
        }
    }

    /// The payload as text (every device but the camera sends UTF-8).
    #[cfg(test)]
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.payload).unwrap_or("<binary>")
    }
}

/// The switch verbs Tasmota, ESPHome and Zigbee2MQTT all accept, case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    On,
    Off,
    Toggle,
}

impl Switch {
    /// `ON`, `OFF` or `TOGGLE` in any case, surrounding whitespace ignored.
    pub fn parse(word: &str) -> Option<Switch> {
        let word = word.trim();
        if word.eq_ignore_ascii_case("on") {
            Some(Switch::On)
        } else if word.eq_ignore_ascii_case("off") {
            Some(Switch::Off)
        } else if word.eq_ignore_ascii_case("toggle") {
            Some(Switch::Toggle)
        } else {
            None
        }
    }

    /// The new on/off state after applying this verb to `current`.
    pub fn apply(self, current: bool) -> bool {
        match self {
            Switch::On => true,
            Switch::Off => false,
            Switch::Toggle => !current,
        }
    }
}

/// `"ON"` / `"OFF"`, the spelling all three firmware families use in state payloads.
pub(crate) fn on_off(on: bool) -> &'static str {
    if on { "ON" } else { "OFF" }
}

/// Rounds to `decimals` places so JSON shows `21.7`, not `21.700000000000003`.
pub(crate) fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    // `+ 0.0` turns -0.0 into 0.0, which JSON would otherwise show as `-0.0`.
    (value * scale).round() / scale + 0.0
}

/// Wi-Fi signal quality in percent from dBm, the way Tasmota and ESPHome derive it.
pub(crate) fn rssi_quality(dbm: f64) -> u8 {
    (2.0 * (dbm + 100.0)).clamp(0.0, 100.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switch_words_are_case_insensitive() {
        assert_eq!(Switch::parse("on"), Some(Switch::On));
        assert_eq!(Switch::parse(" OFF\n"), Some(Switch::Off));
        assert_eq!(Switch::parse("Toggle"), Some(Switch::Toggle));
        assert_eq!(Switch::parse("onn"), None);
        assert_eq!(Switch::parse(""), None);
        assert!(Switch::Toggle.apply(false));
        assert!(!Switch::Toggle.apply(true));
        assert!(!Switch::Off.apply(true));
    }

    #[test]
    fn rounding_and_quality() {
        assert_eq!(round_to(21.734_999, 2), 21.73);
        assert_eq!(round_to(-0.04, 1).to_string(), "0");
        assert_eq!(rssi_quality(-64.0), 72);
        assert_eq!(rssi_quality(-20.0), 100);
        assert_eq!(rssi_quality(-120.0), 0);
    }

    #[test]
    fn clock_hour_and_time() {
        let now = Now::at(8, 15.0 * 60.0 + 2.0);
        assert!((now.hour() - (8.0 + 15.0 / 60.0 + 2.0 / 3600.0)).abs() < 1e-9);
        assert_eq!(now.tasmota_time(), "2026-11-20T08:15:02");
        assert_eq!(now.uptime_whole(), 902);
    }
}
