//! The Traffic pane: which topic floods the broker now. The whole rate, the top topics by
//! messages and by bytes per second, the busiest subtrees, the biggest payloads, the
//! topics that just stopped, and a stacked chart of the first level's traffic. A click
//! on a row selects its topic in the tree.

use egui_plot::FilledArea;

use super::tree::TreeView;
use crate::app::AppState;
use crate::model::NodeId;
use crate::model::traffic::{Talker, TrafficScan};
use crate::ui::{format, theme};

/// First-level subtrees drawn on their own in the chart; the rest are summed as "other".
const CHART_SUBTREES: usize = 6;
/// Height of the chart.
const CHART_HEIGHT: f32 = 150.0;

/// The pane; `tree` is the active connection's tree view (a click selects there).
pub fn traffic_ui(ui: &mut egui::Ui, state: &mut AppState, tree: &mut TreeView) {
    // Rows that move under the pointer make a click pick the wrong topic: while the
    // pointer is on the pane the lists keep their order (the chart still moves).
    let hold = ui.rect_contains_pointer(ui.max_rect());
    let conn = state.conn_mut();
    let (scan, scanning) = conn.traffic.refresh(conn.model.tree(), hold);
    let scan = scan.cloned().unwrap_or_default();
    if scanning {
        // A big tree is read a slice a frame: the next frame reads on.
        ui.ctx().request_repaint();
    } else {
        // The lists move with the clock, not only with messages.
        crate::app::redraw::after(ui.ctx(), crate::app::traffic::SCAN_EVERY);
    }
    let mut picked: Option<NodeId> = None;
    ui.horizontal_wrapped(|ui| {
        ui.strong(crate::tr!(
            "rate-total",
            msgs = format::rate(scan.total.messages),
            bytes = format::bytes(scan.total.bytes.round() as u64)
        ));
        ui.weak(crate::tr!(
            "rate-total-minute",
            msgs = format::rate(scan.total_minute.messages)
        ));
        ui.weak(crate::tr!("rate-topics", n = scan.topics));
    });
    // Always one line, so that the hold, which starts as the pointer comes, moves nothing.
    let (text, colour) = if hold {
        (crate::tr!("rate-held"), theme::palette(ui).warn)
    } else {
        (crate::tr!("rate-live"), ui.visuals().weak_text_color())
    };
    ui.add(egui::Label::new(egui::RichText::new(text).color(colour)).truncate());
    egui::ScrollArea::vertical()
        .id_salt("traffic_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            chart_ui(ui, state);
            if scan.by_messages.is_empty() {
                ui.weak(crate::tr!("rate-quiet"));
            }
            talkers_ui(
                ui,
                "traffic_msgs",
                crate::tr!("rate-top-messages"),
                &scan.by_messages,
                false,
                &mut picked,
            );
            talkers_ui(
                ui,
                "traffic_bytes",
                crate::tr!("rate-top-bytes"),
                &scan.by_bytes,
                true,
                &mut picked,
            );
            talkers_ui(
                ui,
                "traffic_subtrees",
                crate::tr!("rate-top-subtrees"),
                &scan.subtrees,
                false,
                &mut picked,
            );
            biggest_ui(ui, &scan, &mut picked);
            stopped_ui(ui, state, &mut picked);
        });
    if let Some(id) = picked {
        let t = state.conn().model.tree();
        if t.contains(id) {
            tree.reveal(t, id);
        }
    }
}

