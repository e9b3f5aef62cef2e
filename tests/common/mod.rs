//! Fixtures shared by the integration tests (`mod common;`): real brokers on free
//! 127.0.0.1 ports, each in a child process so a test can stop and restart it, plus the
//! ESP32 payload corpus and thin wrappers around the mosquitto command-line clients.
//!
//! Every test scenario should loop over [`brokers()`]: the embedded broker always, and
//! mosquitto when it is installed. `TOPICSCOPE_REQUIRE_MOSQUITTO=1` (set in CI) turns a
//! missing mosquitto into a failure so a skip cannot hide there.
#![allow(dead_code)] // each test binary uses a different part of the fixtures

pub mod cut_proxy;
pub mod pki;
pub mod rabbitmq;
pub mod run;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub mod window;
pub mod worker_fixture;

use base64::Engine as _;
use tempfile::TempDir;

/// The only host any test talks to.
pub const HOST: &str = "127.0.0.1";
/// How long a broker may take to answer its first CONNECT.
pub const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// Payload limit the fixtures configure clients and brokers for (as the app does).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerKind {
    /// `topicscope broker` (rumqttd) in a child process.
    Embedded,
    /// The system's `mosquitto` with a generated config.
    Mosquitto,
    /// RabbitMQ 3.x with its MQTT plugin (see [`rabbitmq`]).
    RabbitMq,
}

impl BrokerKind {
    pub fn name(self) -> &'static str {
        match self {
            BrokerKind::Embedded => "embedded",
            BrokerKind::Mosquitto => "mosquitto",
            BrokerKind::RabbitMq => "RabbitMQ",
        }
    }

    /// How long the broker may take to answer its first CONNECT: the Erlang VM and
    /// RabbitMQ's database take 10-20 s to come up.
    fn ready_timeout(self) -> Duration {
        match self {
            BrokerKind::RabbitMq => Duration::from_secs(90),
            _ => READY_TIMEOUT,
        }
    }
}

/// A broker child process on a fixed 127.0.0.1 port; killed on drop.
#[derive(Debug)]
pub struct TestBroker {
    kind: BrokerKind,
    port: u16,
    child: Option<Child>,
    /// Holds the generated config and the child's output log.
    dir: TempDir,
    /// User name and password the broker requires (mosquitto only); anonymous if `None`.
    credentials: Option<(String, String)>,
    /// Listeners besides the plain MQTT one (mosquitto only), with their ports.
    extra: Vec<(Listener, u16)>,
    /// Dynamic-security plugin configuration (JSON) for mosquitto, if any.
    dynsec: Option<String>,
    /// Lines added to the generated mosquitto.conf (limits such as `max_packet_size`).
    extra_conf: String,
    /// `RUST_LOG` for the embedded broker, when a test reads what rumqttd logs.
    log_filter: Option<String>,
}

/// A mosquitto listener besides the plain MQTT one every test broker has.
#[derive(Debug, Clone)]
pub struct Listener {
    /// MQTT over WebSockets (any path is accepted) instead of plain TCP.
    pub websockets: bool,
    /// TLS on this listener.
    pub tls: Option<ServerTls>,
}

/// The TLS side of a [`Listener`].
#[derive(Debug, Clone)]
pub struct ServerTls {
    /// CA file mosquitto checks client certificates against.
    pub ca: PathBuf,
    /// The server's certificate and key.
    pub identity: pki::Identity,
    /// Mutual TLS: refuse clients without a certificate signed by `ca`.
    pub require_client_cert: bool,
}

impl Listener {
    /// MQTT over TLS with `identity` as the server certificate.
    pub fn tls(ca: &Path, identity: &pki::Identity) -> Listener {
        Listener {
            websockets: false,
            tls: Some(ServerTls {
                ca: ca.to_owned(),
                identity: identity.clone(),
                require_client_cert: false,
            }),
        }
    }

    /// MQTT over TLS that also requires a client certificate signed by `ca`.
    pub fn mutual_tls(ca: &Path, identity: &pki::Identity) -> Listener {
        let mut listener = Listener::tls(ca, identity);
        if let Some(tls) = &mut listener.tls {
            tls.require_client_cert = true;
        }
        listener
    }

