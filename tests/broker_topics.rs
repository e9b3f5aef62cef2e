//! The embedded broker (`topicscope::broker::serve`, the front before rumqttd) routes
//! topics in any script: rumqttd 0.20 alone panics its router on a topic whose first
//! character is not ASCII and so stops serving everyone. Raw MQTT 3.1.1 and 5 clients
//! publish Chinese, Japanese and Korean topics (retained and live) and a last will, and
//! subscribers with `家/#`, `+/客厅/温度` and `#` get every one with its exact topic.

#![cfg(feature = "broker")]

use std::collections::BTreeSet;
use std::io::{self, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

/// A minimal blocking MQTT client that speaks raw packets, so the test controls every byte.
struct Raw {
    stream: TcpStream,
    v5: bool,
}

fn string(s: &[u8]) -> Vec<u8> {
    let mut out = u16::try_from(s.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(s);
    out
}

fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    let mut len = body.len();
    loop {
        let byte = (len % 128) as u8;
        len /= 128;
        out.push(if len > 0 { byte | 0x80 } else { byte });
        if len == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

/// A PUBLISH as delivered: topic, payload, retain flag.
type Delivered = (String, String, bool);

impl Raw {
    fn connect(addr: SocketAddr, id: &str, v5: bool) -> Raw {
        Self::connect_with_will(addr, id, v5, None)
    }

    fn connect_with_will(addr: SocketAddr, id: &str, v5: bool, will: Option<(&str, &str)>) -> Raw {
        let stream = TcpStream::connect(addr).expect("connect to the front");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut body = string(b"MQTT");
        body.push(if v5 { 5 } else { 4 });
        body.push(0x02 | if will.is_some() { 0x04 } else { 0 });
        body.extend([0, 60]);
        if v5 {
            body.push(0); // no properties
        }
        body.extend(string(id.as_bytes()));
        if let Some((topic, payload)) = will {
            if v5 {
                body.push(0); // no will properties
            }
            body.extend(string(topic.as_bytes()));
            body.extend(string(payload.as_bytes()));
        }
        let mut raw = Raw { stream, v5 };
        raw.send(&packet(0x10, &body));
        let (first, connack) = raw.read().expect("a CONNACK");
        assert_eq!((first, connack[1]), (0x20, 0), "{id}: CONNACK {connack:?}");
        raw
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write to the front");
    }

    /// One packet: its first byte and body.
    fn read(&mut self) -> io::Result<(u8, Vec<u8>)> {
        let mut first = [0u8; 1];
        self.stream.read_exact(&mut first)?;
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let mut b = [0u8; 1];
            self.stream.read_exact(&mut b)?;
            len |= usize::from(b[0] & 0x7f) << shift;
            shift += 7;
            if b[0] & 0x80 == 0 {
                break;
            }
        }
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body)?;
        Ok((first[0], body))
    }

    fn subscribe(&mut self, filter: &str) {
        let mut body = vec![0, 1];
        if self.v5 {
            body.push(0);
        }
        body.extend(string(filter.as_bytes()));
        body.push(0); // QoS 0
        self.send(&packet(0x82, &body));
        let (first, suback) = self.read().expect("a SUBACK");
        assert_eq!(first, 0x90, "{filter}: {suback:?}");
        assert_eq!(*suback.last().unwrap(), 0, "{filter} refused: {suback:?}");
    }

    fn publish(&mut self, topic: &str, payload: &str, retain: bool) {
        let mut body = string(topic.as_bytes());
        if self.v5 {
            body.push(0);
        }
        body.extend_from_slice(payload.as_bytes());
        self.send(&packet(0x30 | u8::from(retain), &body));
    }

    /// PUBLISHes until `count` arrived (or the wait ran out), then any extra in 300 ms.
    fn collect(&mut self, count: usize) -> BTreeSet<Delivered> {
        let mut got = Vec::new();
        let deadline = Instant::now() + WAIT;
        while got.len() < count && Instant::now() < deadline {
            if let Ok(p) = self.read() {
                got.extend(self.delivered(p));
            }
        }
        self.stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
        while let Ok(p) = self.read() {
            got.extend(self.delivered(p));
        }
        self.stream.set_read_timeout(Some(WAIT)).unwrap();
        let set: BTreeSet<Delivered> = got.iter().cloned().collect();
        assert_eq!(set.len(), got.len(), "duplicates: {got:?}");
        set
    }

    fn delivered(&self, (first, body): (u8, Vec<u8>)) -> Option<Delivered> {
        if first >> 4 != 3 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([body[0], body[1]]));
        let topic = String::from_utf8(body[2..2 + len].to_vec()).expect("a UTF-8 topic");
        let mut at = 2 + len;
        if first & 0x06 != 0 {
            at += 2; // packet id
        }
        if self.v5 {
            at += 1 + usize::from(body[at]); // short properties only
        }
        let payload = String::from_utf8(body[at..].to_vec()).unwrap();
        Some((topic, payload, first & 1 == 1))
    }
}

