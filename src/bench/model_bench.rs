//! `topicscope bench model`: ingest rate into the tree + history, and what each topic and
//! each stored message costs in resident memory.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;

use super::measure::rss_bytes;
use crate::model::{Message, Model};

/// Payload size of the generated messages.
pub const PAYLOAD_BYTES: usize = 100;
/// Messages are generated (untimed) and ingested (timed) in chunks of this many.
const CHUNK: usize = 100_000;

/// The topic of the `i`th of `n` topics: a fleet of devices with up to 100 sensors each.
pub fn topic_name(i: usize) -> String {
    format!("fleet/dev{:05}/sensor{:02}", i / 100, i % 100)
}

/// A 100-byte JSON-looking payload that differs per message.
pub fn payload(i: usize) -> Bytes {
    let mut text = format!("{{\"seq\":{i},\"temperature\":{}.{},\"pad\":\"", 20 + i % 10, i % 7);
    while text.len() < PAYLOAD_BYTES - 2 {
        text.push('x');
    }
    text.push_str("\"}");
    // Copied to its exact size, as the worker copies every payload of up to 64 KiB
    // (`mqtt::protocol::own_payload`): the String's spare capacity (28 bytes here) is
    // not the model's to pay, and counting it inflated the per-message figures.
    Bytes::copy_from_slice(text.as_bytes())
}

/// The `i`th generated message on `topic`, received at `time` (one clock read per batch,
/// not per message: `Message::new` would read it each time).
pub fn message(topic: String, i: usize, time: SystemTime) -> Message {
    Message {
        topic,
        payload: payload(i),
        qos: 0,
        retain: false,
        time,
        properties: None,
    }
}

/// Order in which messages visit topics: a stride coprime with `n`, so consecutive
/// messages land on topics far apart (as a real flood does) but every topic is visited.
fn topic_order(n: usize) -> impl Fn(usize) -> usize {
    let stride = [7919usize, 104_729, 1_299_709]
        .into_iter()
        .find(|p| !n.is_multiple_of(*p))
        .unwrap_or(1);
    move |i| (i.wrapping_mul(stride)) % n
}

/// Ingest rate figures.
#[derive(Clone, Copy, Debug)]
pub struct IngestRate {
    /// Messages per second over the whole run (new topics and updates).
    pub msgs_per_sec: f64,
    /// Topics created per second during the first pass (every message a new topic).
    pub inserts_per_sec: f64,
}

/// Ingests `messages` messages spread over `topics` topics into a model with the default
/// budget; only the ingest is timed, not making the messages.
pub fn ingest_rate(topics: usize, messages: usize) -> IngestRate {
    let topics = topics.max(1);
    let order = topic_order(topics);
    let names: Vec<String> = (0..topics).map(topic_name).collect();
    let mut model = Model::default();
    let mut total = Duration::ZERO;
    let mut insert_time = Duration::ZERO;
    let mut done = 0;
    let now = SystemTime::now();
    while done < messages {
        let n = CHUNK.min(messages - done);
        let batch: Vec<Message> = (done..done + n)
            .map(|i| message(names[order(i)].clone(), i, now))
            .collect();
        let start = Instant::now();
        for msg in batch {
            model.ingest(msg);
        }
        let took = start.elapsed();
        total += took;
        if done < topics {
            // The share of this chunk that created topics.
            let new = (topics - done).min(n);
            insert_time += took.mul_f64(new as f64 / n as f64);
        }
        done += n;
    }
    std::hint::black_box(&model);
    IngestRate {
        msgs_per_sec: messages as f64 / total.as_secs_f64(),
        inserts_per_sec: topics.min(messages) as f64 / insert_time.as_secs_f64().max(1e-9),
    }
}

/// What keeping the current rates costs per message in the same flood: a standalone
/// replay of exactly the rate work of `TopicTree::record` (the time conversion, and one
/// update of both windows for the topic and each ancestor: 4 levels here) on one pair per node,
/// visited in the same scattered order, so cache misses count as they do in the tree.
/// Nanoseconds per message.
pub fn rate_cost_ns(topics: usize, messages: usize) -> f64 {
    use crate::model::rate::{MinuteWindow, RateWindow, Stamp, epoch_ms};
    let topics = topics.max(1);
    let order = topic_order(topics);
    // Node layout as the tree builds it: root, "fleet", one node per device, one per sensor.
    let devices = topics.div_ceil(100);
    let mut windows = vec![(RateWindow::default(), MinuteWindow::default()); 2 + devices + topics];
    let times: Vec<SystemTime> = (0..CHUNK)
        .map(|i| SystemTime::now() + Duration::from_micros(i as u64))
        .collect();
    let start = Instant::now();
    for i in 0..messages {
        let t = order(i);
        let at = epoch_ms(times[i % CHUNK]);
        let stamp = Stamp::of(at);
        for slot in [2 + devices + t, 2 + t / 100, 1, 0] {
            let (short, minute) = &mut windows[slot];
            short.add_in(stamp.short.0, stamp.short.1, PAYLOAD_BYTES as u64);
            minute.add_in(stamp.minute.0, stamp.minute.1, PAYLOAD_BYTES as u64);
        }
    }
    let took = start.elapsed();
    std::hint::black_box(&windows);
    took.as_nanos() as f64 / messages.max(1) as f64
}

