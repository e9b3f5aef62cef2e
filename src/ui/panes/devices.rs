//! The Devices pane: the fleet as boards, not topics. Counts in the header, a filter
//! and a sort (trouble first or by name), and a row per device: health, kind,
//! availability since when, last seen, usual interval and rate, key readings with a
//! sparkline, switch states, the commands its convention defines as buttons (sent
//! through [`AppState::publish`]) and its topics (a click selects one in the tree).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;

use super::device_collisions;
use super::tree::TreeView;
use crate::app::{AppState, ConnId};
use crate::model::devices::{Collisions, Counts, Device, DeviceCommand, Devices, Health, HealthRules};
use crate::ui::{format, theme};

/// Width and height of a reading's sparkline.
const SPARK_SIZE: egui::Vec2 = egui::Vec2::new(56.0, 14.0);

/// How the rows are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeviceSort {
    /// Flapping and offline, then silent, then the rest.
    #[default]
    OfflineFirst,
    SilentFirst,
    Name,
}

impl DeviceSort {
    const ALL: [Self; 3] = [Self::OfflineFirst, Self::SilentFirst, Self::Name];

    fn label(self) -> String {
        match self {
            Self::OfflineFirst => crate::tr!("dev-sort-offline"),
            Self::SilentFirst => crate::tr!("dev-sort-silent"),
            Self::Name => crate::tr!("dev-sort-name"),
        }
    }

    fn rank(self, h: Health) -> u8 {
        match (self, h) {
            (Self::Name, _) => 0,
            (Self::SilentFirst, Health::Silent) => 0,
            (Self::SilentFirst, Health::Flapping | Health::Offline) => 1,
            (Self::OfflineFirst, Health::Flapping | Health::Offline) => 0,
            (Self::OfflineFirst, Health::Silent) => 1,
            _ => 2,
        }
    }
}

/// The pane's own state.
#[derive(Debug, Default)]
pub struct DevicesView {
    pub filter: String,
    pub sort: DeviceSort,
    pub settings: super::device_settings::SettingsEdit,
    order: RowOrder,
}

/// Most device rows drawn at once: a fleet of 10,000 boards is read through the
/// trouble-first order and the filter, not by scrolling, and laying out every row each
/// frame took 58 ms at that size.
pub const MAX_ROWS: usize = 150;

/// How long an order stays: health moves by the second, and sorting every device by
/// name every frame is what a big fleet cannot afford.
const ORDER_SECS: f64 = 1.0;

/// How long the devices' order by name stays (names rarely change; a new device
/// changes the count, which re-sorts at once).
const NAME_ORDER_SECS: f64 = 10.0;

/// The rows' order and the header's counts, computed at most once a second (and at
/// once when the connection, the filter, the sort or the number of devices changes).
/// The order by name, the costly part with 10,000 devices, is kept longer: each
/// refresh only buckets it by health, in one pass.
#[derive(Debug, Default)]
struct RowOrder {
    key: Option<(ConnId, String, DeviceSort, usize)>,
    at: f64,
    /// Indices into `Devices::devices()` of the matching devices, in order.
    rows: Vec<usize>,
    counts: Counts,
    by_name: Vec<usize>,
    by_name_key: Option<(ConnId, usize)>,
    by_name_at: f64,
}

