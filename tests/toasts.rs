//! Notices and errors as toasts in the real window (egui_kittest), on the smallest
//! screen the workspace is made for: a notice shows as a card that its ✖ removes, the
//! same error again counts up on one card, and a pile of them stays in a corner.

mod common;

use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::app::NoticeLevel;

const SCREEN: [f32; 2] = [1024.0, 700.0];

/// Cards showing `text` (the status bar's line, along the bottom edge, does not count).
fn cards(h: &AppHarness, text: &str) -> usize {
    h.query_all_by_label(text)
        .filter(|n| n.rect().max.y < SCREEN[1] - 28.0)
        .count()
}

#[test]
fn a_notice_is_a_toast_and_its_cross_removes_it() {
    let config = tempfile::tempdir().unwrap();
    let mut h = app_sized(config.path(), None, SCREEN);
    h.step();
    h.state_mut().state.notice("cleared the topics of bench");
    step_until(&mut h, "the toast shows", |h| {
        cards(h, "cleared the topics of bench") == 1
    });
    h.get_by_label("Dismiss").click();
    h.step();
    h.step();
    assert_eq!(cards(&h, "cleared the topics of bench"), 0, "the ✖ removes the toast");
    assert!(h.state().ui.toasts.items().is_empty());
}

#[test]
fn repeated_errors_collapse_and_a_pile_stays_in_the_corner() {
    let config = tempfile::tempdir().unwrap();
    let mut h = app_sized(config.path(), None, SCREEN);
    h.step();
    for _ in 0..3 {
        h.state_mut().state.error("bench: connection refused");
    }
    step_until(&mut h, "one card counts three", |h| has_label(h, "×3"));
    assert_eq!(cards(&h, "bench: connection refused"), 1);
    let toasts = h.state().ui.toasts.items();
    assert_eq!((toasts.len(), toasts[0].level), (1, NoticeLevel::Error));

    for i in 0..12 {
        h.state_mut()
            .state
            .error(format!("device {i} went offline without a word"));
    }
    step_until(&mut h, "the older ones are counted", |h| has_label(h, "9 more notices"));
    // The corner is laid out from the stack's size in the frame before.
    h.step();
    h.step();
    // Only the newest cards are drawn, inside the bottom-right part of the window.
    let shown: Vec<egui::Rect> = h.query_all_by_label("Dismiss").map(|n| n.rect()).collect();
    assert_eq!(shown.len(), topicscope::ui::toasts::MAX_SHOWN);
    assert_eq!(cards(&h, "device 11 went offline without a word"), 1);
    assert_eq!(cards(&h, "device 0 went offline without a word"), 0);
    let top = shown.iter().map(|r| r.min.y).fold(f32::INFINITY, f32::min);
    assert!(top > SCREEN[1] * 0.3, "the cards reach up to y = {top}");
    let stack = h.get_by_label("9 more notices").rect();
    assert!(stack.min.x > SCREEN[0] * 0.5, "the stack starts at x = {}", stack.min.x);

    h.get_by_label("Dismiss all").click();
    h.step();
    h.step();
    assert!(h.state().ui.toasts.items().is_empty());
}

#[test]
fn an_error_kept_on_screen_folds_to_one_line_and_the_pointer_unfolds_it() {
    use std::time::{Duration, Instant};
    use topicscope::ui::toasts::ERROR_FULL;
    let text = "Client id sim-ESP32Client is used by two clients that keep kicking each other \
                off (Demo fleet): give each board its own client id";
    let config = tempfile::tempdir().unwrap();
    let mut h = app_sized(config.path(), None, SCREEN);
    h.step();
    h.state_mut().state.error(text);
    let card = |h: &AppHarness| {
        h.query_all_by_label_contains("Client id sim-ESP32Client")
            .map(|n| n.rect())
            .find(|r| r.max.y < SCREEN[1] - 28.0)
    };
    step_until(&mut h, "the error shows", |h| card(h).is_some());
    let whole = card(&h).unwrap();
    assert!(
        whole.height() > 40.0,
        "a new error shows its text on several lines: {whole:?}"
    );

    // The same card, as it is once it has stayed past ERROR_FULL.
    h.state_mut().ui.toasts.dismiss_all();
    let then = Instant::now() - ERROR_FULL - Duration::from_secs(1);
    h.state_mut().ui.toasts.push_at(NoticeLevel::Error, text, then);
    h.hover_at(egui::pos2(10.0, 300.0));
    step_until(&mut h, "the error folds to one line", |h| {
        card(h).is_some_and(|r| r.height() < whole.height() / 2.0)
    });
    // The corner is laid out from the stack's size in the frame before.
    h.step();
    h.step();
    let folded = card(&h).unwrap();
    assert!(folded.height() < 25.0, "one line: {folded:?}");

    h.hover_at(folded.center());
    step_until(&mut h, "the pointer over it unfolds it", |h| {
        card(h).is_some_and(|r| r.height() >= whole.height() - 1.0)
    });
    // The card's top line, where its ✖ was before the fold: the pointer there unfolds
    // it too, so a click aimed at the ✖ meets it.
    h.step();
    h.step();
    let unfolded = card(&h).unwrap();
    let top = egui::pos2(unfolded.center().x, unfolded.min.y + 4.0);
    h.hover_at(egui::pos2(10.0, 300.0));
    step_until(&mut h, "it folds when the pointer leaves", |h| {
        card(h).is_some_and(|r| r.height() < whole.height() / 2.0)
    });
    h.step();
    h.step();
    assert!(
        !card(&h).unwrap().contains(top),
        "folded, the card no longer reaches its old top line"
    );
    h.hover_at(top);
    step_until(&mut h, "the pointer where the card was unfolds it", |h| {
        card(h).is_some_and(|r| r.height() >= whole.height() - 1.0)
    });
    h.hover_at(egui::pos2(10.0, 300.0));
    step_until(&mut h, "it folds again when the pointer leaves", |h| {
        card(h).is_some_and(|r| r.height() < whole.height() / 2.0)
    });
    assert_eq!(h.state().ui.toasts.items().len(), 1, "folding never drops the error");
}
