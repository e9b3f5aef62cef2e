//! "Replay into broker…" for an opened recording: a thread (`topicscope-replay`) with a
//! worker session of its own connects with a saved profile and publishes the file's
//! messages at their pace ([`crate::record::replay`], the code `topicscope replay`
//! runs), keeping QoS, retain and MQTT 5 properties. The window reads its progress from
//! counters and can stop it; the outcome becomes a notice.
//!
//! The broker the file was recorded from is refused unless the user ticked that they
//! mean it: a replay there sends old readings and commands to live devices.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, bounded};

use super::connection::{push_error, push_notice};
use super::state::AppState;
use crate::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};
use crate::profiles::Profile;
use crate::record::Recording;
use crate::record::replay::{self, Plan, Speed, same_broker};

/// What the user chose in the Replay dialog.
#[derive(Clone, Debug)]
pub struct ReplayRequest {
    /// The saved profile of the broker to replay into.
    pub profile: String,
    pub speed: Speed,
    pub topic_prefix: Option<String>,
    /// The user confirmed replaying into the broker the file was recorded from.
    pub same_broker_confirmed: bool,
}

/// Counters the thread moves on and the window reads.
#[derive(Debug, Default)]
pub struct ReplayProgress {
    pub total: AtomicU64,
    pub sent: AtomicU64,
    /// Published (QoS 0) or acknowledged (QoS 1, 2) or failed.
    pub done: AtomicU64,
}

/// A replay running from the window.
#[derive(Debug)]
pub struct ReplayTask {
    /// The profile replayed into.
    pub target: String,
    pub progress: Arc<ReplayProgress>,
    stop: Arc<AtomicBool>,
    outcome: Receiver<Result<String, String>>,
}

impl ReplayTask {
    /// Asks the thread to stop after the message it is at.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Sent and total, for the progress bar.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.progress.sent.load(Ordering::Relaxed),
            self.progress.total.load(Ordering::Relaxed),
        )
    }
}

/// True when replaying into `profile` needs the user's confirmation first.
pub fn needs_confirmation(recorded_from: &str, profile: &Profile) -> bool {
    same_broker(recorded_from, &profile.broker_url)
}

