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
use crate::app::AppState;
use crate::profiles::{
    BrokerUrl, LastWill, MAX_MAX_PACKET_BYTES, MIN_MAX_PACKET_BYTES, MqttVersion, Profile, ProfileError, ProfileStore,
    Subscription, Transport, generate_client_id, validate_filter, validate_publish_topic,
};

/// Name of the profile offered when none is saved yet.
const FIRST_PROFILE_NAME: &str = "localhost";
/// Name of further new profiles ("New profile 2", … when taken).
const NEW_PROFILE_NAME: &str = "New profile";
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
                            self.status = Some(Status::Done(format!("Deleted profile '{name}'.")));
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
                    self.status = Some(Status::Done(format!("Saved a copy as '{copy}'.")));
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
                self.status = Some(Status::Done(format!("Saved '{}'.", profile.name)));
            }
            Err(e) => self.status = Some(Status::Failed(format!("Not saved. {e}"))),
        }
        result
    }

    fn contents_ui(&mut self, ui: &mut Ui, state: &AppState) -> Option<Action> {
        let palette = theme::palette(ui);
        if let Some(error) = &state.profiles_error {
            wrapped_label(
                ui,
                palette.error,
                format!(
                    "profiles.ron could not be read: {error} It will not be overwritten; \
                     fix or move it."
                ),
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
        ui.strong("Profiles");
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
                    let _ = ui.selectable_label(true, format!("{} (not saved)", self.working.name));
                }
            });
        ui.add_space(4.0);
        let saved = self.original_name.is_some();
        ui.horizontal_wrapped(|ui| {
            if ui.button("New").clicked() {
                *action = Some(Action::Switch(Target::New));
            }
            let duplicate = ui.add_enabled(saved, egui::Button::new("Duplicate"));
            if duplicate.clicked()
                && let Some(name) = &self.original_name
            {
                *action = Some(Action::Switch(Target::CopyOf(name.clone())));
            }
            if ui.add_enabled(saved, egui::Button::new("Delete")).clicked() {
                *action = Some(Action::AskDelete);
            }
        });
        if let (true, Some(name)) = (self.confirm_delete, &self.original_name) {
            ui.add(egui::Label::new(format!("Delete profile {name}?")).wrap());
            ui.horizontal(|ui| {
                if ui.button("Yes").clicked() {
                    *action = Some(Action::Delete(true));
                }
                if ui.button("No").clicked() {
                    *action = Some(Action::Delete(false));
                }
            });
        }
        if self.pending_switch.is_some() {
            let what = match &self.original_name {
                Some(name) => format!("Discard the unsaved changes to {name}?"),
                None => format!("Discard the new profile {}?", self.working.name),
            };
            ui.add(egui::Label::new(what).wrap());
            ui.horizontal(|ui| {
                if ui.button("Discard").clicked() {
                    *action = Some(Action::Discard(true));
                }
                if ui.button("Keep editing").clicked() {
                    *action = Some(Action::Discard(false));
                }
            });
        }
    }

    fn form_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        let parsed_url = BrokerUrl::parse(&self.working.broker_url);
        let w = &mut self.working;
        egui::Grid::new("profile_form_grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Name");
                ui.add(TextEdit::singleline(&mut w.name).desired_width(FIELD_WIDTH))
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Broker URL");
                ui.vertical(|ui| {
                    ui.set_max_width(FIELD_WIDTH);
                    ui.add(
                        TextEdit::singleline(&mut w.broker_url)
                            .hint_text("mqtt://localhost:1883")
                            .desired_width(FIELD_WIDTH),
                    )
                    .labelled_by(label.id);
                    match &parsed_url {
                        Ok(url) => {
                            ui.add(egui::Label::new(RichText::new(describe_url(url)).weak()).wrap());
                        }
                        Err(e) => wrapped_label(ui, palette.error, format!("Not a valid broker address: {e}.")),
                    }
                });
                ui.end_row();

                let label = ui.label("Client ID");
                ui.horizontal(|ui| {
                    ui.add(
                        TextEdit::singleline(&mut w.client_id)
                            .hint_text("empty: the broker picks one")
                            .desired_width(FIELD_WIDTH - 80.0),
                    )
                    .labelled_by(label.id);
                    if ui.button("Generate").on_hover_text("A new random client ID").clicked() {
                        w.client_id = generate_client_id();
                    }
                });
                ui.end_row();

                let (url_user, url_password) = match &parsed_url {
                    Ok(url) => (url.username.clone(), url.password.is_some()),
                    Err(_) => (None, false),
                };
                let label = ui.label("Username");
                let hint = url_user.map_or_else(String::new, |user| format!("from the URL: {user}"));
                optional_text_ui(ui, label.id, &mut w.username, false, &hint);
                ui.end_row();

                let label = ui.label("Password");
                ui.horizontal(|ui| {
                    let hint = if url_password { "from the URL" } else { "" };
                    let masked = !self.show_password;
                    optional_text_ui(ui, label.id, &mut w.password, masked, hint);
                    ui.checkbox(&mut self.show_password, "Show");
                });
                ui.end_row();

                let label = ui.label("Keep-alive (s)");
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut w.keep_alive_secs).range(0..=u16::MAX))
                        .labelled_by(label.id);
                    if w.keep_alive_secs == 0 {
                        ui.weak("off: a dead connection goes unnoticed");
                    }
                });
                ui.end_row();

                ui.label("");
                ui.checkbox(&mut w.clean_session, "Clean session")
                    .on_hover_text("Start without the session the broker may have kept for this client ID");
                ui.end_row();

                let label = ui.label("MQTT version");
                egui::ComboBox::from_id_salt("mqtt_version")
                    .selected_text(version_text(w.mqtt_version))
                    .show_ui(ui, |ui| {
                        for version in [MqttVersion::V311, MqttVersion::V5] {
                            ui.selectable_value(&mut w.mqtt_version, version, version_text(version));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                if w.mqtt_version == MqttVersion::V5 {
                    session_expiry_row_ui(ui, w);
                }

                let label = ui.label("Max packet size (MiB)");
                let mut mib = w.max_packet_bytes as f64 / BYTES_PER_MIB;
                let response = ui
                    .add(
                        egui::DragValue::new(&mut mib)
                            .range(MIN_MAX_PACKET_BYTES as f64 / BYTES_PER_MIB..=256.0)
                            .speed(0.25)
                            .max_decimals(3),
                    )
                    .labelled_by(label.id)
                    .on_hover_text("Larger messages are refused, and larger publishes fail");
                if response.changed() {
                    w.max_packet_bytes = mib_to_bytes(mib);
                }
                ui.end_row();

                let label = ui.label("Connect timeout (s)");
                ui.add(egui::DragValue::new(&mut w.connect_timeout_secs).range(1..=3600))
                    .labelled_by(label.id);
                ui.end_row();
            });

        ui.add_space(8.0);
        self.subscriptions_ui(ui);
        ui.add_space(4.0);
        self.tls_ui(ui, parsed_url.ok().map(|url| url.transport));
        self.last_will_ui(ui);
    }

    fn subscriptions_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        ui.strong("Subscriptions");
        let subscriptions = &mut self.working.subscriptions;
        if subscriptions.is_empty() {
            ui.weak("None: nothing will arrive until you add a filter.");
        }
        let mut remove = None;
        for (index, subscription) in subscriptions.iter_mut().enumerate() {
            ui.push_id(index, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(format!("Filter {}", index + 1));
                    ui.add(TextEdit::singleline(&mut subscription.filter).desired_width(220.0))
                        .labelled_by(label.id);
                    qos_ui(ui, "qos", &mut subscription.qos).accessible_name(format!("QoS of filter {}", index + 1));
                    if ui
                        .button("Remove")
                        .on_hover_text(format!("Remove filter {}", index + 1))
                        .clicked()
                    {
                        remove = Some(index);
                    }
                });
                if let Err(e) = validate_filter(&subscription.filter) {
                    wrapped_label(ui, palette.error, e.to_string());
                }
            });
        }
        if let Some(index) = remove {
            subscriptions.remove(index);
        }
        ui.horizontal(|ui| {
            let label = ui.label("New filter");
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.new_filter)
                        .hint_text("sensors/#")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            let label = ui.label("QoS");
            qos_ui(ui, "new_qos", &mut self.new_qos).labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Add").clicked() || entered {
                match add_subscription(subscriptions, &self.new_filter, self.new_qos) {
                    Ok(()) => {
                        self.new_filter.clear();
                        self.new_filter_error = None;
                    }
                    Err(e) => self.new_filter_error = Some(e),
                }
            }
        });
        if let Some(error) = &self.new_filter_error {
            wrapped_label(ui, palette.error, error.clone());
        }
    }

    fn tls_ui(&mut self, ui: &mut Ui, transport: Option<Transport>) {
        let palette = theme::palette(ui);
        let tls = &mut self.working.tls;
        let uses_tls = transport.is_some_and(Transport::uses_tls);
        egui::CollapsingHeader::new("TLS")
            .default_open(uses_tls || *tls != Default::default())
            .show(ui, |ui| {
                if !uses_tls && *tls != Default::default() {
                    wrapped_label(
                        ui,
                        palette.warn,
                        "These settings are used only with mqtts:// and wss:// addresses.",
                    );
                }
                egui::Grid::new("profile_tls_grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let rows = [
                            ("CA file", &mut tls.ca_file, "empty: the system's trusted CAs"),
                            ("Client certificate", &mut tls.client_cert, "PEM, for mutual TLS"),
                            ("Client key", &mut tls.client_key, "PEM private key"),
                        ];
                        for (name, path, hint) in rows {
                            let label = ui.label(name);
                            ui.vertical(|ui| {
                                optional_path_ui(ui, label.id, path, hint);
                                if let Some(path) = path.as_ref()
                                    && !path.exists()
                                {
                                    wrapped_label(ui, palette.warn, "No such file.");
                                }
                            });
                            ui.end_row();
                        }
                    });
                ui.checkbox(&mut tls.allow_invalid_certs, "Allow invalid certificates");
                if tls.allow_invalid_certs {
                    wrapped_label(
                        ui,
                        palette.warn,
                        "⚠ The broker's certificate is not checked: anyone on the network path \
                         can read and change this connection. Use this only with test brokers.",
                    );
                }
            });
    }

    fn last_will_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        let w = &mut self.working;
        egui::CollapsingHeader::new("Last will")
            .default_open(w.last_will.is_some())
            .show(ui, |ui| {
                let mut enabled = w.last_will.is_some();
                if ui
                    .checkbox(&mut enabled, "Send a last will")
                    .on_hover_text("The broker publishes it if Topicscope disappears without disconnecting")
                    .changed()
                {
                    if enabled {
                        w.last_will = Some(self.will_draft.clone());
                    } else if let Some(will) = w.last_will.take() {
                        self.will_draft = will;
                    }
                }
                let Some(will) = &mut w.last_will else { return };
                egui::Grid::new("profile_will_grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let label = ui.label("Will topic");
                        ui.vertical(|ui| {
                            ui.set_max_width(FIELD_WIDTH);
                            ui.add(
                                TextEdit::singleline(&mut will.topic)
                                    .hint_text("devices/topicscope/status")
                                    .desired_width(FIELD_WIDTH),
                            )
                            .labelled_by(label.id);
                            if let Err(e) = validate_publish_topic(&will.topic) {
                                wrapped_label(ui, palette.error, e.to_string());
                            }
                        });
                        ui.end_row();

                        let label = ui.label("Will payload");
                        ui.add(
                            TextEdit::multiline(&mut will.payload)
                                .desired_rows(2)
                                .desired_width(FIELD_WIDTH),
                        )
                        .labelled_by(label.id);
                        ui.end_row();

                        let label = ui.label("Will QoS");
                        qos_ui(ui, "will_qos", &mut will.qos).labelled_by(label.id);
                        ui.end_row();

                        ui.label("");
                        ui.checkbox(&mut will.retain, "Will retain");
                        ui.end_row();
                    });
            });
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
            if ui.button("Save").clicked() {
                *action = Some(Action::Save);
            }
            if ui
                .button("Connect")
                .on_hover_text("Save, then connect with this profile")
                .clicked()
            {
                *action = Some(Action::Connect);
            }
            if ui.button("Close").clicked() {
                *action = Some(Action::Switch(Target::Close));
            }
            if self.original_name.is_none() {
                ui.weak("New profile, not saved yet");
            } else if self.has_unsaved_changes() {
                ui.weak("Unsaved changes");
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
    egui::Window::new("Connections")
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
    let base = if store.list().is_empty() {
        FIRST_PROFILE_NAME
    } else {
        NEW_PROFILE_NAME
    };
    Profile::new(unique_name(store, base), "mqtt://localhost:1883")
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

/// Adds a filter, or changes the QoS of the same filter already listed.
fn add_subscription(subscriptions: &mut Vec<Subscription>, filter: &str, qos: u8) -> Result<(), String> {
    validate_filter(filter).map_err(|e| e.to_string())?;
    match subscriptions.iter_mut().find(|s| s.filter == filter) {
        Some(existing) => existing.qos = qos,
        None => subscriptions.push(Subscription {
            filter: filter.to_owned(),
            qos,
        }),
    }
    Ok(())
}

/// MiB as typed to bytes, within what a profile accepts.
fn mib_to_bytes(mib: f64) -> usize {
    let bytes = (mib * BYTES_PER_MIB).round();
    (bytes.max(0.0) as usize).clamp(MIN_MAX_PACKET_BYTES, MAX_MAX_PACKET_BYTES)
}

fn version_text(version: MqttVersion) -> &'static str {
    match version {
        MqttVersion::V311 => "3.1.1",
        MqttVersion::V5 => "5",
    }
}

