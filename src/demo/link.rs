//! The MQTT side of a simulated device: one connection per device, with its own client
//! id and last will, so availability topics behave like real hardware.
//!
//! Two tasks per device. `drive_link` owns the rumqttc `EventLoop` and only polls it; it
//! forwards connection changes and incoming messages over an mpsc channel. `run_device`
//! owns the device logic, ticks it once a second and publishes with `try_publish`. Keeping
//! publishing out of the polling task avoids the classic rumqttc deadlock (awaiting a full
//! request channel that only the blocked poller could drain), and `try_publish` means a
//! device never stalls while its broker is away: readings taken offline are simply lost,
//! as on a real board.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rumqttc::{AsyncClient, Event, LastWill, MqttOptions, Packet, QoS};
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use super::sim::{Now, Outgoing};

/// Devices ping every 5 s like battery-conscious firmware, so a silent device is noticed
/// quickly even if its socket lingers.
const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// Room for camera frames (and anything a user publishes to a command topic).
const MAX_PACKET_BYTES: usize = 4 * 1024 * 1024;
/// Requests queued between the device logic and its event loop.
const REQUEST_CAPACITY: usize = 256;
/// Pause before the next connection attempt after an error.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);
/// How often devices update their readings.
const TICK: Duration = Duration::from_secs(1);

/// How a device connects: identity, availability (birth and last will) and what it
/// listens to.
#[derive(Debug, Clone)]
pub(crate) struct LinkSpec {
    pub client_id: String,
    pub availability_topic: String,
    pub online: &'static str,
    pub offline: &'static str,
    pub subscriptions: Vec<String>,
    pub dropout: Option<Dropout>,
}

/// Now and then the connection vanishes without a DISCONNECT, so the broker publishes
/// the last will, and comes back after a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropout {
    /// Time connected before the next dropout, in milliseconds (picked at random).
    pub every_ms: RangeInclusive<u64>,
    /// Time away, in milliseconds (picked at random).
    pub away_ms: RangeInclusive<u64>,
}

impl Dropout {
    fn pick<R: Rng + ?Sized>(range: &RangeInclusive<u64>, rng: &mut R) -> Duration {
        let (lo, hi) = (*range.start(), *range.end());
        Duration::from_millis(if lo < hi { rng.random_range(lo..=hi) } else { lo })
    }
}

/// The behaviour of one simulated device, free of any networking.
pub(crate) trait Device: Send + 'static {
    /// How the device connects; asked once.
    fn link(&self) -> LinkSpec;
    /// Messages after each CONNACK, after the birth message: retained states, discovery
    /// configs, a first reading so the tree fills at once.
    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing>;
    /// Called once per second, connected or not, so state (energy totals, soil moisture)
    /// keeps evolving while offline. The output is dropped while offline.
    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing>;
    /// A message on one of the subscribed topics.
    fn on_message(&mut self, topic: &str, payload: &[u8], now: &Now) -> Vec<Outgoing>;
}

/// Lets the fleet keep its devices in one list.
impl Device for Box<dyn Device> {
    fn link(&self) -> LinkSpec {
        (**self).link()
    }
    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        (**self).on_connect(now)
    }
    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        (**self).on_tick(now)
    }
    fn on_message(&mut self, topic: &str, payload: &[u8], now: &Now) -> Vec<Outgoing> {
        (**self).on_message(topic, payload, now)
    }
}

/// What the polling task tells the device logic.
#[derive(Debug)]
enum LinkEvent {
    /// CONNACK received; publish through this client until `Down`.
    Up(AsyncClient),
    Down,
    Message {
        topic: String,
        payload: Bytes,
    },
}

/// The rumqttc options for a device: its own id, keep-alive, packet size and last will.
pub(crate) fn mqtt_options(spec: &LinkSpec, host: &str, port: u16) -> MqttOptions {
    let mut opts = MqttOptions::new(spec.client_id.clone(), host, port);
    opts.set_keep_alive(KEEP_ALIVE);
    opts.set_max_packet_size(MAX_PACKET_BYTES, MAX_PACKET_BYTES);
    opts.set_clean_session(true);
    opts.set_last_will(LastWill::new(
        spec.availability_topic.clone(),
        spec.offline,
        QoS::AtLeastOnce,
        true,
    ));
    opts
}

