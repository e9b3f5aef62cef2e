//! `topicscope bench e2e --live N`: N live (not retained) messages over `topics` topics,
//! pushed into a local mosquitto as fast as it takes them, read by `mosquitto_sub`, by
//! the worker + model (the window's path) and by `topicscope sub --quiet`, in turn. Prints the medians, their ratio, how
//! long the publisher needed with each reader (a reader that slows the broker slows the
//! publisher too), and the CPU our reading threads used per message.

use std::process::{Command as Process, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};

use super::measure::{median, process_cpu_time, process_thread_cpu_times, thread_cpu_time};
use super::model_bench::{payload, topic_name};
use super::mosquitto::{Mosquitto, RawPublisher, find_program};
use crate::model::Model;
use crate::mqtt::{Command, Event, WorkerHandle};
use crate::profiles::{Profile, Subscription};

pub(super) const FILTER: &str = "live/#";
/// Give up on one reading after this long.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// mosquitto_sub says nothing when its subscription is in place; it needs a few
/// milliseconds on this machine, this is ample.
const SUBSCRIBE_GRACE: Duration = Duration::from_millis(700);

/// One reading: wall time from the first publish to the last message read, the
/// publisher's own time to hand every message to the broker, and for a reader in a
/// process of its own the CPU it used from the first publish to its exit.
#[derive(Debug, Clone, Copy)]
struct Reading {
    took: Duration,
    publisher: Duration,
    cpu: Option<Duration>,
}

/// Publishes `messages` 100-byte messages over `topics` topics at QoS 0, then waits for
/// the broker to have taken them all. Returns how long that took.
pub(super) fn publish_all(broker: std::net::SocketAddr, messages: usize, topics: usize) -> std::io::Result<Duration> {
    let names: Vec<String> = (0..topics).map(|t| format!("live/{}", topic_name(t))).collect();
    let mut out = RawPublisher::connect(broker, "topicscope-bench-live")?;
    let start = Instant::now();
    for i in 0..messages {
        out.publish(&names[i % topics], &payload(i), false)?;
    }
    out.sync()?;
    let took = start.elapsed();
    out.disconnect()?;
    Ok(took)
}

/// A subscriber process: `mosquitto_sub`, or this program's own `sub --quiet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    MosquittoSub,
    TopicscopeSub,
}

fn process_reading(reader: Reader, broker: &Mosquitto, messages: usize, topics: usize) -> Result<Reading, String> {
    let mut command = match reader {
        Reader::MosquittoSub => {
            let program =
                find_program("mosquitto_sub").ok_or("this benchmark needs mosquitto_sub (mosquitto-clients)")?;
            let mut command = Process::new(program);
            command
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &broker.port.to_string(),
                    "-t",
                    FILTER,
                    "-q",
                    "0",
                ])
                .args(["-C", &messages.to_string(), "-W", &READ_TIMEOUT.as_secs().to_string()]);
            command
        }
        Reader::TopicscopeSub => {
            let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
            let mut command = Process::new(exe);
            command
                .args(["sub", "--broker", &broker.url(), "-t", FILTER, "--quiet"])
                .args(["-C", &messages.to_string()]);
            command
        }
    };
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {reader:?}: {e}"))?;
    thread::sleep(SUBSCRIBE_GRACE);
    let cpu_before = process_cpu_time(child.id());
    let start = Instant::now();
    let publisher = publish_all(broker.addr(), messages, topics).map_err(|e| format!("publishing: {e}"));
    // Wait for the reader to exit without reaping it: until it is reaped, /proc still
    // has its CPU time.
    let exited = i32::try_from(child.id())
        .ok()
        .and_then(Pid::from_raw)
        .is_some_and(|pid| waitid(WaitId::Pid(pid), WaitIdOptions::EXITED | WaitIdOptions::NOWAIT).is_ok());
    let took = start.elapsed();
    let cpu = cpu_before
        .filter(|_| exited)
        .and_then(|before| Some(process_cpu_time(child.id())?.saturating_sub(before)));
    let status = child.wait().map_err(|e| e.to_string())?;
    let took = if exited { took } else { start.elapsed() };
    let publisher = publisher?;
    if !status.success() {
        return Err(format!("{reader:?} did not read {messages} messages ({status})"));
    }
    Ok(Reading { took, publisher, cpu })
}

/// The median CPU a message of the readings that measured it, in µs ("?" if none did).
fn cpu_us_per_message(readings: &[Reading], messages: usize) -> String {
    let cpu: Vec<Duration> = readings.iter().filter_map(|r| r.cpu).collect();
    if cpu.is_empty() {
        return "?".to_owned();
    }
    format!("{:.2}", median(&cpu).as_secs_f64() * 1e6 / messages as f64)
}

