//! The Commands pane: the active connection's saved commands in collections, each sent
//! with one click (its variables asked for when it has some), repeated, copied as a
//! shell command line, given a keyboard shortcut, edited or deleted; and below them the
//! running repeats and the last replies.

use std::collections::BTreeMap;

use super::command_edit::CommandEditor;
use super::publish::PublishForm;
use super::repeat_form::{self, RepeatForm, Start};
use super::replies_list;
use crate::app::AppState;
use crate::model::saved_command::SavedCommand;
use crate::model::shell;
use crate::ui::theme;

/// Characters of payload shown in a row.
const PAYLOAD_PREVIEW_CHARS: usize = 40;

/// What to do once the user variables have values.
#[derive(Clone, Debug)]
pub enum AfterPrompt {
    Send,
    Repeat(RepeatForm),
    CopyMosquitto,
}

/// The values asked for before sending a command with user variables.
#[derive(Clone, Debug)]
pub struct VarPrompt {
    pub command: SavedCommand,
    /// Name and value, in the order the variables appear.
    pub values: Vec<(String, String)>,
    pub then: AfterPrompt,
    pub error: Option<String>,
}

impl VarPrompt {
    pub fn new(command: SavedCommand, then: AfterPrompt) -> Self {
        let values = command
            .user_variables()
            .into_iter()
            .map(|name| {
                let last = command.values.get(&name).cloned().unwrap_or_default();
                (name, last)
            })
            .collect();
        Self {
            command,
            values,
            then,
            error: None,
        }
    }
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct CommandsView {
    pub filter: String,
    /// The command being created or edited.
    pub editor: Option<CommandEditor>,
    /// Values being asked for.
    pub prompt: Option<VarPrompt>,
    /// The command whose shortcut is being captured (its full name), and why the last
    /// key was refused.
    pub capture: Option<(String, Option<String>)>,
    /// The command whose repeat settings are open, and those settings.
    pub repeat_for: Option<String>,
    pub repeat: RepeatForm,
    /// The command (its full name) waiting for the user to confirm its deletion.
    pub confirm_delete: Option<String>,
}

/// What a row asked for; applied after the list is drawn.
enum RowAction {
    Send(SavedCommand),
    Edit(SavedCommand),
    Load(SavedCommand),
    ToggleRepeat(String),
    Shortcut(String),
    CopyMosquitto(SavedCommand),
    CopyTopicscope(SavedCommand),
    Delete(String),
}

/// Sends `command`, first asking for the values of its user variables if it has any.
pub fn send_or_ask(state: &mut AppState, view: &mut CommandsView, command: SavedCommand) {
    if command.user_variables().is_empty() {
        if let Err(e) = state.send_command(&command, &BTreeMap::new()) {
            state.error(crate::tr!("cmd-not-sent", name = command.full_name(), error = e));
        }
    } else {
        view.prompt = Some(VarPrompt::new(command, AfterPrompt::Send));
    }
}

/// Sends the active connection's command named `full_name` (from the palette or a
/// shortcut).
pub fn send_named(state: &mut AppState, view: &mut CommandsView, full_name: &str) {
    let found = state
        .conn()
        .profile
        .commands
        .iter()
        .find(|c| c.full_name() == full_name)
        .cloned();
    match found {
        Some(c) => send_or_ask(state, view, c),
        None => state.error(crate::tr!("cmd-gone", name = full_name)),
    }
}

/// The pane.
pub fn commands_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut CommandsView, form: &mut PublishForm) {
    let palette = theme::palette(ui);
    let commands = state.conn().profile.commands.clone();
    ui.horizontal(|ui| {
        let label = ui.label("🔍");
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .hint_text(crate::tr!("cmd-filter-hint"))
                .desired_width((ui.available_width() - 120.0).max(80.0)),
        )
        .labelled_by(label.id);
        if ui
            .button(crate::tr!("cmd-new"))
            .on_hover_text(crate::tr!("cmd-new-hover"))
            .clicked()
        {
            let mut draft = form.to_command().unwrap_or_default();
            draft.name.clear();
            view.editor = Some(CommandEditor::new(draft, None));
        }
    });
    if !state.commands_saved() && !commands.is_empty() {
        ui.colored_label(palette.warn, crate::tr!("cmd-not-kept"));
    }
    let mut action = None;
    // The list, the running repeats and the replies scroll together.
    egui::ScrollArea::vertical()
        .id_salt("commands_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            list_ui(ui, state, view, &commands, &mut action);
            if let Some(id) = repeat_form::running_ui(ui, state.conn()) {
                state.stop_repeat(id);
            }
            replies_list::replies_ui(ui, state.conn(), None);
        });
    apply(ui.ctx(), action, state, view, form);
}

