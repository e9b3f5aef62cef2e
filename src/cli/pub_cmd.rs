//! `topicscope pub`: publishes a message or a saved command of the profile, once or on
//! a repeat, waits for the broker's acks (QoS 1/2) and for replies when asked.
//!
//! [`pub_source`](super::pub_source) decides what to send and checks it before the
//! connection is opened; [`pub_repeat`](super::pub_repeat) sends it and waits.

use std::time::{Duration, Instant};

use super::pub_repeat::{Repeat, send_all};
use super::pub_source::Source;
use super::{PubArgs, connect_profile, wait_connected};
use crate::i18n::shown;
use crate::mqtt::{Command, ConnectionState, Event, WorkerHandle};

pub fn run(args: &PubArgs) -> Result<(), String> {
    let mut profile = connect_profile(&args.connect).map_err(|e| e.to_string())?;
    // The profile's subscriptions belong to the window; `pub` subscribes only for replies.
    profile.subscriptions.clear();
    let source = Source::from_args(args, &profile)?;
    let repeat = Repeat {
        count: args.repeat.unwrap_or(1),
        interval: args.interval,
        repeating: args.repeat.is_some(),
    };

    let worker =
        WorkerHandle::spawn(None).map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = shown(e)))?;
    wait_connected(&worker, &profile, |_| {}).map_err(|e| e.to_string())?;
    let outcome = send_all(&worker, &source, repeat, profile.encodings.clone());
    disconnect(&worker);
    outcome
}

/// A clean DISCONNECT makes the broker forward a QoS 0 message before the socket closes.
fn disconnect(worker: &WorkerHandle) {
    let _ = worker.send_blocking(Command::Disconnect);
    let deadline = Instant::now() + Duration::from_secs(2);
    while let Ok(ev) = worker.events.recv_deadline(deadline) {
        if matches!(ev, Event::State(ConnectionState::Disconnected { .. })) {
            break;
        }
    }
}