fn d(topic: &str, payload: &str, retain: bool) -> Delivered {
    (topic.to_owned(), payload.to_owned(), retain)
}

/// The broker still routes: a fresh client gets its own message back.
fn assert_alive(addr: SocketAddr, v5: bool) {
    let mut c = Raw::connect(addr, &format!("alive-check-{v5}"), v5);
    c.subscribe("alive/check");
    c.publish("alive/check", "yes", false);
    assert_eq!(c.collect(1), BTreeSet::from([d("alive/check", "yes", false)]));
}

#[test]
fn non_ascii_topics_reach_every_matching_filter_exactly_over_311_and_5() {
    let served = topicscope::broker::serve(SocketAddr::from(([127, 0, 0, 1], 0)), None).expect("serve");
    let addr = served.addr();
    let mut retainer = Raw::connect(addr, "retainer", false);
    retainer.publish("家/客厅/温度", "21.0", true);
    retainer.publish("日本/温度", "18.0", true);
    // The retained messages are stored once the broker answers something after them.
    retainer.subscribe("sync/retainer");

    let filters = ["家/#", "+/客厅/温度", "#"];
    let mut subscribers = Vec::new();
    for v5 in [false, true] {
        for (i, filter) in filters.iter().enumerate() {
            let mut s = Raw::connect(addr, &format!("sub-{v5}-{i}"), v5);
            s.subscribe(filter);
            subscribers.push((v5, *filter, s));
        }
    }
    let mut pub4 = Raw::connect(addr, "pub-311", false);
    let mut pub5 = Raw::connect(addr, "pub-5", true);
    pub5.publish("家/客厅/温度", "23.5", false);
    pub4.publish("日本/温度", "18.5", false);
    pub5.publish("한국/온도", "19.5", false);
    pub4.publish("plain/ascii", "1", false);
    // A topic starting with the front's marker byte is escaped, not taken for a marked one.
    pub4.publish("\u{1f}marked", "2", false);
    // A last will with a Chinese topic: rumqttd publishes it through the same matching.
    let will = Raw::connect_with_will(addr, "esp32-客厅", false, Some(("家/状态", "offline")));
    drop(will); // no DISCONNECT: the will fires

    for (v5, filter, s) in &mut subscribers {
        let mut want = BTreeSet::from([d("家/客厅/温度", "21.0", true), d("家/客厅/温度", "23.5", false)]);
        match *filter {
            "家/#" => {
                want.insert(d("家/状态", "offline", false));
            }
            "#" => want.extend([
                d("日本/温度", "18.0", true),
                d("日本/温度", "18.5", false),
                d("한국/온도", "19.5", false),
                d("plain/ascii", "1", false),
                d("\u{1f}marked", "2", false),
                d("家/状态", "offline", false),
            ]),
            _ => {}
        }
        let got = s.collect(want.len());
        assert_eq!(got, want, "{filter} over MQTT {}", if *v5 { "5" } else { "3.1.1" });
    }

    // Unsubscribing a non-ASCII filter works too: nothing more arrives on it.
    let (_, _, s) = &mut subscribers[0];
    let mut body = vec![0, 2];
    body.extend(string("家/#".as_bytes()));
    s.send(&packet(0xa2, &body));
    assert_eq!(s.read().expect("an UNSUBACK").0, 0xb0);
    pub4.publish("家/客厅/温度", "24.0", false);
    assert_eq!(s.collect(0), BTreeSet::new(), "家/# still subscribed");

    assert_alive(addr, false);
    assert_alive(addr, true);
}

