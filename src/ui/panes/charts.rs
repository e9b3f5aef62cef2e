//! The charts panel: each chart with its series, legend, time window, Y range,
//! pause/follow, hover readout, per-series min/max/mean/last, and CSV export.

use egui_plot::{Line, Plot, PlotPoints};

use crate::app::{AppState, TimeWindow};
use crate::model::series::decimate;
use crate::ui::{format, theme};

/// Plot height in points when the pane is short (the pane then scrolls).
const PLOT_HEIGHT_MIN: f32 = 200.0;
/// A plot never grows taller than this, however tall the pane.
const PLOT_HEIGHT_MAX: f32 = 640.0;
/// Room a chart needs besides its plot: toolbar, legend header, separators.
const CHART_CHROME: f32 = 96.0;
/// Height of one legend row.
const LEGEND_ROW: f32 = 22.0;

/// Draws every chart. Returns true when the layout changed (to save it with the profile).
pub fn charts_panel_ui(ui: &mut egui::Ui, state: &mut AppState) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.heading(crate::tr!("panes-charts-heading"));
        if ui.button(crate::tr!("panes-charts-new")).clicked() {
            let home = state.conn().name.clone();
            state.charts.add_chart(&home);
            changed = true;
        }
    });
    if state.charts.charts.is_empty() {
        ui.weak(crate::tr!("panes-charts-none"));
        return changed;
    }
    let now = state.clock_secs();
    // The plots share the pane's height (a tall screen gets tall plots), down to a
    // minimum below which the pane scrolls instead.
    let legend_rows: usize = state.charts.charts.iter().map(|c| c.series.len()).sum();
    let n = state.charts.charts.len().max(1) as f32;
    let plot_height = ((ui.available_height() - legend_rows as f32 * LEGEND_ROW) / n - CHART_CHROME)
        .clamp(PLOT_HEIGHT_MIN, PLOT_HEIGHT_MAX);
    let mut remove_chart = None;
    let mut remove_series = None;
    let mut export: Option<usize> = None;
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .id_salt("charts_scroll")
        .show(ui, |ui| {
            for (ci, chart) in state.charts.charts.iter_mut().enumerate() {
                ui.push_id(chart.id, |ui| {
                    ui.separator();
                    ui.horizontal_wrapped(|ui| {
                        ui.strong(&chart.title);
                        let label = ui.label(crate::tr!("panes-charts-window"));
                        egui::ComboBox::from_id_salt("window")
                            .selected_text(chart.window.label())
                            .show_ui(ui, |ui| {
                                for w in TimeWindow::ALL {
                                    if ui.selectable_value(&mut chart.window, w, w.label()).changed() {
                                        chart.window_fitted = true;
                                        changed = true;
                                    }
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        let mut auto = chart.y_range.is_none();
                        if ui.checkbox(&mut auto, crate::tr!("panes-charts-auto-y")).changed() {
                            chart.y_range = if auto { None } else { Some(current_y_range(chart, now)) };
                            changed = true;
                        }
                        if let Some((lo, hi)) = &mut chart.y_range {
                            let l = ui.label(crate::tr!("panes-charts-y-min"));
                            changed |= ui.add(egui::DragValue::new(lo).speed(0.1)).labelled_by(l.id).changed();
                            let l = ui.label(crate::tr!("panes-charts-y-max"));
                            changed |= ui.add(egui::DragValue::new(hi).speed(0.1)).labelled_by(l.id).changed();
                        }
                        let mut follow = chart.paused_at.is_none();
                        let follow_text = if follow {
                            crate::tr!("panes-charts-following")
                        } else {
                            crate::tr!("panes-charts-paused")
                        };
                        if ui.toggle_value(&mut follow, follow_text).changed() {
                            chart.paused_at = if follow { None } else { Some(now) };
                        }
                        if ui.button(crate::tr!("panes-charts-export")).clicked() {
                            export = Some(ci);
                        }
                        if ui.button(crate::tr!("panes-charts-remove")).clicked() {
                            remove_chart = Some(ci);
                        }
                    });
                    let (x0, x1) = chart.x_range(now);
                    let columns = ui.available_width().max(100.0) as usize;
                    let mut plot = time_plot(ui, "plot")
                        .height(plot_height)
                        .label_formatter(|hover| match hover {
                            egui_plot::HoverPosition::NearDataPoint {
                                plot_name, position, ..
                            } => Some(format!(
                                "{plot_name}\n{}  {:.4}",
                                format::clock(to_time(position.x)),
                                position.y
                            )),
                            egui_plot::HoverPosition::Elsewhere { position } => {
                                Some(format!("{}  {:.4}", format::clock(to_time(position.x)), position.y))
                            }
                        })
                        .include_x(x0)
                        .include_x(x1)
                        .allow_drag(false)
                        .allow_zoom(false)
                        .allow_scroll(false);
                    if let Some((lo, hi)) = chart.y_range {
                        plot = plot
                            .include_y(lo)
                            .include_y(hi)
                            .auto_bounds([false, false])
                            .default_y_bounds(lo, hi);
                    }
                    plot.show(ui, |plot_ui| {
                        plot_ui.set_plot_bounds_x(x0..=x1);
                        if let Some((lo, hi)) = chart.y_range {
                            plot_ui.set_plot_bounds_y(lo..=hi);
                        }
                        for (si, s) in chart.series.iter().enumerate() {
                            let pts = s.points();
                            // One point before the window so the line enters from the left.
                            let r = s.range(x0, x1);
                            let shown = &pts[r.start.saturating_sub(1)..r.end];
                            let points = match decimate(shown, x0, x1, columns) {
                                Some(fewer) => PlotPoints::Owned(fewer),
                                None => PlotPoints::Borrowed(shown),
                            };
                            plot_ui.line(Line::new(s.spec.label(), points).color(theme::series_color(si)));
                        }
                    });
                    let stats = chart.stats_for_display(now);
                    // The legend and the figures: scrolls sideways in a narrow pane
                    // rather than squeezing the names.
                    egui::ScrollArea::horizontal().id_salt("stats_scroll").show(ui, |ui| {
                        egui::Grid::new("stats").striped(true).num_columns(6).show(ui, |ui| {
                            ui.weak(crate::tr!("panes-charts-col-series"));
                            ui.weak(crate::tr!("panes-charts-col-min"));
                            ui.weak(crate::tr!("panes-charts-col-max"));
                            ui.weak(crate::tr!("panes-charts-col-mean"));
                            ui.weak(crate::tr!("panes-charts-col-last"));
                            ui.weak("");
                            ui.end_row();
                            for (si, (s, st)) in chart.series.iter().zip(&stats).enumerate() {
                                // The legend, out of the plot's way: a colour swatch and the name.
                                legend_entry(ui, theme::series_color(si), &s.spec.label());
                                match st {
                                    Some(st) => {
                                        ui.monospace(num(st.min));
                                        ui.monospace(num(st.max));
                                        ui.monospace(num(st.mean));
                                        ui.monospace(num(st.last));
                                    }
                                    None => {
                                        for _ in 0..4 {
                                            ui.weak("—");
                                        }
                                    }
                                }
                                if ui
                                    .small_button("✖")
                                    .on_hover_text(crate::tr!("panes-remove-named", name = s.spec.label()))
                                    .clicked()
                                {
                                    remove_series = Some((ci, si));
                                }
                                ui.end_row();
                            }
                        });
                    });
                });
            }
        });
    if let Some(ci) = export {
        let chart = &state.charts.charts[ci];
        let (name, csv) = (export_name(&chart.title), chart.csv());
        crate::ui::file_dialog::save(ui.ctx(), crate::ui::file_dialog::Purpose::ChartCsv, &name, csv.into());
    }
    if let Some((c, s)) = remove_series {
        state.charts.remove_series(c, s);
        changed = true;
    }
    if let Some(c) = remove_chart {
        state.charts.remove_chart(c);
        changed = true;
    }
    if !state.charts.charts.is_empty() && state.charts.charts.iter().any(|c| c.paused_at.is_none()) {
        // Following charts scroll with time even when no message arrives.
        crate::app::redraw::after(ui.ctx(), std::time::Duration::from_millis(250));
    }
    changed
}

fn current_y_range(chart: &crate::app::Chart, now: f64) -> (f64, f64) {
    let stats = chart.stats_for_display(now);
    let lo = stats.iter().flatten().map(|s| s.min).fold(f64::INFINITY, f64::min);
    let hi = stats.iter().flatten().map(|s| s.max).fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 100.0)
    }
}

