//! Recordings: the file survives a kill -9, bad files are named for what they are, the
//! size limit holds, and record → replay through mosquitto keeps bytes, topics, QoS,
//! retain and timing. Real brokers (mosquitto is required: missing, the tests fail)
//! and the real `topicscope` binary; every wait has a deadline.

mod common;

use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use common::run::{run, text, topicscope};
use common::{BrokerKind, TestBroker, mosquitto_path};
use topicscope::model::Message;
use topicscope::record::{Recording, RecordingMeta, RecordingQuery, RecordingWriter, WriterOptions};

fn mosquitto() -> TestBroker {
    assert!(
        mosquitto_path().is_some(),
        "these tests need mosquitto (apt-get install mosquitto); it is not installed"
    );
    TestBroker::start(BrokerKind::Mosquitto)
}

/// All messages of a recording, oldest first.
fn read_all(path: &Path) -> Vec<Message> {
    let rec = Recording::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut out = Vec::new();
    rec.for_each(&RecordingQuery::default(), |r| {
        out.push(r.message);
        true
    })
    .expect("read the messages");
    out
}

/// A finished recording of `n` messages on `t/0`..`t/4`, written without a broker.
fn write_recording(path: &Path, n: usize) {
    let writer = RecordingWriter::create(
        path,
        &RecordingMeta::new("mqtt://127.0.0.1:1", &["#".into()]),
        WriterOptions::default(),
    )
    .expect("create the recording");
    for chunk in 0..n.div_ceil(100) {
        let batch = (chunk * 100..((chunk + 1) * 100).min(n))
            .map(|i| Message::new(format!("t/{}", i % 5), format!("payload {i}").into_bytes(), 0, false))
            .collect();
        writer.send(batch).expect("send a batch");
    }
    writer.finish().expect("finish the recording");
}

/// `topicscope record …` started with its stderr read line by line.
struct Recorder {
    child: Option<Child>,
    stderr: mpsc::Receiver<String>,
}

impl Recorder {
    fn start(args: &[&str]) -> Recorder {
        let mut child = topicscope()
            .arg("record")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn topicscope record");
        let (tx, stderr) = mpsc::channel();
        let pipe = child.stderr.take().expect("stderr");
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Recorder {
            child: Some(child),
            stderr,
        }
    }

    /// Waits for the "recording … Ctrl+C stops" line, then for the subscription to settle.
    fn wait_recording(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let line = self
                .stderr
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("topicscope record did not say it was recording within 15 s");
            if line.contains("Ctrl+C") {
                break;
            }
        }
        thread::sleep(Duration::from_millis(300));
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A rumqttc client publishing in a thread of its own; dropped, it disconnects.
fn publisher(broker: &TestBroker, id: &str) -> rumqttc::Client {
    let (client, mut connection) = rumqttc::Client::new(broker.client_options(id), 1000);
    thread::spawn(move || for _ in connection.iter() {});
    client
}

#[test]
fn kill_minus_9_while_recording_leaves_a_readable_file_missing_at_most_the_last_second() {
    let broker = mosquitto();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("night.tsrec");
    let mut recorder = Recorder::start(&["--broker", &broker.url(), "-t", "kill/#", "-o", file.to_str().unwrap()]);
    recorder.wait_recording();
    let client = publisher(&broker, "kill-pub");
    // 100 messages a second for 2.5 s, each numbered; remember when each was sent.
    let mut sent_at = Vec::new();
    let start = Instant::now();
    for i in 0..250u32 {
        let due = start + Duration::from_millis(10 * u64::from(i));
        thread::sleep(due.saturating_duration_since(Instant::now()));
        client
            .publish("kill/seq", rumqttc::QoS::AtMostOnce, false, i.to_string())
            .expect("publish");
        sent_at.push(Instant::now());
    }
    // Let the last messages arrive, then kill without warning.
    thread::sleep(Duration::from_millis(100));
    let killed_at = Instant::now();
    let child = recorder.child.as_mut().expect("the recorder");
    child.kill().expect("kill -9 the recorder");
    let _ = child.wait();

    let messages = read_all(&file);
    let seqs: Vec<u32> = messages
        .iter()
        .map(|m| std::str::from_utf8(&m.payload).unwrap().parse().unwrap())
        .collect();
    // A prefix of what was sent, in order, with no gap.
    assert!(
        seqs.iter().enumerate().all(|(i, s)| *s as usize == i),
        "not a gapless prefix: {seqs:?}"
    );
    // Everything sent more than a second before the kill is there.
    let must_have = sent_at
        .iter()
        .filter(|t| killed_at.duration_since(**t) > Duration::from_secs(1))
        .count();
    assert!(
        seqs.len() >= must_have,
        "only {} of the {must_have} messages sent more than 1 s before the kill were kept",
        seqs.len()
    );
    eprintln!("kill -9: {} of 250 messages kept ({must_have} required)", seqs.len());
}

#[test]
fn corrupt_foreign_and_newer_files_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();

