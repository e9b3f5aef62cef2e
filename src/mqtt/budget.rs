//! The byte budget of the message path, so that the worker's queues are bounded in bytes
//! as well as in count.
//!
//! The session takes a message's bytes from the budget before it queues the message for
//! the forwarder; the consumer's [`super::EventReceiver`] gives a batch's bytes back when
//! it takes the batch from the event channel. So everything between the socket and the
//! consumer (the item channel, the batch being built, the event channel) holds at most
//! the budget. When the budget is spent the session waits, stops reading the socket, and
//! TCP pushes back on the broker.
//!
//! The accounting is one atomic add per message on the session's side and one atomic
//! subtract per batch on the consumer's: no lock on the hot path. Waiting is on a
//! [`Notify`], never a sleep.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;

use crate::model::{Message, MessageProperties};

/// What a message costs in the budget: its payload, its topic, its MQTT 5 properties and
/// the message itself.
pub fn message_bytes(m: &Message) -> usize {
    let properties = m.properties.as_deref().map_or(0, properties_bytes);
    std::mem::size_of::<Message>() + m.topic.len() + m.payload.len() + properties
}

fn properties_bytes(p: &MessageProperties) -> usize {
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    std::mem::size_of::<MessageProperties>()
        + text(&p.content_type)
        + text(&p.response_topic)
        + p.correlation_data.as_ref().map_or(0, |d| d.len())
        + p.user_properties
            .iter()
            .map(|(k, v)| std::mem::size_of::<(String, String)>() + k.len() + v.len())
            .sum::<usize>()
}

/// What a batch costs in the budget.
pub fn batch_bytes(batch: &[Message]) -> usize {
    batch.iter().map(message_bytes).sum()
}

/// Bytes of messages queued between the session and the consumer, at most `limit_bytes`;
/// one message larger than the whole budget passes alone, when nothing else is queued.
#[derive(Debug)]
pub struct ByteBudget {
    limit_bytes: usize,
    queued_bytes: AtomicUsize,
    /// The consumer is gone: nothing will be given back again.
    closed: AtomicBool,
    /// Wakes the session waiting for room.
    room: Notify,
    /// Wakes the forwarder waiting for a free slot in the event channel.
    event_taken: Notify,
}

impl ByteBudget {
    pub fn new(limit_bytes: usize) -> Self {
        Self {
            limit_bytes,
            queued_bytes: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            room: Notify::new(),
            event_taken: Notify::new(),
        }
    }

    /// Bytes taken and not given back yet.
    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes.load(Ordering::Relaxed)
    }

    /// Takes `bytes` without waiting, if they fit (or if nothing is queued at all).
    fn try_acquire(&self, bytes: usize) -> bool {
        let mut queued = self.queued_bytes.load(Ordering::Relaxed);
        loop {
            if queued != 0 && queued.saturating_add(bytes) > self.limit_bytes {
                return false;
            }
            match self
                .queued_bytes
                .compare_exchange_weak(queued, queued + bytes, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return true,
                Err(now) => queued = now,
            }
        }
    }

    /// Waits until `bytes` fit, then takes them; false once the consumer is gone. Nothing
    /// is awaited after the bytes are taken, so a task aborted here loses none.
    pub async fn acquire(&self, bytes: usize) -> bool {
        loop {
            if self.closed() {
                return false;
            }
            if self.try_acquire(bytes) {
                return true;
            }
            // Registered before looking again, so a release in between is not missed.
            let mut room = std::pin::pin!(self.room.notified());
            room.as_mut().enable();
            if self.closed() {
                return false;
            }
            if self.try_acquire(bytes) {
                return true;
            }
            room.await;
        }
    }

    /// Gives back `bytes` taken by [`ByteBudget::acquire`].
    pub fn release(&self, bytes: usize) {
        if bytes > 0 {
            self.queued_bytes.fetch_sub(bytes, Ordering::AcqRel);
            self.room.notify_one();
        }
    }

    /// The consumer took an event from the channel (a slot is free).
    pub fn event_taken(&self) {
        self.event_taken.notify_one();
    }

    /// A future that completes after the next [`ByteBudget::event_taken`] or
    /// [`ByteBudget::close`]; enable it before checking the channel again.
    pub fn next_event_taken(&self) -> tokio::sync::futures::Notified<'_> {
        self.event_taken.notified()
    }

    /// The consumer is gone: wakes and fails every wait.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.room.notify_one();
        self.event_taken.notify_one();
    }

    pub fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn takes_what_fits_and_waits_for_room() {
        runtime().block_on(async {
            let budget = Arc::new(ByteBudget::new(100));
            assert!(budget.acquire(60).await);
            assert!(budget.acquire(40).await);
            assert_eq!(budget.queued_bytes(), 100);
            let waiting = tokio::spawn({
                let budget = budget.clone();
                async move { budget.acquire(30).await }
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!waiting.is_finished(), "no room yet");
            budget.release(20);
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!waiting.is_finished(), "20 bytes free is not room for 30");
            budget.release(40);
            assert!(waiting.await.unwrap());
            assert_eq!(budget.queued_bytes(), 70);
        });
    }

    #[test]
    fn a_message_larger_than_the_budget_passes_alone() {
        runtime().block_on(async {
            let budget = Arc::new(ByteBudget::new(100));
            assert!(budget.acquire(10).await);
            let big = tokio::spawn({
                let budget = budget.clone();
                async move { budget.acquire(1_000).await }
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!big.is_finished(), "waits until the budget is empty");
            budget.release(10);
            assert!(big.await.unwrap());
            assert_eq!(budget.queued_bytes(), 1_000);
            let next = tokio::spawn({
                let budget = budget.clone();
                async move { budget.acquire(1).await }
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!next.is_finished(), "the large one holds the whole budget");
            budget.release(1_000);
            assert!(next.await.unwrap());
        });
    }

    #[test]
    fn closing_wakes_and_fails_the_wait() {
        runtime().block_on(async {
            let budget = Arc::new(ByteBudget::new(100));
            assert!(budget.acquire(100).await);
            let waiting = tokio::spawn({
                let budget = budget.clone();
                async move { budget.acquire(1).await }
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
            budget.close();
            assert!(!waiting.await.unwrap());
            assert!(!budget.acquire(0).await);
        });
    }

    #[test]
    fn a_batch_costs_what_its_messages_cost() {
        let a = Message::new("a/b", vec![0u8; 1000], 0, false);
        let mut b = Message::new("c", Vec::<u8>::new(), 1, true);
        b.properties = Some(Box::new(MessageProperties {
            user_properties: vec![("k".into(), "vv".into())],
            ..MessageProperties::default()
        }));
        assert_eq!(message_bytes(&a), std::mem::size_of::<Message>() + 3 + 1000);
        assert_eq!(
            message_bytes(&b),
            std::mem::size_of::<Message>()
                + 1
                + std::mem::size_of::<MessageProperties>()
                + std::mem::size_of::<(String, String)>()
                + 3
        );
        assert_eq!(
            batch_bytes(&[a.clone(), b.clone()]),
            message_bytes(&a) + message_bytes(&b)
        );
    }
}
