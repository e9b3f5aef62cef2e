//! The window that creates or edits a saved command: name and collection, topic,
//! payload and format, QoS and retain, the reply to wait for, and the MQTT 5 response
//! topic and correlation data. Variables are listed as they are typed, so a typo in
//! `{{colour}` shows at once.

use crate::app::AppState;
use crate::model::payload_format::PayloadFormat;
use crate::model::saved_command::{ReplyWait, SavedCommand, SavedProperties};
use crate::model::template::{Template, Var};
use crate::ui::theme;

/// The editor's state.
#[derive(Clone, Debug)]
pub struct CommandEditor {
    pub draft: SavedCommand,
    /// The full name of the command being edited; `None` for a new one.
    pub original: Option<String>,
    pub reply_topic: String,
    pub reply_timeout: String,
    pub response_topic: String,
    pub correlation: String,
    pub error: Option<String>,
}

impl CommandEditor {
    pub fn new(draft: SavedCommand, original: Option<String>) -> Self {
        let reply = draft.reply.clone().unwrap_or_default();
        let props = draft.properties.clone().unwrap_or_default();
        Self {
            reply_topic: reply.topic,
            reply_timeout: reply.timeout_secs.to_string(),
            response_topic: props.response_topic,
            correlation: props.correlation_data,
            draft,
            original,
            error: None,
        }
    }

    /// The command as edited, or why it cannot be saved.
    fn finished(&self) -> Result<SavedCommand, String> {
        let mut c = self.draft.clone();
        c.name = c.name.trim().to_owned();
        c.collection = c.collection.trim().to_owned();
        if c.name.is_empty() {
            return Err(crate::tr!("cmd-name-empty"));
        }
        // The topic may hold variables: checked with sample values when sent.
        if c.topic.trim().is_empty() {
            return Err(crate::tr!("cmd-topic-empty"));
        }
        for text in [
            &c.topic,
            &c.payload,
            &self.correlation,
            &self.response_topic,
            &self.reply_topic,
        ] {
            Template::parse(text).map_err(|e| e.to_string())?;
        }
        let topic = self.reply_topic.trim();
        c.reply = if topic.is_empty() {
            None
        } else {
            let timeout_secs = self
                .reply_timeout
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|t| (1..=3600).contains(t))
                .ok_or_else(|| crate::tr!("cmd-bad-timeout", value = self.reply_timeout.as_str()))?;
            Some(ReplyWait {
                topic: topic.to_owned(),
                timeout_secs,
            })
        };
        let mut props = c.properties.take().unwrap_or_default();
        props.response_topic = self.response_topic.trim().to_owned();
        props.correlation_data.clone_from(&self.correlation);
        c.properties = (props != SavedProperties::default()).then_some(props);
        Ok(c)
    }
}

