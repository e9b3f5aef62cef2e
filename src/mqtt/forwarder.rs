//! Batches worker output into [`Event`]s on the bounded crossbeam channel.
//!
//! The session task pushes single items into a bounded tokio channel; this task takes
//! whatever has accumulated, turns consecutive messages into one [`Event::Messages`]
//! (cut at [`MAX_BATCH_MESSAGES`] or [`MAX_BATCH_BYTES`]), and hands it to the UI. Under a
//! flood batches grow; when traffic is light latency stays near zero. When the UI's
//! channel is full it waits for the consumer to take an event (no drop, no polling),
//! which in turn fills the tokio channel and stops the socket reads. The bytes are
//! bounded before that, by the session's [`ByteBudget`].

use std::sync::Arc;

use super::budget::{ByteBudget, message_bytes};
use super::{Event, MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, Waker};
use crate::model::Message;

/// One item from the session or supervisor.
#[derive(Debug)]
pub enum Item {
    Message(Message),
    Event(Event),
}

/// Capacity of the item channel between the session task and the forwarder.
pub const ITEM_CAPACITY: usize = 8192;

/// Runs until every sender is gone or the UI side hangs up.
pub async fn run(
    mut items: tokio::sync::mpsc::Receiver<Item>,
    out: crossbeam_channel::Sender<Event>,
    budget: Arc<ByteBudget>,
    waker: Option<Waker>,
) {
    let out = Output { out, budget };
    let mut batch: Vec<Message> = Vec::new();
    let mut batch_bytes = 0usize;
    while let Some(first) = items.recv().await {
        let mut pending = Some(first);
        // Take what is already queued, without waiting.
        loop {
            let item = match pending.take() {
                Some(i) => i,
                None => match items.try_recv() {
                    Ok(i) => i,
                    Err(_) => break,
                },
            };
            match item {
                Item::Message(m) => {
                    batch_bytes += message_bytes(&m);
                    batch.push(m);
                    if batch.len() >= MAX_BATCH_MESSAGES || batch_bytes >= MAX_BATCH_BYTES {
                        batch_bytes = 0;
                        if !out.deliver(Event::Messages(std::mem::take(&mut batch))).await {
                            return;
                        }
                    }
                }
                Item::Event(ev) => {
                    batch_bytes = 0;
                    if !batch.is_empty() && !out.deliver(Event::Messages(std::mem::take(&mut batch))).await {
                        return;
                    }
                    if !out.deliver(ev).await {
                        return;
                    }
                }
            }
        }
        batch_bytes = 0;
        if !batch.is_empty() && !out.deliver(Event::Messages(std::mem::take(&mut batch))).await {
            return;
        }
        if let Some(w) = &waker {
            w();
        }
    }
}

struct Output {
    out: crossbeam_channel::Sender<Event>,
    budget: Arc<ByteBudget>,
}

impl Output {
    /// Sends without blocking the runtime, waiting for the consumer to take an event while
    /// the channel is full; false when the consumer is gone.
    async fn deliver(&self, mut ev: Event) -> bool {
        loop {
            match self.out.try_send(ev) {
                Ok(()) => return true,
                Err(crossbeam_channel::TrySendError::Disconnected(_)) => return false,
                Err(crossbeam_channel::TrySendError::Full(back)) => {
                    ev = back;
                    // Registered before looking again, so a take in between is not missed.
                    let mut taken = std::pin::pin!(self.budget.next_event_taken());
                    taken.as_mut().enable();
                    if self.budget.closed() {
                        return false;
                    }
                    if self.out.is_full() {
                        taken.await;
                    }
                }
            }
        }
    }
}