fn talkers_ui(
    ui: &mut egui::Ui,
    id: &str,
    title: String,
    rows: &[Talker],
    by_bytes: bool,
    picked: &mut Option<NodeId>,
) {
    if rows.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(title)
        .id_salt(id)
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new(id).striped(true).num_columns(4).show(ui, |ui| {
                // Ordered by the last 10 s; the minute beside it tells a burst from a flood.
                ui.weak(crate::tr!("rate-col-now"));
                ui.weak(crate::tr!("rate-col-minute"));
                ui.end_row();
                let figure = |r: &crate::model::rate::Rate| {
                    if by_bytes {
                        crate::tr!("rate-bytes-per-sec", bytes = format::bytes(r.bytes.round() as u64))
                    } else {
                        format::rate(r.messages)
                    }
                };
                for t in rows {
                    ui.monospace(figure(&t.rate));
                    ui.add(egui::Label::new(
                        egui::RichText::new(figure(&t.minute)).monospace().weak(),
                    ));
                    if ui
                        .link(t.topic.as_str())
                        .on_hover_text(crate::tr!("rate-select-hover"))
                        .clicked()
                    {
                        *picked = Some(t.id);
                    }
                    if t.topics > 1 {
                        ui.weak(crate::tr!("rate-subtree-topics", n = t.topics));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
        });
}

fn biggest_ui(ui: &mut egui::Ui, scan: &TrafficScan, picked: &mut Option<NodeId>) {
    if scan.biggest.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(crate::tr!("rate-biggest"))
        .id_salt("traffic_biggest")
        .default_open(false)
        .show(ui, |ui| {
            egui::Grid::new("traffic_biggest_grid")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for b in &scan.biggest {
                        ui.monospace(format::bytes(b.bytes as u64));
                        if ui.link(b.topic.as_str()).clicked() {
                            *picked = Some(b.id);
                        }
                        ui.end_row();
                    }
                });
        });
}

fn stopped_ui(ui: &mut egui::Ui, state: &AppState, picked: &mut Option<NodeId>) {
    let stopped = &state.conn().traffic.stops.stopped;
    if stopped.is_empty() {
        return;
    }
    let palette = theme::palette(ui);
    egui::CollapsingHeader::new(crate::tr!("rate-stopped", n = stopped.len()))
        .id_salt("traffic_stopped")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("traffic_stopped_grid")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for s in stopped {
                        ui.colored_label(palette.warn, crate::tr!("rate-was", rate = format::rate(s.was)));
                        if ui.link(s.topic.as_str()).clicked() {
                            *picked = Some(s.id);
                        }
                        ui.weak(s.last_seen.map(format::clock).unwrap_or_default());
                        ui.end_row();
                    }
                });
        });
}

/// Messages per second of the busiest first-level subtrees over the last minutes,
/// stacked (each band is one subtree; the top edge is the whole).
fn chart_ui(ui: &mut egui::Ui, state: &AppState) {
    let samples = &state.conn().traffic.history.samples;
    if samples.len() < 2 {
        return;
    }
    // The subtrees with the most traffic over the period get their own band.
    let mut totals: Vec<(String, f64)> = Vec::new();
    for (_, levels) in samples {
        for (name, r) in levels {
            match totals.iter_mut().find(|(n, _)| n == name) {
                Some(t) => t.1 += r,
                None => totals.push((name.clone(), *r)),
            }
        }
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let bands: Vec<String> = totals.iter().take(CHART_SUBTREES).map(|(n, _)| n.clone()).collect();
    let other = crate::tr!("rate-other");
    let xs: Vec<f64> = samples.iter().map(|(t, _)| *t).collect();
    let mut lower = vec![0.0; xs.len()];
    let mut areas = Vec::new();
    let mut legend = Vec::new();
    for (bi, name) in bands.iter().map(Some).chain([None]).enumerate() {
        let upper: Vec<f64> = samples
            .iter()
            .zip(&lower)
            .map(|((_, levels), lo)| {
                let v: f64 = levels
                    .iter()
                    .filter(|(n, _)| match name {
                        Some(name) => n == name,
                        None => !bands.contains(n),
                    })
                    .map(|(_, r)| r)
                    .sum();
                lo + v
            })
            .collect();
        if upper.iter().zip(&lower).all(|(u, l)| u <= l) {
            continue;
        }
        let label = name.cloned().unwrap_or_else(|| other.clone());
        let colour = theme::series_color(bi);
        legend.push((label.clone(), colour));
        areas.push(
            FilledArea::new(label, &xs, &lower, &upper)
                .fill_color(colour.linear_multiply(0.5))
                .stroke(egui::Stroke::new(1.0, colour)),
        );
        lower = upper;
    }
    // The legend goes above the chart, not in it: egui_plot's sits in a corner of the
    // plot, and every corner hides data (the right one the newest, the left one the
    // oldest and the start-up burst); a tall one, in a narrow pane, hid most of the chart.
    ui.horizontal_wrapped(|ui| {
        for (label, colour) in &legend {
            super::charts::legend_entry(ui, *colour, label);
        }
    });
    super::charts::time_plot(ui, "traffic_chart")
        .height(CHART_HEIGHT)
        .include_y(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            for a in areas {
                plot_ui.add(a);
            }
        });
}
