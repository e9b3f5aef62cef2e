//! The embedded MQTT broker (rumqttd): `topicscope broker`, the demo mode and the
//! integration-test fixtures all run this, so it is tuned for an explorer (big payloads,
//! every retained message delivered, many clients) rather than for rumqttd's defaults.
//!
//! rumqttd has no shutdown API: a started broker lives until the process exits. Tests that
//! need to stop or restart a broker run `topicscope broker` as a child process instead.
//!
//! `topicscope broker`, the window's local broker and `--demo` ([`serve`]) put a front
//! (`front.rs`) before rumqttd so one port takes MQTT 3.1.1 and 5, a second one
//! WebSockets, topics in any script reach rumqttd in a form it can route (`topics.rs`),
//! and every connect, refusal and disconnect is logged with the client id;
//! [`start_embedded`] is rumqttd alone, for in-process tests that need neither.
#![cfg(feature = "broker")]

mod front;
pub use front::Takeover;
mod packet;
mod pump;
mod topics;
mod websocket;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// Large enough for an ESP32-CAM frame, or any sane payload, in one message.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 64 * 1024 * 1024;

/// rumqttd checks its size limit against the packet's remaining length (topic, packet id,
/// properties and payload), so the limit gets room for the longest possible topic
/// (64 KiB) and properties on top of the payload.
const PACKET_OVERHEAD_BYTES: usize = 128 * 1024;

/// Log filter directive that silences rumqttd (it logs every accept at info and every
/// dropped probe connection at error). Add it to the app's default filter when RUST_LOG is
/// unset; `run_foreground` does this itself when no subscriber is installed yet.
pub const QUIET_RUMQTTD_DIRECTIVE: &str = "rumqttd=off";

/// How the embedded broker is set up. `Default` is what `topicscope broker` uses.
#[derive(Debug, Clone)]
pub struct EmbeddedBrokerConfig {
    /// MQTT 3.1.1 listener. Port 0 picks a free port.
    pub bind: SocketAddr,
    /// Optional MQTT 5 listener: rumqttd serves each protocol version on its own port.
    /// Port 0 picks a free port.
    pub bind_v5: Option<SocketAddr>,
    /// Largest payload accepted, in bytes.
    pub max_payload_bytes: usize,
    /// Concurrent client connections.
    pub max_connections: usize,
    /// Messages the router hands a QoS 0 subscription in one go; it is also the cap on
    /// retained messages a new QoS 0 subscription receives (see `rumqttd_config`).
    pub max_outgoing_packet_count: u64,
    /// Size of one in-memory commit-log segment (per subscription filter), in bytes.
    pub segment_bytes: usize,
    /// Segments kept per filter before the oldest is dropped.
    pub segment_count: usize,
    /// How long a new TCP connection may take to send CONNECT (rumqttd caps it at u16).
    pub connect_timeout_ms: u16,
    /// How long `start_embedded` waits for the broker to answer a CONNECT.
    pub ready_timeout_ms: u64,
}

impl Default for EmbeddedBrokerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            bind_v5: None,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
            max_connections: 10_000,
            max_outgoing_packet_count: 100_000,
            segment_bytes: 32 * 1024 * 1024,
            segment_count: 4,
            connect_timeout_ms: 60_000,
            ready_timeout_ms: 5_000,
        }
    }
}

/// Why the embedded broker could not start.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    /// The settings cannot work (rumqttd would panic on them later, on its own thread).
    #[error("{}", crate::tr!("worker-broker-invalid-settings", why = .0.as_str()))]
    InvalidConfig(String),
    /// Another process already listens on the address.
    #[error("{}", crate::tr!("worker-broker-cannot-listen", addr = crate::i18n::shown(.addr), error = crate::i18n::shown(.source)))]
    Bind { addr: SocketAddr, source: io::Error },
    /// The broker thread could not be created.
    #[error("{}", crate::tr!("worker-broker-no-thread", error = crate::i18n::shown(.0)))]
    Spawn(io::Error),
    /// The broker did not answer a CONNECT in time.
    #[error("{}", crate::tr!("worker-broker-not-ready", addr = crate::i18n::shown(.addr), ms = *.timeout_ms, why = .last_error.as_str()))]
    NotReady {
        addr: SocketAddr,
        timeout_ms: u64,
        last_error: String,
    },
    /// The broker stopped (rumqttd's listeners only stop when they fail).
    #[error("{}", crate::tr!("worker-broker-exited", why = .0.as_str()))]
    Exited(String),
}

