//! One connection to a broker: polls the rumqttc event loop, reconnects with backoff,
//! re-subscribes on every ConnAck and matches publishes to their acknowledgements.
//!
//! Publishes are never made from this task (it is the one that drains rumqttc's request
//! channel, so awaiting a full channel here would deadlock under an inbound flood).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::backoff::Backoff;
use super::forwarder::Item;
use super::protocol::{Client, Connection, Polled};
use super::supervisor::{emit, lock};
use super::{ConnectionState, Event, PublishRequest};

/// Book-keeping shared by the session task and the supervisor.
///
/// Both run on one current-thread runtime, so a request pushed to rumqttc and then
/// recorded here (with no await in between) is recorded before rumqttc reports it.
#[derive(Debug, Default)]
pub struct Tracker {
    pub connected: bool,
    /// Wanted subscriptions, restored on every ConnAck.
    pub subscriptions: Vec<(String, u8)>,
    /// Publishes handed to rumqttc, not yet written (matched in order to `Outgoing::Publish`).
    pub outbox: VecDeque<PublishRequest>,
    /// QoS 1/2 publishes written and waiting for PUBACK / PUBCOMP, by packet id.
    pub inflight: HashMap<u16, PublishRequest>,
    /// Publishes made while reconnecting, sent after the next ConnAck.
    pub offline: VecDeque<PublishRequest>,
    /// Subscribe requests handed to rumqttc, in order.
    pub sub_outbox: VecDeque<String>,
    /// Subscribes written and waiting for SUBACK, by packet id.
    pub sub_inflight: HashMap<u16, String>,
    /// The filter of the last SUBSCRIBE written, until it is answered.
    pub last_written_subscription: Option<String>,
}

impl Tracker {
    pub fn new(subscriptions: Vec<(String, u8)>) -> Self {
        Self {
            subscriptions,
            ..Self::default()
        }
    }
}

/// Publishes through rumqttc and records the request for ack matching.
pub async fn send_publish(client: &Client, tracker: &Mutex<Tracker>, items: &mpsc::Sender<Item>, req: PublishRequest) {
    match client.publish(&req).await {
        Ok(()) => lock(tracker).outbox.push_back(req),
        Err(e) if req.id != 0 => {
            emit(
                items,
                Event::PublishFailed {
                    id: req.id,
                    reason: format!("could not queue the publish: {e}"),
                },
            )
            .await;
        }
        Err(_) => {}
    }
}

/// Runs until the supervisor aborts it or the user's DISCONNECT has been written.
pub async fn run(
    mut connection: Connection,
    client: Client,
    tracker: Arc<Mutex<Tracker>>,
    items: mpsc::Sender<Item>,
    broker: String,
    connect_timeout_secs: u64,
) {
    let mut backoff = Backoff::default();
    let mut connected_at: Option<std::time::Instant> = None;
    emit(
        &items,
        Event::State(ConnectionState::Connecting { broker: broker.clone() }),
    )
    .await;
    loop {
        match connection.poll(connect_timeout_secs).await {
            Ok(Polled::Message(msg)) => {
                if items.send(Item::Message(msg)).await.is_err() {
                    return;
                }
            }
            Ok(Polled::ConnAck { session_present }) => {
                backoff.reset();
                connected_at = Some(std::time::Instant::now());
                on_connack(&client, &tracker, &items, session_present);
                emit(
                    &items,
                    Event::State(ConnectionState::Connected { broker: broker.clone() }),
                )
                .await;
            }
            Ok(Polled::PublishDone { pkid, refused }) => finished(&tracker, &items, pkid, refused).await,
            Ok(Polled::SubAck { pkid, granted }) => {
                let filter = lock(&tracker).sub_inflight.remove(&pkid);
                if let Some(filter) = filter {
                    let ev = match granted {
                        Ok(qos) => Event::Subscribed { filter, qos },
                        Err(reason) => {
                            lock(&tracker).subscriptions.retain(|(f, _)| *f != filter);
                            Event::SubscribeFailed { filter, reason }
                        }
                    };
                    emit(&items, ev).await;
                }
            }
            Ok(Polled::PublishWritten { pkid }) => {
                let sent = {
                    let mut t = lock(&tracker);
                    if pkid != 0 && t.inflight.contains_key(&pkid) {
                        None // a retransmission of a publish already matched
                    } else {
                        match t.outbox.pop_front() {
                            Some(req) if req.qos == 0 => Some(req.id),
                            Some(req) => {
                                t.inflight.insert(pkid, req);
                                None
                            }
                            None => None,
                        }
                    }
                };
                if let Some(id) = sent.filter(|id| *id != 0) {
                    emit(&items, Event::PublishSent { id }).await;
                }
            }
            Ok(Polled::SubscribeWritten { pkid }) => {
                let mut t = lock(&tracker);
                if let Some(filter) = t.sub_outbox.pop_front() {
                    t.last_written_subscription = Some(filter.clone());
                    t.sub_inflight.insert(pkid, filter);
                }
            }
            Ok(Polled::DisconnectWritten) => return,
            Ok(Polled::Notice(text)) => emit(&items, Event::Error(text)).await,
            Ok(Polled::Other) => {}
            Err(reason) => {
                lock(&tracker).connected = false;
                // Some brokers (rumqttd with `$SYS/#`, ACL-restricted mosquitto setups) drop
                // the connection instead of refusing a filter. A connection closed soon after
                // the ConnAck with subscriptions unanswered would loop forever: give those up.
                if connected_at.take().is_some_and(|t| t.elapsed() < SUBSCRIBE_GRACE) {
                    for filter in take_unanswered_subscriptions(&tracker) {
                        emit(
                            &items,
                            Event::SubscribeFailed {
                                filter,
                                reason: "the broker closed the connection instead of answering; not subscribed".into(),
                            },
                        )
                        .await;
                    }
                }
                tracing::info!(%broker, %reason, "connection lost");
                let retry_in = backoff.next_delay();
                let state = ConnectionState::Reconnecting {
                    broker: broker.clone(),
                    retry_in,
                    reason,
                    attempt: backoff.attempts(),
                };
                emit(&items, Event::State(state)).await;
                tokio::time::sleep(retry_in).await;
                emit(
                    &items,
                    Event::State(ConnectionState::Connecting { broker: broker.clone() }),
                )
                .await;
            }
        }
    }
}

