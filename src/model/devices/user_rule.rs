//! Devices from the user's own topic patterns, for boards that follow no public
//! convention: `sensors/{device}/#` makes every `sensors/<x>/…` topic belong to a
//! device named `<x>`. A pattern is MQTT filter levels (`+`, a final `#`, literals)
//! with exactly one `{device}` level. Messages under a rule's device give readings
//! (JSON key readings or a plain number), and a last-will leaf (`status`, `LWT`,
//! `availability` with online/offline…) gives its availability.

use super::recognise::{self, Hit, Kind};

/// The named wildcard.
pub const DEVICE_LEVEL: &str = "{device}";

/// One parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRule {
    pattern: String,
    levels: Vec<Level>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Level {
    Literal(String),
    Any,
    Device,
    Rest,
}

/// Why a pattern was refused (the UI words each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    Empty,
    /// No `{device}` level, or more than one.
    DeviceLevels(usize),
    /// `#` not alone at the end.
    MisplacedHash,
    /// A level mixing a wildcard or `{device}` with other characters.
    MixedLevel(String),
}

impl UserRule {
    pub fn parse(pattern: &str) -> Result<Self, RuleError> {
        let pattern = pattern.trim();
        if pattern.is_empty() {
            return Err(RuleError::Empty);
        }
        let parts: Vec<&str> = pattern.split('/').collect();
        let mut levels = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate() {
            let level = match *part {
                "+" => Level::Any,
                "#" if i + 1 == parts.len() => Level::Rest,
                "#" => return Err(RuleError::MisplacedHash),
                DEVICE_LEVEL => Level::Device,
                p if p.contains(['+', '#']) || p.contains(DEVICE_LEVEL) => {
                    return Err(RuleError::MixedLevel(p.to_owned()));
                }
                p => Level::Literal(p.to_owned()),
            };
            levels.push(level);
        }
        let devices = levels.iter().filter(|l| **l == Level::Device).count();
        if devices != 1 {
            return Err(RuleError::DeviceLevels(devices));
        }
        Ok(Self {
            pattern: pattern.to_owned(),
            levels,
        })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The device's topic root (`sensors/esp-07`) when `topic` matches.
    pub fn device_root<'t>(&self, topic: &'t str) -> Option<&'t str> {
        let mut end_of_device = None;
        let mut offset = 0;
        let mut parts = topic.split('/');
        for level in &self.levels {
            if *level == Level::Rest {
                return end_of_device.map(|e| &topic[..e]);
            }
            let part = parts.next()?;
            match level {
                Level::Literal(l) if l != part => return None,
                Level::Device if part.is_empty() => return None,
                Level::Device => end_of_device = Some(offset + part.len()),
                _ => {}
            }
            offset += part.len() + 1;
        }
        if parts.next().is_some() {
            return None;
        }
        end_of_device.map(|e| &topic[..e])
    }

    /// What a message on `topic` says about the rule's device, when it matches.
    pub fn recognise(&self, topic: &str, payload: &[u8]) -> Option<Hit> {
        let root = self.device_root(topic)?;
        let mut hit = Hit::new(Kind::UserRule, format!("rule:{root}"));
        hit.name = Some(root.rsplit('/').next().unwrap_or(root).to_owned());
        if let Some(lw) = super::last_will::recognise(topic, payload) {
            hit.available = lw.available;
            return Some(hit);
        }
        if recognise::json_readings(payload, &mut hit).is_none()
            && let Some(x) = recognise::plain_number(payload)
        {
            let label = topic.get(root.len() + 1..).unwrap_or(topic);
            hit.readings.push((label.to_owned(), x));
        }
        Some(hit)
    }
}

/// The first of `rules` that claims `topic`.
pub fn recognise_any(rules: &[UserRule], topic: &str, payload: &[u8]) -> Option<Hit> {
    rules.iter().find_map(|r| r.recognise(topic, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_names_the_device_level() {
        let r = UserRule::parse("sensors/{device}/#").unwrap();
        assert_eq!(r.device_root("sensors/esp-07/temp"), Some("sensors/esp-07"));
        assert_eq!(r.device_root("sensors/esp-07/a/b"), Some("sensors/esp-07"));
        assert_eq!(
            r.device_root("sensors/esp-07"),
            Some("sensors/esp-07"),
            "# matches the parent too"
        );
        assert_eq!(r.device_root("other/esp-07/temp"), None);
        assert_eq!(r.device_root("sensors//temp"), None, "an empty device name");
        let r = UserRule::parse("+/{device}/telemetry").unwrap();
        assert_eq!(r.device_root("farm/温室-3/telemetry"), Some("farm/温室-3"));
        assert_eq!(r.device_root("farm/温室-3/telemetry/x"), None);
        assert_eq!(r.device_root("farm/温室-3"), None);
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        assert_eq!(UserRule::parse("  "), Err(RuleError::Empty));
        assert_eq!(UserRule::parse("sensors/#"), Err(RuleError::DeviceLevels(0)));
        assert_eq!(UserRule::parse("{device}/{device}"), Err(RuleError::DeviceLevels(2)));
        assert_eq!(UserRule::parse("a/#/{device}"), Err(RuleError::MisplacedHash));
        assert_eq!(
            UserRule::parse("a/dev-{device}/#"),
            Err(RuleError::MixedLevel("dev-{device}".into()))
        );
        assert_eq!(
            UserRule::parse("a/b+/{device}"),
            Err(RuleError::MixedLevel("b+".into()))
        );
    }

    #[test]
    fn messages_give_readings_and_availability() {
        let r = UserRule::parse("sensors/{device}/#").unwrap();
        let h = r.recognise("sensors/esp-07/temp", b"21.5").unwrap();
        assert_eq!(h.id, "rule:sensors/esp-07");
        assert_eq!(h.name.as_deref(), Some("esp-07"));
        assert_eq!(h.readings, [("temp".to_owned(), 21.5)]);
        let h = r.recognise("sensors/esp-07/status", b"offline").unwrap();
        assert_eq!(h.available, Some(false));
        let h = r
            .recognise("sensors/esp-07/env", br#"{"temperature":20.1,"rssi":-61}"#)
            .unwrap();
        assert!(
            h.readings.iter().any(|(k, v)| k == "temperature" && *v == 20.1),
            "{h:?}"
        );
        assert!(r.recognise("elsewhere/x", b"1").is_none());
    }
}
