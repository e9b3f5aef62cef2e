//! Micro-benchmarks of the per-message hot paths: topic insert, history push, payload
//! classification and number extraction. Run with `cargo bench --bench hot_paths`.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use topicscope::model::{History, Message, Model, StoredMessage, TopicTree, classify, extract_number};

fn ingest(c: &mut Criterion) {
    let topics: Vec<String> = (0..100_000)
        .map(|i| format!("fleet/esp32-{:05}/sensor/{}", i / 10, i % 10))
        .collect();
    let payload = Bytes::from(vec![b'x'; 100]);
    c.bench_function("ingest one topic (100-byte payloads)", |b| {
        let mut model = Model::new(64 * 1024 * 1024);
        b.iter(|| model.ingest(Message::new("tele/plug/SENSOR", payload.clone(), 0, false)));
    });
    c.bench_function("ingest over 100k topics (100-byte payloads)", |b| {
        let mut model = Model::new(64 * 1024 * 1024);
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % topics.len();
            model.ingest(Message::new(topics[i].clone(), payload.clone(), 0, false))
        });
    });
}

fn parts(c: &mut Criterion) {
    let payload = Bytes::from(vec![b'x'; 100]);
    let stored = || StoredMessage::new(payload.clone(), 0, false, std::time::SystemTime::UNIX_EPOCH, None);
    c.bench_function("topic insert (new topic, 4 levels)", |b| {
        let mut tree = TopicTree::new();
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            tree.get_or_insert(&format!("fleet/esp32-{}/sensor/{}", i / 10, i % 10))
        });
    });
    c.bench_function("history push (100 topics, budget full, evicting)", |b| {
        let mut tree = TopicTree::new();
        let ids: Vec<_> = (0..100).map(|i| tree.get_or_insert(&format!("t/{i}"))).collect();
        let mut history = History::new(4 * 1024 * 1024);
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            history.push(ids[i], stored());
        });
    });
}

fn decode(c: &mut Criterion) {
    let json = br#"{"Time":"2026-11-20T08:15:02","AM2301":{"Temperature":21.7,"Humidity":48.3},"TempUnit":"C"}"#;
    c.bench_function("classify JSON payload", |b| b.iter(|| classify(black_box(json))));
    c.bench_function("classify binary payload", |b| {
        b.iter(|| classify(black_box(&[0xffu8, 0, 1, 2, 3, 4, 5, 6][..])))
    });
    c.bench_function("extract number with unit", |b| {
        b.iter(|| extract_number(black_box("1013.2 hPa")))
    });
}

criterion_group!(benches, ingest, parts, decode);
criterion_main!(benches);
