//! The front door of `topicscope broker`: one port for MQTT 3.1.1 and MQTT 5, an
//! optional WebSocket port for both, and a log line for every connect, refusal and
//! disconnect.
//!
//! rumqttd serves each protocol version on its own listener, and its v4 listener drops an
//! MQTT 5 CONNECT without a CONNACK or a log line (its WebSocket listener is 3.1.1 only).
//! So rumqttd listens on two internal 127.0.0.1 ports, and this front reads each client's
//! CONNECT, picks the listener by the protocol level in it, replays the CONNECT there and
//! then forwards packets both ways (`pump.rs`), mapping the topics rumqttd would panic
//! on (`topics.rs`); everything but fixed headers and topics' first bytes is opaque.
//!
//! It also sees every client id, so it notices a client-id takeover (a CONNECT with the
//! id of a live connection: rumqttd closes the old one), which rumqttd neither logs nor
//! publishes. Each is logged like mosquitto does and offered on a bounded channel
//! ([`Front::takeovers`]) to whoever runs the broker in-process (the window's local
//! broker and demo). rumqttd routes no `$` topic, so no `$SYS` notice is published.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tracing::{info, warn};

use super::BrokerError;
use super::packet::{self, Connect};
use super::pump::{Direction, Ended, pump};
use super::topics;

/// How long a new connection may take to send its CONNECT (and the broker its CONNACK).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest a connection to rumqttd is held open after the client's DISCONNECT, waiting
/// for rumqttd to close it (it does within a millisecond when it is not overloaded).
const DISCONNECT_LINGER: Duration = Duration::from_secs(2);

/// Takeovers kept for the in-process reader; more are dropped (and logged) while it is
/// not reading.
const TAKEOVERS_QUEUED: usize = 256;

/// A client id taken over: a new connection with the id of a live one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeover {
    pub client_id: String,
    pub at: std::time::SystemTime,
}

/// Live connections per client id, and where takeovers go.
#[derive(Debug)]
struct Clients {
    live: Mutex<HashMap<String, usize>>,
    takeovers: crossbeam_channel::Sender<Takeover>,
}

/// A connection counted in under its client id until dropped.
struct Joined<'a> {
    clients: &'a Clients,
    id: String,
    /// Another connection with this id was live when this one came.
    had_live: bool,
}

impl<'a> Joined<'a> {
    fn new(clients: &'a Clients, id: &str) -> Self {
        let had_live = clients.join(id);
        Self {
            clients,
            id: id.to_owned(),
            had_live,
        }
    }
}

impl Drop for Joined<'_> {
    fn drop(&mut self) {
        self.clients.leave(&self.id);
    }
}

impl Clients {
    /// Counts a connection in; true when the id already had a live one.
    fn join(&self, id: &str) -> bool {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = live.entry(id.to_owned()).or_insert(0);
        *n += 1;
        *n > 1
    }

    fn leave(&self, id: &str) {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = live.get_mut(id) {
            *n -= 1;
            if *n == 0 {
                live.remove(id);
            }
        }
    }
}

/// Where rumqttd's listeners are, for each protocol version.
#[derive(Debug, Clone, Copy)]
pub struct Upstreams {
    /// rumqttd's MQTT 3.1.1 listener.
    pub v4: SocketAddr,
    /// rumqttd's MQTT 5 listener.
    pub v5: SocketAddr,
}

/// The front's listeners, running on their own runtime until the process ends.
#[derive(Debug)]
pub struct Front {
    /// The MQTT (TCP) port, real (never port 0).
    pub tcp: SocketAddr,
    /// The WebSocket port, if one was asked for.
    pub ws: Option<SocketAddr>,
    thread: std::thread::JoinHandle<String>,
    takeovers: crossbeam_channel::Receiver<Takeover>,
}

impl Front {
    /// False once the front's runtime has stopped (it only stops on an accept failure).
    pub fn running(&self) -> bool {
        !self.thread.is_finished()
    }

    /// Client-id takeovers as they happen (bounded; unread ones beyond the bound are
    /// dropped, and each is also in the log).
    pub fn takeovers(&self) -> &crossbeam_channel::Receiver<Takeover> {
        &self.takeovers
    }

    /// Blocks until the front stops; returns why.
    pub fn wait(self) -> String {
        self.thread
            .join()
            .unwrap_or_else(|_| "the broker's front thread panicked".to_owned())
    }
}