    let text_file = dir.path().join("notes.tsrec");
    std::fs::write(&text_file, "greenhouse notes, not a recording\n").unwrap();
    let e = Recording::open(&text_file).unwrap_err().to_string();
    assert!(
        e.contains("not a Topicscope recording") && e.contains("not an SQLite file"),
        "{e}"
    );

    let foreign = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE things (a TEXT); INSERT INTO things VALUES ('x');")
            .unwrap();
    }
    let e = Recording::open(&foreign).unwrap_err().to_string();
    assert!(
        e.contains("not a Topicscope recording") && e.contains("another program"),
        "{e}"
    );

    let newer = dir.path().join("newer.tsrec");
    write_recording(&newer, 10);
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'", [])
            .unwrap();
    }
    let e = Recording::open(&newer).unwrap_err().to_string();
    assert!(e.contains("newer Topicscope") && e.contains("format 99"), "{e}");

    // Garbage over the middle of a real recording: damaged, said so on open or on read.
    let damaged = dir.path().join("damaged.tsrec");
    write_recording(&damaged, 20_000);
    let len = std::fs::metadata(&damaged).unwrap().len();
    assert!(len > 200_000, "the recording is too small to damage: {len} bytes");
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(&damaged).unwrap();
        f.seek(SeekFrom::Start(len / 3 / 4096 * 4096)).unwrap();
        f.write_all(&vec![0xA5; 64 * 1024]).unwrap();
    }
    let outcome = Recording::open(&damaged).and_then(|r| {
        r.for_each(&RecordingQuery::default(), |_| true)?;
        r.verify()
    });
    let e = outcome.expect_err("a damaged file read without complaint").to_string();
    assert!(e.contains("the file is damaged"), "{e}");

    // The same through the command line: one sentence, exit status 1.
    let out = run({
        let mut c = topicscope();
        c.args(["export", foreign.to_str().unwrap(), "--format", "jsonl"]);
        c
    });
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a Topicscope recording"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_size_limit_holds_during_a_flood_and_drops_the_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flood.tsrec");
    let max = 2_000_000u64;
    let options = WriterOptions {
        max_size: Some(max),
        // A short queue: `send` waits for the writer, so the sizes below are sampled
        // while it works rather than before it starts.
        channel_batches: 2,
        ..WriterOptions::default()
    };
    let writer = RecordingWriter::create(&file, &RecordingMeta::new("mqtt://127.0.0.1:1", &[]), options).unwrap();
    let payload = vec![b'x'; 100];
    let mut largest_main = 0;
    let mut largest_total = 0;
    // 30,000 messages of ~150 bytes on disk: over twice the limit, so the oldest
    // are deleted many times over.
    let total = 30_000u64;
    let started = Instant::now();
    for chunk in 0..total / 500 {
        let batch = (chunk * 500..(chunk + 1) * 500)
            .map(|i| {
                let mut m = Message::new(format!("flood/{}", i % 20), payload.clone(), 0, false);
                m.payload = format!("{i:010}{}", "x".repeat(90)).into_bytes().into();
                m
            })
            .collect();
        writer.send(batch).unwrap();
        // 2 s of flood: several commits (one every 500 ms) and checkpoints.
        thread::sleep(Duration::from_millis(15));
        let main = std::fs::metadata(&file).map_or(0, |m| m.len());
        let side =
            |suffix: &str| std::fs::metadata(dir.path().join(format!("flood.tsrec{suffix}"))).map_or(0, |m| m.len());
        largest_main = largest_main.max(main);
        largest_total = largest_total.max(main + side("-wal") + side("-shm"));
    }
    let stats = writer.finish().unwrap();
    // A guard against a writer that stops, not a speed target (that is `bench record`).
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "the flood took {:?}",
        started.elapsed()
    );
    let main = std::fs::metadata(&file).unwrap().len();
    eprintln!(
        "size limit {max}: largest file {largest_main}, largest file + WAL + index sampled {largest_total}, \
         at the checkpoints {}, final {main}, deleted {}",
        stats.peak_bytes, stats.deleted
    );
    // The limit holds for everything on disk: the file, its WAL and the WAL's index,
    // both as sampled from here and where they peak, at each commit's checkpoint.
    assert!(
        largest_total <= max,
        "file + WAL + index reached {largest_total} bytes, over {max}"
    );
    assert!(
        stats.peak_bytes <= max,
        "file + WAL + index reached {} bytes at a checkpoint, over {max}",
        stats.peak_bytes
    );
    // The file alone stays under half the limit, so a peak over it shows the WAL was
    // counted and did fill.
    assert!(
        stats.peak_bytes > max / 2,
        "the peak ({} bytes) is no more than the file: the WAL was never measured",
        stats.peak_bytes
    );
    // The file keeps about half the limit (the WAL may need as much again).
    assert!(
        largest_main > max * 2 / 5,
        "the file never filled up ({largest_main} bytes): the sampling saw nothing"
    );
    assert!(main <= max, "the finished file is {main} bytes, over {max}");
    assert!(stats.deleted > 0, "nothing was deleted, so the limit was never tested");
    let messages = read_all(&file);
    let first: u64 = std::str::from_utf8(&messages[0].payload[..10])
        .unwrap()
        .parse()
        .unwrap();
    let last: u64 = std::str::from_utf8(&messages.last().unwrap().payload[..10])
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(last, total - 1, "the newest message is missing");
    assert!(first > 0, "the oldest message is still there");
    assert_eq!(
        messages.len() as u64,
        total - first,
        "messages after the oldest kept are missing"
    );
    assert_eq!(stats.deleted, first);
}