    /// MQTT over plain WebSockets.
    pub fn websockets() -> Listener {
        Listener {
            websockets: true,
            tls: None,
        }
    }

    /// MQTT over WebSockets over TLS.
    pub fn secure_websockets(ca: &Path, identity: &pki::Identity) -> Listener {
        Listener {
            websockets: true,
            ..Listener::tls(ca, identity)
        }
    }

    fn mosquitto_conf(&self, port: u16) -> String {
        let mut conf = format!("listener {port} {HOST}\n");
        if self.websockets {
            // mosquitto 2.0.11 (Debian 12) hands websockets listeners to libwebsockets,
            // which binds every interface and IPv6 unless told the socket domain; with
            // `socket_domain ipv4` it binds 127.0.0.1 only. (A websockets-only broker
            // exits with "Unable to start any listening sockets": the plain listener
            // every test broker has avoids that.)
            conf.push_str("protocol websockets\nsocket_domain ipv4\n");
        }
        if let Some(tls) = &self.tls {
            conf.push_str(&format!(
                "cafile {}\ncertfile {}\nkeyfile {}\n",
                tls.ca.display(),
                tls.identity.cert.display(),
                tls.identity.key.display()
            ));
            if tls.require_client_cert {
                conf.push_str("require_certificate true\n");
            }
        }
        conf
    }
}

impl TestBroker {
    /// Starts a broker of `kind`, panicking if it cannot (a missing mosquitto included:
    /// use [`TestBroker::mosquitto`] or [`brokers`] to skip it when absent).
    pub fn start(kind: BrokerKind) -> TestBroker {
        TestBroker::start_with(kind, None, &[], None)
    }

    fn start_with(
        kind: BrokerKind,
        credentials: Option<(String, String)>,
        listeners: &[Listener],
        dynsec: Option<String>,
    ) -> TestBroker {
        let dir = tempfile::Builder::new()
            .prefix(&format!("topicscope-{}-", kind.name()))
            .tempdir()
            .expect("create a temporary directory for the broker");
        let mut broker = TestBroker {
            kind,
            port: 0,
            child: None,
            dir,
            credentials,
            extra: Vec::new(),
            dynsec,
            extra_conf: String::new(),
            log_filter: None,
        };
        // A free port found by binding :0 can be taken by someone else before the broker
        // binds it, so an early exit on first start is retried on a fresh port.
        let mut last_failure = String::new();
        for _ in 0..3 {
            broker.port = free_port();
            broker.extra = listeners.iter().map(|l| (l.clone(), free_port())).collect();
            match broker.spawn_and_wait() {
                Ok(()) => return broker,
                Err(failure) => last_failure = failure,
            }
        }
        panic!("{last_failure}");
    }

    /// The embedded broker (always available).
    pub fn embedded() -> TestBroker {
        TestBroker::start(BrokerKind::Embedded)
    }

    /// The embedded broker with its WebSocket listener too ([`TestBroker::listener_port`] 0).
    pub fn embedded_with_websockets() -> TestBroker {
        TestBroker::start_with(BrokerKind::Embedded, None, &[Listener::websockets()], None)
    }

    /// RabbitMQ with its MQTT plugin; panics with what to install when it is missing.
    pub fn rabbitmq() -> TestBroker {
        TestBroker::start(BrokerKind::RabbitMq)
    }

    /// Mosquitto, or `None` (with a visible note) when it is not installed and not required.
    pub fn mosquitto() -> Option<TestBroker> {
        mosquitto_available().then(|| TestBroker::start(BrokerKind::Mosquitto))
    }

    /// Mosquitto accepting only `user` with `password` (no anonymous clients), or `None`
    /// like [`TestBroker::mosquitto`]. The embedded broker has no authentication.
    pub fn mosquitto_with_password(user: &str, password: &str) -> Option<TestBroker> {
        mosquitto_available().then(|| {
            TestBroker::start_with(
                BrokerKind::Mosquitto,
                Some((user.to_owned(), password.to_owned())),
                &[],
                None,
            )
        })
    }

