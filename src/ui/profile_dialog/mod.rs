//! The "Connections" dialog: the saved profiles on the left, a form for every field of
//! the selected one on the right.
//!
//! The form edits a working copy. Save, Connect, Duplicate and Delete write
//! `profiles.ron` at once; when that write fails the in-memory list is put back as it
//! was, so what the picker shows is always what is on disk.

use std::fmt;
use std::path::PathBuf;

use egui::{Color32, RichText, TextEdit, Ui};

use super::theme;

mod form;
use crate::app::AppState;
use crate::profiles::{
    BrokerUrl, LastWill, MAX_MAX_PACKET_BYTES, MIN_MAX_PACKET_BYTES, MqttVersion, Profile, ProfileError, ProfileStore,
    Subscription, Transport, generate_client_id, validate_filter, validate_publish_topic,
};

/// Name of the profile offered when none is saved yet.
const FIRST_PROFILE_NAME: &str = "localhost";
const BYTES_PER_MIB: f64 = 1024.0 * 1024.0;
/// Width of the profile list.
const LIST_WIDTH: f32 = 180.0;
/// Width of the text fields in the form.
const FIELD_WIDTH: f32 = 330.0;
/// First guess of the room under the list and the form (status line and buttons).
const FOOTER_HEIGHT: f32 = 64.0;
/// The list and the form never get less than this, however small the window.
const MIN_BODY_HEIGHT: f32 = 200.0;

/// The connection dialog's state; `None` in [`super::UiState`] while it is closed.
#[derive(Debug)]
pub struct ProfileDialog {
    /// Name of the saved profile being edited; `None` while it is a draft never saved.
    original_name: Option<String>,
    /// What the form shows and edits.
    working: Profile,
    /// `working` as last loaded or saved, to tell whether there are unsaved edits.
    baseline: Profile,
    /// The last will as typed, kept while the will is switched off so unticking loses nothing.
    will_draft: LastWill,
    show_password: bool,
    new_filter: String,
    new_qos: u8,
    new_filter_error: Option<String>,
    /// Outcome of the last Save, Duplicate or Delete.
    status: Option<Status>,
    confirm_delete: bool,
    /// Where to go once the person agrees to drop unsaved edits.
    pending_switch: Option<Target>,
    /// Height of the status line and buttons in the last frame.
    footer_height: f32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Done(String),
    Failed(String),
}

/// What the form switches to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A saved profile.
    Saved(String),
    /// A new draft.
    New,
    /// A saved copy of the named profile.
    CopyOf(String),
    /// Nothing: the dialog closes.
    Close,
}

/// What a click asked for; applied after drawing, when `AppState` can be borrowed mutably.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Switch(Target),
    /// Answer to "discard the unsaved changes?".
    Discard(bool),
    AskDelete,
    /// Answer to "delete profile X?".
    Delete(bool),
    Save,
    Connect,
}

/// Why the profile list was not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SaveError {
    /// The profile is invalid or its name is taken; nothing changed.
    Refused(String),
    /// The file could not be written; the in-memory list was put back as it was.
    NotWritten(String),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(reason) | Self::NotWritten(reason) => f.write_str(reason),
        }
    }
}

impl ProfileDialog {
    /// Opens on the last used profile, else the first saved one, else a new draft for
    /// `mqtt://localhost:1883`.
    pub fn open(state: &AppState) -> Self {
        Self::for_store(&state.profiles)
    }

    fn for_store(store: &ProfileStore) -> Self {
        match store.last_used().or_else(|| store.list().first()) {
            Some(profile) => Self::editing(Some(profile.name.clone()), profile.clone()),
            None => Self::editing(None, new_draft(store)),
        }
    }

    fn editing(original_name: Option<String>, profile: Profile) -> Self {
        Self {
            original_name,
            will_draft: profile.last_will.clone().unwrap_or_default(),
            baseline: profile.clone(),
            working: profile,
            show_password: false,
            new_filter: String::new(),
            new_qos: 0,
            new_filter_error: None,
            status: None,
            confirm_delete: false,
            pending_switch: None,
            footer_height: FOOTER_HEIGHT,
        }
    }

    fn has_unsaved_changes(&self) -> bool {
        self.working != self.baseline
    }