#[test]
fn a_message_too_large_for_the_size_limit_is_counted_and_the_rest_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.tsrec");
    let max = 1_000_000u64;
    let options = WriterOptions {
        max_size: Some(max),
        ..WriterOptions::default()
    };
    let writer = RecordingWriter::create(&file, &RecordingMeta::new("mqtt://127.0.0.1:1", &[]), options).unwrap();
    // A 600 kB camera frame cannot fit beside its own WAL under 1 MB; the small
    // messages around it can.
    let batch = vec![
        Message::new("cam/before", b"1".to_vec(), 0, false),
        Message::new("cam/frame", vec![0xFF; 600_000], 0, false),
        Message::new("cam/after", b"2".to_vec(), 0, false),
    ];
    writer.send(batch).unwrap();
    let stats = writer.finish().unwrap();
    assert_eq!(
        (stats.messages, stats.too_large, stats.payload_bytes),
        (2, 1, 2),
        "{stats:?}"
    );
    assert!(
        stats.peak_bytes > 0 && stats.peak_bytes <= max,
        "{} bytes at the checkpoint",
        stats.peak_bytes
    );
    let topics: Vec<String> = read_all(&file).into_iter().map(|m| m.topic.to_string()).collect();
    assert_eq!(topics, ["cam/before", "cam/after"]);
    let on_disk: u64 = ["", "-wal", "-shm"]
        .iter()
        .map(|s| std::fs::metadata(dir.path().join(format!("big.tsrec{s}"))).map_or(0, |m| m.len()))
        .sum();
    assert!(on_disk <= max, "{on_disk} bytes on disk, over {max}");
}

