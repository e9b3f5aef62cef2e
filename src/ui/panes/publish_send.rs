//! The publish form as a command: what it sends (variables filled like a saved
//! command's), "wait for a reply", "Save as command", the repeat settings, and the
//! running repeats and replies under the form.

use std::collections::BTreeMap;

use super::commands::AfterPrompt;
use super::payload_format::PayloadFormat;
use super::publish::PublishForm;
use super::repeat_form::{self, Start};
use crate::app::AppState;
use crate::model::saved_command::{DEFAULT_REPLY_TIMEOUT_SECS, ReplyWait, SavedCommand, SavedProperties};
use crate::model::template::Template;
use crate::profiles::validate_publish_topic;

/// What the form asks of the Commands pane's windows (drawn outside the form).
#[derive(Clone, Debug)]
pub enum FormRequest {
    /// Ask for the values of these user variables, then send or repeat.
    Values(SavedCommand, AfterPrompt),
    /// Open the command editor on this draft.
    Save(SavedCommand),
}

impl PublishForm {
    /// The form as an (unnamed) command; `mqtt5`: include the MQTT 5 properties.
    pub fn to_command_for(&self, mqtt5: bool) -> Result<SavedCommand, String> {
        let properties = if mqtt5 {
            let v5 = &self.v5;
            let expiry = v5.message_expiry_secs.trim();
            let message_expiry_secs = if expiry.is_empty() {
                None
            } else {
                Some(expiry.parse::<u32>().map_err(|_| {
                    crate::tr!(
                        "panes-pub-not-sent",
                        error = crate::tr!("panes-v5-expiry-invalid", value = expiry, max = u32::MAX)
                    )
                })?)
            };
            let p = SavedProperties {
                content_type: v5.content_type.trim().to_owned(),
                response_topic: v5.response_topic.trim().to_owned(),
                correlation_data: v5.correlation_data.clone(),
                message_expiry_secs,
                user_properties: v5.user_properties.clone(),
            };
            (p != SavedProperties::default()).then_some(p)
        } else {
            None
        };
        let reply = (self.wait_reply && !self.reply_topic.trim().is_empty()).then(|| ReplyWait {
            topic: self.reply_topic.trim().to_owned(),
            timeout_secs: self.reply_timeout.trim().parse().unwrap_or(DEFAULT_REPLY_TIMEOUT_SECS),
        });
        Ok(SavedCommand {
            topic: self.topic.clone(),
            payload: self.payload.clone(),
            format: self.format.as_str().to_owned(),
            qos: self.qos,
            retain: self.retain,
            properties,
            reply,
            ..SavedCommand::default()
        })
    }

    /// The form as a command, with the MQTT 5 properties (for saving).
    pub fn to_command(&self) -> Result<SavedCommand, String> {
        self.to_command_for(true)
    }

    /// Fills the form from a saved command (its text, variables unfilled).
    pub fn load_command(&mut self, c: &SavedCommand) {
        self.topic.clone_from(&c.topic);
        self.payload.clone_from(&c.payload);
        self.format = PayloadFormat::from_name(&c.format);
        self.qos = c.qos.min(2);
        self.retain = c.retain;
        let p = c.properties.clone().unwrap_or_default();
        self.v5.content_type = p.content_type;
        self.v5.response_topic = p.response_topic;
        self.v5.correlation_data = p.correlation_data;
        self.v5.message_expiry_secs = p.message_expiry_secs.map(|s| s.to_string()).unwrap_or_default();
        self.v5.user_properties = p.user_properties;
        match &c.reply {
            Some(w) => {
                self.wait_reply = true;
                self.reply_topic.clone_from(&w.topic);
                self.reply_timeout = w.timeout_secs.to_string();
            }
            None => self.wait_reply = false,
        }
        self.reset_check();
        self.error = None;
    }