#[test]
fn a_dollar_sys_subscription_is_granted_and_the_connection_stays_over_311_and_5() {
    let served = topicscope::broker::serve(SocketAddr::from(([127, 0, 0, 1], 0)), None).expect("serve");
    let addr = served.addr();
    for v5 in [false, true] {
        let mut s = Raw::connect(addr, &format!("explorer-{v5}"), v5);
        // rumqttd alone ends the connection here (a `$` filter it does not route).
        s.subscribe("$SYS/#");
        s.subscribe("fleet/#");
        let mut p = Raw::connect(addr, &format!("board-{v5}"), v5);
        p.publish("fleet/esp32-01/temp", "21.5", false);
        assert_eq!(
            s.collect(1),
            BTreeSet::from([d("fleet/esp32-01/temp", "21.5", false)]),
            "the explorer still gets the fleet after asking for $SYS/# (MQTT {})",
            if v5 { "5" } else { "3.1.1" }
        );
        // Unsubscribing it is answered too, and the connection still routes.
        let mut body = vec![0, 2];
        if v5 {
            body.push(0);
        }
        body.extend(string(b"$SYS/#"));
        s.send(&packet(0xa2, &body));
        assert_eq!(s.read().expect("an UNSUBACK").0, 0xb0);
        p.publish("fleet/esp32-01/temp", "21.6", false);
        assert_eq!(s.collect(1), BTreeSet::from([d("fleet/esp32-01/temp", "21.6", false)]));
    }
    assert_alive(addr, false);
    assert_alive(addr, true);
}

/// A plain byte copy both ways, as the front was before it framed packets.
fn copy_proxy(upstream: SocketAddr) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let broker = TcpStream::connect(upstream).unwrap();
            let _ = (client.set_nodelay(true), broker.set_nodelay(true));
            let (mut c2, mut b2) = (client.try_clone().unwrap(), broker.try_clone().unwrap());
            let (mut c, mut b) = (client, broker);
            std::thread::spawn(move || io::copy(&mut c, &mut b));
            std::thread::spawn(move || io::copy(&mut b2, &mut c2));
        }
    });
    addr
}

/// Messages per second from one publisher to one subscriber through `addr`.
fn throughput(addr: SocketAddr, v5: bool, topic: &str, count: usize, payload_bytes: usize) -> f64 {
    let mut sub = Raw::connect(addr, &format!("bench-sub-{}", addr.port()), v5);
    let filter = format!("{}/#", topic.split('/').next().unwrap());
    sub.subscribe(&filter);
    let mut publisher = Raw::connect(addr, &format!("bench-pub-{}", addr.port()), v5);
    let payload = "x".repeat(payload_bytes);
    let start = Instant::now();
    let reader = std::thread::spawn(move || {
        let mut got = 0;
        while got < count {
            match sub.read() {
                Ok((first, _)) if first >> 4 == 3 => got += 1,
                Ok(_) => {}
                Err(e) => panic!("after {got} of {count}: {e}"),
            }
        }
    });
    let mut batch = Vec::new();
    for i in 0..count {
        let mut body = string(topic.as_bytes());
        if v5 {
            body.push(0);
        }
        body.extend_from_slice(payload.as_bytes());
        batch.extend(packet(0x30, &body));
        if i % 64 == 63 || i + 1 == count {
            publisher.send(&batch);
            batch.clear();
        }
    }
    reader.join().expect("all messages arrived");
    count as f64 / start.elapsed().as_secs_f64()
}

/// `cargo test --test broker_topics -- --ignored --nocapture front_throughput`: rumqttd
/// alone, behind a plain copy (the front before topics were mapped), and behind the front
/// with ASCII and with Chinese topics, three rounds each. Figures in BENCHMARKS.md.
#[test]
#[ignore = "a measurement, not a check"]
fn front_throughput() {
    let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
    let alone = topicscope::broker::start_embedded(topicscope::broker::EmbeddedBrokerConfig::default()).unwrap();
    let copied = copy_proxy(alone.addr);
    let served = topicscope::broker::serve(loopback, None).unwrap();
    for (count, size) in [(100_000, 64), (2_000, 64 * 1024)].repeat(3) {
        let mut line = format!("front_throughput messages={count} payload_bytes={size}");
        for (name, addr, topic) in [
            ("rumqttd_alone", alone.addr, "bench/a/temperature"),
            ("plain_copy", copied, "bench/b/temperature"),
            ("front_ascii", served.addr(), "bench/c/temperature"),
            ("front_chinese", served.addr(), "家/客厅/温度"),
        ] {
            let rate = throughput(addr, false, topic, count, size);
            line += &format!(" {name}={rate:.0}/s");
        }
        println!("{line}");
    }
}