impl AppState {
    /// Starts replaying the active recording into `request.profile`; says why not.
    pub fn start_replay(&mut self, request: &ReplayRequest) -> Result<(), String> {
        let Some(p) = &self.conn().playback else {
            return Err(crate::tr!("rec-replay-win-no-recording"));
        };
        if p.replay.is_some() {
            return Err(crate::tr!("rec-replay-win-running"));
        }
        let Some(profile) = self.profiles.get(&request.profile).cloned() else {
            return Err(crate::tr!("chrome-no-such-profile", name = request.profile.as_str()));
        };
        let from = p.opened.meta.broker_url.clone();
        if needs_confirmation(&from, &profile) && !request.same_broker_confirmed {
            return Err(crate::tr!("rec-replay-win-same-broker", broker = from.as_str()));
        }
        let plan = Plan {
            speed: request.speed,
            repeat: false,
            topic_prefix: request.topic_prefix.clone().filter(|t| !t.is_empty()),
            filters: Vec::new(),
        };
        let path = p.path.clone();
        let progress = Arc::new(ReplayProgress::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, outcome) = bounded(1);
        let (pr, st) = (progress.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name("topicscope-replay".into())
            .spawn(move || {
                let _ = tx.send(replay_thread(&path, &profile, &plan, &pr, &st));
            });
        if let Err(e) = spawned {
            return Err(crate::tr!("chrome-worker-start-failed", error = crate::i18n::shown(e)));
        }
        if let Some(p) = &mut self.conn_mut().playback {
            p.replay = Some(ReplayTask {
                target: request.profile.clone(),
                progress,
                stop,
                outcome,
            });
        }
        Ok(())
    }

    /// Stops the active recording's replay, if one runs.
    pub fn stop_replay(&mut self) {
        if let Some(t) = self.conn().playback.as_ref().and_then(|p| p.replay.as_ref()) {
            t.stop();
        }
    }

    /// Announces replays that ended; true while one runs (its progress moves on).
    pub fn check_replays(&mut self) -> bool {
        let mut running = false;
        for c in &mut self.connections {
            let Some(p) = &mut c.playback else { continue };
            let Some(t) = &p.replay else { continue };
            match t.outcome.try_recv() {
                Ok(Ok(text)) => {
                    push_notice(&mut self.notices, text);
                    p.replay = None;
                }
                Ok(Err(e)) => {
                    push_error(&mut self.notices, e);
                    p.replay = None;
                }
                Err(crossbeam_channel::TryRecvError::Empty) => running = true,
                Err(crossbeam_channel::TryRecvError::Disconnected) => p.replay = None,
            }
        }
        running
    }
}

/// The replay thread: connect, publish everything at its pace, wait for the broker to
/// take it, disconnect. Returns the summary or the error, in words.
fn replay_thread(
    path: &Path,
    profile: &Profile,
    plan: &Plan,
    progress: &ReplayProgress,
    stop: &AtomicBool,
) -> Result<String, String> {
    let rec = Recording::open(path).map_err(|e| e.to_string())?;
    progress.total.store(plan.count(&rec)?, Ordering::Relaxed);
    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("chrome-worker-start-failed", error = crate::i18n::shown(e)))?;
    // A session of its own: the profile may be open in the window under the same client
    // id (the broker would then kick one of the two off, over and over), and the replay
    // wants to send, not to receive everything `#` brings or to leave a last will.
    let mut session = profile.clone();
    session.client_id = crate::profiles::generate_client_id();
    session.subscriptions.clear();
    session.last_will = None;
    session.clean_session = true;
    worker
        .send_blocking(Command::Connect(Box::new(session)))
        .map_err(|e| e.to_string())?;
    let failure = std::cell::RefCell::new(None::<String>);
    let failed = std::cell::Cell::new(0u64);
    let on_event = |ev: Event| match ev {
        Event::PublishSent { .. } | Event::PublishAcked { .. } => {
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
        Event::PublishFailed { reason, .. } => {
            progress.done.fetch_add(1, Ordering::Relaxed);
            failed.set(failed.get() + 1);
            failure.borrow_mut().get_or_insert(reason);
        }
        _ => {}
    };
    // Connected, or the broker's refusal in words.
    let deadline = Instant::now() + Duration::from_secs(profile.connect_timeout_secs + 5);
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(crate::tr!("rec-replay-win-stopped", n = 0));
        }
        match worker.events.recv_timeout(Duration::from_millis(100)) {
            Ok(Event::State(ConnectionState::Connected { .. })) => break,
            Ok(Event::State(
                ConnectionState::Reconnecting { reason, .. } | ConnectionState::Disconnected { reason: Some(reason) },
            )) => return Err(crate::tr!("rec-replay-win-failed", why = reason.as_str())),
            Ok(ev) => on_event(ev),
            Err(_) if Instant::now() > deadline => {
                return Err(crate::tr!(
                    "rec-replay-win-failed",
                    why = crate::tr!("worker-cli-no-answer", secs = profile.connect_timeout_secs)
                ));
            }
            Err(_) => {}
        }
    }
    let mut send = |m: crate::model::Message| {
        // Ids start at 1: the worker reports nothing for id 0.
        let id = progress.sent.load(Ordering::Relaxed) + 1;
        let mut req = PublishRequest::new(id, m.topic, m.payload, m.qos, m.retain);
        req.properties = m.properties;
        worker.send_blocking(Command::Publish(req)).map_err(|e| e.to_string())?;
        progress.sent.store(id, Ordering::Relaxed);
        Ok(())
    };
    let mut keep_going = || {
        while let Ok(ev) = worker.events.try_recv() {
            on_event(ev);
        }
        !stop.load(Ordering::Relaxed)
    };
    let ended = replay::run(&rec, plan, &mut send, &mut keep_going);
    // Wait (bounded) for the broker to take what was sent before disconnecting.
    let deadline = Instant::now() + Duration::from_secs(15);
    let sent = progress.sent.load(Ordering::Relaxed);
    while progress.done.load(Ordering::Relaxed) < sent && Instant::now() < deadline {
        if let Ok(ev) = worker.events.recv_timeout(Duration::from_millis(50)) {
            on_event(ev);
        }
    }
    let _ = worker.send_blocking(Command::Disconnect);
    let done = progress.done.load(Ordering::Relaxed);
    if let Some(why) = failure.into_inner() {
        return Err(crate::tr!("rec-replay-failures", n = failed.get(), why = why));
    }
    match ended? {
        replay::Ended::Stopped => Err(crate::tr!("rec-replay-win-stopped", n = sent)),
        replay::Ended::Finished if done < sent => Err(crate::tr!("rec-replay-unconfirmed", n = sent - done)),
        replay::Ended::Finished => Ok(crate::tr!(
            "rec-replay-win-done",
            n = sent,
            name = profile.name.as_str()
        )),
    }
}