impl RowOrder {
    fn refresh(&mut self, conn: ConnId, devices: &Devices, filter: &str, sort: DeviceSort, now: f64) {
        let all = devices.devices();
        let key = (conn, filter.to_owned(), sort, all.len());
        if self.key.as_ref() == Some(&key) && (now - self.at).abs() < ORDER_SECS {
            return;
        }
        let name_key = (conn, all.len());
        if self.by_name_key != Some(name_key) || (now - self.by_name_at).abs() >= NAME_ORDER_SECS {
            self.by_name = (0..all.len()).collect();
            self.by_name
                .sort_by(|&a, &b| crate::model::natural_cmp(&all[a].name, &all[b].name));
            self.by_name_key = Some(name_key);
            self.by_name_at = now;
        }
        // Trouble first (ranks 0, 1, 2), by name within each: the name order, bucketed.
        let rules = devices.rules();
        let mut buckets: [Vec<usize>; 3] = Default::default();
        // The header's counts from the same pass: each health computed once.
        let mut counts = Counts {
            total: all.len(),
            ..Counts::default()
        };
        for &i in &self.by_name {
            let d = &all[i];
            let health = d.health(now, rules);
            counts.add(health);
            if matches(d, filter) {
                buckets[usize::from(sort.rank(health).min(2))].push(i);
            }
        }
        let [first, second, third] = buckets;
        self.rows = first;
        self.rows.extend(second);
        self.rows.extend(third);
        self.counts = counts;
        self.key = Some(key);
        self.at = now;
    }
}

/// The health in words.
pub fn health_text(h: Health) -> String {
    match h {
        Health::Online => crate::tr!("dev-online"),
        Health::Offline => crate::tr!("dev-offline"),
        Health::Silent => crate::tr!("dev-silent"),
        Health::Flapping => crate::tr!("dev-flapping"),
        Health::Unknown => crate::tr!("dev-unknown"),
    }
}

fn at(secs: f64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0))
}

fn ago(now: f64, t: f64) -> String {
    format::duration(Duration::from_secs_f64((now - t).max(0.0)))
}

/// The pane; `tree` is the active connection's tree view (a topic click selects there).
pub fn devices_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut DevicesView, tree: &mut TreeView) {
    // Last seen and silence move with the clock, not only with messages.
    crate::app::redraw::after(ui.ctx(), Duration::from_secs(1));
    // The recording's moment on an opened file, the wall clock otherwise.
    let now = state.clock_secs();
    let conn = state.conn().id;
    view.order
        .refresh(conn, &state.conn().devices, &view.filter, view.sort, now);
    let counts = view.order.counts;
    ui.horizontal_wrapped(|ui| {
        ui.strong(crate::tr!("dev-count", n = counts.total));
        let palette = theme::palette(ui);
        if counts.offline > 0 {
            ui.colored_label(palette.error, crate::tr!("dev-count-offline", n = counts.offline));
        }
        if counts.silent > 0 {
            ui.colored_label(palette.warn, crate::tr!("dev-count-silent", n = counts.silent));
        }
        if counts.flapping > 0 {
            ui.colored_label(palette.error, crate::tr!("dev-count-flapping", n = counts.flapping));
        }
        device_collisions::count_ui(ui, state.conn().devices.collisions(), now);
    });
    super::device_settings::settings_ui(ui, state, &mut view.settings);
    let devices = &state.conn().devices;
    let rules = *devices.rules();
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("dev-filter"));
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .hint_text(crate::tr!("dev-filter-hint"))
                .desired_width(160.0),
        )
        .labelled_by(label.id);
        let sort_label = ui.label(crate::tr!("dev-sort"));
        egui::ComboBox::from_id_salt("devices_sort")
            .selected_text(view.sort.label())
            .show_ui(ui, |ui| {
                for s in DeviceSort::ALL {
                    ui.selectable_value(&mut view.sort, s, s.label());
                }
            })
            .response
            .labelled_by(sort_label.id);
    });
    ui.separator();
    device_collisions::list_ui(ui, devices.collisions(), now);
    // The order of a moment ago (at most a second), the devices as they are now.
    view.order.refresh(conn, devices, &view.filter, view.sort, now);
    let matching = view.order.rows.len();
    let rows: Vec<&Device> = view
        .order
        .rows
        .iter()
        .take(MAX_ROWS)
        .filter_map(|&i| devices.devices().get(i))
        .collect();
    let mut send: Option<(String, DeviceCommand)> = None;
    let mut picked: Option<String> = None;
    egui::ScrollArea::vertical()
        .id_salt("devices_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            if devices.is_empty() {
                ui.weak(crate::tr!("dev-none"));
            } else if rows.is_empty() {
                ui.weak(crate::tr!("dev-none-match"));
            }
            for d in rows {
                device_ui(ui, d, now, &rules, devices.collisions(), &mut send, &mut picked);
            }
            if matching > MAX_ROWS {
                ui.add_space(4.0);
                ui.weak(crate::tr!("dev-more-rows", shown = MAX_ROWS, n = matching));
            }
        });
    if let Some((device, c)) = send {
        // Taken before publishing: a local broker's answer can be stamped before the
        // publish call returns.
        let sent_at = crate::app::now_secs();
        match state.publish(&c.topic, Bytes::from(c.payload.clone()), 0, false, "text", None) {
            // The device's next message on another topic is its answer: the round trip.
            Ok(_) => state.conn_mut().devices.command_sent(&device, &c.topic, sent_at),
            Err(e) => state.error(crate::tr!(
                "dev-command-failed",
                topic = c.topic.as_str(),
                reason = e.as_str()
            )),
        }
    }
    if let Some(topic) = picked {
        let t = state.conn().model.tree();
        if let Some(id) = t.find(&topic) {
            tree.reveal(t, id);
        } else {
            state.notice(crate::tr!("dev-topic-not-in-tree", topic = topic.as_str()));
        }
    }
}