/// Subscribes with a rumqttc client of its own and keeps (arrival, topic, payload,
/// qos, retain) of every message; the subscription is acknowledged before it returns.
fn listener(broker: &TestBroker, id: &str, filter: &str) -> mpsc::Receiver<(Instant, String, Vec<u8>, u8, bool)> {
    let (client, mut connection) = rumqttc::Client::new(broker.client_options(id), 1000);
    let (tx, rx) = mpsc::channel();
    let (subscribed_tx, subscribed) = mpsc::channel();
    client.subscribe(filter, rumqttc::QoS::ExactlyOnce).unwrap();
    thread::spawn(move || {
        let _client = client;
        for ev in connection.iter() {
            match ev {
                Ok(rumqttc::Event::Incoming(rumqttc::Packet::Publish(p))) => {
                    let qos = p.qos as u8;
                    if tx
                        .send((Instant::now(), p.topic, p.payload.to_vec(), qos, p.retain))
                        .is_err()
                    {
                        break;
                    }
                }
                Ok(rumqttc::Event::Incoming(rumqttc::Packet::SubAck(_))) => {
                    let _ = subscribed_tx.send(());
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    subscribed
        .recv_timeout(Duration::from_secs(10))
        .expect("the listener was not subscribed within 10 s");
    rx
}

/// Collects `n` messages from a listener (10 s at most).
fn collect(
    rx: &mpsc::Receiver<(Instant, String, Vec<u8>, u8, bool)>,
    n: usize,
) -> Vec<(Instant, String, Vec<u8>, u8, bool)> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    while got.len() < n {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(m) => got.push(m),
            Err(_) => panic!(
                "only {} of {n} messages arrived: {:?}",
                got.len(),
                got.iter().map(|m| &m.1).collect::<Vec<_>>()
            ),
        }
    }
    got
}

fn live_payload(i: u8) -> Vec<u8> {
    // Every byte value across the run, including NUL and invalid UTF-8.
    (0..32u8)
        .map(|k| k.wrapping_mul(37).wrapping_add(i.wrapping_mul(13)))
        .collect()
}

#[test]
fn record_then_replay_through_mosquitto_keeps_bytes_topics_qos_retain_and_timing() {
    let source = mosquitto();
    let target = mosquitto();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rt.tsrec");
    let client = publisher(&source, "rt-pub");
    // Two retained messages are there before the recording starts: recorded with retain.
    client
        .publish("rt/retained/a", rumqttc::QoS::AtLeastOnce, true, "kept A")
        .unwrap();
    client
        .publish(
            "rt/retained/b",
            rumqttc::QoS::ExactlyOnce,
            true,
            vec![0u8, 159, 146, 150],
        )
        .unwrap();
    thread::sleep(Duration::from_millis(300));

    // `sub --format json` alongside, for the shape of the JSON Lines export.
    let mut sub = topicscope();
    sub.args([
        "sub",
        "--broker",
        &source.url(),
        "-t",
        "rt/#",
        "-q",
        "2",
        "-F",
        "json",
        "-C",
        "22",
    ]);
    let sub_child = sub
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let recorder = Recorder::start(&[
        "--broker",
        &source.url(),
        "-t",
        "rt/#",
        "-q",
        "2",
        "-o",
        file.to_str().unwrap(),
        "--duration",
        "5s",
    ]);
    recorder.wait_recording();
    for i in 0..20u8 {
        let qos = [
            rumqttc::QoS::AtMostOnce,
            rumqttc::QoS::AtLeastOnce,
            rumqttc::QoS::ExactlyOnce,
        ][usize::from(i % 3)];
        client
            .publish(format!("rt/live/{}", i % 4), qos, false, live_payload(i))
            .unwrap();
        thread::sleep(Duration::from_millis(100));
    }
    let mut recorder = recorder;
    let out = common::run::wait_with_deadline(recorder.child.take().expect("the recorder"));
    assert!(out.status.success(), "record failed: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("recorded 22 messages"),
        "{}",
        text(&out.stdout)
    );

    let recorded = read_all(&file);
    assert_eq!(recorded.len(), 22);
    let retained: Vec<_> = recorded.iter().filter(|m| m.retain).map(|m| m.topic.as_str()).collect();
    assert_eq!(retained.len(), 2, "{retained:?}");
    for (i, m) in recorded.iter().filter(|m| !m.retain).enumerate() {
        assert_eq!(m.topic, format!("rt/live/{}", i % 4));
        assert_eq!(&m.payload[..], &live_payload(i as u8)[..]);
        assert_eq!(m.qos, (i % 3) as u8, "QoS of message {i}");
    }

    // The source broker is refused without --yes-same-broker.
    let refused = run({
        let mut c = topicscope();
        c.args(["replay", file.to_str().unwrap(), "--broker", &source.url()]);
        c
    });
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--yes-same-broker"),
        "{}",
        text(&refused.stderr)
    );

    let rec_times: Vec<i64> = {
        let rec = Recording::open(&file).unwrap();
        let mut t = Vec::new();
        rec.for_each(&RecordingQuery::default(), |r| {
            t.push(r.time_us);
            true
        })
        .unwrap();
        t
    };
    for (speed, tolerance_ms) in [(1.0f64, 80.0f64), (10.0, 40.0)] {
        let prefix = format!("x{speed}/");
        let rx = listener(&target, &format!("rt-listen-{speed}"), &format!("{prefix}#"));
        let replay = run({
            let mut c = topicscope();
            c.args([
                "replay",
                file.to_str().unwrap(),
                "--broker",
                &target.url(),
                "--speed",
                &speed.to_string(),
                "--topic-prefix",
                &prefix,
            ]);
            c
        });
        assert!(replay.status.success(), "replay failed: {}", text(&replay.stderr));
        assert!(
            text(&replay.stdout).contains("replayed 22 messages"),
            "{}",
            text(&replay.stdout)
        );
        let got = collect(&rx, 22);
        // Same topics (prefixed) and bytes, each once; QoS as recorded.
        for m in &recorded {
            let topic = format!("{prefix}{}", m.topic);
            let found = got
                .iter()
                .find(|g| g.1 == topic && g.2 == m.payload[..])
                .unwrap_or_else(|| panic!("{topic} with its payload did not arrive at {speed}x"));
            assert_eq!(found.3, m.qos, "QoS of {topic} at {speed}x");
        }
        // Timing: each arrival offset from the first matches the recorded offset / speed.
        let t0 = got[0].0;
        let mut worst = 0.0f64;
        for (g, (m, t)) in got.iter().zip(recorded.iter().zip(&rec_times)) {
            assert_eq!(g.2, m.payload[..], "order changed at {speed}x");
            let expected = (t - rec_times[0]) as f64 / 1000.0 / speed;
            let actual = g.0.duration_since(t0).as_secs_f64() * 1000.0;
            worst = worst.max((actual - expected).abs());
        }
        eprintln!("replay at {speed}x: worst timing error {worst:.1} ms");
        assert!(
            worst <= tolerance_ms,
            "timing off by {worst:.1} ms at {speed}x (tolerance {tolerance_ms} ms)"
        );
    }
    // Retained messages were replayed as retained: a new subscriber gets them.
    let rx = listener(&target, "rt-late", "x1/rt/retained/#");
    let late = collect(&rx, 2);
    assert!(
        late.iter().all(|m| m.4),
        "retained messages came without retain: {late:?}"
    );

    // The JSON Lines export has the shape `sub --format json` prints (times differ).
    let sub_out = common::run::wait_with_deadline(sub_child);
    let export = run({
        let mut c = topicscope();
        c.args(["export", file.to_str().unwrap(), "--format", "jsonl"]);
        c
    });
    assert!(export.status.success(), "{}", text(&export.stderr));
    let strip = |s: &str| -> Vec<serde_json::Value> {
        let mut v: Vec<serde_json::Value> = s
            .lines()
            .map(|l| {
                let mut o: serde_json::Value = serde_json::from_str(l).unwrap();
                let time = o.as_object_mut().unwrap().remove("time").expect("a time field");
                assert!(
                    time.as_str().is_some_and(|t| t.ends_with('Z') && t.len() == 24),
                    "{time}"
                );
                o
            })
            .collect();
        v.sort_by_key(|o| o.to_string());
        v
    };
    assert_eq!(strip(&text(&export.stdout)), strip(&text(&sub_out.stdout)));
}

#[test]
fn csv_export_puts_each_series_in_its_column_aligned_by_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("csv.tsrec");
    let writer = RecordingWriter::create(
        &file,
        &RecordingMeta::new("mqtt://127.0.0.1:1", &[]),
        WriterOptions::default(),
    )
    .unwrap();
    let at = |ms: u64, topic: &str, payload: &str| {
        let mut m = Message::new(topic, payload.as_bytes().to_vec(), 0, false);
        m.time = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_000 + ms);
        m
    };
    writer
        .send(vec![
            at(0, "gh/temp", "21.5 °C"),
            at(0, "gh/env", r#"{"h": 40, "t": 20.5, "id": "a"}"#),
            at(1000, "gh/temp", "22"),
            at(1000, "gh/log", "booted"),
            at(2000, "gh/env", r#"{"h": 41, "t": 20.0}"#),
        ])
        .unwrap();
    writer.finish().unwrap();
    let out = run({
        let mut c = topicscope();
        c.args(["export", file.to_str().unwrap(), "--format", "csv", "--topic", "gh/#"]);
        c
    });
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    let header = &rows[0];
    assert_eq!(header.len(), 4, "time + gh/temp + two JSON series: {csv}");
    assert_eq!(header[0], "time");
    assert_eq!(header[1], "gh/temp");
    assert!(header[2].starts_with("gh/env") && header[2].contains('h'), "{csv}");
    assert!(header[3].starts_with("gh/env") && header[3].contains('t'), "{csv}");
    assert!(rows.iter().all(|r| r.len() == 4), "ragged rows: {csv}");
    assert_eq!(rows[1][1..], ["21.5", "40", "20.5"]);
    assert_eq!(rows[2][1..], ["22", "", ""]);
    assert_eq!(rows[3][1..], ["", "41", "20"]);
    assert!(rows[1][0].starts_with("2023-11-14T22:13:20"), "{csv}");

    // A time range: only the middle second.
    let out = run({
        let mut c = topicscope();
        c.args([
            "export",
            file.to_str().unwrap(),
            "--format",
            "csv",
            "--from",
            "1s",
            "--to",
            "2s",
        ]);
        c
    });
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 2, "{}", text(&out.stdout));
}

/// A recording as format 1 wrote it (the topic's text in every row and in the
/// `(topic, time)` index), made here with SQLite alone, as a file kept from an older
/// Topicscope would be.
fn write_format_1(path: &Path, rows: &[(&str, &[u8], i64)]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA page_size = 4096; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA application_id = 1414754915;
         PRAGMA journal_mode = WAL;
         CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE messages (id INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, topic TEXT NOT NULL,
             payload BLOB NOT NULL, qos INTEGER NOT NULL, retain INTEGER NOT NULL, properties BLOB);
         CREATE INDEX messages_time ON messages(time_us);
         CREATE INDEX messages_topic ON messages(topic, time_us);
         CREATE TABLE events (id INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL);
         INSERT INTO meta VALUES ('format_version', '1'), ('app_version', '0.1.0'),
             ('broker_url', 'mqtt://127.0.0.1:1883'), ('filters', '[\"#\"]'), ('started_us', '1700000000000000');",
    )
    .unwrap();
    for (topic, payload, time_us) in rows {
        conn.execute(
            "INSERT INTO messages (time_us, topic, payload, qos, retain, properties) VALUES (?1, ?2, ?3, 1, 0, NULL)",
            (time_us, topic, payload),
        )
        .unwrap();
    }
}