    /// Mosquitto with these listeners besides the plain one, or `None` like
    /// [`TestBroker::mosquitto`]. Their ports are [`TestBroker::listener_port`].
    pub fn mosquitto_with_listeners(listeners: &[Listener]) -> Option<TestBroker> {
        mosquitto_available().then(|| TestBroker::start_with(BrokerKind::Mosquitto, None, listeners, None))
    }

    /// Mosquitto accepting only `user` with `password`, with these listeners besides the
    /// plain one (the password file applies to all), or `None` like
    /// [`TestBroker::mosquitto`].
    pub fn mosquitto_with_password_and_listeners(
        user: &str,
        password: &str,
        listeners: &[Listener],
    ) -> Option<TestBroker> {
        mosquitto_available().then(|| {
            TestBroker::start_with(
                BrokerKind::Mosquitto,
                Some((user.to_owned(), password.to_owned())),
                listeners,
                None,
            )
        })
    }

    /// The port of the `index`th extra listener, in the order given at start.
    pub fn listener_port(&self, index: usize) -> u16 {
        self.extra[index].1
    }

    /// Mosquitto with its dynamic-security plugin configured by `config` (JSON), or `None`
    /// like [`TestBroker::mosquitto`]. The plugin is how mosquitto refuses a subscription
    /// with a reason code: its plain ACL file grants every SUBSCRIBE and filters delivery.
    pub fn mosquitto_with_dynsec(config: &str) -> Option<TestBroker> {
        if !mosquitto_available() {
            return None;
        }
        assert!(
            dynsec_plugin_path().is_some(),
            "mosquitto is installed but its dynamic-security plugin (mosquitto_dynamic_security.so) \
             was not found in {DYNSEC_PLUGIN_DIRS:?}"
        );
        Some(TestBroker::start_with(
            BrokerKind::Mosquitto,
            None,
            &[],
            Some(config.to_owned()),
        ))
    }

    /// Mosquitto with these lines added to its generated config (e.g. `max_packet_size
    /// 2048`), or `None` like [`TestBroker::mosquitto`].
    pub fn mosquitto_with_conf(extra_conf: &str) -> Option<TestBroker> {
        if !mosquitto_available() {
            return None;
        }
        let mut broker = TestBroker::start(BrokerKind::Mosquitto);
        broker.extra_conf = format!("{}\n", extra_conf.trim_end());
        broker.restart();
        Some(broker)
    }

    /// The embedded broker logging with this `RUST_LOG` filter (e.g. `rumqttd=info`), so a
    /// test can read what rumqttd did in [`TestBroker::log`].
    pub fn embedded_logging(filter: &str) -> TestBroker {
        let mut broker = TestBroker::embedded();
        broker.log_filter = Some(filter.to_owned());
        broker.restart();
        broker
    }