/// A broker running on its own thread until the process exits.
#[derive(Debug)]
pub struct RunningBroker {
    /// Address of the MQTT 3.1.1 listener (real port, never 0).
    pub addr: SocketAddr,
    /// Address of the MQTT 5 listener, if one was asked for.
    pub v5_addr: Option<SocketAddr>,
    thread: JoinHandle<()>,
    exit_reason: Arc<Mutex<Option<String>>>,
}

impl RunningBroker {
    /// `mqtt://HOST:PORT` for the 3.1.1 listener; a wildcard bind is reached over loopback.
    pub fn url(&self) -> String {
        mqtt_url(self.addr)
    }

    /// `mqtt://HOST:PORT` for the MQTT 5 listener, if any.
    pub fn v5_url(&self) -> Option<String> {
        self.v5_addr.map(mqtt_url)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// False once rumqttd's listeners have failed.
    pub fn running(&self) -> bool {
        !self.thread.is_finished()
    }

    /// Blocks while the broker runs; it only returns when the broker failed.
    pub fn wait(self) -> BrokerError {
        let _ = self.thread.join();
        BrokerError::Exited(exit_reason(&self.exit_reason))
    }
}

fn mqtt_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("mqtt://{}", SocketAddr::new(ip, addr.port()))
}

fn exit_reason(slot: &Mutex<Option<String>>) -> String {
    let reason = slot.lock().unwrap_or_else(|e| e.into_inner()).clone();
    reason.unwrap_or_else(|| "the broker thread panicked".to_owned())
}

/// Starts rumqttd on a thread named `topicscope-broker` and returns once it answers an
/// MQTT CONNECT on every listener.
pub fn start_embedded(cfg: EmbeddedBrokerConfig) -> Result<RunningBroker, BrokerError> {
    validate(&cfg)?;
    let addr = reserve(cfg.bind)?;
    let v5_addr = cfg.bind_v5.map(reserve).transpose()?;
    let config = rumqttd_config(&cfg, addr, v5_addr);

    let exit_reason = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&exit_reason);
    let thread = thread::Builder::new()
        .name("topicscope-broker".to_owned())
        .spawn(move || {
            // `start` joins the listener threads; a listener that cannot bind logs and
            // ends, so any return at all means the broker is down.
            let reason = match rumqttd::Broker::new(config).start() {
                Ok(()) => "its listeners stopped (was the port taken?)".to_owned(),
                Err(e) => e.to_string(),
            };
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason);
        })
        .map_err(BrokerError::Spawn)?;

    let broker = RunningBroker {
        addr,
        v5_addr,
        thread,
        exit_reason,
    };
    let deadline = Instant::now() + Duration::from_millis(cfg.ready_timeout_ms);
    wait_ready(&broker, addr, 4, deadline, cfg.ready_timeout_ms)?;
    if let Some(v5) = v5_addr {
        wait_ready(&broker, v5, 5, deadline, cfg.ready_timeout_ms)?;
    }
    Ok(broker)
}

/// rumqttd behind its front: what `topicscope broker`, the local broker and the demo run.
#[derive(Debug)]
pub struct ServedBroker {
    broker: RunningBroker,
    front: front::Front,
}

impl ServedBroker {
    /// Client-id takeovers seen by the front, for an in-process reader (the window's
    /// local broker and demo feed them to the Devices pane).
    pub fn takeovers(&self) -> &crossbeam_channel::Receiver<front::Takeover> {
        self.front.takeovers()
    }

    /// `mqtt://HOST:PORT` of the front (MQTT 3.1.1 and 5); a wildcard bind is reached
    /// over loopback.
    pub fn url(&self) -> String {
        mqtt_url(self.front.tcp)
    }

    /// `ws://HOST:PORT/mqtt` of the WebSocket listener, if there is one (any path works).
    pub fn ws_url(&self) -> Option<String> {
        self.front
            .ws
            .map(|addr| mqtt_url(addr).replacen("mqtt://", "ws://", 1) + "/mqtt")
    }