#[test]
fn a_format_1_recording_still_opens_reads_and_seeks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.tsrec");
    let t0 = 1_700_000_000_000_000i64;
    write_format_1(
        &file,
        &[
            ("温室/1/温度", b"21.5", t0),
            ("b", b"x", t0 + 1_000_000),
            ("温室/1/温度", b"22.0", t0 + 2_000_000),
            ("a", b"late", t0 + 5_000_000),
        ],
    );
    let rec = Recording::open(&file).expect("a format 1 file opens");
    assert_eq!(rec.meta.format_version, 1);
    assert_eq!(rec.topics(|_| {}).unwrap(), ["a", "b", "温室/1/温度"]);
    let newest = rec.last_of_topic("温室/1/温度", t0 + 3_000_000, 1).unwrap();
    assert_eq!(&newest[0].message.payload[..], b"22.0");
    assert_eq!(newest[0].message.qos, 1);
    let after = rec.after(rec.cursor_at(t0 + 1_000_000).unwrap(), i64::MAX, 10).unwrap();
    let topics: Vec<&str> = after.iter().map(|r| &*r.message.topic).collect();
    assert_eq!(topics, ["温室/1/温度", "a"]);
    let all = read_all(&file);
    assert_eq!(all.len(), 4);
    assert_eq!(&*all[1].topic, "b");
    // And the command line exports it like a new one.
    let out = run({
        let mut c = topicscope();
        c.args(["export", file.to_str().unwrap(), "--format", "jsonl"]);
        c
    });
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 4, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("温室/1/温度"));
}