    /// The user name and password this broker requires, if any.
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.credentials
            .as_ref()
            .map(|(user, password)| (user.as_str(), password.as_str()))
    }

    pub fn kind(&self) -> BrokerKind {
        self.kind
    }

    /// "embedded" or "mosquitto", for assertion messages.
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn host(&self) -> &'static str {
        HOST
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("mqtt://{HOST}:{}", self.port)
    }

    /// rumqttc options for this broker with a payload limit as large as the app's
    /// (rumqttc's default of 10 KiB would kill the connection on a camera frame).
    pub fn client_options(&self, client_id: &str) -> rumqttc::MqttOptions {
        let mut options = rumqttc::MqttOptions::new(client_id, HOST, self.port);
        let max_packet_bytes = MAX_PAYLOAD_BYTES + 128 * 1024;
        options
            .set_max_packet_size(max_packet_bytes, max_packet_bytes)
            .set_keep_alive(Duration::from_secs(30));
        options
    }

    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Sends a signal (`STOP`, `CONT`, …) to the broker process with `kill(1)`.
    pub fn signal(&self, name: &str) {
        let pid = self.child.as_ref().expect("broker is running").id();
        let status = Command::new("kill")
            .args([format!("-{name}"), pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} {pid} failed");
    }

    /// Kills the broker (as a crash or power cut would) and waits until it is gone.
    /// Its port stays reserved for [`TestBroker::restart`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if self.kind == BrokerKind::RabbitMq {
                rabbitmq::kill_group(child.id());
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the broker if it runs, then starts it again on the same port. The brokers
    /// keep nothing across a restart (no persistence), retained messages included.
    pub fn restart(&mut self) {
        self.stop();
        // The port can be briefly busy after a kill; retry within the ready timeout.
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match self.spawn_and_wait() {
                Ok(()) => return,
                Err(failure) if Instant::now() >= deadline => panic!("restart: {failure}"),
                Err(_) => thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Everything the broker wrote to stdout and stderr so far.
    pub fn log(&self) -> String {
        fs::read(self.log_path())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("broker.log")
    }

    /// Spawns the child and waits until it answers an MQTT CONNECT. On failure the child
    /// is gone and the error explains why, with its output.
    fn spawn_and_wait(&mut self) -> Result<(), String> {
        let mut command = match self.kind {
            BrokerKind::Embedded => {
                let mut command = Command::new(env!("CARGO_BIN_EXE_topicscope"));
                command.args(["broker", "--bind", &format!("{HOST}:{}", self.port)]);
                for (listener, port) in &self.extra {
                    assert!(
                        listener.websockets && listener.tls.is_none(),
                        "the embedded broker has plain WebSocket listeners only"
                    );
                    command.args(["--ws-bind", &format!("{HOST}:{port}")]);
                }
                if let Some(filter) = &self.log_filter {
                    command.env("RUST_LOG", filter);
                }
                command
            }
            BrokerKind::Mosquitto => {
                let conf = self.write_mosquitto_conf();
                let mut command = Command::new(mosquitto_path().expect("mosquitto is installed"));
                command.arg("-c").arg(conf);
                command
            }
            BrokerKind::RabbitMq => {
                let (amqp, dist) = (free_port(), free_port());
                rabbitmq::command(self.dir.path(), self.port, amqp, dist)
            }
        };
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open the broker log");
        let log_err = log.try_clone().expect("clone the broker log handle");
        command.stdin(Stdio::null()).stdout(log).stderr(log_err);
        let child = command
            .spawn()
            .map_err(|e| format!("cannot spawn the {} broker: {e}", self.kind_name()))?;
        self.child = Some(child);

        let deadline = Instant::now() + self.kind.ready_timeout();
        loop {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                self.child = None;
                return Err(self.failure(&format!("exited early ({status})")));
            }
            let outcome = mqtt_handshake_as(self.addr(), self.credentials(), Duration::from_millis(500));
            if outcome.is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                self.stop();
                let why = outcome.err().map(|e| e.to_string()).unwrap_or_default();
                return Err(self.failure(&format!(
                    "did not answer an MQTT CONNECT within {:?} ({why})",
                    self.kind.ready_timeout()
                )));
            }
            thread::sleep(Duration::from_millis(25));
        }
    }

    fn failure(&self, what: &str) -> String {
        let hint = match self.kind {
            BrokerKind::Embedded => "is the `topicscope broker --bind ADDR:PORT` subcommand wired?".to_owned(),
            BrokerKind::Mosquitto => format!(
                "generated mosquitto.conf:\n{}",
                fs::read_to_string(self.dir.path().join("mosquitto.conf")).unwrap_or_default()
            ),
            BrokerKind::RabbitMq => format!("its logs are in {}", self.dir.path().join("log").display()),
        };
        format!(
            "the {} test broker on {} {what}; {hint}\n--- broker output (tail) ---\n{}",
            self.kind_name(),
            self.url(),
            tail(&self.log(), 4000)
        )
    }

    fn write_mosquitto_conf(&self) -> PathBuf {
        let path = self.dir.path().join("mosquitto.conf");
        let auth = match &self.credentials {
            None => "allow_anonymous true\n".to_owned(),
            Some((user, password)) => {
                let file = self.dir.path().join("passwords");
                let mut command = Command::new(
                    find_program("mosquitto_passwd", &["/usr/sbin"])
                        .expect("mosquitto_passwd (from the mosquitto package) is installed"),
                );
                command.arg("-b").arg("-c").arg(&file).args([user, password]);
                let status = command
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .map(|mut child| wait_bounded(&mut child, READY_TIMEOUT))
                    .expect("run mosquitto_passwd");
                assert!(status.is_some_and(|s| s.success()), "mosquitto_passwd failed");
                format!("allow_anonymous false\npassword_file {}\n", file.display())
            }
        };
        let plugin = match &self.dynsec {
            None => String::new(),
            Some(json) => {
                let file = self.dir.path().join("dynamic-security.json");
                fs::write(&file, json).expect("write the dynamic-security configuration");
                let so = dynsec_plugin_path().expect("the dynamic-security plugin is installed");
                format!("plugin {}\nplugin_opt_config_file {}\n", so.display(), file.display())
            }
        };
        // No limits that would hide a bug in the explorer: any packet size, deep queues
        // (a QoS 1 `#` subscription must receive every retained message), no persistence
        // so a restart starts empty like the embedded broker does. `user root` keeps a
        // broker started by root (CI) from switching to a user that cannot read the
        // temporary directory; it has no effect for anyone else.
        let conf = format!(
            "listener {port} {HOST}\n\
             {auth}\
             {plugin}\
             user root\n\
             persistence false\n\
             message_size_limit 0\n\
             max_queued_messages 100000\n\
             max_queued_bytes 0\n\
             set_tcp_nodelay true\n\
             log_dest stderr\n\
             log_type error\n\
             log_type warning\n\
             log_type notice\n\
             log_type information\n\
             log_timestamp_format %H:%M:%S\n",
            port = self.port
        );
        let extra: String = self
            .extra
            .iter()
            .map(|(listener, port)| listener.mosquitto_conf(*port))
            .collect();
        fs::write(&path, conf + &self.extra_conf + &extra).expect("write mosquitto.conf");
        path
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every broker available here: the embedded one, then mosquitto when installed.
pub fn brokers() -> Vec<TestBroker> {
    let mut all = vec![TestBroker::embedded()];
    all.extend(TestBroker::mosquitto());
    all
}

/// True when mosquitto is installed. When it is not: panics if
/// `TOPICSCOPE_REQUIRE_MOSQUITTO=1`, otherwise prints a note once (past the test harness's
/// output capture, so it is seen) and returns false.
pub fn mosquitto_available() -> bool {
    if mosquitto_path().is_some() {
        return true;
    }
    let required = std::env::var("TOPICSCOPE_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "TOPICSCOPE_REQUIRE_MOSQUITTO=1 but `mosquitto` is not installed \
         (searched PATH, /usr/sbin, /usr/local/sbin); install it (apt-get install mosquitto)"
    );
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        let _ = writeln!(
            io::stderr(),
            "note: mosquitto not found: running against the embedded broker only"
        );
    });
    false
}

