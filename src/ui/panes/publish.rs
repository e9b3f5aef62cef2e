//! The publish panel: topic (pre-filled from the selection, or picked from recent ones),
//! a payload typed as text, JSON or hex and checked while typing, QoS, retain, the
//! outcome of the last publish, and the last 50 publishes to load or send again.

use bytes::Bytes;

pub use super::payload_format::PayloadFormat;
use super::payload_format::{HEX_BYTES_PER_LINE, check_json, hex_text};
use super::publish_send::{FormRequest, repeat_ui, reply_row_ui, save_button_ui};
use super::publish_v5::{V5Fields, v5_properties_ui};
use crate::app::{AppState, PublishOutcome, PublishRecord};
use crate::ui::theme;

/// Most recent topics offered in the "Recent" picker.
const RECENT_TOPICS_MAX: usize = 20;
/// Height of the replies list in the panel (it scrolls beyond).
const REPLIES_HEIGHT: f32 = 140.0;
/// Characters of payload shown in a history row.
const HISTORY_PREVIEW_CHARS: usize = 60;

/// The publish panel's form.
#[derive(Debug, Default)]
pub struct PublishForm {
    pub topic: String,
    pub payload: String,
    pub format: PayloadFormat,
    pub qos: u8,
    pub retain: bool,
    /// MQTT 5 properties, sent only on an MQTT 5 connection.
    pub v5: V5Fields,
    /// Why the last attempt was not sent (refused topic, invalid payload); cleared by the next one.
    pub error: Option<String>,
    /// The setting "follow the tree": a newly selected tree row fills the topic. Off by
    /// default, so the topic is the user's: a click in the tree must never turn a command
    /// typed for one device into one for another.
    pub follow_tree: bool,
    /// Wait for a reply on `reply_topic` (a filter) within `reply_timeout` seconds.
    pub wait_reply: bool,
    pub reply_topic: String,
    pub reply_timeout: String,
    /// The repeat settings.
    pub repeat: super::repeat_form::RepeatForm,
    /// Asked of the Commands pane's windows (values to fill, a command to save); taken
    /// by the pane that draws the form.
    pub request: Option<FormRequest>,
    /// The selected topic seen last frame, to notice when the selection changes.
    selection_seen: Option<String>,
    /// A publish was tried since the outcome line was last drawn: scroll it into view
    /// (on a laptop screen it lies below the pane's visible part, and a refusal there
    /// looked like a button that did nothing).
    pub(super) reveal_outcome: bool,
    /// The payload check for the current text and format (`Ok(size in bytes)`); `None`
    /// when the payload or format changed since, so a large payload is not re-parsed
    /// every frame.
    check: Option<Result<usize, String>>,
}

impl PublishForm {
    /// With "follow the tree" on, a newly selected row fills the topic (the user can
    /// still type over it until the selection changes again).
    fn follow_selection(&mut self, selected: Option<String>) {
        if selected == self.selection_seen {
            return;
        }
        self.selection_seen.clone_from(&selected);
        if let Some(topic) = selected
            && self.follow_tree
        {
            self.use_topic(topic);
        }
    }

    /// Puts `topic` into the topic field (the user asked for it).
    fn use_topic(&mut self, topic: String) {
        if self.topic != topic {
            self.topic = topic;
            self.error = None;
        }
    }

    /// Fills the form from a history record (a non-text payload becomes hex).
    fn load(&mut self, record: &PublishRecord) {
        self.topic.clone_from(&record.topic);
        self.qos = record.qos.min(2);
        self.retain = record.retain;
        let format = PayloadFormat::from_name(&record.format);
        if format == PayloadFormat::Hex || record.payload_base64.is_some() {
            self.format = PayloadFormat::Hex;
            self.payload = hex_text(&record.payload_bytes());
        } else {
            self.format = format;
            self.payload.clone_from(&record.payload);
        }
        self.check = None;
        self.error = None;
    }

