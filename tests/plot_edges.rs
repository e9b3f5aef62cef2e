//! The time plots of the Charts and the Traffic panes in the real window (egui_kittest):
//! their time labels are drawn whole, never cut at the plot's edges, and the
//! Traffic chart's legend is drawn outside the plot rather than over its newest data.

mod common;

use common::window::*;
use egui::epaint::{ClippedShape, Shape};
use egui_kittest::kittest::Queryable;
use topicscope::app::TimeWindow;
use topicscope::ui::{Action, Pane};

/// Every painted text that reads like a time label ("13:05:40"), with its rect and the
/// rect it is clipped to.
fn time_labels(h: &AppHarness) -> Vec<(String, egui::Rect, egui::Rect)> {
    fn walk(shape: &Shape, clip: egui::Rect, out: &mut Vec<(String, egui::Rect, egui::Rect)>) {
        match shape {
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, clip, out)),
            Shape::Text(t) => {
                let text = t.galley.text();
                let b = text.as_bytes();
                let time = b.len() == 8
                    && b.iter().enumerate().all(|(i, c)| {
                        if i == 2 || i == 5 {
                            *c == b':'
                        } else {
                            c.is_ascii_digit()
                        }
                    });
                if time {
                    out.push((text.to_owned(), t.galley.rect.translate(t.pos.to_vec2()), clip));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ClippedShape { clip_rect, shape, .. } in &h.output().shapes {
        walk(shape, *clip_rect, &mut out);
    }
    out
}

fn assert_labels_whole(h: &AppHarness) -> usize {
    let labels = time_labels(h);
    for (text, rect, clip) in &labels {
        assert!(
            clip.expand(0.5).contains_rect(*rect),
            "the time label {text} at {rect:?} is cut by its clip rect {clip:?}"
        );
    }
    labels.len()
}

/// A chart paused a third of a second after a round time: a tick (and its label) sits at
/// the plot's very right edge, and one at its very left edge, which are the labels that
/// were cut ("13:05:4").
#[test]
fn a_charts_labels_at_both_edges_are_drawn_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), None, [1024.0, 700.0]);
    h.step();
    let round = (topicscope::app::now_secs() / 600.0).floor() * 600.0;
    {
        let state = &mut h.state_mut().state;
        let home = state.conn().name.clone();
        let ci = state.charts.add_chart(&home);
        let chart = &mut state.charts.charts[ci];
        chart.window = TimeWindow::Min1;
        chart.paused_at = Some(round + 0.3);
    }
    run_action(&mut h, Action::ShowPane(Pane::Charts));
    h.step();
    let labels = time_labels(&h);
    let newest =
        chrono::DateTime::<chrono::Local>::from(std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(round))
            .format("%H:%M:%S")
            .to_string();
    // The tick at the right edge keeps its line; its label, which would be cut, is not
    // drawn, and the others are drawn whole and as densely as the width allows.
    assert!(
        labels.iter().all(|(t, _, _)| *t != newest),
        "the label of the tick at the right edge ({newest}) is drawn, so cut: {labels:?}"
    );
    assert!(
        labels.len() >= 4,
        "a one-minute chart at 1024 px labels every ten seconds: {labels:?}"
    );
    assert_labels_whole(&h);
}

#[cfg(feature = "broker")]
#[test]
fn the_traffic_charts_legend_is_outside_and_its_labels_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), Some(topicscope::app::StartConnect::Demo), [1024.0, 700.0]);
    step_until(&mut h, "connected", connected);
    run_action(&mut h, Action::ShowPane(Pane::Traffic));
    step_until(&mut h, "a few seconds of traffic", |h| {
        h.state().state.conn().traffic.history.samples.len() >= 4
    });
    h.step();
    let header = h.get_by_label("Busiest topics (messages/s)").rect();
    let names: Vec<String> = h
        .state()
        .state
        .conn()
        .traffic
        .history
        .samples
        .iter()
        .flat_map(|(_, levels)| levels.iter().map(|(n, _)| n.clone()))
        .collect();
    assert!(!names.is_empty());
    let in_pane = |r: egui::Rect| r.max.y < header.min.y && r.max.x > header.min.x;
    // egui_plot's own legend (a box of check boxes in a corner of the plot) is gone ...
    for name in &names {
        assert!(
            h.query_all_by_role_and_label(egui::accesskit::Role::CheckBox, name)
                .all(|n| !in_pane(n.rect())),
            "a legend entry {name} is drawn in the plot"
        );
    }
    // ... for a row of names above the chart, above every time label.
    let first_label_top = time_labels(&h)
        .iter()
        .map(|(_, r, _)| r.min.y)
        .fold(f32::INFINITY, f32::min);
    let shown: Vec<egui::Rect> = names
        .iter()
        .flat_map(|n| h.query_all_by_label(n).map(|n| n.rect()).collect::<Vec<_>>())
        .filter(|r| in_pane(*r))
        .collect();
    assert!(!shown.is_empty(), "the legend names the bands");
    for r in &shown {
        assert!(
            r.max.y < first_label_top,
            "a legend entry at {r:?} is not above the chart"
        );
    }
    // The chart moves on with the clock: its labels stay whole at every frame.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(4);
    let mut seen = 0;
    while std::time::Instant::now() < until {
        h.step();
        seen += assert_labels_whole(&h);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(seen > 0, "the chart has time labels");
}
