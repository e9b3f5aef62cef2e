//! The Discovery pane: Home Assistant's MQTT discovery configs as the devices and
//! entities they create, with their topics (a click selects one in the tree), orphans
//! marked with the reason, and "Delete…" on an orphan, a device or all orphans, which
//! asks first ([`super::discovery_delete`]).
//!
//! The index is rebuilt from the topic tree when the pane is shown, at most once a
//! second while messages arrive, and on Refresh: never per message.

use std::time::{Duration, Instant, SystemTime};

use super::discovery_delete::{self, DeleteRequest};
use super::tree::TreeView;
use crate::app::{AppState, ConnId};
use crate::model::ha_browser::{DEFAULT_PREFIX, DiscoveryIndex, HaDevice, HaEntity, Orphan, OrphanRules};
use crate::ui::{format, theme};

/// The shortest time between two rebuilds while messages arrive.
const REBUILD_EVERY: Duration = Duration::from_secs(1);
/// Orphans age with the clock: rebuilt this often even when nothing arrives.
const REBUILD_QUIET: Duration = Duration::from_secs(30);

/// The pane's state: filter, threshold, the index and what it was built from.
#[derive(Debug)]
pub struct DiscoveryView {
    pub filter: String,
    pub only_orphans: bool,
    /// Offline for longer than this many hours makes an orphan.
    pub offline_hours: f64,
    index: DiscoveryIndex,
    /// Connection, epoch, tree generation and threshold the index was built for, and when.
    built: Option<(ConnId, u64, u64, Duration, Instant)>,
    /// Config topics waiting for the user's confirmation.
    pub confirm: Option<DeleteRequest>,
}

impl Default for DiscoveryView {
    fn default() -> Self {
        Self {
            filter: String::new(),
            only_orphans: false,
            offline_hours: OrphanRules::default().offline_after.as_secs_f64() / 3600.0,
            index: DiscoveryIndex::default(),
            built: None,
            confirm: None,
        }
    }
}

impl DiscoveryView {
    fn rules(&self) -> OrphanRules {
        // The drag value keeps it between 0.1 h and 10 years; a NaN cannot get here.
        OrphanRules {
            offline_after: Duration::from_secs_f64((self.offline_hours * 3600.0).clamp(0.0, 3.2e8)),
        }
    }

    /// Rebuilds the index when the connection, its tree or the threshold changed.
    fn refresh(&mut self, state: &AppState, force: bool) {
        let conn = state.conn();
        let tree = conn.model.tree();
        let rules = self.rules();
        let stale = match self.built {
            None => true,
            Some((id, epoch, generation, after, at)) => {
                id != conn.id
                    || epoch != conn.epoch
                    || after != rules.offline_after
                    || (generation != tree.generation() && at.elapsed() >= REBUILD_EVERY)
                    || at.elapsed() >= REBUILD_QUIET
            }
        };
        if force || stale {
            self.index = DiscoveryIndex::from_tree(tree, DEFAULT_PREFIX, rules, SystemTime::now());
            self.built = Some((
                conn.id,
                conn.epoch,
                tree.generation(),
                rules.offline_after,
                Instant::now(),
            ));
        }
    }
}

/// The pane; `tree` is the active connection's tree view (a click on a topic selects there).
pub fn discovery_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut DiscoveryView, tree: &mut TreeView) {
    crate::app::redraw::after(ui.ctx(), REBUILD_EVERY);
    let mut force = false;
    let counts = view.index.counts();
    ui.horizontal_wrapped(|ui| {
        let text = crate::tr!(
            "ha-count",
            devices = counts.devices,
            entities = counts.entities,
            orphaned = counts.orphaned
        );
        if counts.orphaned > 0 {
            ui.colored_label(theme::palette(ui).warn, egui::RichText::new(text).strong());
        } else {
            ui.strong(text);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(crate::tr!("ha-filter"));
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .hint_text(crate::tr!("ha-filter-hint"))
                .desired_width(140.0),
        )
        .labelled_by(label.id);
        let label = ui.label(crate::tr!("ha-offline-after"));
        ui.add(
            egui::DragValue::new(&mut view.offline_hours)
                .range(0.1..=87_600.0)
                .speed(1.0)
                .suffix(crate::tr!("ha-hours-suffix")),
        )
        .labelled_by(label.id);
        ui.checkbox(&mut view.only_orphans, crate::tr!("ha-only-orphans"));
        force = ui.button(crate::tr!("ha-refresh")).clicked();
        let orphans = view.index.orphan_config_topics();
        if ui
            .add_enabled(!orphans.is_empty(), egui::Button::new(crate::tr!("ha-delete-all")))
            .clicked()
        {
            view.confirm = Some(DeleteRequest::new(crate::tr!("ha-delete-all-title"), orphans));
        }
    });
    view.refresh(state, force);
    ui.separator();
    let mut picked: Option<String> = None;
    let mut delete: Option<DeleteRequest> = None;
    egui::ScrollArea::vertical()
        .id_salt("discovery_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            broken_ui(ui, &view.index, &mut picked, &mut delete);
            let rows: Vec<&HaDevice> = view
                .index
                .devices
                .iter()
                .filter(|d| !view.only_orphans || d.entities.iter().any(|e| e.orphan.is_some()))
                .filter(|d| matches(d, &view.filter))
                .collect();
            if view.index.devices.is_empty() && view.index.broken.is_empty() {
                ui.weak(crate::tr!("ha-none", prefix = DEFAULT_PREFIX));
            } else if rows.is_empty() {
                ui.weak(crate::tr!("ha-none-match"));
            }
            for d in rows {
                device_ui(ui, d, &mut picked, &mut delete);
            }
        });
    if delete.is_some() {
        view.confirm = delete;
    }
    if discovery_delete::confirm_ui(ui.ctx(), state, &mut view.confirm) {
        // Our own empty configs come back from the broker; read them as they do.
        view.built = None;
    }
    if let Some(topic) = picked {
        let t = state.conn().model.tree();
        if let Some(id) = t.find(&topic) {
            tree.reveal(t, id);
        } else {
            state.notice(crate::tr!("ha-topic-not-in-tree", topic = topic.as_str()));
        }
    }
}