#[test]
fn topics_each_stored_once_and_gone_when_the_size_limit_took_all_their_messages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("topics.tsrec");
    let options = WriterOptions {
        max_size: Some(1_000_000),
        channel_batches: 2,
        ..WriterOptions::default()
    };
    let writer = RecordingWriter::create(&file, &RecordingMeta::new("mqtt://127.0.0.1:1", &[]), options).unwrap();
    // Early topics, then a flood on others large enough to push every early message out.
    let early: Vec<Message> = (0..50)
        .map(|i| Message::new(format!("early/device-{i}/state"), b"on".to_vec(), 0, false))
        .collect();
    writer.send(early).unwrap();
    for chunk in 0..40 {
        let batch = (0..500)
            .map(|i| {
                let n = chunk * 500 + i;
                Message::new(
                    format!("flood/{}", n % 7),
                    format!("{n:08}").repeat(12).into_bytes(),
                    0,
                    false,
                )
            })
            .collect();
        writer.send(batch).unwrap();
    }
    let stats = writer.finish().unwrap();
    assert!(stats.deleted >= 50, "the early messages were not pushed out: {stats:?}");
    let rec = Recording::open(&file).unwrap();
    let topics = rec.topics(|_| {}).unwrap();
    assert_eq!(
        topics,
        (0..7).map(|i| format!("flood/{i}")).collect::<Vec<_>>(),
        "topics left without messages are still listed"
    );
    // Each topic is kept once, not once per message.
    let conn = rusqlite::Connection::open(&file).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM topics", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 7, "the topics table holds {rows} rows");
    let flood = rec.last_of_topic("flood/3", i64::MAX, 1).unwrap();
    assert_eq!(&*flood[0].message.topic, "flood/3");
}