fn num(v: f64) -> String {
    if v.abs() >= 1e6 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:.3e}")
    } else {
        format!("{v:.3}")
    }
}

fn to_time(secs: f64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(secs.max(0.0))
}

fn time_label(secs: f64) -> String {
    let local: chrono::DateTime<chrono::Local> = to_time(secs).into();
    local.format("%H:%M:%S").to_string()
}

/// One entry of a legend drawn outside a plot: a colour swatch and the name.
pub(super) fn legend_entry(ui: &mut egui::Ui, colour: egui::Color32, name: &str) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(r, 2.0, colour);
        ui.add(egui::Label::new(name).wrap_mode(egui::TextWrapMode::Extend));
    });
}

/// A plot over time (x in seconds since 1970, labelled as local times) that draws its
/// outermost time labels whole; used by the Charts and the Traffic panes.
///
/// egui_plot centres each x label on its tick, but its x axis ends where the plot's frame
/// ends: a tick less than half a label from the right edge, which is the newest time
/// (and "now" on a following chart), had its label run past the widget and get cut by
/// the pane ("13:05:4"). A tick that close to either edge keeps its grid line and has
/// no label. (Leaving a margin instead narrowed the plot, and at 1280 px a one-minute
/// chart then had room for one label a minute instead of one every ten seconds.)
pub(super) fn time_plot<'a>(ui: &egui::Ui, id: &str) -> Plot<'a> {
    let half = f64::from(time_label_half_width(ui));
    // The frame is the width less the y axis: at least half a label less, so a label
    // judged to fit is never one that does not.
    let frame = f64::from(ui.available_size_before_wrap().x) - half;
    Plot::new(id).x_axis_formatter(move |mark, range| {
        let margin = (range.end() - range.start()) * half / frame.max(1.0);
        if mark.value < range.start() + margin || mark.value > range.end() - margin {
            String::new()
        } else {
            time_label(mark.value)
        }
    })
}

/// Half a label `time_label` gives, measured on "00:00:00" in the axis' font (egui_plot
/// lays tick labels out in the body style), and a little room for digits wider than 0.
fn time_label_half_width(ui: &egui::Ui) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let label = ui
        .painter()
        .layout_no_wrap("00:00:00".to_owned(), font, egui::Color32::PLACEHOLDER);
    (label.size().x / 2.0).ceil() + 2.0
}

/// The file name offered for a chart's CSV: its title and the time.
fn export_name(title: &str) -> String {
    let safe: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    format!("{safe}-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M%S"))
}
