//! The workspace in the real window (egui_kittest, real brokers on 127.0.0.1): panes
//! keep their minimum size on a laptop, a medium and a large screen; typing in the
//! filter during a flood moves no divider; two brokers keep two trees; the keyboard
//! reaches the tree, the filter, the palette and the help.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::TestBroker;
use common::window::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable};
use topicscope::app::StartConnect;
use topicscope::mqtt::{Command, PublishRequest, WorkerHandle};
use topicscope::profiles::Profile;
use topicscope::ui::{Action, Pane};

fn pane_rect(h: &AppHarness, pane: Pane) -> Option<egui::Rect> {
    h.state().ui.workspace.pane_rect(pane)
}

/// Asserts that `pane` is on screen with at least its minimum size.
fn assert_min_size(h: &AppHarness, pane: Pane, screen: [f32; 2]) {
    let r = pane_rect(h, pane).unwrap_or_else(|| panic!("{pane:?} is not shown at {screen:?}"));
    let min = pane.min_size() - egui::vec2(0.0, topicscope::ui::workspace_metrics().tab_bar);
    assert!(
        r.width() + 1.0 >= min.x && r.height() + 1.0 >= min.y,
        "{pane:?} got {:?} at {screen:?}, wants at least {min:?}",
        r.size()
    );
}

#[cfg(feature = "broker")]
#[test]
fn the_demo_fits_a_laptop_a_desktop_and_a_large_screen() {
    for screen in [[1024.0, 700.0], [1440.0, 900.0], [2560.0, 1440.0]] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = app_sized(dir.path(), Some(StartConnect::Demo), screen);
        // The demo opens on a sensor: its payload is read next to the tree.
        step_until(&mut h, "the demo sensor is selected", |h| {
            h.state().ui.selected_topic(&h.state().state).as_deref() == Some("tele/tasmota_5C3F21/SENSOR")
        });
        step_until(&mut h, "the demo sensor's payload shows", |h| {
            h.query_all_by_label_contains("\"ENERGY\"").next().is_some()
        });
        h.step();
        assert_min_size(&h, Pane::Tree, screen);
        assert_min_size(&h, Pane::Inspector, screen);
        let tree = pane_rect(&h, Pane::Tree).unwrap();
        let inspector = pane_rect(&h, Pane::Inspector).unwrap();
        assert!(
            inspector.left() >= tree.right() - 1.0,
            "the inspector is beside the tree at {screen:?}"
        );
        // The charts are reachable: shown (as a tab where there is no room beside), and
        // then they too get their minimum.
        run_action(&mut h, Action::ShowPane(Pane::Charts));
        assert_min_size(&h, Pane::Charts, screen);
        assert!(
            h.query_all_by_label("Temperatures").next().is_some(),
            "the demo chart shows"
        );
        if screen[0] >= 1400.0 {
            // Room for both: the charts did not take the inspector's place.
            assert_min_size(&h, Pane::Inspector, screen);
        }
        // Every pane, shown in turn, gets its minimum.
        for pane in Pane::ALL {
            run_action(&mut h, Action::ShowPane(pane));
            assert_min_size(&h, pane, screen);
        }
    }
}

