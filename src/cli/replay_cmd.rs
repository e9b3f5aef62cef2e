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
use crate::record::Recording;
pub use crate::record::replay::Speed;
use crate::record::replay::parse_speed;
use crate::record::replay::{self, Plan, same_broker};

/// Arguments of `replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    #[arg(help = crate::tr!("clihelp-replay-args-file"), value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-replay-args-speed"), long, default_value = "1", value_parser = parse_speed, value_name = "FACTOR")]
    pub speed: Speed,
    #[arg(help = crate::tr!("clihelp-replay-args-repeat"), long = "loop")]
    pub repeat: bool,
    #[arg(help = crate::tr!("clihelp-replay-args-topic-prefix"), long, value_name = "PREFIX")]
    pub topic_prefix: Option<String>,
    #[arg(help = crate::tr!("clihelp-replay-args-filters"), long = "filter", value_name = "FILTER")]
    pub filters: Vec<String>,
    #[arg(help = crate::tr!("clihelp-replay-args-yes-same-broker"), long)]
    pub yes_same_broker: bool,
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
    let plan = Plan {
        speed: args.speed,
        repeat: args.repeat,
        topic_prefix: args.topic_prefix.clone(),
        filters: args.filters.clone(),
    };
    let total = plan.count(&recording)?;
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
    let state = std::cell::RefCell::new(state);
    let mut send = |m: crate::model::Message| {
        let mut s = state.borrow_mut();
        // Ids start at 1: the worker reports nothing for id 0.
        let mut req = PublishRequest::new(s.sent + 1, m.topic, m.payload, m.qos, m.retain);
        req.properties = m.properties;
        worker.send_blocking(Command::Publish(req)).map_err(|e| e.to_string())?;
        s.sent += 1;
        Ok(())
    };
    let mut keep_going = || {
        let mut s = state.borrow_mut();
        s.drain();
        s.progress(false);
        !interrupt::requested()
    };
    let error = replay::run(&recording, &plan, &mut send, &mut keep_going).err();
    let mut state = state.into_inner();
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
