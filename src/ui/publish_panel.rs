//! The publish panel: topic (pre-filled from the selection, or picked from recent ones),
//! a payload typed as text, JSON or hex and checked while typing, QoS, retain, the
//! outcome of the last publish, and the last 50 publishes to load or send again.

use bytes::Bytes;

use super::publish_v5::{V5Fields, v5_properties_ui};
use super::theme;
use crate::app::{AppState, PublishOutcome, PublishRecord};
use crate::profiles::validate_publish_topic;

/// Most recent topics offered in the "Recent" picker.
const RECENT_TOPICS_MAX: usize = 20;
/// Characters of payload shown in a history row.
const HISTORY_PREVIEW_CHARS: usize = 60;
/// Bytes per line when a payload is written out as hex.
const HEX_BYTES_PER_LINE: usize = 16;

/// How the payload text is turned into bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadFormat {
    #[default]
    Text,
    Json,
    Hex,
}

impl PayloadFormat {
    pub const ALL: [Self; 3] = [Self::Text, Self::Json, Self::Hex];

    /// The name kept in the publish history.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Hex => "hex",
        }
    }

    /// The name shown to the user.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Json => "JSON",
            Self::Hex => "Hex",
        }
    }

    /// The format of a history record; unknown names are text.
    pub fn from_name(name: &str) -> Self {
        match name {
            "json" => Self::Json,
            "hex" => Self::Hex,
            _ => Self::Text,
        }
    }

    /// The bytes to send for `text`, or why it cannot be sent in this format.
    ///
    /// JSON is validated but sent as typed, so the numbers and key order the user
    /// wrote reach the device unchanged.
    pub fn encode(&self, text: &str) -> Result<Bytes, String> {
        match self {
            Self::Text => Ok(Bytes::copy_from_slice(text.as_bytes())),
            Self::Json => {
                check_json(text)?;
                Ok(Bytes::copy_from_slice(text.as_bytes()))
            }
            Self::Hex => parse_hex(text).map(Bytes::from),
        }
    }
}

fn check_json(text: &str) -> Result<(), String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(drop)
        .map_err(|e| {
            let full = e.to_string();
            // serde_json appends " at line L column C"; we say it our way, first.
            let reason = full.rsplit_once(" at line ").map_or(full.as_str(), |(r, _)| r);
            format!("Invalid JSON at line {}, column {}: {reason}", e.line(), e.column())
        })
}

/// Hex digits to bytes. Whitespace, ':' and ',' separate groups; a group may start
/// with "0x" (as in C arrays), so "de ad", "de:ad", "0xde, 0xad" and "dead" all work.
fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let multiline = text.contains('\n');
    let at = |line: usize, column: usize| {
        if multiline {
            format!("line {line}, column {column}")
        } else {
            format!("position {column}")
        }
    };
    let mut digits = Vec::with_capacity(text.len() / 2 + 1);
    let (mut line, mut column) = (1, 0);
    let mut group_start = true;
    // Where a "0x" opened the current group, while it has no digit yet.
    let mut bare_prefix: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c.is_whitespace() || c == ':' || c == ',' {
            if let Some(pos) = bare_prefix.take() {
                return Err(format!("'0x' at {pos} has no hex digits after it"));
            }
            if c == '\n' {
                line += 1;
                column = 0;
            }
            group_start = true;
            continue;
        }
        if group_start && c == '0' && matches!(chars.peek(), Some('x' | 'X')) {
            bare_prefix = Some(at(line, column));
            chars.next();
            column += 1;
            group_start = false;
            continue;
        }
        group_start = false;
        match c.to_digit(16) {
            Some(d) => {
                digits.push(d as u8);
                bare_prefix = None;
            }
            None => return Err(format!("'{c}' at {} is not a hex digit", at(line, column))),
        }
    }
    if let Some(pos) = bare_prefix {
        return Err(format!("'0x' at {pos} has no hex digits after it"));
    }
    if digits.len() % 2 == 1 {
        return Err(format!(
            "Odd number of hex digits ({}): each byte needs two",
            digits.len()
        ));
    }
    Ok(digits.chunks_exact(2).map(|p| (p[0] << 4) | p[1]).collect())
}