/// Runs one device until the runtime is dropped.
pub(crate) async fn run_device<D: Device>(mut device: D, host: String, port: u16) {
    let spec = device.link();
    let (events_tx, mut events) = mpsc::channel(64);
    tokio::spawn(drive_link(spec.clone(), host, port, events_tx));

    let booted = Instant::now();
    let now = || Now {
        local: chrono::Local::now().naive_local(),
        uptime_secs: booted.elapsed().as_secs_f64(),
    };
    let mut client: Option<AsyncClient> = None;
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let out = device.on_tick(&now());
                if let Some(c) = &client {
                    publish_all(c, &spec.client_id, out);
                }
            }
            event = events.recv() => match event {
                // The link task only ends when the runtime shuts down.
                None => return,
                Some(LinkEvent::Up(c)) => {
                    let birth = Outgoing::retained(spec.availability_topic.clone(), spec.online);
                    publish_all(&c, &spec.client_id, vec![birth]);
                    // Clean sessions forget subscriptions, so subscribe on every CONNACK.
                    for topic in &spec.subscriptions {
                        if let Err(e) = c.try_subscribe(topic.clone(), QoS::AtMostOnce) {
                            tracing::debug!(client = %spec.client_id, %topic, "subscribe failed: {e}");
                        }
                    }
                    let out = device.on_connect(&now());
                    publish_all(&c, &spec.client_id, out);
                    client = Some(c);
                }
                Some(LinkEvent::Down) => client = None,
                Some(LinkEvent::Message { topic, payload }) => {
                    let out = device.on_message(&topic, &payload, &now());
                    if let Some(c) = &client {
                        publish_all(c, &spec.client_id, out);
                    }
                }
            }
        }
    }
}

fn publish_all(client: &AsyncClient, client_id: &str, messages: Vec<Outgoing>) {
    for m in messages {
        let qos = if m.retain { QoS::AtLeastOnce } else { QoS::AtMostOnce };
        if let Err(e) = client.try_publish(m.topic.as_str(), qos, m.retain, m.payload) {
            tracing::debug!(client = %client_id, topic = %m.topic, "publish dropped: {e}");
        }
    }
}

/// Polls the device's connection forever, reconnecting after errors and, for a device
/// with a `Dropout`, vanishing abruptly now and then.
async fn drive_link(spec: LinkSpec, host: String, port: u16, events: mpsc::Sender<LinkEvent>) {
    let mut rng = SmallRng::from_os_rng();
    loop {
        let (client, mut eventloop) = AsyncClient::new(mqtt_options(&spec, &host, port), REQUEST_CAPACITY);
        let mut up = false;
        let dropout_in = spec.dropout.as_ref().map(|d| Dropout::pick(&d.every_ms, &mut rng));
        // A device without dropouts gets a deadline it never reaches (the branch is off).
        let dropout = tokio::time::sleep(dropout_in.unwrap_or(Duration::from_secs(86_400)));
        tokio::pin!(dropout);
        loop {
            tokio::select! {
                _ = &mut dropout, if dropout_in.is_some() => break,
                polled = eventloop.poll() => match polled {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        tracing::debug!(client = %spec.client_id, "connected");
                        up = true;
                        if !send(&events, LinkEvent::Up(client.clone())).await {
                            return;
                        }
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let message = LinkEvent::Message { topic: p.topic, payload: p.payload };
                        if !send(&events, message).await {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::debug!(client = %spec.client_id, "connection error: {e}");
                        if up {
                            up = false;
                            if !send(&events, LinkEvent::Down).await {
                                return;
                            }
                        }
                        // The next poll reconnects with the same client and request queue.
                        tokio::time::sleep(RECONNECT_DELAY).await;
                    }
                }
            }
        }
        // Dropout: dropping the event loop closes the socket without a DISCONNECT, which
        // is what a board losing power or Wi-Fi looks like to the broker: it publishes
        // the last will. The old client dies with it; the next loop makes a new pair.
        drop(eventloop);
        drop(client);
        let away = spec
            .dropout
            .as_ref()
            .map_or(Duration::ZERO, |d| Dropout::pick(&d.away_ms, &mut rng));
        tracing::debug!(client = %spec.client_id, "dropping off for {away:?}");
        if up && !send(&events, LinkEvent::Down).await {
            return;
        }
        tokio::time::sleep(away).await;
    }
}

/// Sends to the device logic; false once it is gone (the runtime is shutting down).
async fn send(events: &mpsc::Sender<LinkEvent>, event: LinkEvent) -> bool {
    events.send(event).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LinkSpec {
        LinkSpec {
            client_id: "sim-test".into(),
            availability_topic: "dev/status".into(),
            online: "online",
            offline: "offline",
            subscriptions: vec!["dev/cmd".into()],
            dropout: None,
        }
    }

    #[test]
    fn options_carry_identity_will_and_limits() {
        let opts = mqtt_options(&spec(), "127.0.0.1", 1883);
        assert_eq!(opts.client_id(), "sim-test");
        assert_eq!(opts.keep_alive(), Duration::from_secs(5));
        assert_eq!(opts.max_packet_size(), MAX_PACKET_BYTES);
        assert_eq!(opts.broker_address(), ("127.0.0.1".to_owned(), 1883), "host and port");
        let will = opts.last_will().expect("a last will");
        assert_eq!(will.topic, "dev/status");
        assert_eq!(&will.message[..], b"offline");
        assert!(will.retain);
    }

    #[test]
    fn dropout_picks_within_range() {
        let mut rng = SmallRng::seed_from_u64(5);
        for _ in 0..100 {
            let d = Dropout::pick(&(60_000..=120_000), &mut rng);
            assert!((60..=120).contains(&d.as_secs()));
        }
        assert_eq!(Dropout::pick(&(500..=500), &mut rng), Duration::from_millis(500));
    }
}