/// Where distributions put mosquitto's dynamic-security plugin.
const DYNSEC_PLUGIN_DIRS: [&str; 5] = [
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib/mosquitto",
    "/usr/lib64/mosquitto",
    "/usr/local/lib",
];

fn dynsec_plugin_path() -> Option<PathBuf> {
    DYNSEC_PLUGIN_DIRS
        .iter()
        .map(|dir| Path::new(dir).join("mosquitto_dynamic_security.so"))
        .find(|candidate| candidate.is_file())
}

/// Debian installs the broker in /usr/sbin, which a normal user's PATH may lack.
pub fn mosquitto_path() -> Option<PathBuf> {
    find_program("mosquitto", &["/usr/sbin", "/usr/local/sbin"])
}

fn find_program(name: &str, extra_dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra_dirs.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A port that was free a moment ago on 127.0.0.1.
///
/// Never the same port twice in one test process: tests run in parallel, and the kernel
/// readily hands a just-closed port out again, so two fixtures could be given one port
/// (one broker then answers for both, and stopping one "kills" the other's broker; CI saw
/// `Connection refused` that way). A stopped broker keeps its port for its restart too.
pub fn free_port() -> u16 {
    static HANDED_OUT: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // Hold every refused listener open until a fresh port comes, so the kernel cannot
    // offer the same one again in this loop.
    let mut refused = Vec::new();
    loop {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        if !handed_out.contains(&port) {
            handed_out.push(port);
            return port;
        }
        refused.push(listener);
        assert!(refused.len() < 10_000, "no fresh local port left");
    }
}

/// Sends an MQTT 3.1.1 clean-session CONNECT, expects an accepting CONNACK, disconnects.
/// Proves an MQTT broker (not just any listener) is up.
pub fn mqtt_handshake(addr: SocketAddr, timeout: Duration) -> io::Result<()> {
    mqtt_handshake_as(addr, None, timeout)
}

/// [`mqtt_handshake`] with a user name and password.
pub fn mqtt_handshake_as(addr: SocketAddr, credentials: Option<(&str, &str)>, timeout: Duration) -> io::Result<()> {
    static PROBES: AtomicU32 = AtomicU32::new(0);
    // rumqttd ignores client ids containing `+$#/` and replaces a connection whose id is
    // reused, hence a plain unique id.
    let client_id = format!(
        "fixture-probe-{}-{}",
        std::process::id(),
        PROBES.fetch_add(1, Ordering::Relaxed)
    );
    // Clean session, plus the user name and password flags when logging in.
    let flags = if credentials.is_some() { 0xC2 } else { 0x02 };
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 30];
    let mut field = |text: &str| {
        body.extend_from_slice(&(text.len() as u16).to_be_bytes());
        body.extend_from_slice(text.as_bytes());
    };
    field(&client_id);
    if let Some((user, password)) = credentials {
        field(user);
        field(password);
    }
    let mut packet = vec![0x10];
    let mut remaining = body.len();
    loop {
        let byte = (remaining % 128) as u8;
        remaining /= 128;
        packet.push(if remaining > 0 { byte | 0x80 } else { byte });
        if remaining == 0 {
            break;
        }
    }
    packet.extend_from_slice(&body);

    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(&packet)?;
    let mut connack = [0u8; 4];
    stream.read_exact(&mut connack)?;
    if connack[..2] != [0x20, 0x02] || connack[3] != 0 {
        return Err(io::Error::other(format!("unexpected CONNACK {connack:02x?}")));
    }
    stream.write_all(&[0xE0, 0x00])
}

