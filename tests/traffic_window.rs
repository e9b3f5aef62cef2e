//! The Traffic pane in the real window (egui_kittest, the demo fleet on 127.0.0.1): it
//! lists the busiest topics now, and a click on one selects it in the tree.

#![cfg(feature = "broker")]

mod common;

use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::app::StartConnect;
use topicscope::ui::{Action, Pane};

#[test]
fn the_busiest_topic_is_listed_and_a_click_selects_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), Some(StartConnect::Demo), [1440.0, 900.0]);
    step_until(&mut h, "connected", connected);
    run_action(&mut h, Action::ShowPane(Pane::Traffic));
    step_until(&mut h, "the busiest topics are listed", |h| {
        has_label(h, "Busiest topics (messages/s)")
            && h.state()
                .state
                .conn()
                .traffic
                .last
                .as_ref()
                .is_some_and(|(_, s)| !s.by_messages.is_empty())
    });
    h.step();
    let first = h.state().state.conn().traffic.last.as_ref().unwrap().1.by_messages[0].clone();
    assert!(first.rate.messages > 0.0, "{first:?}");
    // The topic is a link; several lists may show it: take the first. Only links: the
    // inspector's header names the selected topic too, and the demo's selected sensor
    // can be the busiest topic at that moment (a click there misses the pane).
    // The Devices pane links topics too: take one under the Traffic pane's list header.
    let header = h.get_by_label("Busiest topics (messages/s)").rect();
    let link = h
        .query_all_by_role_and_label(egui::accesskit::Role::Link, &first.topic)
        .find(|n| {
            let r = n.rect();
            r.min.y > header.min.y && r.min.x < header.max.x && r.max.x > header.min.x
        })
        .expect("the topic is shown as a link in the Traffic pane");
    link.click();
    h.step();
    h.step();
    assert_eq!(
        h.state().ui.selected_topic(&h.state().state).as_deref(),
        Some(first.topic.as_str())
    );
    assert!(has_label_containing(&h, "All: "), "the whole rate is shown");
    // The pointer still rests on the list: its order is held (and says so), so a
    // second click lands on the row the user aimed at however long the pause.
    assert!(has_label_containing(&h, "Order held"), "the hold is shown");
    let held_at = h.state().state.conn().traffic.last.as_ref().unwrap().0;
    std::thread::sleep(topicscope::app::traffic::SCAN_EVERY + std::time::Duration::from_millis(100));
    h.step();
    assert_eq!(
        h.state().state.conn().traffic.last.as_ref().unwrap().0,
        held_at,
        "rescanned under the pointer"
    );
    // The pointer leaves: the lists move on.
    h.hover_at(egui::pos2(1.0, 1.0));
    h.step();
    h.step();
    assert!(
        h.state().state.conn().traffic.last.as_ref().unwrap().0 > held_at,
        "the lists stay held"
    );
    assert!(!has_label_containing(&h, "Order held"));
    assert!(has_label_containing(&h, "Re-sorted every second"));
}

#[test]
fn the_inspector_shows_a_topics_last_minute() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), Some(StartConnect::Demo), [1440.0, 900.0]);
    step_until(&mut h, "connected", connected);
    // The demo selects the plug's sensor, which reports every 2 s.
    step_until(&mut h, "the sensor's last minute", |h| has_label(h, "Last minute"));
    step_until(&mut h, "its mean rate", |h| has_label_containing(h, "on average"));
}
