//! `topicscope record`: subscribes and writes every message to a recording file until
//! Ctrl+C, `--duration` or the broker ends it, then prints a summary.
//!
//! The CLI waits when the writer is behind (`RecordingWriter::send`) instead of
//! dropping: the worker's bounded queues then push back on the broker's TCP stream.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::{ConnectArgs, duration_arg, interrupt, wait_connected};
use crate::mqtt::{ConnectionState, Event, WorkerHandle};
use crate::record::{RecordingMeta, RecordingStats, RecordingWriter, WriterOptions};

/// Arguments of `record`.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(help = crate::tr!("clihelp-record-args-topics"), long = "topic", short = 't')]
    pub topics: Vec<String>,
    #[arg(help = crate::tr!("clihelp-record-args-qos"), long, short = 'q', default_value_t = 0, value_parser = crate::cli::parse_qos)]
    pub qos: u8,
    #[arg(help = crate::tr!("clihelp-record-args-output"), long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    #[arg(help = crate::tr!("clihelp-record-args-overwrite"), long)]
    pub overwrite: bool,
    #[arg(help = crate::tr!("clihelp-record-args-max-size"), long, value_name = "SIZE", value_parser = crate::record::size::parse_limit)]
    pub max_size: Option<u64>,
    #[arg(help = crate::tr!("clihelp-record-args-duration"), long, value_name = "DURATION", value_parser = duration_arg::parse_interval)]
    pub duration: Option<Duration>,
}

pub fn run(args: &RecordArgs) -> Result<(), String> {
    let profile = super::subscribing_profile(&args.connect, &args.topics, args.qos)?;
    let filters: Vec<String> = profile.subscriptions.iter().map(|s| s.filter.clone()).collect();
    let meta = RecordingMeta::new(&profile.broker_url, &filters);
    let options = WriterOptions {
        max_size: args.max_size,
        overwrite: args.overwrite,
        ..WriterOptions::default()
    };
    // The file first: a bad path fails before anything connects.
    let writer = RecordingWriter::create(&args.output, &meta, options).map_err(|e| e.to_string())?;
    interrupt::install();
    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = crate::i18n::shown(e)))?;
    let mut rec = Recorder {
        writer: &writer,
        failure: None,
        refused: 0,
        filter_count: filters.len(),
    };
    wait_connected(&worker, &profile, |ev| {
        rec.handle(ev);
    })
    .map_err(|e| e.to_string())?;
    writer.event("connected", &meta.broker_url);
    eprintln!(
        "{}",
        crate::tr!(
            "rec-cli-recording",
            broker = meta.broker_url.as_str(),
            file = crate::i18n::shown(args.output.display()),
            filters = filters.join(" ")
        )
    );
    let started = Instant::now();
    let deadline = args.duration.map(|d| started + d);
    while !interrupt::requested() && deadline.is_none_or(|d| Instant::now() < d) && rec.failure.is_none() {
        let wait = deadline.map_or(Duration::from_millis(200), |d| {
            d.saturating_duration_since(Instant::now())
                .min(Duration::from_millis(200))
        });
        match worker.events.recv_timeout(wait) {
            Ok(ev) => rec.handle(ev),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
    }
    let failure = rec.failure.take();
    drop(worker);
    let stats = writer.finish().map_err(|e| e.to_string())?;
    println!("{}", summary(&stats, started.elapsed(), &args.output));
    match failure {
        Some(f) => Err(f),
        None => Ok(()),
    }
}

/// `recorded 1200 messages (120 kB of payload) in 60.0 s to FILE (file size 512 kB)`.
fn summary(stats: &RecordingStats, took: Duration, file: &std::path::Path) -> String {
    let mut line = crate::tr!(
        "rec-cli-summary",
        n = stats.messages,
        payload = human_bytes(stats.payload_bytes),
        secs = format!("{:.1}", took.as_secs_f64()),
        file = crate::i18n::shown(file.display()),
        size = human_bytes(stats.file_bytes)
    );
    if stats.deleted > 0 {
        line.push_str(&crate::tr!("rec-cli-summary-deleted", n = stats.deleted));
    }
    if stats.too_large > 0 {
        line.push_str(&crate::tr!("rec-cli-summary-too-large", n = stats.too_large));
    }
    line
}

/// Bytes as people read them: 980 B, 12.3 kB, 4.5 MB, 1.2 GB.
pub fn human_bytes(n: u64) -> String {
    let n = n as f64;
    if n < 1e3 {
        format!("{n} B")
    } else if n < 1e6 {
        format!("{:.1} kB", n / 1e3)
    } else if n < 1e9 {
        format!("{:.1} MB", n / 1e6)
    } else {
        format!("{:.2} GB", n / 1e9)
    }
}

struct Recorder<'a> {
    writer: &'a RecordingWriter,
    failure: Option<String>,
    refused: usize,
    filter_count: usize,
}

impl Recorder<'_> {
    fn handle(&mut self, ev: Event) {
        match ev {
            Event::Messages(batch) => {
                if let Err(e) = self.writer.send(batch) {
                    self.failure = Some(e.to_string());
                }
            }
            Event::SubscribeFailed { filter, reason } => {
                eprintln!(
                    "topicscope: {}",
                    crate::tr!(
                        "worker-cli-subscription-refused",
                        filter = filter.as_str(),
                        why = reason.as_str()
                    )
                );
                self.refused += 1;
                if self.refused >= self.filter_count {
                    self.failure = Some(crate::tr!("worker-cli-every-subscription-refused"));
                }
            }
            Event::State(ConnectionState::Connected { broker }) => self.writer.event("connected", &broker),
            Event::State(ConnectionState::Reconnecting { reason, .. }) => {
                eprintln!("topicscope: {}", crate::tr!("rec-cli-lost", why = reason.as_str()));
                self.writer.event("lost", &reason);
            }
            Event::State(ConnectionState::Disconnected { reason: Some(reason) }) => {
                self.writer.event("disconnected", &reason);
                self.failure = Some(crate::tr!("worker-state-disconnected-because", why = reason));
            }
            Event::Error(e) => eprintln!("topicscope: {e}"),
            _ => {}
        }
    }
}