    /// The front's MQTT address (real port, never 0).
    pub fn addr(&self) -> SocketAddr {
        self.front.tcp
    }

    /// Blocks while the broker runs; it only returns when rumqttd or the front failed.
    pub fn wait(self) -> BrokerError {
        while self.broker.running() && self.front.running() {
            thread::sleep(Duration::from_millis(200));
        }
        if !self.front.running() {
            return BrokerError::Exited(self.front.wait());
        }
        self.broker.wait()
    }
}

/// Starts rumqttd on internal loopback ports (one per protocol version) and the front on
/// `bind` (and `ws_bind` for WebSockets); returns once the front answers CONNECTs of
/// both versions.
pub fn serve(bind: SocketAddr, ws_bind: Option<SocketAddr>) -> Result<ServedBroker, BrokerError> {
    let loopback = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    let cfg = EmbeddedBrokerConfig {
        bind: loopback,
        bind_v5: Some(loopback),
        ..EmbeddedBrokerConfig::default()
    };
    let ready_timeout_ms = cfg.ready_timeout_ms;
    let broker = start_embedded(cfg)?;
    let v5 = broker
        .v5_addr
        .ok_or_else(|| BrokerError::InvalidConfig("no MQTT 5 listener".into()))?;
    let front = front::start(bind, ws_bind, front::Upstreams { v4: broker.addr, v5 })?;
    let deadline = Instant::now() + Duration::from_millis(ready_timeout_ms);
    wait_ready(&broker, front.tcp, 4, deadline, ready_timeout_ms)?;
    wait_ready(&broker, front.tcp, 5, deadline, ready_timeout_ms)?;
    Ok(ServedBroker { broker, front })
}

/// `topicscope broker --bind ADDR:PORT [--ws-bind ADDR:PORT]`: serves, prints where, and
/// blocks. It only returns when the broker fails.
pub fn run_foreground(bind: SocketAddr, ws_bind: Option<SocketAddr>) -> anyhow::Result<()> {
    init_quiet_logging();
    let served =
        serve(bind, ws_bind).with_context(|| crate::tr!("worker-broker-starting", addr = crate::i18n::shown(bind)))?;
    println!("{}", crate::tr!("worker-cli-broker-listening", url = served.url()));
    if let Some(ws) = served.ws_url() {
        println!("{}", crate::tr!("worker-cli-broker-websockets", url = ws));
    }
    Err(served.wait()).context(crate::tr!("worker-broker-stopped-context"))
}

/// Installs the stderr subscriber with the broker's defaults (connection lines at info)
/// when the program has not installed one yet.
fn init_quiet_logging() {
    crate::cli::logging::init(crate::cli::logging::BROKER_DIRECTIVES);
}

fn validate(cfg: &EmbeddedBrokerConfig) -> Result<(), BrokerError> {
    // rumqttd panics on its router thread for these, which would leave a listener that
    // accepts connections but never answers.
    if cfg.segment_bytes < 1024 {
        return Err(BrokerError::InvalidConfig("segment_bytes must be at least 1024".into()));
    }
    if cfg.segment_count == 0 || cfg.max_connections == 0 || cfg.max_outgoing_packet_count == 0 {
        return Err(BrokerError::InvalidConfig(
            "segment_count, max_connections and max_outgoing_packet_count must be positive".into(),
        ));
    }
    Ok(())
}

/// Resolves port 0 to a free port and checks the address is free, so a CONNACK from the
/// port later can only come from our broker (not, say, a system mosquitto on 1883).
/// The listener is dropped before rumqttd binds; both use SO_REUSEADDR.
fn reserve(bind: SocketAddr) -> Result<SocketAddr, BrokerError> {
    let listener = TcpListener::bind(bind).map_err(|source| BrokerError::Bind { addr: bind, source })?;
    listener
        .local_addr()
        .map_err(|source| BrokerError::Bind { addr: bind, source })
}