/// The window's writer gives way to frames (`frame_gate`): behind frames drawn and
/// painted all the time, and behind a window that stopped painting (minimized), it
/// still writes every message, in order.
#[test]
fn a_writer_that_gives_way_to_frames_still_writes_every_message() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use topicscope::frame_gate::FrameGate;

    for painting in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gated.tsrec");
        let gate = Arc::new(FrameGate::default());
        let writer = RecordingWriter::create(
            &path,
            &RecordingMeta::new("mqtt://127.0.0.1:1", &["#".into()]),
            WriterOptions {
                frame_gate: Some(Arc::clone(&gate)),
                ..WriterOptions::default()
            },
        )
        .expect("create the recording");
        // A frame every 2 ms, drawn for 1 ms and then painted (or never painted), with
        // the next one always due.
        let stop = Arc::new(AtomicBool::new(false));
        let frames = {
            let (gate, stop) = (Arc::clone(&gate), Arc::clone(&stop));
            thread::spawn(move || {
                gate.frame_began();
                gate.frame_painted();
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    gate.frame_began();
                    gate.frame_due(Instant::now() + Duration::from_millis(2));
                    thread::sleep(Duration::from_millis(1));
                    if painting {
                        gate.frame_painted();
                    }
                    thread::sleep(Duration::from_millis(1));
                    n += 1;
                }
                n
            })
        };
        let n = 20_000;
        let started = Instant::now();
        for chunk in 0..n / 500 {
            let batch = (chunk * 500..(chunk + 1) * 500)
                .map(|i| Message::new(format!("t/{}", i % 7), i.to_string().into_bytes(), 0, false))
                .collect();
            writer.send(batch).expect("send a batch");
        }
        // Written while the frames go on (`finish` would stop the giving way). Frames back
        // to back cannot starve the writer (it runs free between its waits): 20,000
        // messages take well under a second; a writer held by every frame took 40 s.
        while writer.stats().messages < n as u64 && started.elapsed() < Duration::from_secs(20) {
            thread::sleep(Duration::from_millis(5));
        }
        let took = started.elapsed();
        assert!(took < Duration::from_secs(20), "painting={painting}: {took:?}");
        let stats = writer.finish().expect("finish the recording");
        stop.store(true, Ordering::Relaxed);
        let frames = frames.join().unwrap();
        assert_eq!(stats.messages, n as u64, "painting={painting}");
        // The writer did give way while frames were painted (every 8 ms at most); when
        // they are not, to the first at most.
        let held = gate.times_held();
        if painting {
            assert!(held >= 1, "held {held} times over {frames} frames in {took:?}");
        } else {
            assert!(held <= 1, "held {held} times by frames never painted");
        }
        let read = read_all(&path);
        assert_eq!(read.len(), n);
        for (i, m) in read.iter().enumerate() {
            assert_eq!(m.payload.as_ref(), i.to_string().as_bytes(), "painting={painting}");
        }
    }
}