/// The commands by collection.
fn list_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    view: &mut CommandsView,
    commands: &[SavedCommand],
    action: &mut Option<RowAction>,
) {
    if commands.is_empty() {
        ui.add(egui::Label::new(crate::tr!("cmd-empty")).wrap());
        return;
    }
    let needle = view.filter.to_lowercase();
    let shown: Vec<&SavedCommand> = commands
        .iter()
        .filter(|c| {
            needle.is_empty()
                || c.full_name().to_lowercase().contains(&needle)
                || c.topic.to_lowercase().contains(&needle)
        })
        .collect();
    if shown.is_empty() {
        ui.weak(crate::tr!("cmd-none-match"));
    }
    let mut collections: Vec<&str> = shown.iter().map(|c| c.collection.as_str()).collect();
    collections.dedup();
    collections.sort_unstable();
    collections.dedup();
    for collection in collections {
        let members: Vec<&&SavedCommand> = shown.iter().filter(|c| c.collection == collection).collect();
        let title = if collection.is_empty() {
            crate::tr!("cmd-no-collection", n = members.len())
        } else {
            crate::tr!("cmd-collection", name = collection, n = members.len())
        };
        egui::CollapsingHeader::new(title)
            .id_salt(("collection", collection))
            .default_open(true)
            .show(ui, |ui| {
                let widths = Widths {
                    name: members
                        .iter()
                        .map(|c| text_width(ui, &format!("▶ {}", c.name), egui::TextStyle::Button))
                        .fold(0.0, f32::max)
                        + 2.0 * ui.spacing().button_padding.x,
                    keys: members
                        .iter()
                        .filter_map(|c| c.shortcut.as_deref())
                        .map(|k| text_width(ui, k, egui::TextStyle::Body))
                        .fold(0.0, f32::max),
                };
                for c in members {
                    row_ui(ui, c, widths, action);
                    if view.repeat_for.as_deref() == Some(c.full_name().as_str()) {
                        repeat_row_ui(ui, state, view, c);
                    }
                }
            });
    }
}

/// The columns of a collection's rows, so they line up: the send buttons' width (at
/// most [`MAX_NAME_WIDTH`]) and the shortcuts' (0 when none has one).
#[derive(Clone, Copy)]
struct Widths {
    name: f32,
    keys: f32,
}

/// Widest send button; a longer name is cut with "…" (the whole name is in the tooltip).
const MAX_NAME_WIDTH: f32 = 220.0;

fn text_width(ui: &egui::Ui, text: &str, style: egui::TextStyle) -> f32 {
    let font = style.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE)
        .size()
        .x
}

fn row_ui(ui: &mut egui::Ui, c: &SavedCommand, widths: Widths, action: &mut Option<RowAction>) {
    let full = c.full_name();
    ui.push_id(&full, |ui| {
        ui.horizontal(|ui| {
            let height = ui.spacing().interact_size.y;
            let send = ui
                .add_sized(
                    [widths.name.min(MAX_NAME_WIDTH), height],
                    egui::Button::new(format!("▶ {}", c.name)).truncate(),
                )
                .on_hover_text(crate::tr!(
                    "cmd-send-hover",
                    name = c.full_name(),
                    topic = c.topic.as_str()
                ));
            if send.clicked() {
                *action = Some(RowAction::Send(c.clone()));
            }
            ui.menu_button("⋯", |ui| {
                let mut pick = |ui: &mut egui::Ui, text: String, a: RowAction| {
                    if ui.button(text).clicked() {
                        *action = Some(a);
                        ui.close();
                    }
                };
                pick(ui, crate::tr!("cmd-menu-edit"), RowAction::Edit(c.clone()));
                pick(ui, crate::tr!("cmd-menu-load"), RowAction::Load(c.clone()));
                pick(ui, crate::tr!("cmd-menu-repeat"), RowAction::ToggleRepeat(full.clone()));
                pick(ui, crate::tr!("cmd-menu-shortcut"), RowAction::Shortcut(full.clone()));
                ui.separator();
                pick(
                    ui,
                    crate::tr!("cmd-menu-copy-mosquitto"),
                    RowAction::CopyMosquitto(c.clone()),
                );
                pick(
                    ui,
                    crate::tr!("cmd-menu-copy-topicscope"),
                    RowAction::CopyTopicscope(c.clone()),
                );
                ui.separator();
                pick(ui, crate::tr!("cmd-menu-delete"), RowAction::Delete(full.clone()));
            })
            .response
            .on_hover_text(crate::tr!("cmd-menu-hover"));
            // A column for the keys, so the topics line up whatever the shortcut.
            if widths.keys > 0.0 {
                let keys = c.shortcut.as_deref().unwrap_or_default();
                ui.add_sized(
                    [widths.keys, height],
                    egui::Label::new(egui::RichText::new(keys).weak()),
                );
            }
            // Topic and payload in one line, cut with "…" at the pane's edge.
            let preview = crate::model::preview(c.payload.as_bytes(), PAYLOAD_PREVIEW_CHARS);
            let mut job = egui::text::LayoutJob::default();
            let style = ui.style();
            let mono = egui::TextStyle::Monospace.resolve(style);
            let body = egui::TextStyle::Body.resolve(style);
            job.append(&c.topic, 0.0, egui::TextFormat::simple(mono, ui.visuals().text_color()));
            job.append(
                &preview,
                12.0,
                egui::TextFormat::simple(body, ui.visuals().weak_text_color()),
            );
            ui.add(egui::Label::new(job).truncate());
        });
    });
}