/// Every word of `filter` in the name, the kind or a topic.
fn matches(d: &Device, filter: &str) -> bool {
    let name = d.name.to_lowercase();
    filter.split_whitespace().all(|w| {
        let w = w.to_lowercase();
        name.contains(&w) || d.kind.label().to_lowercase().contains(&w) || d.topics.iter().any(|t| t.contains(&w))
    })
}

fn device_ui(
    ui: &mut egui::Ui,
    d: &Device,
    now: f64,
    rules: &HealthRules,
    collisions: &Collisions,
    send: &mut Option<(String, DeviceCommand)>,
    picked: &mut Option<String>,
) {
    let palette = theme::palette(ui);
    let health = d.health(now, rules);
    let colour = match health {
        Health::Online => palette.ok,
        Health::Silent => palette.warn,
        Health::Offline | Health::Flapping => palette.error,
        Health::Unknown => palette.preview,
    };
    ui.push_id(&d.id, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(colour, "●");
            ui.strong(d.name.as_str());
            ui.weak(d.kind.label());
            let status = match d.since {
                Some(since) if matches!(health, Health::Online | Health::Offline) => crate::tr!(
                    "dev-since",
                    health = health_text(health),
                    time = format::clock(at(since))
                ),
                _ => health_text(health),
            };
            ui.colored_label(colour, status);
        });
        device_collisions::row_ui(ui, collisions, d, now);
        ui.horizontal_wrapped(|ui| {
            let seen = d.last_seen.map_or_else(
                || crate::tr!("dev-last-seen-never"),
                |t| crate::tr!("dev-last-seen", ago = ago(now, t)),
            );
            ui.label(seen);
            if let Some(i) = d.interval() {
                ui.label(crate::tr!(
                    "dev-interval",
                    every = format::duration(Duration::from_secs_f64(i))
                ));
            }
            ui.label(crate::tr!("dev-rate", rate = format::rate(d.rate(now))));
        });
        super::device_timeline::timeline_ui(ui, d, now, rules);
        readings_ui(ui, d, palette.count);
        let mut chosen = None;
        commands_ui(ui, d, &mut chosen);
        if let Some(c) = chosen {
            *send = Some((d.id.clone(), c));
        }
        answer_ui(ui, d, now);
        egui::CollapsingHeader::new(crate::tr!("dev-topics", n = d.topics.len()))
            .id_salt("topics")
            .default_open(false)
            .show(ui, |ui| {
                for t in &d.topics {
                    if ui
                        .link(t.as_str())
                        .on_hover_text(crate::tr!("dev-select-hover"))
                        .clicked()
                    {
                        *picked = Some(t.clone());
                    }
                }
            });
    });
    ui.separator();
}

