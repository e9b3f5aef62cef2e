//! `topicscope replay`: publishes a recording into a broker with its original timing
//! (scaled by `--speed`, or as fast as the broker takes it), QoS, retain flag and MQTT 5
//! properties, printing progress on stderr. It refuses the broker the file was
//! recorded from unless `--yes-same-broker` is given: replaying into a live fleet's
//! broker would send old commands and readings to real devices.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::{ConnectArgs, connect_profile, interrupt, wait_connected};
use crate::mqtt::{Command, Event, PublishRequest, WorkerHandle};
use crate::profiles::BrokerUrl;
use crate::record::{Recording, RecordingQuery};

/// Arguments of `replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// The recording to replay.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Speed: 1 (as recorded), 10, 60, 0.5 … or `max` (as fast as the broker takes it).
    #[arg(long, default_value = "1", value_parser = parse_speed, value_name = "FACTOR")]
    pub speed: Speed,
    /// Start again from the beginning after the end, until Ctrl+C.
    #[arg(long = "loop")]
    pub repeat: bool,
    /// Put this in front of every topic, e.g. test/ (a test copy of the fleet's topics).
    #[arg(long, value_name = "PREFIX")]
    pub topic_prefix: Option<String>,
    /// Replay only topics matching this filter (repeatable).
    #[arg(long = "filter", value_name = "FILTER")]
    pub filters: Vec<String>,
    /// Replay into the broker the file was recorded from (refused without it).
    #[arg(long)]
    pub yes_same_broker: bool,
}

/// How fast to replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    Factor(f64),
    Max,
}

fn parse_speed(text: &str) -> Result<Speed, String> {
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
fn same_broker(a: &str, b: &str) -> bool {
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

pub fn run(args: &ReplayArgs) -> Result<(), String> {
    let recording = Recording::open(&args.file).map_err(|e| e.to_string())?;
    super::check_filters(&args.filters)?;
    let profile = connect_profile(&args.connect).map_err(|e| e.to_string())?;
    if same_broker(&recording.meta.broker_url, &profile.broker_url) && !args.yes_same_broker {
        return Err(crate::tr!(
            "rec-replay-same-broker",
            broker = recording.meta.broker_url.as_str()
        ));
    }
    let query = RecordingQuery {
        filters: args.filters.clone(),
        ..RecordingQuery::default()
    };
    let mut total = 0u64;
    recording
        .for_each(&query, |_| {
            total += 1;
            true
        })
        .map_err(|e| e.to_string())?;
    interrupt::install();
    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = crate::i18n::shown(e)))?;
    let mut state = Replayer {
        worker: &worker,
        sent: 0,
        done: 0,
        failed: 0,
        first_failure: None,
        total,
        last_progress: Instant::now(),
        terminal: std::io::stderr().is_terminal(),
    };
    wait_connected(&worker, &profile, |ev| state.on_event(ev)).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut error = None;
    loop {
        let pass_start = Instant::now();
        let mut first_us = None;
        let mut stopped = false;
        let result = recording.for_each(&query, |r| {
            if interrupt::requested() {
                stopped = true;
                return false;
            }
            if let Speed::Factor(f) = args.speed {
                let t0 = *first_us.get_or_insert(r.time_us);
                let offset = Duration::from_secs_f64((r.time_us - t0).max(0) as f64 / 1e6 / f);
                let due = pass_start + offset;
                // Sleep in short steps: events are drained and Ctrl+C is seen meanwhile.
                while Instant::now() < due {
                    state.drain();
                    if interrupt::requested() {
                        stopped = true;
                        return false;
                    }
                    std::thread::sleep(
                        due.saturating_duration_since(Instant::now())
                            .min(Duration::from_millis(20)),
                    );
                }
            }
            let m = r.message;
            let topic = match &args.topic_prefix {
                Some(p) => format!("{p}{}", m.topic),
                None => m.topic,
            };
            // Ids start at 1: the worker reports nothing for id 0.
            let mut req = PublishRequest::new(state.sent + 1, topic, m.payload, m.qos, m.retain);
            req.properties = m.properties;
            if let Err(e) = worker.send_blocking(Command::Publish(req)) {
                error = Some(e.to_string());
                return false;
            }
            state.sent += 1;
            state.drain();
            state.progress(false);
            true
        });
        result.map_err(|e| e.to_string())?;
        if stopped || error.is_some() || !args.repeat || total == 0 {
            break;
        }
    }
    // Wait (bounded) for the broker to take what was sent before disconnecting.
    let deadline = Instant::now() + Duration::from_secs(15);
    while state.done < state.sent && Instant::now() < deadline {
        match worker.events.recv_timeout(Duration::from_millis(50)) {
            Ok(ev) => state.on_event(ev),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
    }
    state.progress(true);
    let _ = worker.send_blocking(Command::Disconnect);
    println!(
        "{}",
        crate::tr!(
            "rec-replay-summary",
            n = state.done - state.failed,
            secs = format!("{:.1}", started.elapsed().as_secs_f64())
        )
    );
    if let Some(e) = error {
        return Err(e);
    }
    if state.failed > 0 {
        return Err(crate::tr!(
            "rec-replay-failures",
            n = state.failed,
            why = state.first_failure.unwrap_or_default()
        ));
    }
    if state.done < state.sent {
        return Err(crate::tr!("rec-replay-unconfirmed", n = state.sent - state.done));
    }
    Ok(())
}

struct Replayer<'a> {
    worker: &'a WorkerHandle,
    sent: u64,
    /// Publishes the worker reported sent (QoS 0) or acknowledged (QoS 1, 2) or failed.
    done: u64,
    failed: u64,
    first_failure: Option<String>,
    total: u64,
    last_progress: Instant,
    terminal: bool,
}

impl Replayer<'_> {
    fn drain(&mut self) {
        while let Ok(ev) = self.worker.events.try_recv() {
            self.on_event(ev);
        }
    }

    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::PublishSent { .. } | Event::PublishAcked { .. } => self.done += 1,
            Event::PublishFailed { reason, .. } => {
                self.done += 1;
                self.failed += 1;
                self.first_failure.get_or_insert(reason);
            }
            Event::Error(e) => eprintln!("topicscope: {e}"),
            _ => {}
        }
    }

    /// A progress line every second (redrawn in place on a terminal), and at the end.
    fn progress(&mut self, last: bool) {
        if !last && self.last_progress.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last_progress = Instant::now();
        // Within the current pass (with --loop, `sent` keeps counting).
        let in_pass = if self.sent == 0 || self.total == 0 {
            self.sent
        } else {
            (self.sent - 1) % self.total + 1
        };
        let pct = (in_pass * 100).checked_div(self.total).unwrap_or(100);
        let line = crate::tr!("rec-replay-progress", sent = in_pass, total = self.total, pct = pct);
        if self.terminal && !last {
            eprint!("\r{line}   ");
        } else if self.terminal {
            eprintln!("\r{line}   ");
        } else {
            eprintln!("{line}");
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