/// One line saying where the address leads, so a typo in the scheme is noticed.
fn describe_url(url: &BrokerUrl) -> String {
    let how = match url.transport {
        Transport::Tcp => "plain TCP (not encrypted)",
        Transport::Tls => "TLS",
        Transport::Ws => "WebSocket (not encrypted)",
        Transport::Wss => "WebSocket over TLS",
    };
    let path = url.path.as_deref().unwrap_or("");
    format!("{}:{}{path} over {how}", url.socket_host(), url.port)
}

/// A QoS picker (0, 1, 2); the caller names it.
/// MQTT 5 session expiry: 0 (the same as sending none) ends the session with the connection.
fn session_expiry_row_ui(ui: &mut Ui, w: &mut Profile) {
    let label = ui.label("Session expiry (s)");
    ui.horizontal(|ui| {
        let mut secs = w.session_expiry_secs.unwrap_or(0);
        let response = ui
            .add(egui::DragValue::new(&mut secs).range(0..=u32::MAX))
            .labelled_by(label.id)
            .on_hover_text(
                "How long the broker keeps this client's session (subscriptions, queued messages) \
                 after the connection ends; 4294967295 keeps it forever",
            );
        if response.changed() {
            w.session_expiry_secs = (secs > 0).then_some(secs);
        }
        if !w.clean_session && secs == 0 {
            ui.weak("0: the kept session still ends when the connection does");
        }
    });
    ui.end_row();
}