fn tail(text: &str, max_chars: usize) -> &str {
    let count = text.chars().count();
    match text.char_indices().nth(count.saturating_sub(max_chars)) {
        Some((start, _)) => &text[start..],
        None => text,
    }
}

/// One message from tests/data/esp32_payloads.jsonl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusEntry {
    pub topic: String,
    pub payload: Vec<u8>,
    pub retain: bool,
    pub qos: u8,
    pub note: String,
}

/// The ESP32 payload corpus: real-world shapes plus edge cases (binary, invalid UTF-8,
/// images, empty payloads, odd topics).
pub fn corpus() -> Vec<CorpusEntry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/esp32_payloads.jsonl");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read the corpus {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            parse_corpus_line(line).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), index + 1))
        })
        .collect()
}

fn parse_corpus_line(line: &str) -> Result<CorpusEntry, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let text = |key: &str| value.get(key).and_then(|v| v.as_str());
    let payload = match (text("payload"), text("payload_b64")) {
        (Some(payload), _) => payload.as_bytes().to_vec(),
        (None, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("payload_b64: {e}"))?,
        (None, None) => return Err("neither `payload` nor `payload_b64`".into()),
    };
    Ok(CorpusEntry {
        topic: text("topic").ok_or("no `topic`")?.to_owned(),
        payload,
        retain: value.get("retain").and_then(|v| v.as_bool()).unwrap_or(false),
        qos: value
            .get("qos")
            .and_then(|v| v.as_u64())
            .and_then(|q| u8::try_from(q).ok())
            .filter(|q| *q <= 2)
            .ok_or("`qos` must be 0, 1 or 2")?,
        note: text("note").unwrap_or_default().to_owned(),
    })
}