/// The repeat settings under a command's row.
fn repeat_row_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut CommandsView, c: &SavedCommand) {
    ui.indent("repeat", |ui| {
        let has_vars = !c.user_variables().is_empty();
        let spec = match view.repeat.ui(ui, || Ok((c.clone(), c.values.clone()))) {
            Start::Go(spec) => spec,
            Start::No => return,
        };
        if has_vars {
            // The values are asked for first; the repeat starts with them.
            view.prompt = Some(VarPrompt::new(c.clone(), AfterPrompt::Repeat(view.repeat.clone())));
        } else if let Err(e) = repeat_form::start(state, *spec) {
            view.repeat.error = Some(e);
        }
    });
}

fn apply(
    ctx: &egui::Context,
    action: Option<RowAction>,
    state: &mut AppState,
    view: &mut CommandsView,
    form: &mut PublishForm,
) {
    let Some(action) = action else { return };
    match action {
        RowAction::Send(c) => send_or_ask(state, view, c),
        RowAction::Edit(c) => {
            let original = c.full_name();
            view.editor = Some(CommandEditor::new(c, Some(original)));
        }
        RowAction::Load(c) => form.load_command(&c),
        RowAction::ToggleRepeat(name) => {
            view.repeat_for = if view.repeat_for.as_deref() == Some(name.as_str()) {
                None
            } else {
                Some(name)
            };
        }
        RowAction::Shortcut(name) => view.capture = Some((name, None)),
        RowAction::CopyMosquitto(c) => {
            if c.user_variables().iter().all(|v| c.values.contains_key(v)) {
                copy_mosquitto(ctx, state, &c, &BTreeMap::new());
            } else {
                view.prompt = Some(VarPrompt::new(c, AfterPrompt::CopyMosquitto));
            }
        }
        RowAction::CopyTopicscope(c) => {
            let values: Vec<(&str, &str)> = c
                .user_variables()
                .iter()
                .filter_map(|v| c.values.get_key_value(v).map(|(k, v)| (k.as_str(), v.as_str())))
                .collect();
            let profile = state.conn().name.clone();
            let line = shell::topicscope_template(&profile, &c.full_name(), &values);
            copy_text(ctx, state, line);
        }
        RowAction::Delete(name) => view.confirm_delete = Some(name),
    }
}

/// Copies the command as a `mosquitto_pub` line, its variables filled now.
pub fn copy_mosquitto(ctx: &egui::Context, state: &mut AppState, c: &SavedCommand, values: &BTreeMap<String, String>) {
    let conn = state.conn();
    let mqtt5 = conn.profile.mqtt_version == crate::profiles::MqttVersion::V5;
    match c.prepare(1, values, mqtt5) {
        Ok(p) => {
            let (user, _) = conn.profile.effective_credentials();
            let line = shell::mosquitto_pub(&shell::ShellPublish {
                broker_url: &conn.profile.broker_url,
                username: user.as_deref(),
                mqtt5,
                topic: &p.topic,
                payload: &p.payload,
                qos: p.qos,
                retain: p.retain,
            });
            copy_text(ctx, state, line);
        }
        Err(e) => state.error(crate::tr!("cmd-not-copied", error = e)),
    }
}

fn copy_text(ctx: &egui::Context, state: &mut AppState, line: String) {
    ctx.copy_text(line);
    state.notice(crate::tr!("cmd-copied"));
}