/// The key readings with their sparklines, then the switch states.
fn readings_ui(ui: &mut egui::Ui, d: &Device, colour: egui::Color32) {
    if d.readings.is_empty() && d.states.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for r in &d.readings {
            let text = format!("{} {}", r.label, reading_text(r.value));
            unbroken(ui, text, SPARK_SIZE.x, |ui| {
                sparkline(ui, r.history.iter().copied(), colour);
            });
        }
        for (k, v) in &d.states {
            unbroken(ui, format!("{k}: {v}"), 0.0, |_| {});
        }
    });
}

/// `text` in monospace and then `extra` px of `then`, as one unit in a wrapping
/// layout: the line breaks before it, never inside it (not between a reading's name
/// and its value, nor before its sparkline).
fn unbroken(ui: &mut egui::Ui, text: String, extra: f32, then: impl FnOnce(&mut egui::Ui)) {
    let galley = egui::WidgetText::from(egui::RichText::new(text).monospace()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Monospace,
    );
    let gap = if extra > 0.0 { ui.spacing().item_spacing.x } else { 0.0 };
    let size = egui::vec2(galley.size().x + gap + extra, galley.size().y.max(SPARK_SIZE.y));
    // Sized before it is placed, so the wrapping layout moves the whole unit to the
    // next line when it does not fit in what is left of this one.
    ui.allocate_ui_with_layout(size, egui::Layout::left_to_right(egui::Align::Center), |ui| {
        ui.add(egui::Label::new(galley).wrap_mode(egui::TextWrapMode::Extend));
        then(ui);
    });
}

/// How long the device took to answer the last command from this pane.
fn answer_ui(ui: &mut egui::Ui, d: &Device, now: f64) {
    if d.awaiting_answer(now) {
        ui.weak(crate::tr!("dev-answer-waiting"));
    } else if d.answer_missed(now) {
        ui.colored_label(
            theme::palette(ui).warn,
            crate::tr!(
                "dev-answer-missed",
                secs = crate::model::devices::device::ANSWER_WAIT_SECS as u64
            ),
        );
    } else if let Some(rtt) = d.last_rtt {
        ui.weak(crate::tr!("dev-answer-rtt", ms = (rtt * 1000.0).round() as u64));
    }
}

/// One line per command target: "POWER [ON] [OFF] [TOGGLE]".
fn commands_ui(ui: &mut egui::Ui, d: &Device, send: &mut Option<DeviceCommand>) {
    let mut targets: Vec<(&str, &str)> = Vec::new();
    for c in &d.commands {
        if !targets.contains(&(c.target.as_str(), c.topic.as_str())) {
            targets.push((c.target.as_str(), c.topic.as_str()));
        }
    }
    for (target, topic) in targets {
        ui.horizontal_wrapped(|ui| {
            let name = ui.label(format!("{target}:"));
            for c in d.commands.iter().filter(|c| c.target == target && c.topic == topic) {
                if let Some((lo, hi)) = c.range {
                    // A number to type: starts at the device's own reading when it has one.
                    let id = ui.scope_id().with(("number", &c.target, &c.topic));
                    let current = d
                        .readings
                        .iter()
                        .find(|r| r.label == c.target)
                        .map(|r| r.value.round() as i64);
                    let mut v: i64 = ui.data_mut(|m| *m.get_temp_mut_or(id, current.unwrap_or(lo)));
                    ui.add(egui::DragValue::new(&mut v).range(lo..=hi)).labelled_by(name.id);
                    ui.data_mut(|m| m.insert_temp(id, v));
                    let payload = c.payload_with(v);
                    let hover = crate::tr!(
                        "dev-command-hover",
                        topic = c.topic.as_str(),
                        payload = payload.as_str()
                    );
                    if ui.button(crate::tr!("dev-cmd-set")).on_hover_text(hover).clicked() {
                        *send = Some(DeviceCommand {
                            payload,
                            range: None,
                            ..c.clone()
                        });
                    }
                    continue;
                }
                let hover = crate::tr!(
                    "dev-command-hover",
                    topic = c.topic.as_str(),
                    payload = c.payload.as_str()
                );
                if ui.button(command_word(&c.label)).on_hover_text(hover).clicked() {
                    *send = Some(c.clone());
                }
            }
        });
    }
}