    fn check(&mut self) -> &Result<usize, String> {
        self.check
            .get_or_insert_with(|| self.format.encode(&self.payload).map(|b| b.len()))
    }

    /// Forgets the payload check (the payload or format changed).
    pub(super) fn reset_check(&mut self) {
        self.check = None;
    }
}

/// What a history row asked for; applied after the list is drawn.
enum HistoryAction {
    Load(usize),
    SendAgain(usize),
    Save(usize),
}

/// The publish panel (a resizable bottom panel).
pub fn publish_panel_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    form: &mut PublishForm,
    selected_topic: Option<String>,
) {
    form.follow_selection(selected_topic.clone());
    let panel_rect = ui.max_rect();
    if state.connections.len() > 1 {
        // Several brokers are open: say which one this publishes to.
        ui.horizontal_wrapped(|ui| {
            ui.weak(crate::tr!("panes-pub-publishes-to"));
            ui.strong(crate::app::display_name(&state.conn().name));
        });
    }
    let mut focused = false;
    egui::ScrollArea::vertical()
        .id_salt("publish_panel_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            focused |= topic_row_ui(ui, state, form);
            selection_row_ui(ui, form, selected_topic.as_deref());
            payload_ui(ui, form, &mut focused);
            if state.mqtt5_active() {
                v5_properties_ui(ui, &mut form.v5);
            }
            reply_row_ui(ui, state, form);
            send_row_ui(ui, state, form);
            outcome_ui(ui, state, form);
            repeat_ui(ui, state, form);
            // Under the repeat, kept short: a long run's replies must not push the rest away.
            super::replies_list::replies_ui(ui, state.conn(), Some(REPLIES_HEIGHT));
            history_ui(ui, state, form);
        });
    // Ctrl+Enter publishes while the user types in the panel, or points at it with
    // nothing else focused.
    let nothing_focused = ui.memory(|m| m.focused().is_none());
    if (focused || (nothing_focused && ui.rect_contains_pointer(panel_rect)))
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter))
    {
        form.publish(state);
    }
}

/// Topic field and the recent-topics picker; returns whether the topic field has focus.
fn topic_row_ui(ui: &mut egui::Ui, state: &AppState, form: &mut PublishForm) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("panes-pub-topic"));
        // The field takes the row but for the recent-topics button (about 110 px).
        let width = (ui.available_width() - 120.0).max(100.0);
        let edit = egui::TextEdit::singleline(&mut form.topic)
            .hint_text("devices/esp32-01/cmd")
            .desired_width(width);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            form.error = None;
        }
        let mut recent: Vec<&str> = Vec::new();
        for r in &state.publish_history.records {
            if recent.len() < RECENT_TOPICS_MAX && !recent.contains(&r.topic.as_str()) {
                recent.push(&r.topic);
            }
        }
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            let recent_label = crate::tr!("panes-pub-recent");
            egui::ComboBox::from_id_salt("publish_recent")
                .selected_text(recent_label.as_str())
                .width(90.0)
                .height(360.0)
                .show_ui(ui, |ui| {
                    for topic in recent {
                        if ui.selectable_label(form.topic == topic, topic).clicked() {
                            form.use_topic(topic.to_owned());
                        }
                    }
                })
                .response
                // Its text is its name: no separate label is needed to say what it is.
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, recent_label.as_str()));
        });
        response.has_focus()
    })
    .inner
}

/// "Use selected topic" (one click, never implied) and the "follow the tree" setting.
fn selection_row_ui(ui: &mut egui::Ui, form: &mut PublishForm, selected: Option<&str>) {
    ui.horizontal_wrapped(|ui| {
        let differs = selected.is_some_and(|t| t != form.topic);
        let button = ui.add_enabled(differs, egui::Button::new(crate::tr!("panes-pub-use-selected")));
        let button = match selected {
            Some(t) => button.on_hover_text(crate::tr!("panes-pub-use-selected-hover", topic = t)),
            None => button.on_disabled_hover_text(crate::tr!("panes-pub-use-selected-none")),
        };
        if button.clicked()
            && let Some(t) = selected
        {
            form.use_topic(t.to_owned());
        }
        ui.checkbox(&mut form.follow_tree, crate::tr!("panes-pub-follow-tree"))
            .on_hover_text(crate::tr!("panes-pub-follow-tree-hover"));
    });
}

