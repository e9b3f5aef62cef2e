//! The real window (the app through egui_kittest) for the UI tests: start it at a size,
//! step it until something holds, and feed its broker from an independent client.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use topicscope::app::{StartConnect, StartOptions, TopicscopeApp};
use topicscope::mqtt::{Command, ConnectionState, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::Profile;

use super::TestBroker;

pub type AppHarness = Harness<'static, TopicscopeApp>;

pub const WAIT: Duration = Duration::from_secs(15);

pub fn app(config_dir: &Path, connect: Option<StartConnect>) -> AppHarness {
    app_sized(config_dir, connect, [1400.0, 900.0])
}

/// The window at `size` (points), as on a screen of that size.
pub fn app_sized(config_dir: &Path, connect: Option<StartConnect>, size: [f32; 2]) -> AppHarness {
    let dir = config_dir.to_path_buf();
    Harness::builder().with_size(size).build_eframe(move |cc| {
        TopicscopeApp::new(
            cc,
            StartOptions {
                config_dir: Some(dir),
                connect,
                ..StartOptions::default()
            },
        )
    })
}

/// Steps the app until `cond` holds; panics with `what` after [`WAIT`].
pub fn step_until(h: &mut AppHarness, what: &str, cond: impl Fn(&AppHarness) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        h.step();
        if cond(h) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// Runs `action` as the palette or a shortcut would, then lets two frames draw it.
pub fn run_action(h: &mut AppHarness, action: topicscope::ui::Action) {
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, action);
    h.step();
    h.step();
}

pub fn connected(h: &AppHarness) -> bool {
    matches!(h.state().state.conn().status, ConnectionState::Connected { .. })
}

/// Replaces the text of the field named `label` (focus, select all, type).
#[allow(dead_code)]
pub fn fill(h: &mut AppHarness, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

/// Types `dir` into the file dialog's folder field: the dialog shows that folder.
#[allow(dead_code)]
pub fn go_to_folder(h: &mut AppHarness, dir: &Path) {
    use topicscope::ui::file_dialog::folder_label;
    step_until(h, "the file dialog is open", |h| has_label(h, &folder_label()));
    // Two frames more: right after a modal dialog (Record, Export) stepped aside for it,
    // the folder field was seen not to take the typing yet.
    h.step();
    h.step();
    // Every field and button of the dialog has a name (egui_file leaves its text fields
    // unnamed; file_dialog names them).
    h.check_accessibility();
    fill(h, &folder_label(), &dir.display().to_string());
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
}

pub fn has_label(h: &AppHarness, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

pub fn has_label_containing(h: &AppHarness, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// A connected app plus an independent client to feed it.
pub fn connected_app(broker: &TestBroker, dir: &Path) -> AppHarness {
    let mut h = app(dir, Some(StartConnect::Broker(broker.url())));
    step_until(&mut h, "connected", connected);
    // Wait for the broker's answers (every filter granted or given up: rumqttd alone drops
    // the connection on `$SYS/#`, and the app then gives that filter up and reconnects)
    // so nothing published next is missed.
    step_until(&mut h, "subscribed", |h| {
        let subs = &h.state().state.conn().subscriptions;
        connected(h)
            && subs.iter().all(|s| s.status != "pending")
            && subs.iter().any(|s| s.filter == "#" && s.status.starts_with("granted"))
    });
    h
}

/// Publishes from a separate client (the worker, not the window under test).
pub fn feed(broker: &TestBroker, messages: &[(&str, &str, bool)]) {
    let raw: Vec<(&str, &[u8], bool)> = messages.iter().map(|(t, p, r)| (*t, p.as_bytes(), *r)).collect();
    feed_raw(broker, &raw);
}

/// Publishes raw bytes, retained, from a separate client and waits for the acks.
#[allow(dead_code)]
pub fn feed_bytes(broker: &TestBroker, messages: &[(&str, &[u8])]) {
    let raw: Vec<(&str, &[u8], bool)> = messages.iter().map(|(t, p)| (*t, *p, true)).collect();
    feed_raw(broker, &raw);
}

/// Publishes (topic, payload bytes, retain) in order at QoS 1 from a separate client
/// and waits for the acks.
pub fn feed_raw(broker: &TestBroker, messages: &[(&str, &[u8], bool)]) {
    feed_url(&broker.url(), messages);
}

/// [`feed_raw`] to the broker at `url` (one not started as a [`TestBroker`]).
pub fn feed_url(url: &str, messages: &[(&str, &[u8], bool)]) {
    let worker = WorkerHandle::spawn(None).unwrap();
    let mut p = Profile::new("feeder", url);
    p.subscriptions.clear();
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    for (i, (topic, payload, retain)) in messages.iter().enumerate() {
        let req = PublishRequest::new(i as u64 + 1, *topic, payload.to_vec(), 1, *retain);
        worker.send_blocking(Command::Publish(req)).unwrap();
    }
    let mut acked = 0;
    let deadline = Instant::now() + WAIT;
    while acked < messages.len() {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::PublishAcked { .. }) => acked += 1,
            Ok(Event::PublishFailed { reason, .. }) => panic!("feed failed: {reason}"),
            Ok(_) => {}
            Err(_) => panic!("feed: only {acked} of {} acknowledged", messages.len()),
        }
    }
}

pub fn select_topic(h: &mut AppHarness, level: &str) {
    h.get_by_label("Expand all").click();
    h.step();
    h.step();
    h.get_by_label(level).click();
    h.step();
    h.step();
}
