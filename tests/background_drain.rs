//! The window applies incoming messages between frames, on a thread of its own: what
//! arrives while no frame runs is in the model when the next frame begins.

mod common;

use std::time::{Duration, Instant};

use common::TestBroker;
use common::window::{AppHarness, WAIT, feed_raw};
use topicscope::app::{StartConnect, StartOptions, TopicscopeApp};
use topicscope::mqtt::ConnectionState;

fn app(broker: &TestBroker, dir: &std::path::Path) -> AppHarness {
    let dir = dir.to_path_buf();
    let url = broker.url();
    egui_kittest::Harness::builder()
        .with_size([1200.0, 800.0])
        .build_eframe(move |cc| {
            TopicscopeApp::new(
                cc,
                StartOptions {
                    config_dir: Some(dir),
                    connect: Some(StartConnect::Broker(url)),
                    background_drain: true,
                    ..StartOptions::default()
                },
            )
        })
}

/// Steps frames until `cond` holds of the state (taken back to be read, lent again).
fn step_until(h: &mut AppHarness, what: &str, cond: impl Fn(&TopicscopeApp) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        h.step();
        let app = h.state_mut();
        app.take_back_parts();
        let done = cond(app);
        app.lend_parts();
        if done {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(15));
    }
}

#[test]
fn messages_arriving_between_frames_are_applied_without_a_frame() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&broker, dir.path());
    step_until(&mut h, "subscribed to #", |app| {
        let c = app.state.conn();
        matches!(c.status, ConnectionState::Connected { .. })
            && c.subscriptions
                .iter()
                .any(|s| s.filter == "#" && s.status.starts_with("granted"))
    });

    // From here on no frame runs: the state is lent to the background drain.
    let messages: Vec<(String, Vec<u8>)> = (0..2000)
        .map(|i| {
            (
                format!("温室/板{:03}/温度", i % 200),
                format!("{}.5", i % 40).into_bytes(),
            )
        })
        .collect();
    let raw: Vec<(&str, &[u8], bool)> = messages.iter().map(|(t, p)| (t.as_str(), &p[..], false)).collect();
    feed_raw(&broker, &raw);

    let app = h.state_mut();
    let deadline = Instant::now() + WAIT;
    loop {
        app.take_back_parts();
        let applied = app.state.conn().model.total_messages();
        if applied >= 2000 {
            assert_eq!(applied, 2000);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {applied} of 2000 messages applied between frames"
        );
        app.lend_parts();
        std::thread::sleep(Duration::from_millis(20));
    }
    let tree = app.state.conn().model.tree();
    let id = tree.find("温室/板007/温度").expect("the topic is in the tree");
    assert_eq!(tree.history().len(id), 10, "every message of the topic kept");

    // Frames go on as before with the state taken back and lent again.
    app.lend_parts();
    h.step();
    h.state_mut().take_back_parts();
    assert_eq!(h.state().state.conn().model.total_messages(), 2000);
}
