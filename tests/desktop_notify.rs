//! Desktop notifications of device trouble (the embedded broker on 127.0.0.1, the real
//! window): with the setting on, a board going offline runs `notify-send` with the
//! toast's words; a program that cannot be run is told once, in words, and the toasts
//! go on. The program here is a script standing in for `notify-send` that writes down
//! its arguments (no notification daemon runs in CI).

#![cfg(feature = "broker")]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::TestBroker;
use common::window::*;

#[test]
fn a_board_going_offline_pops_up_on_the_desktop_when_asked() {
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("calls.txt");
    let script = bin.path().join("notify-send");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let mut settings = h.state().state.conn().profile.devices.clone();
    settings.desktop_notifications = true;
    settings.notify_command = script.display().to_string();
    h.state_mut().state.set_device_settings(settings);
    feed(&broker, &[("lab/esp-07/status", "online", false)]);
    step_until(&mut h, "esp-07 is online", |h| {
        h.state()
            .state
            .conn()
            .devices
            .find("lab/esp-07")
            .and_then(|d| d.available)
            == Some(true)
    });
    // The first verdict is the baseline; let it be taken before the change.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.step();
    feed(&broker, &[("lab/esp-07/status", "offline", false)]);
    step_until(&mut h, "notify-send was run", |_| {
        std::fs::read_to_string(&log).is_ok_and(|t| t.contains("went offline"))
    });
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains("Topicscope"), "{calls}");
    assert!(calls.contains("lab/esp-07 went offline"), "{calls}");
    assert!(
        has_label_containing(&h, "lab/esp-07 went offline"),
        "the toast is still shown"
    );

    // A program that is not there: said once, in words.
    std::fs::remove_file(&script).unwrap();
    feed(&broker, &[("lab/esp-07/status", "online", false)]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.step();
    feed(&broker, &[("lab/esp-07/status", "offline", false)]);
    step_until(&mut h, "the missing program is told", |h| {
        has_label_containing(h, "could not be run")
    });
    assert!(
        has_label_containing(&h, "lab/esp-07 went offline"),
        "the toast is still shown"
    );
}
