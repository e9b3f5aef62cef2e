//! A throwaway mosquitto on 127.0.0.1 for the end-to-end benchmarks, and a minimal raw
//! MQTT 3.1.1 publisher that fills it as fast as the socket allows (no client library
//! in the way, so the fill is not what is being measured).

use std::io::{BufWriter, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::measure::free_port;

/// Finds a program on PATH or in the sbin directories Debian installs mosquitto into.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A mosquitto process, killed on drop.
pub struct Mosquitto {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Mosquitto {
    /// Starts mosquitto on a free loopback port and waits until it accepts connections.
    pub fn start() -> Result<Self, String> {
        Self::start_niced(0)
    }

    /// As [`Self::start`], at nice `nice` (0: as this process) through `nice(1)`.
    pub fn start_niced(nice: u8) -> Result<Self, String> {
        let program = find_program("mosquitto")
            .ok_or("this benchmark needs mosquitto (apt-get install mosquitto mosquitto-clients)")?;
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let dir = std::env::temp_dir().join(format!("topicscope-bench-mosquitto-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let conf = dir.join("mosquitto.conf");
        // Unlimited queues: the benchmark measures delivery, not the broker's shedding.
        let text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n\
             max_queued_bytes 0\nmax_inflight_messages 0\nsys_interval 0\nlog_type error\n{}",
            if super::measure::running_as_root() {
                "user root\n"
            } else {
                ""
            }
        );
        std::fs::write(&conf, text).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        let mut command = if nice == 0 {
            Command::new(program)
        } else {
            let mut c = Command::new("nice");
            c.arg("-n").arg(nice.to_string()).arg(program);
            c
        };
        let child = command
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start mosquitto: {e}"))?;
        let broker = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(broker.addr()).is_err() {
            if Instant::now() > deadline {
                return Err(format!("mosquitto did not listen on port {port} within 10 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(broker)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn config_dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A raw MQTT 3.1.1 connection for publishing.
pub struct RawPublisher {
    out: BufWriter<TcpStream>,
    input: TcpStream,
}

impl RawPublisher {
    pub fn connect(addr: SocketAddr, client_id: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let input = stream.try_clone()?;
        let mut publisher = Self {
            out: BufWriter::with_capacity(256 * 1024, stream),
            input,
        };
        let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60];
        put_str(&mut body, client_id.as_bytes());
        publisher.packet(0x10, &body)?;
        publisher.out.flush()?;
        let mut connack = [0u8; 4];
        publisher.input.read_exact(&mut connack)?;
        if connack[0] != 0x20 || connack[3] != 0 {
            return Err(std::io::Error::other(format!("connection refused: {connack:?}")));
        }
        Ok(publisher)
    }

    fn packet(&mut self, header: u8, body: &[u8]) -> std::io::Result<()> {
        let mut head = vec![header];
        let mut len = body.len();
        loop {
            let mut byte = (len % 128) as u8;
            len /= 128;
            if len > 0 {
                byte |= 0x80;
            }
            head.push(byte);
            if len == 0 {
                break;
            }
        }
        self.out.write_all(&head)?;
        self.out.write_all(body)
    }

    /// Queues a QoS 0 publish.
    pub fn publish(&mut self, topic: &str, payload: &[u8], retain: bool) -> std::io::Result<()> {
        let mut body = Vec::with_capacity(2 + topic.len() + payload.len());
        put_str(&mut body, topic.as_bytes());
        body.extend_from_slice(payload);
        self.packet(0x30 | u8::from(retain), &body)
    }

    /// Publishes at QoS 1 and waits for its PUBACK: the broker handles a connection's
    /// packets in order, so everything published before has been processed.
    pub fn sync(&mut self) -> std::io::Result<()> {
        let mut body = Vec::new();
        put_str(&mut body, b"topicscope-bench/sync");
        body.extend_from_slice(&[0, 1]);
        self.packet(0x32, &body)?;
        self.out.flush()?;
        let mut ack = [0u8; 4];
        self.input.read_exact(&mut ack)?;
        if ack[0] != 0x40 {
            return Err(std::io::Error::other(format!("expected PUBACK, got {ack:?}")));
        }
        Ok(())
    }

    pub fn disconnect(mut self) -> std::io::Result<()> {
        self.packet(0xE0, &[])?;
        self.out.flush()
    }
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    let len = u16::try_from(s.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&s[..usize::from(len)]);
}