#[test]
fn typing_in_the_filter_during_a_flood_moves_no_divider() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let flood = {
        let stop = stop.clone();
        let url = broker.url();
        std::thread::spawn(move || {
            let worker = WorkerHandle::spawn(None).unwrap();
            let mut p = Profile::new("flood", url);
            p.subscriptions.clear();
            worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) && i < 200_000 {
                let topic = format!("flood/device{}/reading-with-a-long-name-{}", i % 50, i % 7);
                let req = PublishRequest::new(i, topic, format!("{{\"v\": {i}}}").into_bytes(), 0, false);
                // The worker reports every publish: read those reports, or it stops.
                while worker.events.try_recv().is_ok() {}
                if worker.send(Command::Publish(req)).is_err() {
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                }
                i += 1;
                if i.is_multiple_of(200) {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        })
    };
    step_until(&mut h, "the flood arrives", |h| {
        h.state().state.conn().model.total_messages() > 500
    });
    let before: Vec<_> = Pane::ALL.iter().map(|p| pane_rect(&h, *p)).collect();
    h.get_by_label("Filter").focus();
    h.step();
    let deadline = Instant::now() + Duration::from_secs(3);
    for c in "device1/reading-with-a-long-name".chars() {
        h.get_by_label("Filter").type_text(&c.to_string());
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    while Instant::now() < deadline {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let during: Vec<_> = Pane::ALL.iter().map(|p| pane_rect(&h, *p)).collect();
    assert_eq!(before, during, "a pane moved while typing in the filter");
    // Clearing the filter leaves them where they were too.
    h.get_by_label("Filter").set_text_value_accesskit("");
    h.step();
    h.step();
    let after: Vec<_> = Pane::ALL.iter().map(|p| pane_rect(&h, *p)).collect();
    assert_eq!(before, after);
    stop.store(true, Ordering::Relaxed);
    flood.join().unwrap();
}

#[test]
fn two_brokers_keep_two_trees() {
    let a = TestBroker::embedded();
    let b = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&a, dir.path());
    feed(&a, &[("alpha-site/temp", "21", true)]);
    step_until(&mut h, "A's topic", |h| {
        h.state().state.conn().model.tree().find("alpha-site/temp").is_some()
    });

    // A second broker opens beside the first.
    h.state_mut().state.connect(Profile::new("second", b.url()));
    step_until(&mut h, "B connected and subscribed", |h| {
        let c = h.state().state.conn();
        c.name == "second" && c.connected() && c.subscriptions.iter().any(|s| s.status.starts_with("granted"))
    });
    assert_eq!(h.state().state.connections.len(), 2);
    feed(&b, &[("beta-site/temp", "30", true)]);
    feed(&a, &[("alpha-site/humidity", "40", true)]);
    step_until(&mut h, "B's topic", |h| {
        h.state().state.conn().model.tree().find("beta-site/temp").is_some()
    });
    step_until(&mut h, "A's second topic", |h| {
        h.state().state.connections[0]
            .model
            .tree()
            .find("alpha-site/humidity")
            .is_some()
    });
    let (first, second) = (&h.state().state.connections[0], &h.state().state.connections[1]);
    assert!(first.model.tree().find("beta-site").is_none(), "B's data in A's tree");
    assert!(second.model.tree().find("alpha-site").is_none(), "A's data in B's tree");
    assert_eq!(first.model.tree().topic_count(), 2);
    assert_eq!(second.model.tree().topic_count(), 1);

    // The window shows the active connection's tree only; Ctrl+1 goes back to the first.
    step_until(&mut h, "B's tree on screen", |h| {
        h.query_by_label("beta-site").is_some() && h.query_by_label("alpha-site").is_none()
    });
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    step_until(&mut h, "A's tree on screen", |h| {
        h.query_by_label("alpha-site").is_some() && h.query_by_label("beta-site").is_none()
    });
    // "Clear" empties the active tree only.
    h.get_by_label("Clear").click();
    step_until(&mut h, "A's tree emptied", |h| {
        h.state().state.conn().model.tree().topic_count() == 0
    });
    assert_eq!(h.state().state.connections[1].model.tree().topic_count(), 1);
}

#[test]
fn the_keyboard_reaches_the_tree_the_filter_the_palette_and_the_help() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    feed(
        &broker,
        &[
            ("kb/a", "1", false),
            ("kb/b", "2", false),
            ("kb/c", "3", false),
            ("kb/d", "4", false),
        ],
    );
    step_until(&mut h, "four topics", |h| {
        h.state().state.conn().model.tree().topic_count() >= 4
    });
    run_action(&mut h, Action::ExpandAll);
    let selected = |h: &AppHarness| h.state().ui.selected_topic(&h.state().state);

    // A button has the keyboard focus (as after Tab): the arrows still move the selection.
    h.get_by_label("Expand all").focus();
    h.step();
    assert!(h.ctx.memory(|m| m.focused().is_some()), "a widget has the focus");
    h.key_press(Key::Home);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb"));
    h.key_press(Key::ArrowDown);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb/a"));
    h.key_press(Key::End);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb/d"));
    h.key_press(Key::PageUp);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb"));
    h.key_press(Key::PageDown);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb/d"));
    h.key_press(Key::ArrowLeft);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb"), "Left goes to the parent");

    // Ctrl+F: typing goes into the filter; the arrows leave the selection alone.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.step();
    h.step();
    h.event(egui::Event::Text("zz".into()));
    h.step();
    assert_eq!(h.get_by_label("Filter").value().as_deref(), Some("zz"));
    h.key_press(Key::ArrowDown);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb"));
    // Escape hands the keyboard back to the tree.
    h.key_press(Key::Escape);
    h.step();
    h.get_by_label("Filter").set_text_value_accesskit("");
    h.step();
    h.step();
    h.key_press(Key::ArrowDown);
    h.step();
    assert_eq!(selected(&h).as_deref(), Some("kb/a"));

    // Ctrl+K: the palette finds "Close pane: Publish" from a few letters; Enter runs it.
    assert!(pane_rect(&h, Pane::Publish).is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.step();
    assert!(h.state().ui.palette.is_some(), "Ctrl+K opened the palette");
    h.step();
    assert!(h.state().ui.palette.is_some(), "the palette stays open");
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Command");
    assert!(
        field.accesskit_node().is_focused(),
        "the query field has the keyboard: {:?}",
        h.ctx.memory(|m| m.focused())
    );
    h.event(egui::Event::Text("close publish".into()));
    h.step();
    assert!(
        h.query_by_label("Close pane: Publish").is_some(),
        "the palette lists the action: {:?}",
        h.query_all_by_label_contains("")
            .map(|n| n.accesskit_node().label().unwrap_or_default())
            .collect::<Vec<_>>()
    );
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(pane_rect(&h, Pane::Publish).is_none(), "the Publish pane closed");
    // …and reopens from the palette too.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    h.step();
    h.step();
    h.event(egui::Event::Text("show pane publish".into()));
    h.step();
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(pane_rect(&h, Pane::Publish).is_some(), "the Publish pane is back");

    // F1 lists the shortcuts; Escape closes the list.
    h.key_press(Key::F1);
    h.step();
    h.step();
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
}

#[test]
fn a_reset_layout_comes_back_after_closing_panes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), None, [1440.0, 900.0]);
    h.state_mut().ui.profile_dialog = None;
    h.step();
    for p in [Pane::Charts, Pane::Inspector] {
        run_action(&mut h, Action::ClosePane(p));
        assert!(pane_rect(&h, p).is_none(), "{p:?} closed");
    }
    run_action(&mut h, Action::ResetLayout);
    for p in [Pane::Tree, Pane::Inspector, Pane::Charts, Pane::Publish] {
        assert!(pane_rect(&h, p).is_some(), "{p:?} is back after the reset");
    }
}

#[test]
fn a_pane_opened_on_a_crowded_tab_bar_shows_its_tab() {
    let dir = tempfile::tempdir().unwrap();
    let screen = [1024.0, 700.0];
    let mut h = app_sized(dir.path(), None, screen);
    h.step();
    h.step();
    // The laptop layout's right-hand bar holds five tabs; two more overflow it.
    for pane in [Pane::Broker, Pane::Discovery] {
        run_action(&mut h, Action::ShowPane(pane));
        for _ in 0..3 {
            h.step();
        }
        let area = pane_rect(&h, pane).unwrap_or_else(|| panic!("{pane:?} is shown"));
        let title = pane.title();
        let tab = h
            .query_all_by_label_contains(&title)
            .map(|n| n.rect())
            .find(|r| r.max.y <= area.min.y + 1.0 && r.min.y >= area.min.y - 60.0)
            .unwrap_or_else(|| panic!("no tab named {title} over the pane"));
        assert!(
            tab.min.x >= area.min.x - 1.0 && tab.max.x <= area.max.x + 1.0,
            "the active {title} tab lies at x {:.0}..{:.0}, its bar shows {:.0}..{:.0}",
            tab.min.x,
            tab.max.x,
            area.min.x,
            area.max.x
        );
    }
}
