//! The window applies incoming messages between frames, on a thread of its own: what
//! arrives while no frame runs is in the model when the next frame begins. An opened
//! recording still plays (on the clock, in the frames).

mod common;

use std::time::{Duration, Instant};

use common::TestBroker;
use common::window::{AppHarness, WAIT, feed_raw};
use topicscope::app::{StartConnect, StartOptions, TopicscopeApp};
use topicscope::mqtt::ConnectionState;

fn app(broker: &TestBroker, dir: &std::path::Path) -> AppHarness {
    app_to(dir, StartConnect::Broker(broker.url()))
}

fn app_to(dir: &std::path::Path, connect: StartConnect) -> AppHarness {
    let dir = dir.to_path_buf();
    egui_kittest::Harness::builder()
        .with_size([1200.0, 800.0])
        .build_eframe(move |cc| {
            TopicscopeApp::new(
                cc,
                StartOptions {
                    config_dir: Some(dir),
                    connect: Some(connect),
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

#[test]
fn an_opened_recording_plays_with_the_background_drain_on() {
    use topicscope::model::Message;
    use topicscope::record::schema::system_time;
    use topicscope::record::{RecordingMeta, RecordingWriter, WriterOptions};

    const T0: i64 = 1_780_000_000_000_000;
    const SEC: i64 = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("温室.tsrec");
    let w = RecordingWriter::create(
        &file,
        &RecordingMeta::new("mqtt://farm.lan:1883", &["#".into()]),
        WriterOptions::default(),
    )
    .unwrap();
    let batch: Vec<Message> = (0..10)
        .map(|i| {
            let mut m = Message::new("温室/温度", (20 + i).to_string(), 1, false);
            m.time = system_time(T0 + i * SEC);
            m
        })
        .collect();
    w.send(batch).unwrap();
    w.finish().unwrap();

    let value = |app: &TopicscopeApp| {
        let tree = app.state.conn().model.tree();
        let id = tree.find("温室/温度")?;
        tree.last_message(id)
            .map(|m| String::from_utf8_lossy(&m.payload).into_owned())
    };
    let mut h = app_to(dir.path(), StartConnect::Recording(file));
    step_until(&mut h, "the recording is read", |app| {
        app.state.conn().playback.as_ref().is_some_and(|p| p.ready())
    });
    {
        let app = h.state_mut();
        app.take_back_parts();
        assert_eq!(value(app).as_deref(), Some("29"), "opened at its end");
        app.state.seek_recording(T0 + 2 * SEC);
        app.lend_parts();
    }
    step_until(&mut h, "the moment is read", |app| {
        app.state.conn().playback.as_ref().is_some_and(|p| p.ready()) && value(app).as_deref() == Some("22")
    });
    {
        let app = h.state_mut();
        app.take_back_parts();
        app.state.set_play_speed(100);
        app.state.toggle_play();
        app.lend_parts();
    }
    step_until(&mut h, "playing reaches the end", |app| {
        value(app).as_deref() == Some("29") && app.state.conn().playback.as_ref().is_some_and(|p| !p.playing)
    });
}