fn qos_ui(ui: &mut Ui, id_salt: &str, qos: &mut u8) -> egui::Response {
    egui::ComboBox::from_id_salt(id_salt)
        .width(44.0)
        .selected_text(qos.to_string())
        .show_ui(ui, |ui| {
            for level in 0..=2u8 {
                ui.selectable_value(qos, level, level.to_string());
            }
        })
        .response
}

/// A text field for an optional value: empty means `None`.
fn optional_text_ui(ui: &mut Ui, label_id: egui::Id, value: &mut Option<String>, masked: bool, hint: &str) {
    let mut text = value.clone().unwrap_or_default();
    let response = ui
        .add(
            TextEdit::singleline(&mut text)
                .password(masked)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH - 70.0),
        )
        .labelled_by(label_id);
    if response.changed() {
        *value = (!text.is_empty()).then_some(text);
    }
}

/// A text field for an optional file path: empty means `None`.
fn optional_path_ui(ui: &mut Ui, label_id: egui::Id, value: &mut Option<PathBuf>, hint: &str) {
    let mut text = value
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    let response = ui
        .add(
            TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH),
        )
        .labelled_by(label_id);
    if response.changed() {
        *value = (!text.is_empty()).then(|| PathBuf::from(text));
    }
}

fn wrapped_label(ui: &mut Ui, color: Color32, text: impl Into<String>) {
    ui.add(egui::Label::new(RichText::new(text.into()).color(color)).wrap());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::PROFILES_FILE_NAME;

    fn store_in(dir: &tempfile::TempDir) -> ProfileStore {
        ProfileStore::new(dir.path().join(PROFILES_FILE_NAME))
    }

    fn reload(store: &ProfileStore) -> ProfileStore {
        let outcome = ProfileStore::load(store.path());
        assert!(outcome.error.is_none(), "{:?}", outcome.error);
        outcome.store
    }

    fn names(store: &ProfileStore) -> Vec<&str> {
        store.list().iter().map(|p| p.name.as_str()).collect()
    }

    /// A store whose file is damaged, so it refuses to save.
    fn read_only_store(dir: &tempfile::TempDir) -> ProfileStore {
        let path = dir.path().join(PROFILES_FILE_NAME);
        std::fs::write(&path, "(version: 1, profiles: [ this is not ron").unwrap();
        let outcome = ProfileStore::load(&path);
        assert!(outcome.error.is_some());
        outcome.store
    }

    #[test]
    fn opens_on_a_localhost_draft_when_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let dialog = ProfileDialog::for_store(&store_in(&dir));
        assert_eq!(dialog.original_name, None);
        assert_eq!(dialog.working.name, "localhost");
        assert_eq!(dialog.working.broker_url, "mqtt://localhost:1883");
        assert!(!dialog.has_unsaved_changes());
    }

    #[test]
    fn opens_on_the_last_used_profile_else_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        store.upsert(Profile::new("A", "mqtt://a"));
        store.upsert(Profile::new("B", "mqtt://b"));
        assert_eq!(ProfileDialog::for_store(&store).original_name.as_deref(), Some("A"));
        store.set_last_used(Some("B"));
        let dialog = ProfileDialog::for_store(&store);
        assert_eq!(dialog.original_name.as_deref(), Some("B"));
        assert_eq!(dialog.working.broker_url, "mqtt://b");
    }

    #[test]
    fn saving_a_new_profile_writes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let mut draft = Profile::new("  Lab  ", " mqtt://lab.local:1884 ");
        draft.password = Some("secret".into());
        draft.username = Some("me".into());
        let saved = save_working_copy(&mut store, None, &draft).unwrap();
        assert_eq!(saved.name, "Lab");
        assert_eq!(saved.broker_url, "mqtt://lab.local:1884");
        assert_eq!(reload(&store).get("Lab"), Some(&saved));
    }

    #[test]
    fn renaming_keeps_the_place_and_the_last_used_mark() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        store.upsert(Profile::new("A", "mqtt://a"));
        store.upsert(Profile::new("B", "mqtt://b"));
        store.set_last_used(Some("A"));
        let mut edited = store.get("A").unwrap().clone();
        edited.name = "A2".into();
        edited.keep_alive_secs = 5;
        save_working_copy(&mut store, Some("A"), &edited).unwrap();
        let loaded = reload(&store);
        assert_eq!(names(&loaded), ["A2", "B"]);
        assert_eq!(loaded.last_used_name(), Some("A2"));
        assert_eq!(loaded.get("A2").unwrap().keep_alive_secs, 5);
    }

    #[test]
    fn taken_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        store.upsert(Profile::new("A", "mqtt://a"));
        store.upsert(Profile::new("B", "mqtt://b"));
        let before = store.list().to_vec();

        let new_a = Profile::new("A", "mqtt://other");
        let err = save_working_copy(&mut store, None, &new_a).unwrap_err();
        assert!(
            matches!(&err, SaveError::Refused(m) if m.contains("already exists")),
            "{err:?}"
        );

        let mut b_as_a = store.get("B").unwrap().clone();
        b_as_a.name = "A".into();
        let err = save_working_copy(&mut store, Some("B"), &b_as_a).unwrap_err();
        assert!(
            matches!(&err, SaveError::Refused(m) if m.contains("already exists")),
            "{err:?}"
        );
        assert_eq!(store.list(), before.as_slice());
        assert!(!store.path().exists(), "nothing may be written");
    }

    #[test]
    fn invalid_profiles_are_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let bad_url = Profile::new("X", "http://example.com");
        let err = save_working_copy(&mut store, None, &bad_url).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The broker address is not valid: unsupported scheme 'http' \
             (use mqtt://, mqtts://, ws:// or wss://)."
        );
        let mut bad_filter = Profile::new("X", "mqtt://localhost");
        bad_filter.subscriptions = vec![Subscription::new("a/#/b")];
        assert!(save_working_copy(&mut store, None, &bad_filter).is_err());
        let unnamed = Profile::new("   ", "mqtt://localhost");
        assert!(save_working_copy(&mut store, None, &unnamed).is_err());
        assert!(store.list().is_empty());
        assert!(!store.path().exists());
    }

    #[test]
    fn a_protected_file_leaves_the_list_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = read_only_store(&dir);
        let err = save_working_copy(&mut store, None, &Profile::new("A", "localhost")).unwrap_err();
        assert!(
            matches!(&err, SaveError::NotWritten(m) if m.contains("Not saving")),
            "{err:?}"
        );
        assert!(store.list().is_empty());
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("this is not ron"), "the damaged file must be kept");
    }

    #[test]
    fn delete_and_duplicate_write_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        store.upsert(Profile::new("A", "mqtt://a"));
        let copy = duplicate_profile(&mut store, "A").unwrap();
        assert_eq!(copy, "A (copy)");
        assert_eq!(names(&reload(&store)), ["A", "A (copy)"]);
        delete_profile(&mut store, "A").unwrap();
        assert_eq!(names(&reload(&store)), ["A (copy)"]);
        assert!(matches!(delete_profile(&mut store, "A"), Err(SaveError::Refused(_))));
    }

    #[test]
    fn delete_and_duplicate_are_undone_when_the_file_is_protected() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = read_only_store(&dir);
        store.upsert(Profile::new("A", "mqtt://a"));
        assert!(matches!(
            duplicate_profile(&mut store, "A"),
            Err(SaveError::NotWritten(_))
        ));
        assert!(matches!(delete_profile(&mut store, "A"), Err(SaveError::NotWritten(_))));
        assert_eq!(names(&store), ["A"]);
    }

    #[test]
    fn dialog_flow_new_save_rename_delete() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let mut dialog = ProfileDialog::for_store(&store);
        dialog.working.name = "Home".into();
        assert!(dialog.has_unsaved_changes());
        assert_eq!(dialog.apply(Action::Save, &mut store), (None, false));
        assert_eq!(dialog.status, Some(Status::Done("Saved 'Home'.".into())));
        assert_eq!(dialog.original_name.as_deref(), Some("Home"));
        assert!(!dialog.has_unsaved_changes());

        // Switching away with unsaved edits asks first.
        dialog.working.keep_alive_secs = 9;
        dialog.apply(Action::Switch(Target::New), &mut store);
        assert_eq!(dialog.pending_switch, Some(Target::New));
        dialog.apply(Action::Discard(false), &mut store);
        assert_eq!(dialog.working.keep_alive_secs, 9);
        dialog.apply(Action::Switch(Target::New), &mut store);
        dialog.apply(Action::Discard(true), &mut store);
        assert_eq!(dialog.original_name, None);
        assert_eq!(dialog.working.name, "New profile");
        assert_ne!(store.get("Home").unwrap().keep_alive_secs, 9);

        dialog.apply(Action::Switch(Target::Saved("Home".into())), &mut store);
        assert_eq!(dialog.original_name.as_deref(), Some("Home"));
        dialog.apply(Action::AskDelete, &mut store);
        assert!(dialog.confirm_delete);
        dialog.apply(Action::Delete(true), &mut store);
        assert!(store.list().is_empty());
        assert_eq!(dialog.working.name, "localhost");
        assert!(reload(&store).list().is_empty());
    }

    #[test]
    fn connect_saves_then_hands_over_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let mut dialog = ProfileDialog::for_store(&store);
        let (profile, close) = dialog.apply(Action::Connect, &mut store);
        assert!(close);
        assert_eq!(profile.unwrap().name, "localhost");
        assert_eq!(names(&reload(&store)), ["localhost"]);

        // An invalid profile neither connects nor closes.
        dialog.working.broker_url = "mqtt://".into();
        assert_eq!(dialog.apply(Action::Connect, &mut store), (None, false));
        assert!(matches!(dialog.status, Some(Status::Failed(_))));
    }

    #[test]
    fn connect_still_works_when_the_file_is_protected() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = read_only_store(&dir);
        let mut dialog = ProfileDialog::for_store(&store);
        let (profile, close) = dialog.apply(Action::Connect, &mut store);
        assert!(close);
        assert_eq!(profile.unwrap().broker_url, "mqtt://localhost:1883");
        assert!(store.list().is_empty());
    }

    #[test]
    fn subscriptions_are_validated_and_not_repeated() {
        let mut subscriptions = vec![Subscription::new("#")];
        assert!(add_subscription(&mut subscriptions, "a/#/b", 0).is_err());
        assert!(add_subscription(&mut subscriptions, "", 0).is_err());
        add_subscription(&mut subscriptions, "sensors/+/temp", 1).unwrap();
        add_subscription(&mut subscriptions, "#", 2).unwrap();
        assert_eq!(
            subscriptions,
            [
                Subscription {
                    filter: "#".into(),
                    qos: 2
                },
                Subscription {
                    filter: "sensors/+/temp".into(),
                    qos: 1
                },
            ]
        );
    }

    #[test]
    fn packet_size_in_mib_stays_within_limits() {
        assert_eq!(mib_to_bytes(64.0), 64 * 1024 * 1024);
        assert_eq!(mib_to_bytes(0.0), MIN_MAX_PACKET_BYTES);
        assert_eq!(mib_to_bytes(-3.0), MIN_MAX_PACKET_BYTES);
        assert_eq!(mib_to_bytes(1e9), MAX_MAX_PACKET_BYTES);
    }

    #[test]
    fn new_names_do_not_clash() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        assert_eq!(new_draft(&store).name, "localhost");
        store.upsert(Profile::new("New profile", "localhost"));
        store.upsert(Profile::new("New profile 2", "localhost"));
        assert_eq!(new_draft(&store).name, "New profile 3");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let mut dialog = ProfileDialog::for_store(&store_in(&dir));
        dialog.working.password = Some("hunter2".into());
        assert!(!format!("{dialog:?}").contains("hunter2"));
    }

    /// The real dialog in a harness: labels reach every input, and Save writes the file.
    #[test]
    fn dialog_ui_prefills_localhost_validates_and_saves() {
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable as _;

        let dir = tempfile::tempdir().unwrap();
        let worker = crate::mqtt::WorkerHandle::spawn(None).unwrap();
        let state = AppState::new(worker, dir.path().to_owned(), 1 << 20);
        let dialog = Some(ProfileDialog::open(&state));
        let mut harness = Harness::builder().with_size([900.0, 760.0]).build_ui_state(
            |ui, (state, dialog): &mut (AppState, Option<ProfileDialog>)| {
                profile_dialog_ui(ui.ctx(), state, dialog);
            },
            (state, dialog),
        );
        harness.run();
        let url = harness.get_by_label("Broker URL");
        assert_eq!(url.value().as_deref(), Some("mqtt://localhost:1883"));
        // MQTT 3.1.1 (the default) has no session expiry.
        assert!(harness.query_by_label("Session expiry (s)").is_none());
        let save_rect = harness.get_by_label("Save").rect();

        harness.get_by_label("Broker URL").focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label("Broker URL").type_text("http://nope");
        harness.run();
        harness.get_by_label_contains("Not a valid broker address: unsupported scheme 'http'");
        harness.get_by_label("Save").click();
        harness.run();
        harness.get_by_label_contains("Not saved. The broker address is not valid");
        assert!(harness.state().0.profiles.list().is_empty());

        harness.get_by_label("Broker URL").focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label("Broker URL").type_text("mqtt://127.0.0.1:1884");
        harness.run();
        harness.get_by_label("Save").click();
        harness.run();
        harness.get_by_label("Saved 'localhost'.");
        let reloaded = ProfileStore::load(dir.path().join(PROFILES_FILE_NAME)).store;
        assert_eq!(reloaded.get("localhost").unwrap().broker_url, "mqtt://127.0.0.1:1884");
        // The layout is settled: a message does not move the buttons, and the window
        // does not creep from frame to frame.
        assert_eq!(harness.get_by_label("Save").rect(), save_rect);
        harness.run_steps(5);
        assert_eq!(harness.get_by_label("Save").rect(), save_rect);

        harness.get_by_label("Close").click();
        harness.run();
        assert!(harness.state().1.is_none());
    }

    /// Every section open: all inputs are named (the harness checks that on each run),
    /// the password is masked, and allowing invalid certificates shows a warning.
    #[test]
    fn dialog_ui_sections_are_labelled_and_the_password_is_masked() {
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable as _;

        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let mut profile = Profile::new("Secure", "mqtts://broker.local");
        profile.username = Some("alice".into());
        profile.password = Some("hunter2".into());
        profile.mqtt_version = MqttVersion::V5;
        store.upsert(profile);
        store.save().unwrap();
        let worker = crate::mqtt::WorkerHandle::spawn(None).unwrap();
        let state = AppState::new(worker, dir.path().to_owned(), 1 << 20);
        let dialog = Some(ProfileDialog::open(&state));
        let mut harness = Harness::builder().with_size([900.0, 900.0]).build_ui_state(
            |ui, (state, dialog): &mut (AppState, Option<ProfileDialog>)| {
                profile_dialog_ui(ui.ctx(), state, dialog);
            },
            (state, dialog),
        );
        harness.run();
        assert_eq!(harness.get_by_label("Name").value().as_deref(), Some("Secure"));
        let shown = harness.get_by_label("Password").value().unwrap_or_default();
        assert!(!shown.contains("hunter2"), "password shown as {shown:?}");

        // TLS is open because the address uses TLS.
        harness.get_by_label("Allow invalid certificates").scroll_to_me();
        harness.run();
        harness.get_by_label("Allow invalid certificates").click();
        harness.run();
        harness.get_by_label_contains("certificate is not checked");
        harness.get_by_label("Last will").scroll_to_me();
        harness.run();
        harness.get_by_label("Last will").click();
        harness.run();
        harness.get_by_label("Send a last will").scroll_to_me();
        harness.run();
        harness.get_by_label("Send a last will").click();
        harness.run();
        harness.get_by_label("Will topic");
        harness.get_by_label("Will QoS");
        harness.get_by_label("Max packet size (MiB)");
        // Shown for MQTT 5 profiles only.
        harness.get_by_label("Session expiry (s)");
        harness.get_by_label("QoS of filter 2");

        harness.get_by_label("Save").click();
        harness.run();
        // An empty will topic is refused in words, and nothing is written.
        harness.get_by_label_contains("The last-will topic is not valid.");
        let saved = ProfileStore::load(dir.path().join(PROFILES_FILE_NAME)).store;
        assert!(!saved.get("Secure").unwrap().tls.allow_invalid_certs);

        // Closing with unsaved edits asks first.
        harness.get_by_label("Close").click();
        harness.run();
        harness.get_by_label("Discard the unsaved changes to Secure?");
        harness.get_by_label("Discard").click();
        harness.run();
        assert!(harness.state().1.is_none());
    }
}
