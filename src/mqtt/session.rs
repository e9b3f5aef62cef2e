//! One connection to a broker: polls the rumqttc event loop, reconnects with backoff,
//! re-subscribes on every ConnAck and matches publishes to their acknowledgements.
//!
//! Publishes are never made from this task (it is the one that drains rumqttc's request
//! channel, so awaiting a full channel here would deadlock under an inbound flood).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc;

use super::budget::{ByteBudget, message_bytes};
use super::forwarder::Item;
use super::health::Health;
use super::pacer::Pacer;
use super::protocol::{Client, Connection, Failure, Polled};
use super::supervisor::{emit, lock};
use super::too_large;
use super::tracker::{Blamed, Tracker, Written};
use super::{ConnectionState, Event, PublishRequest};

/// Publishes through rumqttc and records the request for ack matching. A publish larger
/// than the broker or the profile accepts fails alone, before it could cost the connection.
pub async fn send_publish(client: &Client, tracker: &Mutex<Tracker>, items: &mpsc::Sender<Item>, req: PublishRequest) {
    let packet_bytes = client.publish_packet_bytes(&req);
    let limit = {
        let t = lock(tracker);
        too_large::exceeded(packet_bytes, t.broker_max_packet_bytes, t.profile_max_packet_bytes)
    };
    let failure = match limit {
        Some(limit) => Some(too_large::publish_refusal(req.payload.len(), packet_bytes, limit)),
        None => match client.publish(&req).await {
            Ok(()) => {
                lock(tracker).outbox.push_back(req);
                return;
            }
            Err(e) => Some(crate::tr!("worker-publish-not-queued", error = crate::i18n::shown(e))),
        },
    };
    match failure {
        Some(reason) if req.id != 0 => emit(items, Event::PublishFailed { id: req.id, reason }).await,
        Some(reason) => {
            emit(
                items,
                Event::Error(crate::tr!(
                    "worker-publish-failed",
                    topic = req.topic.as_str(),
                    why = reason
                )),
            )
            .await
        }
        None => {}
    }
}

/// Subscribes through rumqttc; a SUBSCRIBE larger than the broker accepts fails alone.
pub async fn send_subscribe(
    client: &Client,
    tracker: &Mutex<Tracker>,
    items: &mpsc::Sender<Item>,
    filter: String,
    qos: u8,
) {
    let packet_bytes = client.subscribe_packet_bytes(&filter);
    let limit = {
        let t = lock(tracker);
        too_large::exceeded(packet_bytes, t.broker_max_packet_bytes, t.profile_max_packet_bytes)
    };
    if let Some(limit) = limit {
        lock(tracker).subscriptions.retain(|(f, _)| *f != filter);
        let reason = too_large::subscribe_refusal(packet_bytes, limit);
        emit(items, Event::SubscribeFailed { filter, reason }).await;
        return;
    }
    if client.subscribe(&filter, qos).await.is_ok() {
        lock(tracker).sub_outbox.push_back(filter);
    }
}

/// Runs until the supervisor aborts it, the user's DISCONNECT has been written or the
/// consumer is gone. Each message waits for room in the byte budget before it is queued.
pub async fn run(
    mut connection: Connection,
    client: Client,
    tracker: Arc<Mutex<Tracker>>,
    items: mpsc::Sender<Item>,
    budget: Arc<ByteBudget>,
    broker: String,
    connect_timeout_secs: u64,
) {
    let mut health = Health::default();
    let mut pacer = Pacer::new(Instant::now());
    emit(
        &items,
        Event::State(ConnectionState::Connecting { broker: broker.clone() }),
    )
    .await;
    loop {
        let reads_socket = connection.buffered() == 0;
        if reads_socket && let Some(gulp) = pacer.wait_before_read(Instant::now()) {
            tokio::time::sleep(gulp).await;
        }
        let polled = connection.poll(connect_timeout_secs).await;
        if reads_socket {
            pacer.read_done(connection.buffered());
        }
        let failure = match polled {
            Ok(Polled::Message(msg)) => {
                health.message_received();
                pacer.message();
                // A slot in the item channel first, then the bytes: nothing is awaited
                // between taking the bytes and queueing the message, so an abort (stop,
                // reconnect with another profile) cannot lose them from the budget.
                let Ok(slot) = items.reserve().await else { return };
                if !budget.acquire(message_bytes(&msg)).await {
                    return;
                }
                slot.send(Item::Message(msg));
                continue;
            }
            Ok(Polled::ConnAck {
                session_present,
                max_packet_bytes,
            }) => {
                health.connected(Instant::now());
                pacer.reset(Instant::now());
                lock(&tracker).broker_max_packet_bytes = max_packet_bytes;
                on_connack(&client, &tracker, &items, session_present);
                emit(
                    &items,
                    Event::State(ConnectionState::Connected { broker: broker.clone() }),
                )
                .await;
                continue;
            }
            Ok(Polled::DisconnectWritten) => {
                if lock(&tracker).disconnect_requested {
                    return;
                }
                // rumqttc writes a DISCONNECT of its own on a protocol error and then stops
                // serving the connection: reconnect instead of ending the session quietly.
                connection.reset();
                Failure::new(crate::tr!("worker-closed-after-invalid-packet"), false)
            }
            Ok(polled) => {
                on_polled(&tracker, &items, polled).await;
                continue;
            }
            Err(failure) => failure,
        };
        lock(&tracker).connected = false;
        let mut reason = failure.text;
        if failure.hung_up {
            let blamed = lock(&tracker).blame_hang_up(Instant::now());
            if let Some(blamed) = blamed {
                reason = blame(&mut connection, &items, blamed, &reason).await;
            }
        }
        tracing::info!(%broker, %reason, "connection lost");
        let retry = health.failed(&reason, Instant::now());
        let state = ConnectionState::Reconnecting {
            broker: broker.clone(),
            retry_in: retry.delay,
            reason: retry.reason,
            attempt: retry.attempt,
        };
        emit(&items, Event::State(state)).await;
        tokio::time::sleep(retry.delay).await;
        emit(
            &items,
            Event::State(ConnectionState::Connecting { broker: broker.clone() }),
        )
        .await;
    }
}