/// `bytes` as hex pairs, 16 per line, for loading a binary payload into the form.
fn hex_text(bytes: &[u8]) -> String {
    bytes
        .chunks(HEX_BYTES_PER_LINE)
        .map(|line| line.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The publish panel's form.
#[derive(Debug, Default)]
pub struct PublishForm {
    pub open: bool,
    pub topic: String,
    pub payload: String,
    pub format: PayloadFormat,
    pub qos: u8,
    pub retain: bool,
    /// MQTT 5 properties, sent only on an MQTT 5 connection.
    pub v5: V5Fields,
    /// Why the last attempt was not sent (refused topic, invalid payload); cleared by the next one.
    pub error: Option<String>,
    /// True once the user typed a topic or picked one; the selection then overwrites it
    /// only when it changes.
    pub topic_edited: bool,
    /// The selected topic seen last frame, to notice when the selection changes.
    selection_seen: Option<String>,
    /// The payload check for the current text and format (`Ok(size in bytes)`); `None`
    /// when the payload or format changed since, so a large payload is not re-parsed
    /// every frame.
    check: Option<Result<usize, String>>,
}

impl PublishForm {
    /// Follows the tree selection: a new selection fills the topic, and so does the
    /// current one while the user has not typed a topic of their own.
    fn follow_selection(&mut self, selected: Option<String>) {
        let changed = selected != self.selection_seen;
        if changed {
            self.selection_seen.clone_from(&selected);
        }
        if let Some(topic) = selected
            && (changed || !self.topic_edited)
        {
            if self.topic != topic {
                self.topic = topic;
                self.error = None;
            }
            self.topic_edited = false;
        }
    }

    /// Fills the form from a history record (a non-text payload becomes hex).
    fn load(&mut self, record: &PublishRecord) {
        self.topic.clone_from(&record.topic);
        self.topic_edited = true;
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

    fn publish(&mut self, state: &mut AppState) {
        self.error = None;
        // The topic first, so a refused topic is reported even when the payload is also wrong.
        if let Err(e) = validate_publish_topic(&self.topic) {
            self.error = Some(e.to_string());
            return;
        }
        let payload = match self.format.encode(&self.payload) {
            Ok(p) => p,
            Err(e) => {
                self.error = Some(format!("Not sent: {e}"));
                return;
            }
        };
        let properties = if state.mqtt5_active() {
            match self.v5.properties() {
                Ok(p) => p,
                Err(e) => {
                    self.error = Some(format!("Not sent: {e}"));
                    return;
                }
            }
        } else {
            None
        };
        let format = self.format.as_str();
        if let Err(e) = state.publish(&self.topic, payload, self.qos, self.retain, format, properties) {
            self.error = Some(e);
        }
    }
}

/// What a history row asked for; applied after the list is drawn.
enum HistoryAction {
    Load(usize),
    SendAgain(usize),
}

/// The publish panel (a resizable bottom panel).
pub fn publish_panel_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    form: &mut PublishForm,
    selected_topic: Option<String>,
) {
    form.follow_selection(selected_topic);
    let panel_rect = ui.max_rect();
    let mut focused = false;
    egui::ScrollArea::vertical()
        .id_salt("publish_panel_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            focused |= topic_row_ui(ui, state, form);
            payload_ui(ui, form, &mut focused);
            if state.mqtt5_active() {
                v5_properties_ui(ui, &mut form.v5);
            }
            send_row_ui(ui, state, form);
            outcome_ui(ui, state, form);
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
        let label = ui.label("Topic");
        let width = (ui.available_width() - 240.0).max(120.0);
        let edit = egui::TextEdit::singleline(&mut form.topic)
            .hint_text("devices/esp32-01/cmd")
            .desired_width(width);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            form.topic_edited = true;
            form.error = None;
        }
        let mut recent: Vec<&str> = Vec::new();
        for r in &state.publish_history.records {
            if recent.len() < RECENT_TOPICS_MAX && !recent.contains(&r.topic.as_str()) {
                recent.push(&r.topic);
            }
        }
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            egui::ComboBox::from_label("Recent")
                .selected_text("pick…")
                .width(180.0)
                .show_ui(ui, |ui| {
                    for topic in recent {
                        if ui.selectable_label(form.topic == topic, topic).clicked() {
                            form.topic = topic.to_owned();
                            form.topic_edited = true;
                            form.error = None;
                        }
                    }
                });
        });
        response.has_focus()
    })
    .inner
}