/// True when `mosquitto_pub` and `mosquitto_sub` are installed.
pub fn mosquitto_clients_available() -> bool {
    find_program("mosquitto_pub", &[]).is_some() && find_program("mosquitto_sub", &[]).is_some()
}

/// Publishes one message with `mosquitto_pub` (binary-safe: the payload goes via stdin).
/// Panics if the client is missing or fails.
pub fn mosquitto_pub(broker: &TestBroker, topic: &str, payload: &[u8], qos: u8, retain: bool) {
    let mut command = Command::new("mosquitto_pub");
    command.args(["-h", HOST, "-p", &broker.port().to_string()]);
    command.args(["-t", topic, "-q", &qos.to_string(), "-s"]);
    if retain {
        command.arg("-r");
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mosquitto_pub (is mosquitto-clients installed?)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(payload)
        .expect("write the payload to mosquitto_pub");
    let status = wait_bounded(&mut child, READY_TIMEOUT);
    assert!(
        status.is_some_and(|s| s.success()),
        "mosquitto_pub to {} ({}) failed: {status:?}",
        broker.url(),
        broker.kind_name()
    );
}

/// Runs `mosquitto_pub` with these extra arguments (e.g. `-V mqttv5 -D publish …`) and
/// panics unless it succeeds.
pub fn mosquitto_pub_with(broker: &TestBroker, args: &[&str]) {
    let mut child = Command::new("mosquitto_pub")
        .args(["-h", HOST, "-p", &broker.port().to_string()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn mosquitto_pub (is mosquitto-clients installed?)");
    let status = wait_bounded(&mut child, READY_TIMEOUT);
    assert!(
        status.is_some_and(|s| s.success()),
        "mosquitto_pub {args:?} to {} failed: {status:?}",
        broker.url()
    );
}

/// A running `mosquitto_sub`; collect what it received with [`MosquittoSub::finish`].
#[derive(Debug)]
pub struct MosquittoSub {
    child: Child,
    dir: TempDir,
    timeout: Duration,
}

/// Starts `mosquitto_sub` on `filter` at `qos`; it exits after `count` messages or after
/// `timeout`. There is no signal for "subscribed": give it a moment before publishing.
pub fn mosquitto_sub_start(
    broker: &TestBroker,
    filter: &str,
    qos: u8,
    count: usize,
    timeout: Duration,
) -> MosquittoSub {
    let dir = tempfile::tempdir().expect("temporary directory for mosquitto_sub");
    let out = File::create(dir.path().join("out")).expect("create mosquitto_sub output file");
    let seconds = timeout.as_secs().max(1).to_string();
    let child = Command::new("mosquitto_sub")
        .args(["-h", HOST, "-p", &broker.port().to_string()])
        .args(["-t", filter, "-q", &qos.to_string()])
        .args(["-C", &count.to_string(), "-W", &seconds])
        // Topic, a tab, the payload in hex: binary-safe and unambiguous.
        .args(["-F", "%t\t%x"])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn mosquitto_sub (is mosquitto-clients installed?)");
    MosquittoSub { child, dir, timeout }
}

impl MosquittoSub {
    /// Waits for the subscriber to exit (bounded) and returns `(topic, payload)` pairs.
    pub fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        wait_bounded(&mut self.child, self.timeout + Duration::from_secs(5));
        let text = fs::read_to_string(self.dir.path().join("out")).unwrap_or_default();
        text.lines()
            .filter_map(|line| line.rsplit_once('\t'))
            .map(|(topic, hex)| (topic.to_owned(), decode_hex(hex)))
            .collect()
    }
}

/// `mosquitto_sub_start` + `finish`.
pub fn mosquitto_sub(
    broker: &TestBroker,
    filter: &str,
    qos: u8,
    count: usize,
    timeout: Duration,
) -> Vec<(String, Vec<u8>)> {
    mosquitto_sub_start(broker, filter, qos, count, timeout).finish()
}

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// Waits up to `timeout` for the child, killing it past that. `None` if it was killed.
fn wait_bounded(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}
