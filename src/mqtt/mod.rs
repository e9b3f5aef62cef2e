//! The MQTT worker: a tokio runtime on a named thread running the rumqttc event loop.
//!
//! Typed [`Command`]s go in over a bounded tokio channel; typed [`Event`]s come out over a
//! bounded crossbeam channel, messages in batches. Nothing on the message path is
//! unbounded, in count or in bytes ([`MESSAGE_BUDGET_BYTES`]): when the consumer falls
//! behind, the worker stops reading the socket and TCP pushes back on the broker, so
//! nothing is dropped silently.

mod backoff;
mod budget;
mod events;
mod forwarder;
mod health;
mod options;
mod pacer;
mod protocol;
pub mod reason;
mod reason_v5;
mod retained;
mod session;
mod supervisor;
mod tls;
mod tls_reason;
mod too_large;
mod tracker;

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;

pub use backoff::Backoff;
pub use events::EventReceiver;
pub use options::{OptionsError, mqtt_options};
pub use retained::ClearReport;
pub use tls::{TlsSetupError, tls_configuration};

use crate::model::{Message, MessageProperties};
use crate::profiles::Profile;

/// Capacity of the command channel (UI → worker).
pub const COMMAND_CAPACITY: usize = 1024;
/// Capacity of the event channel (worker → UI), in events; one event holds up to
/// [`MAX_BATCH_MESSAGES`] messages.
pub const EVENT_CAPACITY: usize = 64;
/// Most messages in one [`Event::Messages`] batch.
pub const MAX_BATCH_MESSAGES: usize = 4096;
/// A batch is cut once it holds this many bytes (a larger message is a batch of its own).
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Bytes of received messages the worker holds for the consumer, at most: in its queues
/// and in the event channel, until the consumer takes them. A single larger message
/// passes alone.
pub const MESSAGE_BUDGET_BYTES: usize = 32 * 1024 * 1024;

/// An identifier the caller picks for a publish, echoed in its outcome event.
pub type PublishId = u64;

/// A message to publish.
#[derive(Clone, Debug)]
pub struct PublishRequest {
    /// Echoed in [`Event::PublishSent`], [`Event::PublishAcked`] or [`Event::PublishFailed`].
    pub id: PublishId,
    pub topic: String,
    pub payload: Bytes,
    pub qos: u8,
    pub retain: bool,
    /// MQTT 5 properties to send with it; ignored on an MQTT 3.1.1 connection.
    pub properties: Option<Box<MessageProperties>>,
}

impl PublishRequest {
    /// A publish without MQTT 5 properties.
    pub fn new(id: PublishId, topic: impl Into<String>, payload: impl Into<Bytes>, qos: u8, retain: bool) -> Self {
        Self {
            id,
            topic: topic.into(),
            payload: payload.into(),
            qos,
            retain,
            properties: None,
        }
    }
}

/// What the UI or CLI asks the worker to do.
#[derive(Clone, Debug)]
pub enum Command {
    /// Connect with this profile (dropping any current connection first).
    Connect(Box<Profile>),
    /// Close the connection and stop reconnecting.
    Disconnect,
    /// Add a subscription (kept and restored on every reconnect).
    Subscribe { filter: String, qos: u8 },
    /// Remove a subscription.
    Unsubscribe { filter: String },
    /// Publish one message.
    Publish(PublishRequest),
    /// Clear the retained message of each topic (publishes an empty retained payload).
    ClearRetained { topics: Vec<String> },
    /// Clear every retained message the broker holds under `filter` (found with a short
    /// probe connection, so also those the session saw with retain=0), then check that
    /// none is left; answered by [`Event::RetainedCleared`].
    ClearRetainedBelow { filter: String },
    /// Stop the worker thread.
    Shutdown,
}

/// The connection as a person would describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// Not connected; `reason` says why when it was not the user's choice.
    Disconnected { reason: Option<String> },
    /// Opening the connection to `broker`.
    Connecting { broker: String },
    /// Connected to `broker`.
    Connected { broker: String },
    /// The last attempt failed with `reason`; the next one starts after `retry_in`.
    Reconnecting {
        broker: String,
        retry_in: Duration,
        reason: String,
        attempt: u32,
    },
}

