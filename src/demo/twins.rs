//! Two boards flashed with one client id: the classic ESP32 failure the Devices pane
//! names. A pump controller and a fan controller in the shed both connect as
//! [`CLIENT_ID`] (the id Arduino MQTT examples hard-code). The pump stays on; the fan
//! board wakes every 20–40 s for a few seconds, and while both are up the broker closes
//! the older connection at each CONNECT, so they kick each other off until the fan
//! sleeps again. Real second connections with the same id: the broker's own takeovers.

use std::ops::RangeInclusive;

use super::link::{Device, Dropout, LinkSpec};
use super::sim::{Now, Outgoing, Switch, on_off};

/// The shared client id.
pub const CLIENT_ID: &str = "sim-ESP32Client";
/// Topic root of the board that stays connected.
pub const PUMP: &str = "shed/pump";
/// Topic root of the board that wakes now and then.
pub const FAN: &str = "shed/fan";

/// How long the fan board stays up, and how long it sleeps, in milliseconds.
const FAN_AWAKE_MS: RangeInclusive<u64> = 4_000..=6_000;
const FAN_ASLEEP_MS: RangeInclusive<u64> = 20_000..=40_000;

/// One of the two boards: a relay and a temperature, reported every 2 s.
#[derive(Debug)]
pub struct Twin {
    root: &'static str,
    relay: bool,
    celsius: f64,
    wakes: bool,
}

impl Twin {
    /// The pump board (always connected).
    pub fn pump(seed: u64) -> Self {
        Self {
            root: PUMP,
            relay: false,
            celsius: 14.0 + (seed % 40) as f64 / 10.0,
            wakes: false,
        }
    }

    /// The fan board (up a few seconds every 20–40 s).
    pub fn fan(seed: u64) -> Self {
        Self {
            root: FAN,
            relay: true,
            celsius: 16.0 + (seed % 40) as f64 / 10.0,
            wakes: true,
        }
    }

    fn state(&self) -> Outgoing {
        Outgoing::retained(format!("{}/relay", self.root), on_off(self.relay))
    }
}

impl Device for Twin {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: CLIENT_ID.to_owned(),
            availability_topic: format!("{}/status", self.root),
            online: "online",
            offline: "offline",
            subscriptions: vec![format!("{}/relay/set", self.root)],
            dropout: self.wakes.then_some(Dropout {
                every_ms: FAN_AWAKE_MS,
                away_ms: FAN_ASLEEP_MS,
            }),
        }
    }

    fn on_connect(&mut self, _now: &Now) -> Vec<Outgoing> {
        vec![self.state()]
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        if !now.uptime_whole().is_multiple_of(2) {
            return Vec::new();
        }
        // A slow drift, warmer while the relay runs.
        let target = if self.relay { 24.0 } else { 15.0 };
        self.celsius += (target - self.celsius) * 0.01;
        vec![Outgoing::new(
            format!("{}/temperature", self.root),
            format!("{:.1}", self.celsius),
        )]
    }

    fn on_message(&mut self, _topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        let word = String::from_utf8_lossy(payload);
        match Switch::parse(word.trim()) {
            Some(s) => {
                self.relay = s.apply(self.relay);
                vec![self.state()]
            }
            None => vec![Outgoing::new(
                format!("{}/relay/error", self.root),
                format!("unknown command {:?}: use ON, OFF or TOGGLE", word.trim()),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_boards_share_one_client_id_and_only_the_fan_sleeps() {
        let (pump, fan) = (Twin::pump(1).link(), Twin::fan(2).link());
        assert_eq!(pump.client_id, fan.client_id);
        assert_ne!(pump.availability_topic, fan.availability_topic);
        assert!(pump.dropout.is_none());
        let sleep = fan.dropout.expect("the fan board sleeps");
        assert!(*sleep.away_ms.start() >= 20_000 && *sleep.away_ms.end() <= 40_000);
    }

    #[test]
    fn the_relay_answers_on_its_state_topic() {
        let mut pump = Twin::pump(3);
        let out = pump.on_message("shed/pump/relay/set", b"ON", &Now::at(7, 1.0));
        assert_eq!(out, vec![Outgoing::retained("shed/pump/relay", "ON")]);
        let out = pump.on_message("shed/pump/relay/set", b"toggle", &Now::at(7, 2.0));
        assert_eq!(out[0].text(), "OFF");
        let out = pump.on_message("shed/pump/relay/set", b"{}", &Now::at(7, 3.0));
        assert_eq!(out[0].topic, "shed/pump/relay/error");
    }
}