/// Binds `tcp` (and `ws`) now, so a taken port is reported at once, and serves them on
/// a thread named `topicscope-broker-front`.
pub fn start(tcp: SocketAddr, ws: Option<SocketAddr>, upstreams: Upstreams) -> Result<Front, BrokerError> {
    let bind = |addr: SocketAddr| {
        let listener = std::net::TcpListener::bind(addr).map_err(|source| BrokerError::Bind { addr, source })?;
        listener
            .set_nonblocking(true)
            .map_err(|source| BrokerError::Bind { addr, source })?;
        Ok::<_, BrokerError>(listener)
    };
    let tcp_listener = bind(tcp)?;
    let ws_listener = ws.map(bind).transpose()?;
    let local = |l: &std::net::TcpListener, addr| l.local_addr().map_err(|source| BrokerError::Bind { addr, source });
    let tcp_addr = local(&tcp_listener, tcp)?;
    let ws_addr = match (&ws_listener, ws) {
        (Some(l), Some(addr)) => Some(local(l, addr)?),
        _ => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("topicscope-broker-io")
        .enable_all()
        .build()
        .map_err(BrokerError::Spawn)?;
    let (takeovers_tx, takeovers) = crossbeam_channel::bounded(TAKEOVERS_QUEUED);
    let clients = Arc::new(Clients {
        live: Mutex::new(HashMap::new()),
        takeovers: takeovers_tx,
    });
    let thread = std::thread::Builder::new()
        .name("topicscope-broker-front".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let upstreams = Arc::new(upstreams);
                let tcp = match TcpListener::from_std(tcp_listener) {
                    Ok(l) => l,
                    Err(e) => return format!("cannot listen on {tcp_addr}: {e}"),
                };
                let ws = match ws_listener.map(TcpListener::from_std).transpose() {
                    Ok(l) => l,
                    Err(e) => return format!("cannot listen for WebSockets: {e}"),
                };
                let tcp_task = tokio::spawn(accept_loop(
                    tcp,
                    Transport::Tcp,
                    Arc::clone(&upstreams),
                    Arc::clone(&clients),
                ));
                let reason = match ws {
                    Some(ws) => {
                        let ws_task = tokio::spawn(accept_loop(ws, Transport::WebSocket, upstreams, clients));
                        tokio::select! {
                            r = tcp_task => r,
                            r = ws_task => r,
                        }
                    }
                    None => tcp_task.await,
                };
                reason.unwrap_or_else(|e| format!("the listener task failed: {e}"))
            })
        })
        .map_err(BrokerError::Spawn)?;
    Ok(Front {
        tcp: tcp_addr,
        ws: ws_addr,
        thread,
        takeovers,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Tcp,
    WebSocket,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Self::Tcp => "TCP",
            Self::WebSocket => "WebSocket",
        }
    }
}