    /// Applies a click. Returns the profile to connect with, and whether to close.
    fn apply(&mut self, action: Action, store: &mut ProfileStore) -> (Option<Profile>, bool) {
        match action {
            Action::Switch(target) => {
                self.confirm_delete = false;
                if self.has_unsaved_changes() {
                    self.pending_switch = Some(target);
                } else {
                    return (None, self.switch_to(target, store));
                }
            }
            Action::Discard(true) => {
                if let Some(target) = self.pending_switch.take() {
                    return (None, self.switch_to(target, store));
                }
            }
            Action::Discard(false) => self.pending_switch = None,
            Action::AskDelete => {
                self.pending_switch = None;
                self.confirm_delete = true;
            }
            Action::Delete(confirmed) => {
                self.confirm_delete = false;
                if let (true, Some(name)) = (confirmed, self.original_name.clone()) {
                    match delete_profile(store, &name) {
                        Ok(()) => {
                            self.load_first(store);
                            self.status =
                                Some(Status::Done(crate::tr!("chrome-profile-deleted", name = name.as_str())));
                        }
                        Err(e) => self.status = Some(Status::Failed(e.to_string())),
                    }
                }
            }
            Action::Save => {
                let _ = self.save(store);
            }
            Action::Connect => match self.save(store) {
                Ok(profile) => return (Some(profile), true),
                // The file is protected or unwritable: still let the person connect.
                Err(SaveError::NotWritten(_)) => return (Some(normalized(&self.working)), true),
                Err(SaveError::Refused(_)) => {}
            },
        }
        (None, false)
    }

    /// Shows `target`; true when the dialog should close.
    fn switch_to(&mut self, target: Target, store: &mut ProfileStore) -> bool {
        match target {
            Target::Saved(name) => match store.get(&name) {
                Some(profile) => *self = Self::editing(Some(name), profile.clone()),
                None => self.load_first(store),
            },
            Target::New => *self = Self::editing(None, new_draft(store)),
            Target::CopyOf(name) => match duplicate_profile(store, &name) {
                Ok(copy) => {
                    if let Some(profile) = store.get(&copy) {
                        *self = Self::editing(Some(copy.clone()), profile.clone());
                    }
                    self.status = Some(Status::Done(crate::tr!("chrome-profile-copied", name = copy.as_str())));
                }
                Err(e) => self.status = Some(Status::Failed(e.to_string())),
            },
            Target::Close => return true,
        }
        false
    }

    fn load_first(&mut self, store: &ProfileStore) {
        *self = match store.list().first() {
            Some(profile) => Self::editing(Some(profile.name.clone()), profile.clone()),
            None => Self::editing(None, new_draft(store)),
        };
    }

    fn save(&mut self, store: &mut ProfileStore) -> Result<Profile, SaveError> {
        self.confirm_delete = false;
        self.pending_switch = None;
        let result = save_working_copy(store, self.original_name.as_deref(), &self.working);
        match &result {
            Ok(profile) => {
                self.original_name = Some(profile.name.clone());
                self.working = profile.clone();
                self.baseline = profile.clone();
                self.status = Some(Status::Done(crate::tr!(
                    "chrome-profile-saved",
                    name = profile.name.as_str()
                )));
            }
            Err(e) => {
                self.status = Some(Status::Failed(crate::tr!(
                    "chrome-profile-not-saved",
                    error = crate::i18n::shown(e)
                )))
            }
        }
        result
    }

