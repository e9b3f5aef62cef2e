//! Owns the command channel: starts and stops sessions and routes commands to them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::budget::ByteBudget;
use super::forwarder::{self, ITEM_CAPACITY, Item};
use super::protocol::{self, Client};
use super::retained;
use super::session;
use super::tracker::Tracker;
use super::{Command, ConnectionState, Event, PublishRequest, Waker};
use crate::profiles::Profile;

/// Publishes made while offline that wait for the next connection, at most.
const OFFLINE_QUEUE_MAX: usize = 10_000;

struct Session {
    client: Client,
    task: JoinHandle<()>,
    tracker: Arc<Mutex<Tracker>>,
    /// For the short probe connections of [`Command::ClearRetainedBelow`].
    profile: Box<Profile>,
}

/// Runs until [`Command::Shutdown`] or until the handle is dropped.
pub async fn run(
    mut commands: mpsc::Receiver<Command>,
    events: crossbeam_channel::Sender<Event>,
    budget: Arc<ByteBudget>,
    waker: Option<Waker>,
) {
    let (items, items_rx) = mpsc::channel(ITEM_CAPACITY);
    let forwarder = tokio::spawn(forwarder::run(items_rx, events, budget.clone(), waker));
    let mut session: Option<Session> = None;
    // Wanted subscriptions survive reconnects and new profiles' defaults are merged in on Connect.
    while let Some(cmd) = commands.recv().await {
        match cmd {
            Command::Connect(profile) => {
                stop(&mut session, &items, None).await;
                match protocol::open(&profile) {
                    Ok((client, connection, broker)) => {
                        let subs = profile
                            .subscriptions
                            .iter()
                            .map(|s| (s.filter.clone(), s.qos))
                            .collect();
                        let tracker = Arc::new(Mutex::new(Tracker::new(subs, profile.max_packet_bytes)));
                        let task = tokio::spawn(session::run(
                            connection,
                            client.clone(),
                            tracker.clone(),
                            items.clone(),
                            budget.clone(),
                            broker,
                            profile.connect_timeout_secs.max(1),
                        ));
                        session = Some(Session {
                            client,
                            task,
                            tracker,
                            profile,
                        });
                    }
                    Err(e) => {
                        emit(
                            &items,
                            Event::State(ConnectionState::Disconnected {
                                reason: Some(e.to_string()),
                            }),
                        )
                        .await;
                    }
                }
            }
            Command::Disconnect => stop(&mut session, &items, None).await,
            Command::Subscribe { filter, qos: q } => match &session {
                Some(s) => {
                    let connected = {
                        let mut t = lock(&s.tracker);
                        t.want_subscription(filter.clone(), q);
                        t.connected
                    };
                    if connected {
                        session::send_subscribe(&s.client, &s.tracker, &items, filter, q).await;
                    }
                }
                None => {
                    emit(
                        &items,
                        Event::SubscribeFailed {
                            filter,
                            reason: crate::tr!("worker-not-connected"),
                        },
                    )
                    .await
                }
            },
            Command::Unsubscribe { filter } => {
                if let Some(s) = &session {
                    let connected = {
                        let mut t = lock(&s.tracker);
                        t.subscriptions.retain(|(f, _)| *f != filter);
                        t.connected
                    };
                    if connected {
                        let _ = s.client.unsubscribe(&filter).await;
                    }
                }
            }
            Command::Publish(req) => publish(&session, &items, req).await,
            Command::ClearRetained { topics } => {
                for topic in topics {
                    let req = PublishRequest::new(0, topic, bytes::Bytes::new(), 1, true);
                    publish(&session, &items, req).await;
                }
            }
            Command::ClearRetainedBelow { filter } => match &session {
                // On its own task: the probes take a moment and commands keep flowing.
                Some(s) => drop(tokio::spawn(retained::clear_below(
                    (*s.profile).clone(),
                    filter,
                    items.clone(),
                ))),
                None => {
                    let report = retained::ClearReport::failed(filter, crate::tr!("worker-not-connected"));
                    emit(&items, Event::RetainedCleared(report)).await;
                }
            },
            Command::Shutdown => break,
        }
    }
    stop(&mut session, &items, None).await;
    drop(items);
    let _ = tokio::time::timeout(Duration::from_millis(500), forwarder).await;
}

/// Hands a publish to rumqttc when connected, queues it while reconnecting, fails it otherwise.
async fn publish(session: &Option<Session>, items: &mpsc::Sender<Item>, req: PublishRequest) {
    let Some(s) = session else {
        if req.id != 0 {
            emit(
                items,
                Event::PublishFailed {
                    id: req.id,
                    reason: crate::tr!("worker-not-connected"),
                },
            )
            .await;
        }
        return;
    };
    let connected = lock(&s.tracker).connected;
    if !connected {
        // Queued for the next ConnAck; the lock is released before any await.
        let full = {
            let mut t = lock(&s.tracker);
            let full = t.offline.len() >= OFFLINE_QUEUE_MAX;
            if !full {
                t.offline.push_back(req.clone());
            }
            full
        };
        if !full {
            return;
        }
        emit(
            items,
            Event::PublishFailed {
                id: req.id,
                reason: crate::tr!("worker-offline-queue-full"),
            },
        )
        .await;
        return;
    }
    session::send_publish(&s.client, &s.tracker, items, req).await;
}

async fn stop(session: &mut Option<Session>, items: &mpsc::Sender<Item>, reason: Option<String>) {
    let Some(s) = session.take() else { return };
    lock(&s.tracker).disconnect_requested = true;
    s.client.try_disconnect();
    let mut task = s.task;
    // Let the event loop write the DISCONNECT packet, then cut it off.
    if tokio::time::timeout(Duration::from_millis(500), &mut task)
        .await
        .is_err()
    {
        task.abort();
    }
    let lost: Vec<PublishRequest> = lock(&s.tracker).take_unfinished();
    for req in lost.into_iter().filter(|r| r.id != 0) {
        emit(
            items,
            Event::PublishFailed {
                id: req.id,
                reason: crate::tr!("worker-disconnected-before-delivery"),
            },
        )
        .await;
    }
    emit(items, Event::State(ConnectionState::Disconnected { reason })).await;
}

pub(super) async fn emit(items: &mpsc::Sender<Item>, ev: Event) {
    let _ = items.send(Item::Event(ev)).await;
}

pub(super) fn lock(t: &Mutex<Tracker>) -> std::sync::MutexGuard<'_, Tracker> {
    t.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