fn rumqttd_config(cfg: &EmbeddedBrokerConfig, addr: SocketAddr, v5_addr: Option<SocketAddr>) -> rumqttd::Config {
    let connections = rumqttd::ConnectionSettings {
        connection_timeout_ms: cfg.connect_timeout_ms,
        max_payload_size: cfg.max_payload_bytes.saturating_add(PACKET_OVERHEAD_BYTES),
        // Only the number of packets read from a socket per batch, not an inflight window
        // (rumqttd hard-codes 100 outgoing QoS 1/2 messages in flight per connection).
        max_inflight_count: 1_000,
        auth: None,
        external_auth: None,
        // Without this, a publish to a topic no subscription matches yet is rejected.
        dynamic_filters: true,
    };
    let server = |name: &str, listen: SocketAddr| rumqttd::ServerSettings {
        name: name.to_owned(),
        listen,
        tls: None,
        // rumqttd sleeps this long after every accept; tests open many connections.
        next_connection_delay_ms: 0,
        connections: connections.clone(),
    };
    let router = rumqttd::RouterConfig {
        max_connections: cfg.max_connections,
        // A new QoS 0 subscription gets at most this many retained messages (the excess is
        // dropped, not deferred), so the explorer's own `#` subscription at QoS 0 sees every
        // retained topic only if this is large. At QoS 1/2 the cap is a hard-coded 100.
        max_outgoing_packet_count: cfg.max_outgoing_packet_count,
        // Memory per filter is bounded by about (segment_count + 1) * segment_bytes, plus
        // one oversized message per segment. A subscriber that falls further behind than
        // that skips ahead (rumqttd logs it).
        max_segment_size: cfg.segment_bytes,
        max_segment_count: cfg.segment_count,
        custom_segment: None,
        initialized_filters: None,
        shared_subscriptions_strategy: rumqttd::Strategy::default(),
    };
    // Retained messages need no switch: rumqttd always stores them. No console,
    // prometheus or websocket listener: they would bind extra, fixed ports.
    rumqttd::Config {
        id: 0,
        router,
        v4: Some(HashMap::from([("1".to_owned(), server("v4", addr))])),
        v5: v5_addr.map(|a| HashMap::from([("1".to_owned(), server("v5", a))])),
        ..rumqttd::Config::default()
    }
}

fn wait_ready(
    broker: &RunningBroker,
    addr: SocketAddr,
    protocol_level: u8,
    deadline: Instant,
    timeout_ms: u64,
) -> Result<(), BrokerError> {
    let target = SocketAddr::new(
        match addr.ip() {
            ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        },
        addr.port(),
    );
    loop {
        if !broker.running() {
            return Err(BrokerError::Exited(exit_reason(&broker.exit_reason)));
        }
        let last_error = match mqtt_handshake(target, protocol_level, Duration::from_millis(500)) {
            Ok(()) => return Ok(()),
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            return Err(BrokerError::NotReady {
                addr,
                timeout_ms,
                last_error,
            });
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Sends a clean-session CONNECT (MQTT 3.1.1 when `protocol_level` is 4, MQTT 5 when 5),
/// expects a successful CONNACK and disconnects.
pub fn mqtt_handshake(addr: SocketAddr, protocol_level: u8, timeout: Duration) -> io::Result<()> {
    static PROBES: AtomicU32 = AtomicU32::new(0);
    // rumqttd silently drops clients whose id contains any of `+$#/`, and replaces a
    // connection whose id is reused, so each probe gets its own plain id.
    let client_id = format!(
        "topicscope-probe-{}-{}",
        std::process::id(),
        PROBES.fetch_add(1, Ordering::Relaxed)
    );
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', protocol_level, 0x02, 0, 30];
    if protocol_level >= 5 {
        body.push(0); // no properties
    }
    body.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
    body.extend_from_slice(client_id.as_bytes());
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend_from_slice(&body);

    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(&packet)?;
    let mut header = [0u8; 2];
    stream.read_exact(&mut header)?;
    if header[0] != 0x20 || header[1] < 2 || header[1] > 127 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("expected CONNACK, got header {header:02x?}"),
        ));
    }
    let mut rest = vec![0u8; usize::from(header[1])];
    stream.read_exact(&mut rest)?;
    if rest[1] != 0 {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            format!("CONNACK refused the connection (code {})", rest[1]),
        ));
    }
    // No DISCONNECT: closing is enough. rumqttd 0.20 turns a DISCONNECT followed by the
    // close into two disconnect events for one connection id; when the second is late,
    // the router applies it to the next client given that id (the first one to connect
    // after the probe), which then loses its connection right after its CONNACK.
    Ok(())
}