    fn contents_ui(&mut self, ui: &mut Ui, state: &AppState) -> Option<Action> {
        let palette = theme::palette(ui);
        if let Some(error) = &state.profiles_error {
            wrapped_label(
                ui,
                palette.error,
                crate::tr!("chrome-profiles-unreadable", error = error.as_str()),
            );
            ui.separator();
        }
        // The footer's height is measured each frame: guessing it wrong would make the
        // window taller by the difference on every frame.
        let body_top = ui.cursor().top();
        let body_height = (ui.available_height() - self.footer_height).max(MIN_BODY_HEIGHT);
        let mut action = None;
        let body_size = egui::vec2(ui.available_width(), body_height);
        let row_layout = egui::Layout::left_to_right(egui::Align::Min);
        ui.allocate_ui_with_layout(body_size, row_layout, |ui| {
            ui.vertical(|ui| {
                ui.set_width(LIST_WIDTH);
                self.list_ui(ui, &state.profiles, body_height, &mut action);
            });
            // Spans `body_height`, the height this row was given.
            ui.separator();
            ui.vertical(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("profile_form")
                    .max_height(body_height)
                    .auto_shrink([false, true])
                    .show(ui, |ui| self.form_ui(ui));
            });
        });
        ui.separator();
        self.footer_ui(ui, &mut action);
        self.footer_height = (ui.min_rect().bottom() - body_top - body_height).max(0.0);
        action
    }

    fn list_ui(&self, ui: &mut Ui, store: &ProfileStore, body_height: f32, action: &mut Option<Action>) {
        ui.strong(crate::tr!("chrome-profiles"));
        egui::ScrollArea::vertical()
            .id_salt("profile_list")
            .max_height((body_height - 150.0).max(60.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for profile in store.list() {
                    let selected = self.original_name.as_deref() == Some(profile.name.as_str());
                    if ui.selectable_label(selected, &profile.name).clicked() && !selected {
                        *action = Some(Action::Switch(Target::Saved(profile.name.clone())));
                    }
                }
                if self.original_name.is_none() {
                    // Shown selected but inert: Save is what adds it to the list.
                    let _ = ui.selectable_label(
                        true,
                        crate::tr!("chrome-profile-unsaved-entry", name = self.working.name.as_str()),
                    );
                }
            });
        ui.add_space(4.0);
        let saved = self.original_name.is_some();
        ui.horizontal_wrapped(|ui| {
            if ui.button(crate::tr!("chrome-profile-new")).clicked() {
                *action = Some(Action::Switch(Target::New));
            }
            let duplicate = ui.add_enabled(saved, egui::Button::new(crate::tr!("chrome-profile-duplicate")));
            if duplicate.clicked()
                && let Some(name) = &self.original_name
            {
                *action = Some(Action::Switch(Target::CopyOf(name.clone())));
            }
            if ui
                .add_enabled(saved, egui::Button::new(crate::tr!("chrome-profile-delete")))
                .clicked()
            {
                *action = Some(Action::AskDelete);
            }
        });
        if let (true, Some(name)) = (self.confirm_delete, &self.original_name) {
            ui.add(egui::Label::new(crate::tr!("chrome-profile-delete-question", name = name.as_str())).wrap());
            ui.horizontal(|ui| {
                if ui.button(crate::tr!("chrome-yes")).clicked() {
                    *action = Some(Action::Delete(true));
                }
                if ui.button(crate::tr!("chrome-no")).clicked() {
                    *action = Some(Action::Delete(false));
                }
            });
        }
        if self.pending_switch.is_some() {
            let what = match &self.original_name {
                Some(name) => crate::tr!("chrome-profile-discard-changes", name = name.as_str()),
                None => crate::tr!("chrome-profile-discard-new", name = self.working.name.as_str()),
            };
            ui.add(egui::Label::new(what).wrap());
            ui.horizontal(|ui| {
                if ui.button(crate::tr!("chrome-profile-discard")).clicked() {
                    *action = Some(Action::Discard(true));
                }
                if ui.button(crate::tr!("chrome-profile-keep-editing")).clicked() {
                    *action = Some(Action::Discard(false));
                }
            });
        }
    }

    fn footer_ui(&self, ui: &mut Ui, action: &mut Option<Action>) {
        let palette = theme::palette(ui);
        match &self.status {
            Some(Status::Done(text)) => wrapped_label(ui, palette.ok, text.clone()),
            Some(Status::Failed(text)) => wrapped_label(ui, palette.error, text.clone()),
            // Keeps the line, so the first message does not make the window jump.
            None => {
                ui.label("");
            }
        }
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("chrome-profile-save")).clicked() {
                *action = Some(Action::Save);
            }
            if ui
                .button(crate::tr!("chrome-connect"))
                .on_hover_text(crate::tr!("chrome-profile-connect-hover"))
                .clicked()
            {
                *action = Some(Action::Connect);
            }
            if ui.button(crate::tr!("chrome-close")).clicked() {
                *action = Some(Action::Switch(Target::Close));
            }
            if self.original_name.is_none() {
                ui.weak(crate::tr!("chrome-profile-new-unsaved"));
            } else if self.has_unsaved_changes() {
                ui.weak(crate::tr!("chrome-profile-unsaved-changes"));
            }
        });
    }
}

