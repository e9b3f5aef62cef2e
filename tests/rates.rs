//! Current rates against publishers at known rates (real broker on 127.0.0.1): each
//! topic's and subtree's messages per second over the last 10 s within 5 % of what was
//! sent, and the tree sorted by current rate puts the busiest first, whatever its total.

mod common;

use std::time::{Duration, Instant};

use common::TestBroker;
use common::worker_fixture::{connect, publish};
use topicscope::model::rate::epoch_ms;
use topicscope::model::repeat::Schedule;
use topicscope::model::{Message, Model, SortKey};
use topicscope::mqtt::Event;

/// Publishes on each `(topic, per_second)` at its rate for `secs`, while the model
/// records what a second client receives; returns the time of the end and, per stream,
/// when each message was sent (a busy machine may fall behind the nominal rate: the
/// rates are checked against what was really sent).
fn run(
    streams: &[(&str, u64)],
    secs: u64,
    model: &mut Model,
) -> (std::time::SystemTime, Vec<Vec<std::time::SystemTime>>) {
    let mut sent = vec![Vec::new(); streams.len()];
    let broker = TestBroker::embedded();
    let subscriber = connect(&broker, &[("rates/#", 0)]);
    let publisher = connect(&broker, &[]);
    let start = Instant::now();
    let mut schedules: Vec<Schedule> = streams
        .iter()
        .map(|(_, rate)| Schedule::new(Duration::from_secs(1) / *rate as u32, 0, start))
        .collect();
    let end = start + Duration::from_secs(secs);
    let mut id = 0;
    while Instant::now() < end {
        let now = Instant::now();
        for (((topic, _), s), times) in streams.iter().zip(&mut schedules).zip(&mut sent) {
            for _ in 0..s.due(now) {
                id += 1;
                publish(&publisher, id, topic, format!("{id}"), 0, false);
                times.push(std::time::SystemTime::now());
            }
        }
        while let Ok(ev) = subscriber.events.try_recv() {
            if let Event::Messages(batch) = ev {
                for m in batch {
                    RECEIVED.with(|r| r.borrow_mut().push((m.topic.clone(), m.time)));
                    model.ingest(m);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // What is still in flight arrives within a few ms on loopback (longer on a busy machine).
    let settle = Instant::now() + Duration::from_millis(500);
    let mut last_rx = std::time::SystemTime::UNIX_EPOCH;
    while let Ok(ev) = subscriber.events.recv_deadline(settle) {
        if let Event::Messages(batch) = ev {
            for m in batch {
                last_rx = last_rx.max(m.time);
                RECEIVED.with(|r| r.borrow_mut().push((m.topic.clone(), m.time)));
                model.ingest(m);
            }
        }
    }
    // The rates are read as of the last message received: a loaded machine may deliver
    // the stream late, and what is measured is the rate of the stream, not the delay.
    let last_rx = model
        .tree()
        .iter_subtree(topicscope::model::NodeId::ROOT)
        .filter_map(|id| model.tree().node(id).last_update())
        .max()
        .unwrap_or(last_rx);
    (last_rx, sent)
}

thread_local! {
    /// What the subscriber received, in order: topic and receive time.
    static RECEIVED: std::cell::RefCell<Vec<(String, std::time::SystemTime)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Messages a second received on `topic` in the 10 s before `end`.
fn received_rate(topic: &str, end: std::time::SystemTime) -> f64 {
    let from = end - Duration::from_secs(10);
    RECEIVED.with(|r| {
        r.borrow()
            .iter()
            .filter(|(t, at)| t == topic && *at > from && *at <= end)
            .count()
    }) as f64
        / 10.0
}

/// Messages a second sent in the stream's last 10 s.
fn sent_rate(times: &[std::time::SystemTime]) -> f64 {
    let Some(&end) = times.last() else { return 0.0 };
    let from = end - Duration::from_secs(10);
    times.iter().filter(|t| **t > from).count() as f64 / 10.0
}

fn within(measured: f64, expected: f64, tolerance: f64) -> bool {
    (measured - expected).abs() <= expected * tolerance
}

#[test]
fn rates_match_the_publishers_within_five_percent() {
    let mut model = Model::new(64 << 20);
    // An old burst on a quiet topic: the most messages in total, none now.
    for i in 0..2_000 {
        let mut m = Message::new("rates/quiet/archive", format!("{i}"), 0, false);
        m.time -= Duration::from_secs(120);
        model.ingest(m);
    }
    let (end, sent) = run(&[("rates/busy/a", 100), ("rates/calm/b", 20)], 12, &mut model);
    let (want_a, want_b) = (sent_rate(&sent[0]), sent_rate(&sent[1]));
    assert!(want_a > 50.0, "the publisher kept up: {want_a}/s");
    let tree = model.tree();
    let now = epoch_ms(end);
    let rate = |topic: &str| tree.node(tree.find(topic).unwrap()).rate_at(now);
    let (a, b) = (rate("rates/busy/a"), rate("rates/calm/b"));
    let got_a = received_rate("rates/busy/a", end);
    assert!(
        within(a.messages, want_a, 0.05),
        "a: {a:?}, sent {want_a}/s, received {got_a}/s"
    );
    assert!(within(b.messages, want_b, 0.05), "b: {b:?}, sent {want_b}/s");
    // The minute's window: the stream is younger than a minute, so its whole life counts.
    let whole = |times: &[std::time::SystemTime]| {
        let secs = times.last().unwrap().duration_since(times[0]).unwrap().as_secs_f64();
        times.len() as f64 / secs
    };
    let minute = |topic: &str| tree.node(tree.find(topic).unwrap()).minute_rate_at(now);
    let (ma, mb) = (minute("rates/busy/a"), minute("rates/calm/b"));
    assert!(
        within(ma.messages, whole(&sent[0]), 0.05),
        "a: {ma:?}, sent {}/s",
        whole(&sent[0])
    );
    assert!(
        within(mb.messages, whole(&sent[1]), 0.05),
        "b: {mb:?}, sent {}/s",
        whole(&sent[1])
    );
    assert_eq!(
        minute("rates/quiet").messages,
        0.0,
        "two minutes ago is not the last minute"
    );
    // Payloads are the publish numbers: 3 to 4 bytes each here.
    assert!(a.bytes > 2.5 * a.messages && a.bytes < 4.5 * a.messages, "a: {a:?}");
    let all = rate("rates");
    assert!(within(all.messages, want_a + want_b, 0.05), "subtree: {all:?}");
    assert_eq!(rate("rates/quiet").messages, 0.0, "an old burst is not a rate");

    // Sorted by messages, the archive comes first; by current rate, the busy topic.
    let root = tree.find("rates").unwrap();
    let names = |sort| {
        tree.sorted_children(root, sort)
            .into_iter()
            .map(|id| tree.name(id).to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(SortKey::Messages)[0], "quiet");
    assert_eq!(names(SortKey::Rate), vec!["busy", "calm", "quiet"]);
}

/// `topicscope top` against a publisher: the busy topic heads the table.
#[test]
fn top_lists_the_busiest_topic_first() {
    use common::run::{run, text, topicscope};
    let broker = TestBroker::embedded();
    let publisher = connect(&broker, &[]);
    let url = broker.url();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let feeding = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut busy = Schedule::new(Duration::from_millis(10), 0, start);
            let mut calm = Schedule::new(Duration::from_millis(250), 0, start);
            let mut id = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let now = Instant::now();
                for (topic, s) in [("top/busy", &mut busy), ("top/calm", &mut calm)] {
                    for _ in 0..s.due(now) {
                        id += 1;
                        publish(&publisher, id, topic, "x", 0, false);
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let mut cmd = topicscope();
    cmd.args([
        "top",
        "--broker",
        &url,
        "-t",
        "top/#",
        "--iterations",
        "3",
        "--interval",
        "1s",
        "-n",
        "5",
    ]);
    let out = run(cmd);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    feeding.join().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    // The last of the three tables (printed one after the other: no terminal here).
    let last = stdout.rsplit(&url).next().unwrap();
    let rows: Vec<&str> = last
        .lines()
        .skip_while(|l| !l.trim_end().ends_with("TOPIC"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 2, "{stdout}");
    assert!(rows[0].ends_with("top/busy"), "{stdout}");
    assert!(rows[1].ends_with("top/calm"), "{stdout}");
    // Over the 10 s window, 3 s in: a third of the rates, in their ratio (25:1).
    let rate = |row: &str| -> f64 { row.split_whitespace().next().unwrap().parse().unwrap() };
    assert!(rate(rows[0]) > 10.0 * rate(rows[1]), "{stdout}");
}