/// How soon after the ConnAck a dropped connection is blamed on unanswered subscriptions.
const SUBSCRIBE_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Gives up the last subscription written and not answered: brokers handle subscribes
/// in order, so that is the one the broker closed the connection on. Earlier unanswered
/// ones are retried with the next connection.
fn take_unanswered_subscriptions(tracker: &Mutex<Tracker>) -> Vec<String> {
    let mut t = lock(tracker);
    let Some(culprit) = t.last_written_subscription.take() else {
        return Vec::new();
    };
    if !t.sub_inflight.values().any(|f| *f == culprit) {
        return Vec::new();
    }
    t.subscriptions.retain(|(f, _)| *f != culprit);
    vec![culprit]
}

/// A QoS 1/2 publish got its final answer: acknowledged, or refused (MQTT 5 reason code).
async fn finished(tracker: &Mutex<Tracker>, items: &mpsc::Sender<Item>, pkid: u16, refused: Option<String>) {
    let req = lock(tracker).inflight.remove(&pkid);
    let Some(req) = req.filter(|r| r.id != 0) else { return };
    let ev = match refused {
        None => Event::PublishAcked { id: req.id },
        Some(reason) => Event::PublishFailed { id: req.id, reason },
    };
    emit(items, ev).await;
}

/// Restores subscriptions and re-sends what a fresh session lost, without blocking the poll.
fn on_connack(client: &Client, tracker: &Arc<Mutex<Tracker>>, items: &mpsc::Sender<Item>, session_present: bool) {
    let (subs, resend) = {
        let mut t = lock(tracker);
        t.connected = true;
        t.sub_outbox.clear();
        t.sub_inflight.clear();
        let mut resend: Vec<PublishRequest> = Vec::new();
        if !session_present {
            // rumqttc drops its pending packets when the broker has no session: send them again.
            let mut lost: Vec<PublishRequest> = t.inflight.drain().map(|(_, r)| r).collect();
            lost.sort_by_key(|r| r.id);
            resend.extend(lost);
            resend.extend(t.outbox.drain(..));
        }
        resend.extend(t.offline.drain(..));
        (t.subscriptions.clone(), resend)
    };
    let client = client.clone();
    let tracker = tracker.clone();
    let items = items.clone();
    tokio::spawn(async move {
        for (filter, q) in subs {
            if client.subscribe(&filter, q).await.is_ok() {
                lock(&tracker).sub_outbox.push_back(filter);
            }
        }
        for req in resend {
            send_publish(&client, &tracker, &items, req).await;
        }
    });
}
