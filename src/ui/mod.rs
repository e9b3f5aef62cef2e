//! The window's panels, one file each. Functions that draw take `&mut egui::Ui` and end
//! in `_ui`; they read the model and change state only through [`AppState`]'s methods.

pub mod command_keys;
mod commands;
mod connection_bar;
pub mod diff;
mod encoded_text;
pub mod export_dialog;
pub mod file_dialog;
pub mod fonts;
pub(crate) mod format;
pub mod json_colors;
pub mod json_pretty;
mod palette;
pub mod panes;
mod payload_view;
mod profile_dialog;
pub mod record_dialog;
mod recording_indicator;
pub mod replay_dialog;
mod shortcuts;
mod status_bar;
pub mod text_lines;
pub mod theme;
pub mod time_bar;
pub mod toasts;
pub mod workspace;

use serde::{Deserialize, Serialize};

use crate::app::AppState;

pub use commands::Action;
pub use panes::inspector::{InspectorState, PayloadView};
pub use panes::publish::{PayloadFormat, PublishForm};
pub use panes::tree::TreeView;
pub use panes::{ConnView, PaneStates};
pub use profile_dialog::ProfileDialog;
pub use workspace::{Pane, ScreenClass, Workspace};

/// Key of the UI settings in eframe's storage.
const SETTINGS_KEY: &str = "topicscope.ui";

/// UI choices remembered between runs (the window size is kept by eframe, the pane
/// layouts by [`Workspace`]).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// `None` follows the system.
    pub dark: Option<bool>,
    pub sort: SortChoice,
    /// The interface language; `None` follows `TOPICSCOPE_LANG` or the system locale.
    pub language: Option<crate::i18n::Lang>,
    /// The publish pane's topic follows the tree selection (off: only on request).
    pub publish_follows_tree: bool,
    /// Incoming data redraws the window 60 times a second instead of 5 (more CPU).
    pub smooth_redraw: bool,
}

impl UiSettings {
    /// Makes the interface speak the chosen (or the system's) language.
    pub fn apply_language(&self) {
        crate::i18n::set_lang(self.language.unwrap_or_else(crate::i18n::detect));
    }
}

/// The tree's sort order, as saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortChoice {
    #[default]
    Name,
    Messages,
    LastUpdate,
    /// Busiest now.
    Rate,
}

impl SortChoice {
    pub fn label(self) -> String {
        match self {
            SortChoice::Name => crate::tr!("chrome-sort-name"),
            SortChoice::Messages => crate::tr!("chrome-sort-messages"),
            SortChoice::LastUpdate => crate::tr!("chrome-sort-last-update"),
            SortChoice::Rate => crate::tr!("rate-sort"),
        }
    }
}

/// The gaps and tab bars of the workspace (the fit and the tiles must agree on them).
pub fn workspace_metrics() -> workspace::Metrics {
    workspace::Metrics {
        gap: 4.0,
        tab_bar: 26.0,
    }
}

/// State of the window that is not part of the data.
#[derive(Debug)]
pub struct UiState {
    pub settings: UiSettings,
    pub workspace: Workspace,
    pub panes: PaneStates,
    pub profile_dialog: Option<ProfileDialog>,
    pub palette: Option<palette::PaletteState>,
    pub help_open: bool,
    /// The Record dialog, while open.
    pub record_dialog: Option<record_dialog::RecordDialog>,
    /// The Replay dialog of an opened recording, while open.
    pub replay_dialog: Option<replay_dialog::ReplayDialog>,
    /// A setting changed that should be on disk now, not only at the next auto-save
    /// (the language: a person who switched it expects it kept even after a crash).
    pub(crate) settings_changed: bool,
    /// Notices and errors as dismissable cards.
    pub toasts: toasts::Toasts,
    theme_applied: bool,
}

