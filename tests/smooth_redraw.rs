//! "Smooth live updates": a saved setting that the Panes menu and the palette switch.
//!
//! In its own test binary: the redraw mode is one value per process (one window per
//! process), and every other window test's new app sets it back to its default.

mod common;

use std::time::Duration;

use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::ui::Action;

#[test]
fn smooth_live_updates_is_a_saved_setting_the_panes_menu_and_the_palette_switch() {
    use topicscope::app::redraw;
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), None, [1440.0, 900.0]);
    h.state_mut().ui.profile_dialog = None;
    h.step();
    // Light by default: data redraws four times a second.
    assert!(!h.state().ui.settings.smooth_redraw);
    assert_eq!(redraw::interval(), Duration::from_millis(250));
    h.get_by_label("Panes").click();
    h.step();
    h.step();
    h.get_by_label("Smooth live updates").click();
    h.step();
    assert!(
        h.state().ui.settings.smooth_redraw,
        "the menu's checkbox switched it on"
    );
    assert_eq!(redraw::interval(), Duration::from_millis(16));
    // The palette offers the other way back, in words.
    let label = Action::ToggleSmoothRedraw.label(&h.state().state);
    assert!(label.contains("4 times a second"), "{label}");
    run_action(&mut h, Action::ToggleSmoothRedraw);
    assert!(!h.state().ui.settings.smooth_redraw);
    assert_eq!(redraw::interval(), Duration::from_millis(250));
}
