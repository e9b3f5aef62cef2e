//! The consumer's end of the event channel.
//!
//! A crossbeam receiver with the same methods, which tells the worker what the consumer
//! took: a batch's bytes go back to the message budget, and the forwarder waiting for a
//! free slot is woken. So the worker never polls the channel to learn that the UI or the
//! CLI has caught up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvError, RecvTimeoutError, TryRecvError};

use super::Event;
use super::budget::{ByteBudget, batch_bytes};

/// Events from the worker, in order (see [`super::WorkerHandle::events`]).
pub struct EventReceiver {
    events: Receiver<Event>,
    budget: Arc<ByteBudget>,
}

impl std::fmt::Debug for EventReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventReceiver")
            .field("len", &self.events.len())
            .field("queued_bytes", &self.budget.queued_bytes())
            .finish()
    }
}

impl EventReceiver {
    pub(super) fn new(events: Receiver<Event>, budget: Arc<ByteBudget>) -> Self {
        Self { events, budget }
    }

    /// Waits for the next event; fails when the worker has stopped.
    pub fn recv(&self) -> Result<Event, RecvError> {
        self.events.recv().map(|ev| self.taken(ev))
    }

    /// The next event if one is queued.
    pub fn try_recv(&self) -> Result<Event, TryRecvError> {
        self.events.try_recv().map(|ev| self.taken(ev))
    }

    /// Waits for the next event at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        self.events.recv_timeout(timeout).map(|ev| self.taken(ev))
    }

    /// Waits for the next event until `deadline`.
    pub fn recv_deadline(&self, deadline: Instant) -> Result<Event, RecvTimeoutError> {
        self.events.recv_deadline(deadline).map(|ev| self.taken(ev))
    }

    /// True when no event is queued.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Events queued (a batch of messages is one event).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Bytes of messages received from the broker that the consumer has not taken yet
    /// (queued in the worker or in this channel); at most [`super::MESSAGE_BUDGET_BYTES`],
    /// or one message when a single one is larger.
    pub fn queued_bytes(&self) -> usize {
        self.budget.queued_bytes()
    }

    fn taken(&self, ev: Event) -> Event {
        if let Event::Messages(batch) = &ev {
            self.budget.release(batch_bytes(batch));
        }
        self.budget.event_taken();
        ev
    }
}

impl Drop for EventReceiver {
    fn drop(&mut self) {
        // Nothing will be taken any more: let the worker's waits end.
        self.budget.close();
    }
}
