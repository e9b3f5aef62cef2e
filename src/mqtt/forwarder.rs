//! Batches worker output into [`Event`]s on the bounded crossbeam channel.
//!
//! The session task pushes single items into a bounded tokio channel; this task takes
//! whatever has accumulated, turns consecutive messages into one [`Event::Messages`], and
//! hands it to the UI. Under a flood batches grow; when traffic is light latency stays
//! near zero. When the UI's channel is full it waits (no drop), which in turn fills the
//! tokio channel and stops the socket reads.

use std::time::Duration;

use super::{Event, MAX_BATCH_MESSAGES, Waker};
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
    waker: Option<Waker>,
) {
    let mut batch: Vec<Message> = Vec::new();
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
                    batch.push(m);
                    if batch.len() >= MAX_BATCH_MESSAGES
                        && !deliver(&out, Event::Messages(std::mem::take(&mut batch))).await
                    {
                        return;
                    }
                }
                Item::Event(ev) => {
                    if !batch.is_empty() && !deliver(&out, Event::Messages(std::mem::take(&mut batch))).await {
                        return;
                    }
                    if !deliver(&out, ev).await {
                        return;
                    }
                }
            }
        }
        if !batch.is_empty() && !deliver(&out, Event::Messages(std::mem::take(&mut batch))).await {
            return;
        }
        if let Some(w) = &waker {
            w();
        }
    }
}

/// Sends without blocking the runtime; false when the receiver is gone.
async fn deliver(out: &crossbeam_channel::Sender<Event>, mut ev: Event) -> bool {
    loop {
        match out.try_send(ev) {
            Ok(()) => return true,
            Err(crossbeam_channel::TrySendError::Disconnected(_)) => return false,
            Err(crossbeam_channel::TrySendError::Full(back)) => {
                ev = back;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
}