/// CPU of the worker's MQTT thread so far.
fn mqtt_thread_cpu() -> Duration {
    process_thread_cpu_times(std::process::id())
        .into_iter()
        .filter(|t| t.name.starts_with("topicscope-mqtt"))
        .map(|t| t.cpu)
        .sum()
}

/// Our reading, its CPU being that of the MQTT thread plus the thread applying the batches.
fn topicscope_reading(broker: &Mosquitto, messages: usize, topics: usize) -> Result<Reading, String> {
    let worker = WorkerHandle::spawn(None).map_err(|e| format!("cannot start the worker: {e}"))?;
    let mut profile = Profile::new("bench-live", broker.url());
    profile.subscriptions = vec![Subscription::new(FILTER)];
    worker
        .send_blocking(Command::Connect(Box::new(profile)))
        .map_err(|e| e.to_string())?;
    let subscribed_by = Instant::now() + Duration::from_secs(10);
    loop {
        match worker.events.recv_deadline(subscribed_by) {
            Ok(Event::Subscribed { .. }) => break,
            Ok(_) => {}
            Err(_) => return Err("the worker did not subscribe within 10 s".into()),
        }
    }
    let mut model = Model::default();
    let (cpu_mqtt, cpu_ui) = (mqtt_thread_cpu(), thread_cpu_time());
    let addr = broker.addr();
    let start = Instant::now();
    let feeder = thread::spawn(move || publish_all(addr, messages, topics));
    super::e2e::read_into(&worker, &mut model, messages, start + READ_TIMEOUT)?;
    let took = start.elapsed();
    let cpu = (thread_cpu_time() - cpu_ui) + mqtt_thread_cpu().saturating_sub(cpu_mqtt);
    let publisher = feeder
        .join()
        .map_err(|_| "the publisher thread panicked".to_owned())?
        .map_err(|e| format!("publishing: {e}"))?;
    Ok(Reading {
        took,
        publisher,
        cpu: Some(cpu),
    })
}

/// Runs `runs` alternating readings of each and prints each run, then the medians and
/// their ratio.
pub fn run(messages: usize, topics: usize, runs: usize) -> Result<(), String> {
    let broker = Mosquitto::start()?;
    let (mut theirs, mut ours, mut sub) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        theirs.push(process_reading(Reader::MosquittoSub, &broker, messages, topics)?);
        ours.push(topicscope_reading(&broker, messages, topics)?);
        sub.push(process_reading(Reader::TopicscopeSub, &broker, messages, topics)?);
    }
    // Each run on its own too: the readers of one run share its moment's load, and the
    // target is per run, not only in the median.
    for (i, ((t, o), s)) in theirs.iter().zip(&ours).zip(&sub).enumerate() {
        println!(
            "e2e-live-run run={} mosquitto_sub={:.3}s topicscope={:.3}s ratio={:.2} topicscope-sub={:.3}s ratio-sub={:.2}",
            i + 1,
            t.took.as_secs_f64(),
            o.took.as_secs_f64(),
            o.took.as_secs_f64() / t.took.as_secs_f64(),
            s.took.as_secs_f64(),
            s.took.as_secs_f64() / t.took.as_secs_f64(),
        );
    }
    let took = |r: &[Reading]| median(&r.iter().map(|r| r.took).collect::<Vec<_>>());
    let published = |r: &[Reading]| median(&r.iter().map(|r| r.publisher).collect::<Vec<_>>());
    let (t_theirs, t_ours) = (took(&theirs), took(&ours));
    println!(
        "e2e-live messages={messages} topics={topics} mosquitto_sub={:.3}s topicscope={:.3}s ratio={:.2} \
         publisher-with-mosquitto_sub={:.3}s publisher-with-topicscope={:.3}s topicscope-cpu-us-per-msg={} \
         mosquitto_sub-cpu-us-per-msg={}",
        t_theirs.as_secs_f64(),
        t_ours.as_secs_f64(),
        t_ours.as_secs_f64() / t_theirs.as_secs_f64(),
        published(&theirs).as_secs_f64(),
        published(&ours).as_secs_f64(),
        cpu_us_per_message(&ours, messages),
        cpu_us_per_message(&theirs, messages),
    );
    let t_sub = took(&sub);
    println!(
        "e2e-live-cli messages={messages} topics={topics} mosquitto_sub={:.3}s topicscope-sub={:.3}s ratio={:.2} \
         publisher-with-topicscope-sub={:.3}s mosquitto_sub-cpu-us-per-msg={} topicscope-sub-cpu-us-per-msg={}",
        t_theirs.as_secs_f64(),
        t_sub.as_secs_f64(),
        t_sub.as_secs_f64() / t_theirs.as_secs_f64(),
        published(&sub).as_secs_f64(),
        cpu_us_per_message(&theirs, messages),
        cpu_us_per_message(&sub, messages),
    );
    Ok(())
}