/// Accepts until the listener fails; returns why.
async fn accept_loop(
    listener: TcpListener,
    transport: Transport,
    upstreams: Arc<Upstreams>,
    clients: Arc<Clients>,
) -> String {
    let mut failures = 0u32;
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                failures = 0;
                let _ = stream.set_nodelay(true);
                let upstreams = Arc::clone(&upstreams);
                let clients = Arc::clone(&clients);
                tokio::spawn(async move {
                    match transport {
                        Transport::Tcp => serve(stream, peer, transport, &upstreams, &clients).await,
                        Transport::WebSocket => match super::websocket::accept(stream).await {
                            Ok(ws) => serve(ws, peer, transport, &upstreams, &clients).await,
                            Err(e) => info!("refused a WebSocket connection from {peer}: {e}"),
                        },
                    }
                });
            }
            // Out of file descriptors and the like: wait and go on, but not for ever.
            Err(e) => {
                failures += 1;
                warn!("cannot accept a {} connection: {e}", transport.name());
                if failures > 100 {
                    return format!("accepting {} connections keeps failing: {e}", transport.name());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// One client: its CONNECT routed by protocol level, then bytes both ways.
async fn serve<S>(mut client: S, peer: SocketAddr, transport: Transport, upstreams: &Upstreams, clients: &Clients)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let connect = match tokio::time::timeout(HANDSHAKE_TIMEOUT, packet::read_connect(&mut client)).await {
        Ok(Ok(connect)) => connect,
        Ok(Err(e)) => {
            info!("refused a connection from {peer} ({}): {e}", transport.name());
            return;
        }
        Err(_) => {
            info!(
                "refused a connection from {peer} ({}): no CONNECT within {} s",
                transport.name(),
                HANDSHAKE_TIMEOUT.as_secs()
            );
            return;
        }
    };
    let who = format!(
        "client {:?} from {peer} ({}, {})",
        connect.client_id,
        transport.name(),
        connect.version_name()
    );
    if let Some(refusal) = packet::refusal(&connect) {
        let _ = client.write_all(&refusal.connack).await;
        let _ = client.flush().await;
        info!("refused {who}: {}", refusal.reason);
        return;
    }
    // Counted in before rumqttd sees the CONNECT: rumqttd closes the old connection
    // before it answers, and that one may be gone by the time the CONNACK is here. An
    // empty id gets a fresh one from rumqttd: it can take nothing over.
    let joined = (!connect.client_id.is_empty()).then(|| Joined::new(clients, &connect.client_id));
    let had_live = joined.as_ref().is_some_and(|j| j.had_live);
    let upstream = if connect.level == 5 { upstreams.v5 } else { upstreams.v4 };
    let mut broker = match open_upstream(upstream, &connect).await {
        Ok(b) => b,
        Err(e) => {
            warn!("refused {who}: the broker is not reachable: {e}");
            return;
        }
    };
    let connack = match tokio::time::timeout(HANDSHAKE_TIMEOUT, packet::read_packet(&mut broker, 64 * 1024)).await {
        Ok(Ok(p)) if p.first() == Some(&0x20) => p,
        _ => {
            info!("refused {who}: the broker closed the connection without a CONNACK");
            return;
        }
    };
    if client.write_all(&connack).await.is_err() || client.flush().await.is_err() {
        info!("{who} left before its CONNACK");
        return;
    }
    match packet::connack_refusal(&connack, connect.level) {
        Some(reason) => {
            info!("refused {who}: {reason}");
            return;
        }
        None if own_probe(&connect) => tracing::debug!("connected {who}"),
        None => info!("connected {who}"),
    }
    if had_live && let Some(joined) = &joined {
        let id = &joined.id;
        // mosquitto's words, so a reader of either log knows the line.
        info!("client {id:?} already connected, closing old connection");
        let takeover = Takeover {
            client_id: id.clone(),
            at: std::time::SystemTime::now(),
        };
        if clients.takeovers.try_send(takeover).is_err() {
            tracing::debug!("takeover of {id:?} not queued: nobody is reading them");
        }
    }
    let start = Instant::now();
    let (from_client, to_client) = tokio::io::split(client);
    let (from_broker, to_broker) = broker.into_split();
    // Both ways at once; the first error ends both (as `copy_bidirectional` would), an
    // end of stream is passed on and the other direction finishes on its own.
    let broker_closed = tokio::sync::Notify::new();
    let up = async {
        let ended = pump(from_client, to_broker, Direction::ToBroker { v5: connect.level == 5 }).await?;
        if let Ended::Disconnected(held) = ended {
            // See `Ended::Disconnected`: rumqttd closes it once its router has let the
            // connection go, and then sends no second disconnection.
            let _ = tokio::time::timeout(DISCONNECT_LINGER, broker_closed.notified()).await;
            drop(held);
        }
        Ok(())
    };
    let down = async {
        let ended = pump(from_broker, to_client, Direction::ToClient).await;
        broker_closed.notify_one();
        ended.map(|_| ())
    };
    let outcome: std::io::Result<((), ())> = tokio::try_join!(up, down);
    drop(joined);
    let secs = start.elapsed().as_secs_f64();
    match outcome {
        _ if own_probe(&connect) => tracing::debug!("disconnected {who}"),
        Ok(_) => info!("disconnected {who} after {secs:.1} s"),
        // A client that sends DISCONNECT and closes at once often ends in a reset.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
            info!("disconnected {who} after {secs:.1} s (connection reset)");
        }
        Err(e) => info!("disconnected {who} after {secs:.1} s: {e}"),
    }
}

/// The broker's own readiness probe (`mqtt_handshake` from this process): not worth a
/// line at the default level.
fn own_probe(connect: &Connect) -> bool {
    connect
        .client_id
        .starts_with(&format!("topicscope-probe-{}-", std::process::id()))
}

async fn open_upstream(addr: SocketAddr, connect: &Connect) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    // rumqttd publishes a will through the same topic matching as any publish.
    match topics::map_will_topic(&connect.bytes, connect.level) {
        Some(mapped) => stream.write_all(&mapped).await?,
        None => stream.write_all(&connect.bytes).await?,
    }
    Ok(stream)
}