/// Format picker, the live check of the payload, and the payload editor.
fn payload_ui(ui: &mut egui::Ui, form: &mut PublishForm, focused: &mut bool) {
    let palette = theme::palette(ui);
    let payload_label = ui
        .horizontal(|ui| {
            let payload_label = ui.label(crate::tr!("panes-pub-payload"));
            ui.add_space(12.0);
            let format_label = ui.label(crate::tr!("panes-pub-format"));
            let before = form.format;
            let combo = egui::ComboBox::from_id_salt("publish_format")
                .selected_text(form.format.label())
                .width(70.0)
                .show_ui(ui, |ui| {
                    for f in PayloadFormat::ALL {
                        ui.selectable_value(&mut form.format, f, f.label());
                    }
                });
            combo.response.labelled_by(format_label.id);
            if form.format != before {
                form.check = None;
            }
            if form.format == PayloadFormat::Json
                && ui
                    .button(crate::tr!("panes-pub-format-json"))
                    .on_hover_text(crate::tr!("panes-pub-format-json-hover"))
                    .clicked()
            {
                match crate::model::pretty_json(form.payload.as_bytes()) {
                    Some(pretty) => {
                        form.payload = pretty;
                        form.check = None;
                        form.error = None;
                    }
                    None => {
                        let reason = check_json(&form.payload)
                            .err()
                            .unwrap_or_else(|| crate::tr!("panes-pub-too-deep"));
                        form.error = Some(crate::tr!("panes-pub-cannot-format", reason = reason));
                    }
                }
            }
            ui.add_space(12.0);
            let format = form.format;
            let blank = form.payload.trim().is_empty();
            match form.check() {
                Ok(n) => {
                    let text = if format == PayloadFormat::Json {
                        crate::tr!("panes-pub-valid-json", n = *n)
                    } else {
                        crate::tr!("panes-bytes", n = *n)
                    };
                    if format == PayloadFormat::Json {
                        ui.colored_label(palette.ok, text);
                    } else {
                        ui.weak(text);
                    }
                }
                // Not red before the user typed anything.
                Err(_) if blank => {
                    ui.weak(crate::tr!("panes-pub-json-needs-value"));
                }
                Err(e) => {
                    ui.colored_label(palette.error, e.as_str());
                }
            }
            payload_label
        })
        .inner;
    let edit = egui::TextEdit::multiline(&mut form.payload)
        .code_editor()
        .desired_rows(5)
        .desired_width(f32::INFINITY)
        .hint_text(match form.format {
            // Examples of payloads: data, the same in every language.
            PayloadFormat::Text => "ON".to_owned(),
            PayloadFormat::Json => "{\"state\": \"ON\"}".to_owned(),
            PayloadFormat::Hex => crate::tr!("panes-pub-hex-hint"),
        });
    let response = ui.add(edit).labelled_by(payload_label.id);
    if response.changed() {
        form.check = None;
    }
    *focused |= response.has_focus();
}

/// QoS, retain and the Publish button.
fn send_row_ui(ui: &mut egui::Ui, state: &mut AppState, form: &mut PublishForm) {
    ui.horizontal_wrapped(|ui| {
        for qos in 0..=2u8 {
            ui.radio_value(&mut form.qos, qos, format!("QoS {qos}"));
        }
        ui.add_space(8.0);
        ui.checkbox(&mut form.retain, crate::tr!("panes-pub-retain"))
            .on_hover_text(crate::tr!("panes-pub-retain-hover"));
        ui.add_space(8.0);
        let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Enter);
        let hint = crate::tr!(
            "panes-pub-publish-hover",
            shortcut = ui.ctx().format_shortcut(&shortcut)
        );
        if ui.button(crate::tr!("panes-pub-publish")).on_hover_text(hint).clicked() {
            form.publish(state);
        }
        load_file_ui(ui, state, form);
        save_button_ui(ui, form);
    });
}