/// Bars of the recent values, scaled between their minimum and maximum.
fn sparkline(ui: &mut egui::Ui, values: impl ExactSizeIterator<Item = f32> + Clone, colour: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(SPARK_SIZE, egui::Sense::hover());
    let n = values.len();
    if n < 2 || !ui.is_rect_visible(rect) {
        return;
    }
    let (lo, hi) = values
        .clone()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(f32::EPSILON);
    let w = rect.width() / n as f32;
    let painter = ui.painter_at(rect);
    for (i, v) in values.enumerate() {
        // A flat series draws a mid-height line of bars, not nothing.
        let frac = if hi > lo { 0.15 + 0.85 * (v - lo) / span } else { 0.5 };
        let x = rect.left() + i as f32 * w;
        let bar = egui::Rect::from_min_max(
            egui::pos2(x, rect.bottom() - frac * rect.height()),
            egui::pos2(x + (w - 1.0).max(1.0), rect.bottom()),
        );
        painter.rect_filled(bar, 0.0, colour);
    }
}

/// A reading as the device would print it, to two decimals at most ("21.34", "-64").
pub fn reading_text(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    format!("{rounded}")
}

/// The conventions' command words in the interface language (the exact payload is in
/// the button's hover text); other words are the device's own and shown as they are.
fn command_word(label: &str) -> String {
    match label {
        "ON" => crate::tr!("dev-cmd-on"),
        "OFF" => crate::tr!("dev-cmd-off"),
        "TOGGLE" => crate::tr!("dev-cmd-toggle"),
        "PRESS" => crate::tr!("dev-cmd-press"),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::model::devices::Kind;

    fn weather_station() -> Device {
        let mut d = Device::new("weather", Kind::UserRule);
        for (label, v) in [
            ("temperature", 21.34),
            ("humidity", 61.0),
            ("pressure", 1009.6),
            ("wind_speed", 3.2),
            ("illuminance", 12000.0),
        ] {
            d.add_reading(label, v - 1.0);
            d.add_reading(label, v);
        }
        d.set_state("POWER", "ON");
        d.set_state("mode", "auto heat");
        d
    }

    /// The label of each reading and state, and the rect each is drawn in.
    fn rects(d: &Device, width: f32) -> Vec<(String, egui::Rect)> {
        let harness = Harness::builder()
            .with_size(egui::vec2(width, 600.0))
            .build_ui(|ui| readings_ui(ui, d, egui::Color32::GRAY));
        let labels = d
            .readings
            .iter()
            .map(|r| format!("{} {}", r.label, reading_text(r.value)))
            .chain(d.states.iter().map(|(k, v)| format!("{k}: {v}")));
        labels
            .map(|l| {
                let rect = harness.get_by_label(&l).rect();
                (l, rect)
            })
            .collect()
    }

    /// "pressure" at the end of one line and "1009.6" on the next reads as two things:
    /// at any width a reading and a state stay on one line, name and value together.
    #[test]
    fn a_reading_never_breaks_between_its_name_and_its_value() {
        let d = weather_station();
        let one_line = rects(&d, 2000.0)[0].1.height();
        for width in (140..=520).step_by(10) {
            for (label, rect) in rects(&d, width as f32) {
                assert!(
                    rect.height() < one_line * 1.5,
                    "at {width} px, {label:?} breaks over lines ({rect:?})"
                );
                // Wide enough for the widest reading and its sparkline: nothing sticks
                // out of the pane (a unit goes to the next line whole).
                if width >= 240 {
                    assert!(
                        rect.right() <= width as f32,
                        "at {width} px, {label:?} sticks out ({rect:?})"
                    );
                }
            }
        }
    }
}