/// Draws the editor while one is open; saving replaces the command in the active
/// connection's list (or adds it).
pub fn editor_ui(ctx: &egui::Context, state: &mut AppState, slot: &mut Option<CommandEditor>) {
    let Some(ed) = slot.as_mut() else { return };
    let mut close = false;
    let mut save = false;
    let collections: Vec<String> = {
        let mut v: Vec<String> = state
            .conn()
            .profile
            .commands
            .iter()
            .map(|c| c.collection.clone())
            .filter(|c| !c.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let modal = egui::Modal::new(egui::Id::unique("command_editor")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(if ed.original.is_some() {
            crate::tr!("cmd-edit-title")
        } else {
            crate::tr!("cmd-new-title")
        });
        egui::Grid::new("command_editor_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| fields_ui(ui, ed, &collections));
        variables_ui(ui, ed);
        if let Some(e) = &ed.error {
            ui.colored_label(theme::palette(ui).error, e.as_str());
        }
        ui.horizontal(|ui| {
            save = ui.button(crate::tr!("cmd-save")).clicked();
            close = ui.button(crate::tr!("chrome-cancel")).clicked();
        });
    });
    if modal.should_close() {
        close = true;
    }
    if save {
        match ed.finished().and_then(|c| store(state, c, ed.original.as_deref())) {
            Ok(()) => close = true,
            Err(e) => ed.error = Some(e),
        }
    }
    if close {
        *slot = None;
    }
}

fn fields_ui(ui: &mut egui::Ui, ed: &mut CommandEditor, collections: &[String]) {
    let c = &mut ed.draft;
    let label = ui.label(crate::tr!("cmd-field-name"));
    ui.add(
        egui::TextEdit::singleline(&mut c.name)
            .hint_text(crate::tr!("cmd-example", text = crate::tr!("cmd-demo-pump-on"))),
    )
    .labelled_by(label.id);
    ui.end_row();

    let label = ui.label(crate::tr!("cmd-field-collection"));
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut c.collection).desired_width(200.0))
            .labelled_by(label.id);
        if !collections.is_empty() {
            egui::ComboBox::from_id_salt("command_collections")
                .selected_text(crate::tr!("panes-pub-pick"))
                .show_ui(ui, |ui| {
                    for name in collections {
                        if ui.selectable_label(&c.collection == name, name).clicked() {
                            c.collection.clone_from(name);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
    ui.end_row();

    let label = ui.label(crate::tr!("panes-pub-topic"));
    ui.add(
        egui::TextEdit::singleline(&mut c.topic)
            .hint_text(crate::tr!("cmd-example", text = "cmnd/tasmota_5C3F21/POWER"))
            .desired_width(380.0),
    )
    .labelled_by(label.id);
    ui.end_row();

    let label = ui.label(crate::tr!("panes-pub-payload"));
    ui.vertical(|ui| {
        let mut format = PayloadFormat::from_name(&c.format);
        egui::ComboBox::from_id_salt("command_format")
            .selected_text(format.label())
            .show_ui(ui, |ui| {
                for f in PayloadFormat::ALL {
                    ui.selectable_value(&mut format, f, f.label());
                }
            })
            .response
            .labelled_by(label.id);
        c.format = format.as_str().to_owned();
        ui.add(
            egui::TextEdit::multiline(&mut c.payload)
                .code_editor()
                .desired_rows(3)
                .desired_width(380.0),
        )
        .labelled_by(label.id);
    });
    ui.end_row();

    ui.label("QoS");
    ui.horizontal(|ui| {
        for q in 0..=2u8 {
            ui.radio_value(&mut c.qos, q, q.to_string());
        }
        ui.checkbox(&mut c.retain, crate::tr!("panes-pub-retain"));
    });
    ui.end_row();

    let label = ui.label(crate::tr!("cmd-field-reply"));
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut ed.reply_topic)
                .hint_text(crate::tr!("cmd-example", text = "stat/tasmota_5C3F21/POWER"))
                .desired_width(240.0),
        )
        .labelled_by(label.id)
        .on_hover_text(crate::tr!("cmd-field-reply-hover"));
        let within = ui.label(crate::tr!("cmd-field-within"));
        ui.add(egui::TextEdit::singleline(&mut ed.reply_timeout).desired_width(36.0))
            .labelled_by(within.id);
        ui.label(crate::tr!("cmd-unit-s"));
    });
    ui.end_row();

    let label = ui.label(crate::tr!("panes-prop-response-topic"));
    ui.add(egui::TextEdit::singleline(&mut ed.response_topic).desired_width(380.0))
        .labelled_by(label.id)
        .on_hover_text(crate::tr!("cmd-field-v5-hover"));
    ui.end_row();

    let label = ui.label(crate::tr!("panes-prop-correlation"));
    ui.add(
        egui::TextEdit::singleline(&mut ed.correlation)
            .hint_text(crate::tr!("cmd-example", text = "{{uuid}}"))
            .desired_width(380.0),
    )
    .labelled_by(label.id);
    ui.end_row();
}

/// The variables found in the command, named, so the user sees what will be filled.
fn variables_ui(ui: &mut egui::Ui, ed: &CommandEditor) {
    let mut names: Vec<String> = Vec::new();
    let mut error = None;
    for text in [&ed.draft.topic, &ed.draft.payload, &ed.correlation, &ed.response_topic] {
        match Template::parse(text) {
            Ok(t) => {
                for v in t.variables() {
                    let name = match v {
                        Var::User(n) => crate::tr!("cmd-var-user", name = n.as_str()),
                        Var::Now => "{{now}}".to_owned(),
                        Var::Timestamp => "{{timestamp}}".to_owned(),
                        Var::TimestampMs => "{{timestamp_ms}}".to_owned(),
                        Var::Counter => "{{counter}}".to_owned(),
                        Var::Uuid => "{{uuid}}".to_owned(),
                        Var::Random { .. } => "{{random}}".to_owned(),
                    };
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            Err(e) => error = Some(e.to_string()),
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak(crate::tr!("cmd-variables"));
        if names.is_empty() {
            ui.weak(crate::tr!("cmd-variables-none"));
        } else {
            ui.label(names.join("  "));
        }
    })
    .response
    .on_hover_text(crate::tr!("cmd-variables-hover"));
    if let Some(e) = error {
        ui.colored_label(theme::palette(ui).error, e);
    }
}

/// Puts `c` in the active connection's list, replacing `original` (or the command of the
/// same name), and saves the list.
fn store(state: &mut AppState, c: SavedCommand, original: Option<&str>) -> Result<(), String> {
    let mut list = state.conn().profile.commands.clone();
    let replaced = original.unwrap_or_default();
    match list.iter().position(|x| x.full_name() == replaced) {
        // The draft was cloned from the command: its shortcut and last values come along.
        Some(i) => list[i] = c,
        None => {
            if list.iter().any(|x| x.full_name() == c.full_name()) {
                return Err(crate::tr!("cmd-name-taken", name = c.full_name()));
            }
            list.push(c);
        }
    }
    state.set_commands(list).map(drop)
}