/// Acks and written packets.
async fn on_polled(tracker: &Mutex<Tracker>, items: &mpsc::Sender<Item>, polled: Polled) {
    match polled {
        Polled::PublishDone { pkid, refused } => finished(tracker, items, pkid, refused).await,
        Polled::SubAck { pkid, granted } => {
            let filter = lock(tracker).sub_inflight.remove(&pkid);
            if let Some(filter) = filter {
                let ev = match granted {
                    Ok(qos) => Event::Subscribed { filter, qos },
                    Err(reason) => {
                        lock(tracker).subscriptions.retain(|(f, _)| *f != filter);
                        Event::SubscribeFailed { filter, reason }
                    }
                };
                emit(items, ev).await;
            }
        }
        Polled::PublishWritten { pkid } => {
            let sent = {
                let mut t = lock(tracker);
                let now = Instant::now();
                if let Some(req) = t.inflight.get(&pkid).filter(|_| pkid != 0).cloned() {
                    // A retransmission of a publish already matched.
                    t.last_written = Some(Written::Publish { pkid, req, at: now });
                    None
                } else {
                    match t.outbox.pop_front() {
                        Some(req) => {
                            t.last_written = Some(Written::Publish {
                                pkid,
                                req: req.clone(),
                                at: now,
                            });
                            if req.qos == 0 {
                                Some(req.id)
                            } else {
                                t.inflight.insert(pkid, req);
                                None
                            }
                        }
                        None => None,
                    }
                }
            };
            if let Some(id) = sent.filter(|id| *id != 0) {
                emit(items, Event::PublishSent { id }).await;
            }
        }
        Polled::SubscribeWritten { pkid } => {
            let mut t = lock(tracker);
            if let Some(filter) = t.sub_outbox.pop_front() {
                t.last_written = Some(Written::Subscribe {
                    filter: filter.clone(),
                    at: Instant::now(),
                });
                t.sub_inflight.insert(pkid, filter);
            }
        }
        Polled::Message(_) | Polled::ConnAck { .. } | Polled::DisconnectWritten | Polled::Other => {}
    }
}

/// Reports what the broker's hang-up was blamed on and returns the reconnect reason.
async fn blame(connection: &mut Connection, items: &mpsc::Sender<Item>, blamed: Blamed, reason: &str) -> String {
    match blamed {
        Blamed::Publish { pkid, req } => {
            // Not re-sent: in a resumed session rumqttc would send it again by itself.
            connection.forget_publish(pkid);
            let (size, topic) = (req.payload.len(), req.topic.as_str());
            let why = if req.qos > 0 {
                crate::tr!("worker-hung-up-on-publish-unanswered", bytes = size, topic = topic)
            } else {
                crate::tr!("worker-hung-up-on-publish", bytes = size, topic = topic)
            };
            if req.id != 0 {
                // Also at QoS 0, already reported sent: MQTT 3.1.1 has no other way for a
                // broker to refuse it, so the failure replaces "sent" where it is shown.
                emit(
                    items,
                    Event::PublishFailed {
                        id: req.id,
                        reason: why,
                    },
                )
                .await;
            } else {
                emit(items, Event::Error(why)).await;
            }
            crate::tr!("worker-after-publish", why = reason, bytes = size, topic = topic)
        }
        Blamed::Subscribe { filter } => {
            emit(
                items,
                Event::SubscribeFailed {
                    filter: filter.clone(),
                    reason: crate::tr!("worker-hung-up-on-subscribe"),
                },
            )
            .await;
            crate::tr!("worker-after-subscribe", why = reason, filter = filter)
        }
    }
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
        t.last_written = None;
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
            send_subscribe(&client, &tracker, &items, filter, q).await;
        }
        for req in resend {
            send_publish(&client, &tracker, &items, req).await;
        }
    });
}