impl UiState {
    pub fn new(storage: Option<&dyn eframe::Storage>, _state: &AppState) -> Self {
        let settings: UiSettings = storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        settings.apply_language();
        crate::app::redraw::set_smooth(settings.smooth_redraw);
        Self {
            workspace: Workspace::load(storage),
            settings,
            panes: PaneStates::default(),
            profile_dialog: None,
            palette: None,
            help_open: false,
            record_dialog: None,
            replay_dialog: None,
            settings_changed: false,
            toasts: toasts::Toasts::default(),
            theme_applied: false,
        }
    }

    pub fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
        self.workspace.save(storage);
    }

    /// Opens the connection dialog on the last used profile, or a new one for localhost.
    pub fn open_connection_dialog(&mut self, state: &AppState) {
        self.profile_dialog = Some(ProfileDialog::open(state));
    }

    /// The view of connection `id` (tree selection, inspector choices).
    pub fn conn_view(&mut self, id: crate::app::ConnId) -> &mut ConnView {
        self.panes.view(id)
    }

    /// The full topic selected in the active connection's tree.
    pub fn selected_topic(&self, state: &AppState) -> Option<String> {
        let id = self.panes.view_of(state.conn().id)?.tree.selected?;
        let tree = state.conn().model.tree();
        tree.contains(id).then(|| tree.full_topic(id))
    }

    /// Runs an action as if the user picked it in the command palette.
    pub fn run(&mut self, ctx: &egui::Context, state: &mut AppState, action: Action) {
        commands::run(action, ctx, state, self);
    }
}

/// Lays out the whole window.
pub fn app_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut UiState) {
    let ctx = ui.ctx().clone();
    if !view.theme_applied {
        view.theme_applied = true;
        if let Some(dark) = view.settings.dark {
            ctx.set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
        }
    }
    keyboard(&ctx, state, view);
    // A layout made now (first frame, new connection) fits the screen it opens on.
    if view.workspace.tree().is_none() {
        view.workspace.set_last_size(ctx.content_rect().size());
    }
    view.workspace.switch_to(&state.conn().name);

    egui::Panel::top("connection_bar").show(ui, |ui| connection_bar::connection_bar_ui(ui, state, view));
    if state.conn().playback.is_some() {
        egui::Panel::top("time_bar").show(ui, |ui| time_bar::time_bar_ui(ui, state, &mut view.replay_dialog));
    }
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, state));
    egui::CentralPanel::default()
        // No fill: the frame is cleared to the panel colour (`App::clear_color`), and the
        // panes paint their own; a fill here would paint the whole window once more.
        .frame(egui::Frame::new().inner_margin(2.0))
        .show(ui, |ui| workspace_ui(ui, state, view));

    if let Some(p) = view.panes.show_pane.take() {
        view.workspace.show_pane(p);
    }
    profile_dialog::profile_dialog_ui(&ctx, state, &mut view.profile_dialog);
    confirm_clear_ui(&ctx, state, &mut view.panes.confirm_clear);
    record_dialog::record_dialog_ui(&ctx, state, &mut view.record_dialog);
    replay_dialog::replay_dialog_ui(&ctx, state, &mut view.replay_dialog);
    export_dialog::export_dialog_ui(&ctx, state);
    // The Commands pane's windows: a shortcut or the palette may need them while the
    // pane is closed.
    view.panes.take_form_request();
    panes::command_edit::editor_ui(&ctx, state, &mut view.panes.commands.editor);
    panes::command_dialogs::prompt_ui(&ctx, state, &mut view.panes.commands);
    panes::command_dialogs::capture_ui(&ctx, state, &mut view.panes.commands);
    panes::command_dialogs::delete_ui(&ctx, state, &mut view.panes.commands);
    if let Some(p) = &mut view.palette {
        let (action, close) = palette::palette_ui(&ctx, state, p);
        if close {
            view.palette = None;
        }
        if let Some(a) = action {
            commands::run(a, &ctx, state, view);
        }
    }
    if view.help_open {
        shortcuts::help_ui(&ctx, &mut view.help_open);
    }
    file_dialog::file_dialog_ui(&ctx, state);
    if let Some(path) = file_dialog::take_chosen(&ctx, file_dialog::Purpose::OpenRecording)
        && let Err(e) = state.open_recording(&path)
    {
        state.error(e);
    }
    toasts::toasts_ui(&ctx, state, &mut view.toasts);
}

