//! A device's command button against mosquitto, in the real window (egui_kittest): the
//! simulated fleet runs against a mosquitto on 127.0.0.1 instead of the built-in broker;
//! the Tasmota plug's TOGGLE publishes `cmnd/…/POWER`, the plug answers through
//! mosquitto, and the row shows the new state and the round trip. mosquitto is
//! required: the test fails when it is missing.

mod common;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::ui::{Action, Pane};

fn plug_power(h: &AppHarness) -> Option<String> {
    let d = h.state().state.conn().devices.find("tasmota_5C3F21")?;
    d.states.iter().find(|(k, _)| k == "POWER").map(|(_, v)| v.clone())
}

#[test]
fn the_plugs_toggle_goes_through_mosquitto_and_its_answer_comes_back() {
    let broker = TestBroker::mosquitto().expect("mosquitto is installed (apt-get install mosquitto)");
    let _fleet = topicscope::demo::Fleet::start(&broker.url()).expect("start the simulated fleet");
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    step_until(&mut h, "the plug reports its POWER", |h| plug_power(h).is_some());
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(Pane::Devices));
    h.step();
    h.get_by_label("Filter devices").focus();
    h.step();
    h.get_by_label("Filter devices").type_text("tasmota");
    h.step();
    h.step();
    let before = plug_power(&h).unwrap();
    h.get_by_label("TOGGLE").click();
    h.step();
    let sent = &h.state().state.publish_history.records[0];
    assert_eq!(
        (sent.topic.as_str(), sent.payload.as_str()),
        ("cmnd/tasmota_5C3F21/POWER", "TOGGLE")
    );
    let want = if before == "ON" { "OFF" } else { "ON" };
    step_until(&mut h, "the plug answers through mosquitto", |h| {
        plug_power(h).as_deref() == Some(want)
    });
    h.step();
    assert!(has_label(&h, &format!("POWER: {want}")), "the row shows the new state");
    let rtt = h.state().state.conn().devices.find("tasmota_5C3F21").unwrap().last_rtt;
    assert!(rtt.is_some_and(|r| r > 0.0 && r < 5.0), "{rtt:?}");
    assert!(has_label_containing(&h, "answered in"));
}