/// Why the last attempt was refused, or the outcome of the last publish.
fn outcome_ui(ui: &mut egui::Ui, state: &AppState, form: &mut PublishForm) {
    let palette = theme::palette(ui);
    let shown = if let Some(error) = &form.error {
        Some(ui.colored_label(palette.error, error.as_str()))
    } else if let Some((_, outcome)) = &state.conn().last_publish {
        let colour = match outcome {
            PublishOutcome::Pending => palette.warn,
            PublishOutcome::Sent | PublishOutcome::Acknowledged => palette.ok,
            PublishOutcome::Failed(_) => palette.error,
        };
        Some(
            ui.horizontal(|ui| {
                ui.weak(crate::tr!("panes-pub-last"));
                ui.colored_label(colour, outcome.to_string());
            })
            .response,
        )
    } else {
        None
    };
    if std::mem::take(&mut form.reveal_outcome)
        && let Some(line) = shown
    {
        line.scroll_to_me(None);
    }
}

/// The last publishes, newest first, each with "Load" and "Send again".
fn history_ui(ui: &mut egui::Ui, state: &mut AppState, form: &mut PublishForm) {
    let palette = theme::palette(ui);
    let name = state.conn().name.clone();
    // This connection's publishes (and those from before connections were recorded).
    let records: Vec<(usize, &PublishRecord)> = state
        .publish_history
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.connection.is_empty() || r.connection == name)
        .collect();
    let mut action = None;
    egui::CollapsingHeader::new(crate::tr!("panes-pub-history", n = records.len()))
        .id_salt("publish_history")
        .show(ui, |ui| {
            if records.is_empty() {
                ui.weak(crate::tr!("panes-pub-history-empty"));
            }
            for &(i, r) in &records {
                ui.push_id(i, |ui| {
                    ui.horizontal(|ui| {
                        if ui
                            .small_button(crate::tr!("panes-pub-load"))
                            .on_hover_text(crate::tr!("panes-pub-load-hover"))
                            .clicked()
                        {
                            action = Some(HistoryAction::Load(i));
                        }
                        if ui
                            .small_button(crate::tr!("panes-pub-send-again"))
                            .on_hover_text(crate::tr!("panes-pub-send-again-hover", topic = r.topic.as_str()))
                            .clicked()
                        {
                            action = Some(HistoryAction::SendAgain(i));
                        }
                        if ui
                            .small_button(crate::tr!("cmd-history-save"))
                            .on_hover_text(crate::tr!("cmd-history-save-hover"))
                            .clicked()
                        {
                            action = Some(HistoryAction::Save(i));
                        }
                        let (short, long) = local_time(&r.time);
                        ui.monospace(short).on_hover_text(long);
                        let flags = if r.retain {
                            crate::tr!("panes-pub-flags-retained", qos = r.qos)
                        } else {
                            // A protocol word: the same in every language.
                            format!("QoS {}", r.qos)
                        };
                        ui.weak(flags);
                        ui.label(egui::RichText::new(&r.topic).strong());
                        ui.weak(record_preview(r));
                        // Records keep their outcome in the words of the language they
                        // were made in; a failure reads "failed: …" in any of them.
                        let failed = PublishOutcome::Failed(String::new()).to_string();
                        let failed = r.outcome.starts_with(failed.trim_end()) || r.outcome.starts_with("failed");
                        let colour = if failed {
                            palette.error
                        } else if r.outcome == PublishOutcome::Sent.to_string()
                            || r.outcome == PublishOutcome::Acknowledged.to_string()
                        {
                            palette.ok
                        } else {
                            palette.warn
                        };
                        ui.colored_label(colour, r.outcome.as_str());
                    });
                });
            }
        });
    match action {
        Some(HistoryAction::Load(i)) => {
            if let Some(r) = state.publish_history.records.get(i) {
                form.load(r);
            }
        }
        Some(HistoryAction::SendAgain(i)) => {
            if let Some(r) = state.publish_history.records.get(i).cloned() {
                let payload = Bytes::from(r.payload_bytes());
                // The history keeps no MQTT 5 properties: sent again without them.
                form.error = state.publish(&r.topic, payload, r.qos, r.retain, &r.format, None).err();
            }
        }
        Some(HistoryAction::Save(i)) => {
            if let Some(r) = state.publish_history.records.get(i) {
                let mut draft = PublishForm::default();
                draft.load(r);
                match draft.to_command() {
                    Ok(c) => form.request = Some(FormRequest::Save(c)),
                    Err(e) => form.error = Some(e),
                }
            }
        }
        None => {}
    }
}