    /// Publishes what the form holds: checks the parts typed without variables first
    /// (with the reasons the form gives while typing), asks for user variables' values,
    /// then sends it as a command, waiting for its reply if asked.
    pub(super) fn publish(&mut self, state: &mut AppState) {
        self.error = None;
        self.reveal_outcome = true;
        // The topic first, so a refused topic is reported even when the payload is also wrong.
        if is_plain(&self.topic)
            && let Err(e) = validate_publish_topic(&self.topic)
        {
            self.error = Some(e.to_string());
            return;
        }
        if is_plain(&self.payload)
            && let Err(e) = self.format.encode(&self.payload)
        {
            self.error = Some(crate::tr!("panes-pub-not-sent", error = e));
            return;
        }
        let command = match self.to_command_for(state.mqtt5_active()) {
            Ok(c) => c,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        if !command.user_variables().is_empty() {
            self.request = Some(FormRequest::Values(command, AfterPrompt::Send));
            return;
        }
        if let Err(e) = state.send_command(&command, &BTreeMap::new()) {
            self.error = Some(e);
        }
    }
}

/// True when `text` has no variables to fill (or cannot be read as a template, which
/// the send reports).
fn is_plain(text: &str) -> bool {
    Template::parse(text).is_ok_and(|t| t.is_plain())
}

/// "Wait for a reply on \[topic\] within \[10\] s".
pub fn reply_row_ui(ui: &mut egui::Ui, state: &AppState, form: &mut PublishForm) {
    // One line (not wrapped): the topic field takes what the rest leaves.
    ui.horizontal(|ui| {
        let wait = ui
            .checkbox(&mut form.wait_reply, crate::tr!("cmd-wait-reply"))
            .on_hover_text(crate::tr!("cmd-field-reply-hover"));
        // What is left of the row after "within [10] s", so the row stays one line.
        let width = (ui.available_width() - 130.0).clamp(80.0, 320.0);
        ui.add_enabled(
            form.wait_reply,
            egui::TextEdit::singleline(&mut form.reply_topic)
                .hint_text(crate::tr!("cmd-example", text = "stat/tasmota_5C3F21/POWER"))
                .desired_width(width),
        )
        .labelled_by(wait.id);
        let within = ui.label(crate::tr!("cmd-field-within"));
        ui.add_enabled(
            form.wait_reply,
            egui::TextEdit::singleline(&mut form.reply_timeout)
                .hint_text(DEFAULT_REPLY_TIMEOUT_SECS.to_string())
                .desired_width(32.0),
        )
        .labelled_by(within.id);
        ui.label(crate::tr!("cmd-unit-s"));
    });
    if state.mqtt5_active() && !form.v5.response_topic.trim().is_empty() && !form.wait_reply {
        ui.weak(crate::tr!("cmd-v5-waits"));
    }
}

/// "Save as command…": opens the editor on the form.
pub fn save_button_ui(ui: &mut egui::Ui, form: &mut PublishForm) {
    if ui
        .button(crate::tr!("cmd-save-as"))
        .on_hover_text(crate::tr!("cmd-save-as-hover"))
        .clicked()
    {
        match form.to_command() {
            Ok(c) => form.request = Some(FormRequest::Save(c)),
            Err(e) => form.error = Some(e),
        }
    }
}

/// The repeat settings of the form (collapsed until opened) and the running repeats.
pub fn repeat_ui(ui: &mut egui::Ui, state: &mut AppState, form: &mut PublishForm) {
    let running = state.conn().repeats.iter().filter(|r| r.running()).count();
    let title = if running > 0 {
        crate::tr!("cmd-repeat-title-running", n = running)
    } else {
        crate::tr!("cmd-repeat-title")
    };
    egui::CollapsingHeader::new(title)
        .id_salt("publish_repeat")
        .show(ui, |ui| {
            let mqtt5 = state.mqtt5_active();
            let snapshot = form.to_command_for(mqtt5);
            let start = form.repeat.ui(ui, || snapshot.map(|c| (c, BTreeMap::new())));
            if let Start::Go(spec) = start {
                if !spec.command.user_variables().is_empty() {
                    form.request = Some(FormRequest::Values(
                        spec.command,
                        AfterPrompt::Repeat(form.repeat.clone()),
                    ));
                } else if let Err(e) = repeat_form::start(state, *spec) {
                    form.repeat.error = Some(e);
                }
            }
            if let Some(id) = repeat_form::running_ui(ui, state.conn()) {
                state.stop_repeat(id);
            }
        });
}