/// Every word of `filter` in the device's name or key, or an entity's name, id or topics.
fn matches(d: &HaDevice, filter: &str) -> bool {
    filter.split_whitespace().all(|w| {
        let w = w.to_lowercase();
        let has = |s: &str| s.to_lowercase().contains(&w);
        has(&d.name)
            || has(&d.key)
            || d.entities.iter().any(|e| {
                has(e.label())
                    || has(&e.component)
                    || has(&e.config_topic)
                    || e.state_topic.as_deref().is_some_and(has)
                    || e.unique_id.as_deref().is_some_and(has)
            })
    })
}

/// The reason in words.
pub fn orphan_text(o: Orphan) -> String {
    match o {
        Orphan::NothingSeen => crate::tr!("ha-orphan-nothing-seen"),
        Orphan::OfflineFor(d) => crate::tr!("ha-orphan-offline", time = format::duration(d)),
    }
}

fn broken_ui(
    ui: &mut egui::Ui,
    index: &DiscoveryIndex,
    picked: &mut Option<String>,
    delete: &mut Option<DeleteRequest>,
) {
    if index.broken.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(crate::tr!("ha-broken", n = index.broken.len()))
        .id_salt("discovery_broken")
        .default_open(true)
        .show(ui, |ui| {
            for b in &index.broken {
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .link(b.topic.as_str())
                        .on_hover_text(crate::tr!("ha-select-hover"))
                        .clicked()
                    {
                        *picked = Some(b.topic.clone());
                    }
                    if ui.small_button(crate::tr!("ha-delete")).clicked() {
                        *delete = Some(DeleteRequest::new(b.topic.clone(), vec![b.topic.clone()]));
                    }
                });
                ui.colored_label(theme::palette(ui).error, b.error.as_str());
            }
        });
}

fn device_ui(ui: &mut egui::Ui, d: &HaDevice, picked: &mut Option<String>, delete: &mut Option<DeleteRequest>) {
    let orphan = d.orphan();
    let title = crate::tr!("ha-device-title", name = d.name.as_str(), n = d.entities.len());
    let mut header = egui::RichText::new(title).strong();
    if orphan.is_some() {
        header = header.color(theme::palette(ui).warn);
    }
    egui::CollapsingHeader::new(header)
        .id_salt(("discovery_device", &d.key))
        .default_open(true)
        .show(ui, |ui| {
            if let Some(o) = orphan {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        theme::palette(ui).warn,
                        crate::tr!("ha-device-orphan", reason = orphan_text(o)),
                    );
                    if ui.small_button(crate::tr!("ha-delete-device")).clicked() {
                        let topics = d.entities.iter().map(|e| e.config_topic.clone()).collect();
                        *delete = Some(DeleteRequest::new(d.name.clone(), topics));
                    }
                });
            }
            for e in &d.entities {
                entity_ui(ui, e, picked, delete);
            }
        });
}

fn entity_ui(ui: &mut egui::Ui, e: &HaEntity, picked: &mut Option<String>, delete: &mut Option<DeleteRequest>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(&e.component).monospace().weak());
        ui.strong(e.label());
        if let Some(u) = &e.unique_id {
            ui.weak(u.as_str());
        }
        if let Some(o) = e.orphan {
            ui.colored_label(theme::palette(ui).warn, orphan_text(o));
            if ui.small_button(crate::tr!("ha-delete")).clicked() {
                *delete = Some(DeleteRequest::new(e.label().to_owned(), vec![e.config_topic.clone()]));
            }
        }
    });
    ui.indent(("discovery_entity", &e.config_topic), |ui| {
        topic_row(ui, crate::tr!("ha-topic-config"), &e.config_topic, picked);
        if let Some(t) = &e.state_topic {
            topic_row(ui, crate::tr!("ha-topic-state"), t, picked);
        }
        if let Some(t) = &e.command_topic {
            topic_row(ui, crate::tr!("ha-topic-command"), t, picked);
        }
        for t in &e.availability_topics {
            topic_row(ui, crate::tr!("ha-topic-availability"), t, picked);
        }
    });
}

fn topic_row(ui: &mut egui::Ui, what: String, topic: &str, picked: &mut Option<String>) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(what);
        if ui.link(topic).on_hover_text(crate::tr!("ha-select-hover")).clicked() {
            *picked = Some(topic.to_owned());
        }
    });
}