/// One line of a record's payload: text as text, hex payloads and anything with
/// control characters as hex. Not `model::preview`: its "⟨binary⟩" and U+FFFD markers
/// have no glyph in egui's default fonts.
fn record_preview(r: &PublishRecord) -> String {
    let bytes = r.payload_bytes();
    if bytes.is_empty() {
        return crate::tr!("panes-empty");
    }
    let plain_text = r.payload_base64.is_none()
        && r.format != PayloadFormat::Hex.as_str()
        && !r.payload.chars().any(|c| c.is_control() && !c.is_whitespace());
    if plain_text {
        return crate::model::preview(&bytes, HISTORY_PREVIEW_CHARS);
    }
    let shown = hex_text(&bytes[..bytes.len().min(HEX_BYTES_PER_LINE)]);
    let more = if bytes.len() > HEX_BYTES_PER_LINE { "…" } else { "" };
    crate::tr!("panes-pub-hex-preview", hex = format!("{shown}{more}"), n = bytes.len())
}

/// A record's RFC 3339 time as local "HH:MM:SS" and, for the tooltip, as a full date
/// in the language's pattern.
fn local_time(rfc3339: &str) -> (String, String) {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Local);
            (t.format("%H:%M:%S").to_string(), crate::ui::format::date_time(t.into()))
        }
        Err(_) => (rfc3339.to_owned(), rfc3339.to_owned()),
    }
}

#[cfg(test)]
#[path = "publish_tests.rs"]
mod tests;

/// "Load payload from file…": the file's bytes become the payload (text or JSON as
/// text, anything else as hex). A file larger than the connection's packet limit is
/// refused, since it could not be published.
fn load_file_ui(ui: &mut egui::Ui, state: &AppState, form: &mut PublishForm) {
    use crate::ui::file_dialog::{self, Purpose};
    if ui.button(crate::tr!("desk-load-payload")).clicked() {
        file_dialog::open(ui.ctx(), Purpose::LoadPayload, None);
    }
    let Some(path) = file_dialog::take_chosen(ui.ctx(), Purpose::LoadPayload) else {
        return;
    };
    match file_dialog::read_limited(&path, state.conn().profile.max_packet_bytes) {
        Ok(bytes) => form.load_bytes(&bytes),
        Err(e) => form.error = Some(e),
    }
}

impl PublishForm {
    /// Fills the payload with `bytes`: JSON and text as typed text, anything else
    /// (not UTF-8, or with control characters other than line breaks and tabs) as hex.
    pub fn load_bytes(&mut self, bytes: &[u8]) {
        let text = std::str::from_utf8(bytes)
            .ok()
            .filter(|t| !t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
        match text {
            Some(t) => {
                self.format = if check_json(t).is_ok() && !t.trim().is_empty() {
                    PayloadFormat::Json
                } else {
                    PayloadFormat::Text
                };
                self.payload = t.to_owned();
            }
            None => {
                self.format = PayloadFormat::Hex;
                self.payload = hex_text(bytes);
            }
        }
        self.check = None;
        self.error = None;
    }
}
