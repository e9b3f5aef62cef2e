//! A scripted fake MQTT broker on 127.0.0.1 for the malformed and hostile cases no real
//! broker produces on demand: a tiny Maximum Packet Size, a 256 MB remaining length, an
//! undefined topic alias, the short form of an MQTT 5 DISCONNECT, an MQTT 3.1.1 refusal
//! of an MQTT 5 CONNECT, a connection dropped right after the CONNACK.
//!
//! Each accepted connection runs the test's script on its own thread with the number of
//! the connection (0 for the first), so a script can misbehave once and then behave.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// What a script does with one connection.
pub type Script = dyn Fn(&mut Peer, usize) -> io::Result<()> + Send + Sync;

/// The fake broker; stops accepting when dropped.
pub struct FakeBroker {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FakeBroker {
    /// Listens on a free 127.0.0.1 port and runs `script` for every connection.
    pub fn start(script: impl Fn(&mut Peer, usize) -> io::Result<()> + Send + Sync + 'static) -> FakeBroker {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fake broker");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("fake broker address");
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let (count, stopped) = (connections.clone(), stop.clone());
        thread::Builder::new()
            .name("fake-broker".into())
            .spawn(move || {
                while !stopped.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let n = count.fetch_add(1, Ordering::SeqCst);
                            let script = script.clone();
                            thread::spawn(move || {
                                let _ = stream.set_nonblocking(false);
                                let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
                                let mut peer = Peer { stream, version: 4 };
                                let _ = script(&mut peer, n);
                            });
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
            .expect("spawn the fake broker");
        FakeBroker {
            addr,
            connections,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FakeBroker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// One client connection, seen from the broker.
pub struct Peer {
    stream: TcpStream,
    /// The protocol level of the client's CONNECT: 4 (MQTT 3.1.1) or 5.
    pub version: u8,
}

/// MQTT packet types (the high nibble of the first byte).
pub const CONNECT: u8 = 1;
pub const PUBLISH: u8 = 3;
pub const SUBSCRIBE: u8 = 8;
pub const PINGREQ: u8 = 12;
pub const DISCONNECT: u8 = 14;

impl Peer {
    /// The next packet: its first byte and its body (after the remaining length).
    pub fn read_packet(&mut self) -> io::Result<(u8, Vec<u8>)> {
        let mut first = [0u8; 1];
        self.stream.read_exact(&mut first)?;
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let mut b = [0u8; 1];
            self.stream.read_exact(&mut b)?;
            len |= usize::from(b[0] & 0x7f) << shift;
            if b[0] & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body)?;
        Ok((first[0], body))
    }

    /// Reads the CONNECT and notes its protocol version.
    pub fn read_connect(&mut self) -> io::Result<()> {
        let (first, body) = self.read_packet()?;
        if first >> 4 != CONNECT {
            return Err(io::Error::other("expected CONNECT"));
        }
        // Protocol name (2-byte length + "MQTT"), then the level.
        self.version = body.get(6).copied().unwrap_or(4);
        Ok(())
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Accepts the connection (no session present, no properties).
    pub fn connack(&mut self) -> io::Result<()> {
        if self.version == 5 {
            self.write(&[0x20, 0x03, 0x00, 0x00, 0x00])
        } else {
            self.write(&[0x20, 0x02, 0x00, 0x00])
        }
    }

    /// Accepts an MQTT 5 connection stating a Maximum Packet Size (property 0x27).
    pub fn connack_with_max_packet_size(&mut self, max: u32) -> io::Result<()> {
        let m = max.to_be_bytes();
        self.write(&[0x20, 0x08, 0x00, 0x00, 0x05, 0x27, m[0], m[1], m[2], m[3]])
    }

    /// Answers until the client hangs up or `limit` passes: SUBSCRIBE with a SUBACK
    /// granting QoS 0, PINGREQ with PINGRESP, a QoS 1 PUBLISH with a PUBACK. Returns the
    /// packet types received.
    pub fn serve(&mut self, limit: Duration) -> io::Result<Vec<u8>> {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            // A read cut by the timeout can only happen at the deadline, where it ends.
            self.stream.set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
            let Ok((first, body)) = self.read_packet() else { break };
            seen.push(first >> 4);
            match first >> 4 {
                SUBSCRIBE => self.suback(&body)?,
                PINGREQ => self.write(&[0xd0, 0x00])?,
                PUBLISH if (first >> 1) & 0x03 == 1 => {
                    let topic_len = usize::from(u16::from_be_bytes([body[0], body[1]]));
                    let pkid = [body[2 + topic_len], body[3 + topic_len]];
                    self.write(&[0x40, 0x02, pkid[0], pkid[1]])?;
                }
                DISCONNECT => break,
                _ => {}
            }
        }
        Ok(seen)
    }

    /// Answers one SUBSCRIBE (its body) granting QoS 0.
    pub fn suback(&mut self, body: &[u8]) -> io::Result<()> {
        let (a, b) = (body[0], body[1]);
        if self.version == 5 {
            self.write(&[0x90, 0x04, a, b, 0x00, 0x00])
        } else {
            self.write(&[0x90, 0x03, a, b, 0x00])
        }
    }

    /// Reads packets until a SUBSCRIBE, answers it and returns.
    pub fn until_subscribed(&mut self) -> io::Result<()> {
        loop {
            let (first, body) = self.read_packet()?;
            if first >> 4 == SUBSCRIBE {
                return self.suback(&body);
            }
        }
    }

    /// A QoS 0 PUBLISH of `payload` to `topic` in this connection's protocol version.
    pub fn publish(&mut self, topic: &str, payload: &[u8]) -> io::Result<()> {
        let mut body = Vec::new();
        body.extend_from_slice(&(topic.len() as u16).to_be_bytes());
        body.extend_from_slice(topic.as_bytes());
        if self.version == 5 {
            body.push(0x00); // no properties
        }
        body.extend_from_slice(payload);
        let mut packet = vec![0x30];
        let mut len = body.len();
        loop {
            let mut byte = (len % 128) as u8;
            len /= 128;
            if len > 0 {
                byte |= 0x80;
            }
            packet.push(byte);
            if len == 0 {
                break;
            }
        }
        packet.extend_from_slice(&body);
        self.write(&packet)
    }

    /// Waits until the client closes the connection (or `limit` passes).
    pub fn until_closed(&mut self, limit: Duration) {
        let _ = self.stream.set_read_timeout(Some(limit));
        let mut buf = [0u8; 1024];
        while matches!(self.stream.read(&mut buf), Ok(n) if n > 0) {}
    }
}