/// Format picker, the live check of the payload, and the payload editor.
fn payload_ui(ui: &mut egui::Ui, form: &mut PublishForm, focused: &mut bool) {
    let palette = theme::palette(ui);
    let payload_label = ui
        .horizontal(|ui| {
            let payload_label = ui.label("Payload");
            ui.add_space(12.0);
            let format_label = ui.label("Format");
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
                    .button("Format JSON")
                    .on_hover_text("Re-indent the payload; values are kept as typed")
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
                            .unwrap_or_else(|| "nested too deeply".into());
                        form.error = Some(format!("Cannot format: {reason}"));
                    }
                }
            }
            ui.add_space(12.0);
            let format = form.format;
            let blank = form.payload.trim().is_empty();
            match form.check() {
                Ok(n) => {
                    let what = if format == PayloadFormat::Json {
                        "valid JSON, "
                    } else {
                        ""
                    };
                    let text = format!("{what}{n} byte{}", if *n == 1 { "" } else { "s" });
                    if format == PayloadFormat::Json {
                        ui.colored_label(palette.ok, text);
                    } else {
                        ui.weak(text);
                    }
                }
                // Not red before the user typed anything.
                Err(_) if blank => {
                    ui.weak("JSON needs a value");
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
            PayloadFormat::Text => "ON",
            PayloadFormat::Json => "{\"state\": \"ON\"}",
            PayloadFormat::Hex => "de ad be ef  or  0xde, 0xad  or  de:ad",
        });
    let response = ui.add(edit).labelled_by(payload_label.id);
    if response.changed() {
        form.check = None;
    }
    *focused |= response.has_focus();
}

/// QoS, retain and the Publish button.
fn send_row_ui(ui: &mut egui::Ui, state: &mut AppState, form: &mut PublishForm) {
    ui.horizontal(|ui| {
        for qos in 0..=2u8 {
            ui.radio_value(&mut form.qos, qos, format!("QoS {qos}"));
        }
        ui.add_space(8.0);
        ui.checkbox(&mut form.retain, "Retain")
            .on_hover_text("The broker keeps this message and hands it to every new subscriber");
        ui.add_space(8.0);
        let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Enter);
        let hint = format!("Publish ({})", ui.ctx().format_shortcut(&shortcut));
        if ui.button("Publish").on_hover_text(hint).clicked() {
            form.publish(state);
        }
    });
}

/// Why the last attempt was refused, or the outcome of the last publish.
fn outcome_ui(ui: &mut egui::Ui, state: &AppState, form: &PublishForm) {
    let palette = theme::palette(ui);
    if let Some(error) = &form.error {
        ui.colored_label(palette.error, error.as_str());
    } else if let Some((_, outcome)) = &state.last_publish {
        let colour = match outcome {
            PublishOutcome::Pending => palette.warn,
            PublishOutcome::Sent | PublishOutcome::Acknowledged => palette.ok,
            PublishOutcome::Failed(_) => palette.error,
        };
        ui.horizontal(|ui| {
            ui.weak("Last publish:");
            ui.colored_label(colour, outcome.to_string());
        });
    }
}