impl std::fmt::Display for ConnectionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Disconnected { reason: None } => f.write_str(&crate::tr!("worker-state-disconnected")),
            Self::Disconnected { reason: Some(r) } => {
                f.write_str(&crate::tr!("worker-state-disconnected-because", why = r.as_str()))
            }
            Self::Connecting { broker } => {
                f.write_str(&crate::tr!("worker-state-connecting", broker = broker.as_str()))
            }
            Self::Connected { broker } => f.write_str(&crate::tr!("worker-state-connected", broker = broker.as_str())),
            Self::Reconnecting { retry_in, reason, .. } => f.write_str(&crate::tr!(
                "worker-state-reconnecting",
                secs = retry_in.as_secs_f32().ceil() as u64,
                why = reason.as_str()
            )),
        }
    }
}

/// What the worker reports.
#[derive(Clone, Debug)]
pub enum Event {
    /// The connection state changed.
    State(ConnectionState),
    /// Messages received, oldest first.
    Messages(Vec<Message>),
    /// A QoS 0 publish was written to the connection.
    PublishSent { id: PublishId },
    /// The broker acknowledged a QoS 1 or 2 publish.
    PublishAcked { id: PublishId },
    /// A publish could not be delivered.
    PublishFailed { id: PublishId, reason: String },
    /// The broker granted a subscription at this QoS.
    Subscribed { filter: String, qos: u8 },
    /// The broker refused a subscription.
    SubscribeFailed { filter: String, reason: String },
    /// The outcome of [`Command::ClearRetainedBelow`] (its `Display` is the sentence to show).
    RetainedCleared(ClearReport),
    /// Something went wrong that is not a connection state change.
    Error(String),
}

/// Called by the worker after it queued events, so the UI can schedule a repaint.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The UI's or CLI's end of the worker.
pub struct WorkerHandle {
    commands: tokio::sync::mpsc::Sender<Command>,
    /// Events from the worker, in order.
    pub events: EventReceiver,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WorkerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerHandle").finish_non_exhaustive()
    }
}

/// Why a command did not reach the worker.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{}", crate::tr!("worker-busy"))]
    Full,
    #[error("{}", crate::tr!("worker-stopped"))]
    Stopped,
}

impl WorkerHandle {
    /// Starts the worker thread. `waker` is called whenever new events are queued.
    pub fn spawn(waker: Option<Waker>) -> std::io::Result<Self> {
        Self::spawn_with(waker, false)
    }

    /// As [`Self::spawn`], for a window: the thread gives way to the UI thread
    /// ([`crate::thread_priority`]).
    pub fn spawn_behind_ui(waker: Option<Waker>) -> std::io::Result<Self> {
        Self::spawn_with(waker, true)
    }

    fn spawn_with(waker: Option<Waker>, behind_ui: bool) -> std::io::Result<Self> {
        let (cmd_tx, cmd_rx) = tokio::sync::mpsc::channel(COMMAND_CAPACITY);
        let (ev_tx, ev_rx) = crossbeam_channel::bounded(EVENT_CAPACITY);
        let budget = Arc::new(budget::ByteBudget::new(MESSAGE_BUDGET_BYTES));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name("topicscope-mqtt".into()).spawn({
            let budget = budget.clone();
            move || {
                if behind_ui {
                    crate::thread_priority::run_behind_ui();
                }
                runtime.block_on(supervisor::run(cmd_rx, ev_tx, budget, waker))
            }
        })?;
        Ok(Self {
            commands: cmd_tx,
            events: EventReceiver::new(ev_rx, budget),
            thread: Some(thread),
        })
    }

    /// Sends a command without blocking (for the UI thread).
    pub fn send(&self, cmd: Command) -> Result<(), SendError> {
        self.commands.try_send(cmd).map_err(|e| match e {
            tokio::sync::mpsc::error::TrySendError::Full(_) => SendError::Full,
            tokio::sync::mpsc::error::TrySendError::Closed(_) => SendError::Stopped,
        })
    }

    /// Sends a command, waiting while the queue is full (for the CLI).
    pub fn send_blocking(&self, cmd: Command) -> Result<(), SendError> {
        self.commands.blocking_send(cmd).map_err(|_| SendError::Stopped)
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        let _ = self.commands.try_send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            // The worker exits within a poll; don't hang the UI if it doesn't.
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while !thread.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
    }
}