/// Resident bytes per topic, each holding one 100-byte message, payload excluded.
pub fn bytes_per_topic(topics: usize) -> f64 {
    let mut model = Model::new(usize::MAX);
    let now = SystemTime::now();
    let before = rss_bytes();
    for i in 0..topics {
        model.ingest(message(topic_name(i), i, now));
    }
    let grown = rss_bytes().saturating_sub(before) as f64;
    std::hint::black_box(&model);
    grown / topics as f64 - PAYLOAD_BYTES as f64
}

/// Resident bytes per stored message beyond its 100-byte payload, over `topics` topics.
pub fn bytes_per_message(messages: usize, topics: usize) -> (f64, usize) {
    let mut model = Model::new(usize::MAX);
    let now = SystemTime::now();
    let names: Vec<String> = (0..topics).map(topic_name).collect();
    // Create the topics first so their cost is not counted.
    for (i, name) in names.iter().enumerate() {
        model.ingest(Message::new(name.clone(), payload(i), 0, false));
    }
    let before = rss_bytes();
    let order = topic_order(topics);
    for i in 0..messages {
        model.ingest(message(names[order(i)].clone(), i, now));
    }
    let grown = rss_bytes().saturating_sub(before) as f64;
    let stored = model.history().total_len();
    std::hint::black_box(&model);
    (grown / messages as f64 - PAYLOAD_BYTES as f64, stored)
}

/// Floods a model with a small budget and reports the highest history use seen.
pub fn budget_check(budget_bytes: usize, messages: usize, topics: usize) -> (usize, usize) {
    let mut model = Model::new(budget_bytes);
    let order = topic_order(topics);
    let names: Vec<String> = (0..topics).map(topic_name).collect();
    let mut peak = 0;
    for i in 0..messages {
        model.ingest(Message::new(names[order(i)].clone(), payload(i), 0, false));
        peak = peak.max(model.history().used_bytes());
    }
    (peak, model.history().total_len())
}

/// Which memory figure a fresh process measures (memory freed by an earlier
/// measurement stays in the allocator and would hide the growth of the next).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryProbe {
    Topics,
    Messages,
}

/// Measures one memory figure in this (fresh) process and prints it.
pub fn run_memory_probe(probe: MemoryProbe, count: usize) {
    match probe {
        MemoryProbe::Topics => println!("memory topics={count} bytes/topic={:.0}", bytes_per_topic(count)),
        MemoryProbe::Messages => {
            let (per_msg, stored) = bytes_per_message(count, 100);
            println!("memory messages={stored} bytes/message-overhead={per_msg:.0} payload={PAYLOAD_BYTES}");
        }
    }
}

/// Runs a memory probe in a child process of this program and passes its line through.
fn memory_in_child(probe: &str, count: usize) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let out = std::process::Command::new(exe)
        .args(["bench", "memory-probe", probe, "--count", &count.to_string()])
        .output()
        .map_err(|e| format!("cannot run the memory probe: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the memory probe failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    print!("{}", String::from_utf8_lossy(&out.stdout));
    Ok(())
}

/// Runs every model figure and prints them.
pub fn run(topics: usize, messages: usize) -> Result<(), String> {
    memory_in_child("topics", topics)?;
    memory_in_child("messages", messages)?;
    let one = ingest_rate(1, messages);
    println!("ingest topics=1 msgs/s={:.0}", one.msgs_per_sec);
    let many = ingest_rate(topics, messages.max(2 * topics));
    println!(
        "ingest topics={topics} msgs/s={:.0} inserts/s={:.0}",
        many.msgs_per_sec, many.inserts_per_sec
    );
    let flood = messages.max(2 * topics);
    let rate_ns = rate_cost_ns(topics, flood);
    let ingest_ns = 1e9 / many.msgs_per_sec;
    println!(
        "rates topics={topics} ns/msg={rate_ns:.1} share-of-ingest={:.1}%",
        100.0 * rate_ns / ingest_ns
    );
    let (plain_ns, fleet_ns) = super::devices_bench::run(topics, flood);
    println!(
        "devices topics={topics} plain-ns/msg={plain_ns:.1} fleet-ns/msg={fleet_ns:.1} share-of-ingest={:.1}%",
        100.0 * fleet_ns / ingest_ns
    );
    let budget = 16 * 1024 * 1024;
    let (peak, kept) = budget_check(budget, messages, 1000);
    println!(
        "budget budget={budget} peak-used={peak} kept-messages={kept} held={}",
        peak <= budget
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_exactly_100_bytes_and_distinct() {
        assert_eq!(payload(0).len(), PAYLOAD_BYTES);
        assert_eq!(payload(123_456).len(), PAYLOAD_BYTES);
        assert_ne!(payload(1), payload(2));
    }

    #[test]
    fn topic_order_visits_every_topic() {
        for n in [1, 100, 7919, 100_000] {
            let order = topic_order(n);
            let mut seen = vec![false; n];
            (0..n).for_each(|i| seen[order(i)] = true);
            assert!(seen.iter().all(|s| *s), "n={n}");
        }
    }

    #[test]
    fn the_rate_replay_stays_inside_its_node_table() {
        let ns = rate_cost_ns(1000, 10_000);
        assert!(ns > 0.0 && ns.is_finite(), "{ns}");
    }

    #[test]
    fn small_runs_report_sane_figures() {
        let rate = ingest_rate(1000, 20_000);
        assert!(rate.msgs_per_sec > 1000.0, "{rate:?}");
        let (peak, kept) = budget_check(64 * 1024, 20_000, 10);
        assert!(peak <= 64 * 1024, "peak {peak}");
        assert!(kept > 10 && kept < 20_000, "kept {kept}");
    }
}