/// The last publishes, newest first, each with "Load" and "Send again".
fn history_ui(ui: &mut egui::Ui, state: &mut AppState, form: &mut PublishForm) {
    let palette = theme::palette(ui);
    let records = &state.publish_history.records;
    let mut action = None;
    egui::CollapsingHeader::new(format!("Publish history ({})", records.len()))
        .id_salt("publish_history")
        .show(ui, |ui| {
            if records.is_empty() {
                ui.weak("Nothing published yet.");
            }
            for (i, r) in records.iter().enumerate() {
                ui.push_id(i, |ui| {
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("Load")
                            .on_hover_text("Fill the form with this publish")
                            .clicked()
                        {
                            action = Some(HistoryAction::Load(i));
                        }
                        if ui
                            .small_button("Send again")
                            .on_hover_text(format!("Publish again to {}", r.topic))
                            .clicked()
                        {
                            action = Some(HistoryAction::SendAgain(i));
                        }
                        let (short, long) = local_time(&r.time);
                        ui.monospace(short).on_hover_text(long);
                        let flags = format!("QoS {}{}", r.qos, if r.retain { " retained" } else { "" });
                        ui.weak(flags);
                        ui.label(egui::RichText::new(&r.topic).strong());
                        ui.weak(record_preview(r));
                        let colour = if r.outcome.starts_with("failed") {
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
        None => {}
    }
}

/// One line of a record's payload: text as text, hex payloads and anything with
/// control characters as hex. Not `model::preview`: its "⟨binary⟩" and U+FFFD markers
/// have no glyph in egui's default fonts.
fn record_preview(r: &PublishRecord) -> String {
    let bytes = r.payload_bytes();
    if bytes.is_empty() {
        return "(empty)".to_owned();
    }
    let plain_text = r.payload_base64.is_none()
        && r.format != PayloadFormat::Hex.as_str()
        && !r.payload.chars().any(|c| c.is_control() && !c.is_whitespace());
    if plain_text {
        return crate::model::preview(&bytes, HISTORY_PREVIEW_CHARS);
    }
    let shown = hex_text(&bytes[..bytes.len().min(HEX_BYTES_PER_LINE)]);
    let more = if bytes.len() > HEX_BYTES_PER_LINE { "…" } else { "" };
    format!("{shown}{more} ({} bytes)", bytes.len())
}

/// A record's RFC 3339 time as local "HH:MM:SS" and as a full date for the tooltip.
fn local_time(rfc3339: &str) -> (String, String) {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Local);
            (
                t.format("%H:%M:%S").to_string(),
                t.format("%Y-%m-%d %H:%M:%S %Z").to_string(),
            )
        }
        Err(_) => (rfc3339.to_owned(), rfc3339.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_sent_as_utf8() {
        assert_eq!(PayloadFormat::Text.encode("21.5 °C").unwrap(), Bytes::from("21.5 °C"));
        assert_eq!(PayloadFormat::Text.encode("").unwrap().len(), 0);
    }

    #[test]
    fn valid_json_is_sent_as_typed() {
        let text = "{ \"t\": 21.70,\n  \"big\": 123456789012345678901234 }";
        assert_eq!(PayloadFormat::Json.encode(text).unwrap(), Bytes::from(text.to_owned()));
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = PayloadFormat::Json.encode("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert!(err.starts_with("Invalid JSON at line 3, column "), "{err}");
        assert!(err.contains("expected `:`"), "{err}");
        assert!(!err.contains(" at line 3 column"), "position said twice: {err}");
        let err = PayloadFormat::Json.encode("").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn hex_accepts_spaces_newlines_prefixes_and_colons() {
        let want = Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]);
        for text in [
            "deadbeef",
            "de ad be ef",
            "DE AD\nBE EF\n",
            "0xde 0xad 0xBE 0XEF",
            "de:ad:be:ef",
            "0xde, 0xad, 0xbe, 0xef",
            "0xdeadbeef",
        ] {
            assert_eq!(PayloadFormat::Hex.encode(text).unwrap(), want, "{text:?}");
        }
        assert_eq!(PayloadFormat::Hex.encode("  ").unwrap().len(), 0);
        assert_eq!(
            PayloadFormat::Hex.encode("00 0a").unwrap(),
            Bytes::from_static(&[0x00, 0x0a])
        );
    }

    #[test]
    fn hex_odd_digit_count_is_refused() {
        let err = PayloadFormat::Hex.encode("de ad b").unwrap_err();
        assert!(err.contains("Odd number of hex digits (5)"), "{err}");
    }

    #[test]
    fn hex_bad_character_names_its_position() {
        let err = PayloadFormat::Hex.encode("de ag").unwrap_err();
        assert_eq!(err, "'g' at position 5 is not a hex digit");
        let err = PayloadFormat::Hex.encode("de ad\nbe 0xzz").unwrap_err();
        assert_eq!(err, "'z' at line 2, column 6 is not a hex digit");
        let err = PayloadFormat::Hex.encode("de 0x ad").unwrap_err();
        assert_eq!(err, "'0x' at position 4 has no hex digits after it");
        assert!(PayloadFormat::Hex.encode("d0xe").is_err(), "0x only opens a group");
    }

    #[test]
    fn formats_round_trip_through_their_names() {
        for f in PayloadFormat::ALL {
            assert_eq!(PayloadFormat::from_name(f.as_str()), f);
        }
    }

    #[test]
    fn topic_follows_the_selection_until_edited_and_again_when_it_changes() {
        let mut form = PublishForm::default();
        form.follow_selection(Some("a/b".into()));
        assert_eq!(form.topic, "a/b");
        form.topic = "mine".into();
        form.topic_edited = true;
        form.follow_selection(Some("a/b".into()));
        assert_eq!(form.topic, "mine", "an unchanged selection keeps the typed topic");
        form.follow_selection(None);
        assert_eq!(form.topic, "mine");
        form.follow_selection(Some("c".into()));
        assert_eq!(form.topic, "c");
        assert!(!form.topic_edited);
    }

    #[test]
    fn loading_a_binary_record_shows_hex() {
        let mut form = PublishForm::default();
        form.load(&PublishRecord::new("bin", &[0xff, 0x00, 0x10], 2, true, "text"));
        assert_eq!(
            (form.format, form.payload.as_str(), form.qos, form.retain),
            (PayloadFormat::Hex, "ff 00 10", 2, true)
        );
        assert_eq!(
            form.format.encode(&form.payload).unwrap(),
            Bytes::from_static(&[0xff, 0x00, 0x10])
        );
        form.load(&PublishRecord::new("j", b"{\"a\":1}", 0, false, "json"));
        assert_eq!((form.format, form.payload.as_str()), (PayloadFormat::Json, "{\"a\":1}"));
        assert_eq!(hex_text(&[0u8; 17]).lines().count(), 2);
    }

    #[test]
    fn history_previews_show_binary_as_hex() {
        let preview = |bytes: &[u8], format| record_preview(&PublishRecord::new("t", bytes, 0, false, format));
        assert_eq!(preview(b"{\"a\": 1}", "json"), "{\"a\": 1}");
        assert_eq!(preview(b"\x01\x02", "text"), "01 02 (2 bytes)");
        assert_eq!(preview(b"AB", "hex"), "41 42 (2 bytes)");
        assert_eq!(
            preview(&[0xff; 20], "hex"),
            format!("{}… (20 bytes)", ["ff"; 16].join(" "))
        );
        assert_eq!(preview(b"", "text"), "(empty)");
    }

    mod ui {
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable as _;

        use super::super::*;
        use crate::mqtt::ConnectionState;

        type Fixture = (AppState, PublishForm);

        fn harness(dir: &std::path::Path, connected: bool) -> Harness<'static, Fixture> {
            let worker = crate::mqtt::WorkerHandle::spawn(None).unwrap();
            let mut state = AppState::new(worker, dir.to_owned(), 1 << 20);
            if connected {
                state.connection = ConnectionState::Connected {
                    broker: "mqtt://127.0.0.1:1".into(),
                };
            }
            let mut h = Harness::new_ui_state(
                |ui, (state, form): &mut Fixture| publish_panel_ui(ui, state, form, Some("sel/topic".into())),
                (
                    state,
                    PublishForm {
                        open: true,
                        ..PublishForm::default()
                    },
                ),
            );
            h.run();
            h
        }

        #[test]
        fn a_wildcard_topic_is_refused_with_its_message() {
            let dir = tempfile::tempdir().unwrap();
            let mut h = harness(dir.path(), true);
            assert_eq!(h.get_by_label("Topic").value().as_deref(), Some("sel/topic"));
            h.get_by_label("Topic").focus();
            h.run();
            h.get_by_label("Topic").type_text("/+");
            h.run();
            h.get_by_label("Publish").click();
            h.run();
            let want = validate_publish_topic("sel/topic/+").unwrap_err().to_string();
            h.get_by_label(&want);
            assert!(h.state().0.last_publish.is_none());
        }

        #[test]
        fn ctrl_enter_publishes_the_payload_with_qos_and_retain() {
            let dir = tempfile::tempdir().unwrap();
            let mut h = harness(dir.path(), true);
            h.get_by_label("QoS 1").click();
            h.get_by_label("Retain").click();
            h.run();
            h.get_by_label("Payload").focus();
            h.run();
            h.get_by_label("Payload").type_text("ON");
            h.run();
            h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
            h.run();
            let state = &h.state().0;
            assert!(state.last_publish.is_some(), "{:?}", h.state().1.error);
            let r = &state.publish_history.records[0];
            assert_eq!(
                (r.topic.as_str(), r.payload.as_str(), r.qos, r.retain),
                ("sel/topic", "ON", 1, true)
            );
            assert_eq!(h.state().1.payload, "ON", "Ctrl+Enter adds no newline");
        }

        #[test]
        fn invalid_json_is_shown_while_typing_and_not_sent() {
            let dir = tempfile::tempdir().unwrap();
            let mut h = harness(dir.path(), true);
            h.get_by_label("Format").click();
            h.run();
            h.get_by_label("JSON").click();
            h.run();
            h.get_by_label("Payload").focus();
            h.run();
            h.get_by_label("Payload").type_text("{\"a\" 1}");
            h.run();
            h.get_by_label_contains("Invalid JSON at line 1, column 6");
            h.get_by_label("Publish").click();
            h.run();
            assert!(h.state().0.last_publish.is_none());
            h.get_by_label_contains("Not sent: Invalid JSON");
        }

        #[test]
        fn history_rows_load_and_send_again() {
            let dir = tempfile::tempdir().unwrap();
            let mut h = harness(dir.path(), true);
            h.state_mut()
                .0
                .publish("dev/cmd", Bytes::from_static(b"\x01\x02"), 2, false, "hex", None)
                .unwrap();
            h.run();
            h.get_by_label("Publish history (1)").click();
            h.run();
            h.get_by_label("Load").click();
            h.run();
            let form = &h.state().1;
            assert_eq!(
                (form.topic.as_str(), form.payload.as_str(), form.format, form.qos),
                ("dev/cmd", "01 02", PayloadFormat::Hex, 2)
            );
            h.get_by_label("Send again").click();
            h.run();
            assert_eq!(h.state().0.publish_history.records.len(), 2);
            h.get_by_label("Publish history (2)");
        }

        #[test]
        fn publishing_while_disconnected_says_so() {
            let dir = tempfile::tempdir().unwrap();
            let mut h = harness(dir.path(), false);
            h.get_by_label("Publish").click();
            h.run();
            h.get_by_label("not connected");
        }
    }
}