/// The writer checkpoints the WAL itself (SQLite's automatic checkpoint is off so that
/// none runs inside a commit): a long recording without a size limit must still fold its
/// WAL into the file as it goes, not let it grow with the recording.
#[test]
fn without_a_size_limit_the_wal_is_checkpointed_as_the_recording_grows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.tsrec");
    let writer = RecordingWriter::create(
        &path,
        &RecordingMeta::new("mqtt://127.0.0.1:1", &["#".into()]),
        WriterOptions {
            commit_every: Duration::from_millis(5),
            // A short channel: the sender waits for the writer, so the WAL is measured
            // while it writes, not after.
            channel_batches: 2,
            ..WriterOptions::default()
        },
    )
    .expect("create the recording");
    // 48 MB of payloads in 96 batches of 500 KB, each committed on its own or nearly.
    let n = 96u64 * 50;
    let payload = |i: u64| {
        let mut p = vec![(i % 251) as u8; 10_000];
        p[..8].copy_from_slice(&i.to_le_bytes());
        p
    };
    let wal = dir.path().join("long.tsrec-wal");
    let mut largest_wal = 0;
    for chunk in 0..n / 50 {
        let batch = (chunk * 50..(chunk + 1) * 50)
            .map(|i| Message::new(format!("big/{}", i % 13), payload(i), 0, false))
            .collect();
        writer.send(batch).expect("send a batch");
        thread::sleep(Duration::from_millis(2));
        largest_wal = largest_wal.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    while writer.stats().messages < n {
        largest_wal = largest_wal.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        thread::sleep(Duration::from_millis(2));
    }
    let stats = writer.finish().expect("finish the recording");
    assert_eq!(stats.messages, n);
    // A checkpoint comes once a commit leaves 1,000 pages (4 MB) in the WAL; one commit
    // here adds a few batches at most, about 0.6 MB of WAL each.
    assert!(
        largest_wal < 16 << 20,
        "the WAL grew to {} MiB for a {} MiB recording",
        largest_wal >> 20,
        (n * 10_000) >> 20
    );
    let read = read_all(&path);
    assert_eq!(read.len() as u64, n);
    for (i, m) in read.iter().enumerate() {
        assert_eq!(m.payload.as_ref(), payload(i as u64).as_slice());
    }
}