/// The tiles, kept at every pane's minimum size.
fn workspace_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut UiState) {
    let size = ui.available_size();
    view.workspace.set_last_size(size);
    let tree = view.workspace.tree_mut(size);
    workspace::fit_to(tree, size, workspace_metrics());
    // The publish pane's setting lives in the saved settings.
    view.panes.publish.follow_tree = view.settings.publish_follows_tree;
    let mut behavior = panes::PaneBehavior {
        state,
        panes: &mut view.panes,
    };
    tree.ui(&mut behavior, ui);
    view.settings.publish_follows_tree = view.panes.publish.follow_tree;
}

/// Shortcuts that work wherever the keyboard is, then the tree's keys when no text field
/// and no dialog has it.
fn keyboard(ctx: &egui::Context, state: &mut AppState, view: &mut UiState) {
    // Only a text field keeps the keys: a focused button (after Tab) does not stop the
    // arrows from walking the tree.
    let text_focused = ctx.text_edit_focused();
    let dialog_open = view.profile_dialog.is_some()
        || view.palette.is_some()
        || view.help_open
        || view.record_dialog.is_some()
        || view.replay_dialog.is_some()
        || export_dialog::is_open(ctx)
        || file_dialog::is_open(ctx);
    if view.palette.is_none() {
        for a in shortcuts::global_actions(ctx, text_focused) {
            commands::run(a, ctx, state, view);
        }
        if !dialog_open {
            panes::command_dialogs::shortcuts(ctx, state, &mut view.panes.commands);
        }
    }
    if text_focused && !dialog_open && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        // Escape leaves the text field: the arrows move the tree selection again.
        drop_focus(ctx);
        return;
    }
    if !text_focused && !dialog_open && view.panes.confirm_clear.is_none() {
        let v = view.panes.active_view(state);
        if panes::tree::keyboard(ctx, state, &mut v.tree) {
            // The tree took the key: a focused button must not also move its focus.
            drop_focus(ctx);
        }
    }
}

/// Takes the keyboard focus from whichever widget has it.
fn drop_focus(ctx: &egui::Context) {
    ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id);
        }
    });
}

/// The confirmation before clearing retained messages, stating what will go.
fn confirm_clear_ui(ctx: &egui::Context, state: &mut AppState, pending: &mut Option<panes::ClearRequest>) {
    let Some(req) = pending.as_ref() else { return };
    let mut decision = None;
    egui::Modal::new(egui::Id::unique("confirm_clear")).show(ctx, |ui| {
        ui.heading(crate::tr!("chrome-clear-retained-title"));
        let n = req.known.len();
        let text = match &req.below {
            Some(filter) => crate::tr!("chrome-clear-retained-below-text", filter = filter.as_str(), n = n),
            None => crate::tr!("chrome-clear-retained-text", n = n),
        };
        ui.add(egui::Label::new(text).wrap());
        for t in req.known.iter().take(8) {
            ui.monospace(t);
        }
        if n > 8 {
            ui.weak(crate::tr!("chrome-clear-retained-more", n = n - 8));
        }
        ui.horizontal(|ui| {
            let label = match &req.below {
                Some(filter) => crate::tr!("chrome-clear-retained-below-button", filter = filter.as_str()),
                None => crate::tr!("chrome-clear-retained-button", n = n),
            };
            if ui.button(label).clicked() {
                decision = Some(true);
            }
            if ui.button(crate::tr!("chrome-cancel")).clicked() {
                decision = Some(false);
            }
        });
    });
    match decision {
        Some(true) => {
            if let Some(req) = pending.take() {
                match req.below {
                    Some(filter) => state.clear_retained_below(filter),
                    None => state.clear_retained(req.known),
                }
            }
        }
        Some(false) => *pending = None,
        None => {}
    }
}
