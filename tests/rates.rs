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
/// records what a second client receives; returns the model and the time of the end.
fn run(streams: &[(&str, u64)], secs: u64, model: &mut Model) -> std::time::SystemTime {
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
        for ((topic, _), s) in streams.iter().zip(&mut schedules) {
            for _ in 0..s.due(now) {
                id += 1;
                publish(&publisher, id, topic, format!("{id}"), 0, false);
            }
        }
        while let Ok(ev) = subscriber.events.try_recv() {
            if let Event::Messages(batch) = ev {
                batch.into_iter().for_each(|m: Message| drop(model.ingest(m)));
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // What is still in flight arrives within a few ms on loopback.
    let settle = Instant::now() + Duration::from_millis(200);
    while let Ok(ev) = subscriber.events.recv_deadline(settle) {
        if let Event::Messages(batch) = ev {
            batch.into_iter().for_each(|m| drop(model.ingest(m)));
        }
    }
    std::time::SystemTime::now()
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
    let end = run(&[("rates/busy/a", 100), ("rates/calm/b", 20)], 12, &mut model);
    let tree = model.tree();
    let now = epoch_ms(end);
    let rate = |topic: &str| tree.node(tree.find(topic).unwrap()).rate_at(now);
    let (a, b) = (rate("rates/busy/a"), rate("rates/calm/b"));
    assert!(within(a.messages, 100.0, 0.05), "a: {a:?}");
    assert!(within(b.messages, 20.0, 0.05), "b: {b:?}");
    // Payloads are the publish numbers: 3 to 4 bytes each here.
    assert!(a.bytes > 2.5 * a.messages && a.bytes < 4.5 * a.messages, "a: {a:?}");
    let all = rate("rates");
    assert!(within(all.messages, 120.0, 0.05), "subtree: {all:?}");
    assert_eq!(rate("rates/quiet").messages, 0.0, "an old burst is not a rate");

    // Sorted by messages, the archive comes first; by current rate, the busy topic.
    let root = tree.find("rates").unwrap();
    let names = |sort| {
        tree.sorted_children(root, sort)
            .into_iter()
            .map(|id| tree.node(id).name().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(SortKey::Messages)[0], "quiet");
    assert_eq!(names(SortKey::Rate), vec!["busy", "calm", "quiet"]);
}
