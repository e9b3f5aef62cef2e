//! Replaying a recording: its messages in time order at their original pace (scaled),
//! or as fast as they can be handed on, with an optional topic prefix and filters,
//! once or in a loop. Shared by `topicscope replay` and the window's "Replay into
//! broker…"; how a message is published is the caller's (this layer knows no broker).
//! Also the rule that a recording is not replayed into the broker it came from.

use std::time::{Duration, Instant};

use super::reader::{Recording, RecordingQuery};
use crate::model::Message;
use crate::profiles::BrokerUrl;

/// How fast to replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// 1 is as recorded, 10 ten times faster.
    Factor(f64),
    /// As fast as the messages can be handed on.
    Max,
}

/// "10", "60x", "0.5", "max".
pub fn parse_speed(text: &str) -> Result<Speed, String> {
    let t = text.trim().trim_end_matches(['x', '×']);
    if t.eq_ignore_ascii_case("max") {
        return Ok(Speed::Max);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 && f <= 1e6 => Ok(Speed::Factor(f)),
        _ => Err(crate::tr!("rec-bad-speed", text = text)),
    }
}

/// True when both URLs name the same broker (loopback names count as one host).
pub fn same_broker(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (BrokerUrl::parse(a), BrokerUrl::parse(b)) else {
        return false;
    };
    let host = |u: &BrokerUrl| {
        let h = u.host.trim_matches(['[', ']']).to_ascii_lowercase();
        if h == "localhost" || h == "::1" || h.starts_with("127.") {
            "loopback".to_owned()
        } else {
            h
        }
    };
    host(&a) == host(&b) && a.port == b.port
}

/// What to replay and how.
#[derive(Clone, Debug)]
pub struct Plan {
    pub speed: Speed,
    /// Start again from the beginning after the end, until stopped.
    pub repeat: bool,
    /// Put in front of every topic.
    pub topic_prefix: Option<String>,
    /// Only topics matching these filters; empty: all.
    pub filters: Vec<String>,
}

impl Plan {
    fn query(&self) -> RecordingQuery {
        RecordingQuery {
            filters: self.filters.clone(),
            ..RecordingQuery::default()
        }
    }

    /// How many messages one pass sends.
    pub fn count(&self, rec: &Recording) -> Result<u64, String> {
        let mut total = 0u64;
        rec.for_each(&self.query(), |_| {
            total += 1;
            true
        })
        .map_err(|e| e.to_string())?;
        Ok(total)
    }
}

/// How a replay ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every message was handed on.
    Finished,
    /// `keep_going` said stop.
    Stopped,
}

/// Hands every message of `rec` that `plan` selects to `send`, at its time. While
/// waiting (and after every message) `keep_going` is called: it drains the caller's
/// events and returns false to stop. A `send` error ends the replay with it.
pub fn run(
    rec: &Recording,
    plan: &Plan,
    send: &mut dyn FnMut(Message) -> Result<(), String>,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<Ended, String> {
    let query = plan.query();
    loop {
        let pass_start = Instant::now();
        let mut first_us = None;
        let mut stopped = false;
        let mut error = None;
        let mut sent_any = false;
        rec.for_each(&query, |r| {
            if let Speed::Factor(f) = plan.speed {
                let t0 = *first_us.get_or_insert(r.time_us);
                let offset = Duration::from_secs_f64((r.time_us - t0).max(0) as f64 / 1e6 / f);
                let due = pass_start + offset;
                // Wait in short steps: events are drained and a stop is seen meanwhile.
                while Instant::now() < due {
                    if !keep_going() {
                        stopped = true;
                        return false;
                    }
                    std::thread::sleep(
                        due.saturating_duration_since(Instant::now())
                            .min(Duration::from_millis(20)),
                    );
                }
            }
            let mut m = r.message;
            if let Some(p) = &plan.topic_prefix {
                m.topic = format!("{p}{}", m.topic);
            }
            if let Err(e) = send(m) {
                error = Some(e);
                return false;
            }
            sent_any = true;
            if !keep_going() {
                stopped = true;
                return false;
            }
            true
        })
        .map_err(|e| e.to_string())?;
        if let Some(e) = error {
            return Err(e);
        }
        if stopped {
            return Ok(Ended::Stopped);
        }
        if !plan.repeat || !sent_any {
            return Ok(Ended::Finished);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_and_same_brokers() {
        assert_eq!(parse_speed("10"), Ok(Speed::Factor(10.0)));
        assert_eq!(parse_speed("60x"), Ok(Speed::Factor(60.0)));
        assert_eq!(parse_speed("MAX"), Ok(Speed::Max));
        assert!(parse_speed("0").is_err());
        assert!(parse_speed("fast").is_err());
        assert!(same_broker("mqtt://localhost:1883", "mqtt://127.0.0.1:1883"));
        assert!(same_broker("mqtt://bob@broker.lan:1883", "mqtt://broker.lan"));
        assert!(!same_broker("mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:1884"));
        assert!(!same_broker("mqtt://a.lan:1883", "mqtt://b.lan:1883"));
    }
}
