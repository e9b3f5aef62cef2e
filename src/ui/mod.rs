//! The window's panels, one file each. Functions that draw take `&mut egui::Ui` and end
//! in `_ui`; they read the model and change state only through [`AppState`]'s methods.

mod charts_panel;
mod connection_bar;
pub mod diff;
mod format;
mod history_list;
mod inspector;
pub mod json_colors;
pub mod json_pretty;
mod payload_view;
mod profile_dialog;
mod publish_panel;
mod publish_v5;
mod status_bar;
mod subscriptions;
pub mod text_lines;
pub mod theme;
mod tree_panel;

use serde::{Deserialize, Serialize};

use crate::app::AppState;

pub use inspector::{InspectorState, PayloadView};
pub use profile_dialog::ProfileDialog;
pub use publish_panel::{PayloadFormat, PublishForm};
pub use tree_panel::TreeView;

/// Key of the UI settings in eframe's storage.
const SETTINGS_KEY: &str = "topicscope.ui";

/// UI choices remembered between runs (window size and panel widths are kept by eframe).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// `None` follows the system.
    pub dark: Option<bool>,
    pub sort: SortChoice,
    pub publish_open: bool,
    pub charts_open: bool,
}

/// The tree's sort order, as saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortChoice {
    #[default]
    Name,
    Messages,
    LastUpdate,
}

/// State of the panels that is not part of the data.
#[derive(Debug)]
pub struct UiState {
    pub settings: UiSettings,
    pub tree: TreeView,
    pub inspector: InspectorState,
    pub publish: PublishForm,
    pub profile_dialog: Option<ProfileDialog>,
    pub subscriptions_open: bool,
    pub new_subscription: (String, u8),
    pub subscription_error: Option<String>,
    /// Topics whose retained messages wait for the user's confirmation to be cleared.
    pub confirm_clear: Option<Vec<String>>,
    theme_applied: bool,
}

impl UiState {
    pub fn new(storage: Option<&dyn eframe::Storage>, _state: &AppState) -> Self {
        let settings: UiSettings = storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut tree = TreeView::default();
        tree.set_sort(settings.sort);
        let mut publish = PublishForm::default();
        publish.open = settings.publish_open || storage.is_none();
        Self {
            publish,
            settings,
            tree,
            inspector: InspectorState::default(),
            profile_dialog: None,
            subscriptions_open: false,
            new_subscription: (String::new(), 0),
            subscription_error: None,
            confirm_clear: None,
            theme_applied: false,
        }
    }

    pub fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.publish_open = self.publish.open;
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    /// Opens the connection dialog on the last used profile, or a new one for localhost.
    pub fn open_connection_dialog(&mut self, state: &AppState) {
        self.profile_dialog = Some(ProfileDialog::open(state));
    }
}

/// Lays out the whole window.
pub fn app_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut UiState) {
    if !view.theme_applied {
        view.theme_applied = true;
        if let Some(dark) = view.settings.dark {
            ui.ctx()
                .set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
        }
    }
    egui::Panel::top("connection_bar").show(ui, |ui| connection_bar::connection_bar_ui(ui, state, view));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, state));
    if view.publish.open {
        let selected_topic = view.inspector_topic(state);
        egui::Panel::bottom("publish_panel")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                publish_panel::publish_panel_ui(ui, state, &mut view.publish, selected_topic)
            });
    }
    if view.settings.charts_open {
        egui::Panel::right("charts_panel")
            .resizable(true)
            .default_size(440.0)
            .size_range(280.0..=1600.0)
            .show(ui, |ui| {
                if charts_panel::charts_panel_ui(ui, state) {
                    state.save_chart_layout();
                }
            });
    }
    egui::Panel::left("topic_tree")
        .resizable(true)
        .default_size(360.0)
        .size_range(220.0..=1400.0)
        .show(ui, |ui| {
            tree_panel::tree_panel_ui(ui, state, &mut view.tree, &mut view.confirm_clear)
        });
    egui::CentralPanel::default().show(ui, |ui| {
        inspector::inspector_ui(
            ui,
            state,
            &mut view.inspector,
            &mut view.confirm_clear,
            view.tree.selected,
            &mut view.settings.charts_open,
        )
    });

    profile_dialog::profile_dialog_ui(ui.ctx(), state, &mut view.profile_dialog);
    if view.subscriptions_open {
        subscriptions::subscriptions_window_ui(ui.ctx(), state, view);
    }
    confirm_clear_ui(ui.ctx(), state, &mut view.confirm_clear);
}

impl UiState {
    /// The full topic of the selected tree row, to pre-fill the publish panel.
    fn inspector_topic(&self, state: &AppState) -> Option<String> {
        let id = self.tree.selected?;
        state.model.tree().get(id).map(|_| state.model.tree().full_topic(id))
    }
}

/// The confirmation before clearing retained messages, stating how many topics.
fn confirm_clear_ui(ctx: &egui::Context, state: &mut AppState, pending: &mut Option<Vec<String>>) {
    let Some(topics) = pending.as_ref() else { return };
    let mut decision = None;
    egui::Modal::new(egui::Id::unique("confirm_clear")).show(ctx, |ui| {
        ui.heading("Clear retained messages");
        let n = topics.len();
        ui.label(format!(
            "This removes the retained message of {n} topic{} from the broker. Devices that only publish on change will not resend them.",
            if n == 1 { "" } else { "s" }
        ));
        for t in topics.iter().take(8) {
            ui.monospace(t);
        }
        if n > 8 {
            ui.weak(format!("… and {} more", n - 8));
        }
        ui.horizontal(|ui| {
            if ui.button(format!("Clear {n} retained")).clicked() {
                decision = Some(true);
            }
            if ui.button("Cancel").clicked() {
                decision = Some(false);
            }
        });
    });
    match decision {
        Some(true) => {
            if let Some(topics) = pending.take() {
                state.clear_retained(topics);
            }
        }
        Some(false) => *pending = None,
        None => {}
    }
}