/// Draws the dialog while `dialog` is `Some`; closing it sets `None`.
pub fn profile_dialog_ui(ctx: &egui::Context, state: &mut AppState, dialog: &mut Option<ProfileDialog>) {
    let Some(current) = dialog.as_mut() else {
        return;
    };
    let mut open = true;
    let mut action = None;
    egui::Window::new(crate::tr!("chrome-connections-title"))
        .open(&mut open)
        .collapsible(false)
        .default_width(720.0)
        .default_height(560.0)
        .min_width(560.0)
        .min_height(320.0)
        .vscroll(false)
        .show(ctx, |ui| action = current.contents_ui(ui, state));
    if !open {
        // The title bar's close button: ask first if there are edits to lose.
        action = Some(Action::Switch(Target::Close));
    }
    let Some(action) = action else { return };
    let (connect, close) = current.apply(action, &mut state.profiles);
    if let (Some(Status::Failed(text)), Some(_)) = (&current.status, &connect) {
        state.notice(text.clone());
    }
    if let Some(profile) = connect {
        state.connect(profile);
    }
    if close {
        *dialog = None;
    }
}

/// Validates `working`, then stores it (renaming `original_name` when the name changed)
/// and writes the file. Returns the profile as stored.
pub(crate) fn save_working_copy(
    store: &mut ProfileStore,
    original_name: Option<&str>,
    working: &Profile,
) -> Result<Profile, SaveError> {
    let profile = normalized(working);
    profile.validate().map_err(|e| SaveError::Refused(e.to_string()))?;
    let before = store.clone();
    match original_name.filter(|name| store.get(name).is_some()) {
        Some(old) => store
            .rename(old, &profile.name)
            .map_err(|e| SaveError::Refused(e.to_string()))?,
        None if store.get(&profile.name).is_some() => {
            let taken = ProfileError::NameTaken {
                name: profile.name.clone(),
            };
            return Err(SaveError::Refused(taken.to_string()));
        }
        None => {}
    }
    store.upsert(profile.clone());
    write_or_restore(store, before)?;
    Ok(profile)
}

/// Removes the named profile and writes the file.
pub(crate) fn delete_profile(store: &mut ProfileStore, name: &str) -> Result<(), SaveError> {
    let before = store.clone();
    if store.remove(name).is_none() {
        let missing = ProfileError::NotFound { name: name.to_owned() };
        return Err(SaveError::Refused(missing.to_string()));
    }
    write_or_restore(store, before)
}

/// Copies the named profile and writes the file. Returns the copy's name.
pub(crate) fn duplicate_profile(store: &mut ProfileStore, name: &str) -> Result<String, SaveError> {
    let before = store.clone();
    let copy = store.duplicate(name).map_err(|e| SaveError::Refused(e.to_string()))?;
    write_or_restore(store, before)?;
    Ok(copy)
}

/// Saves `store`; on failure puts `before` back so memory matches the file.
fn write_or_restore(store: &mut ProfileStore, before: ProfileStore) -> Result<(), SaveError> {
    store.save().map_err(|e| {
        *store = before;
        SaveError::NotWritten(e.to_string())
    })
}

/// The profile as it is saved: a name and address without stray spaces around them.
fn normalized(working: &Profile) -> Profile {
    let mut profile = working.clone();
    profile.name = profile.name.trim().to_owned();
    profile.broker_url = profile.broker_url.trim().to_owned();
    profile
}

/// A new unsaved profile for localhost, named so it does not clash with a saved one.
fn new_draft(store: &ProfileStore) -> Profile {
    // Further new profiles are "New profile", "New profile 2", … when taken.
    let base = if store.list().is_empty() {
        FIRST_PROFILE_NAME.to_owned()
    } else {
        crate::tr!("chrome-profile-new-name")
    };
    Profile::new(unique_name(store, &base), "mqtt://localhost:1883")
}

/// `base`, or "base 2", "base 3", … whichever is free first.
fn unique_name(store: &ProfileStore, base: &str) -> String {
    (1..)
        .map(|n| match n {
            1 => base.to_owned(),
            n => format!("{base} {n}"),
        })
        .find(|name| store.get(name).is_none())
        .expect("an unbounded range always yields a free name")
}

fn wrapped_label(ui: &mut Ui, color: Color32, text: impl Into<String>) {
    ui.add(egui::Label::new(RichText::new(text.into()).color(color)).wrap());
}

#[cfg(test)]
mod tests;
