//! The inspector's "Decode as" picker: none, automatic detection, MessagePack, CBOR,
//! base64, gzip/zlib, Sparkplug B, protobuf with the user's `.proto`
//! (`proto_picker.rs`) or a C struct layout, chosen for this topic, the same topic on
//! every device (`esp32/+/raw`), the subtree or all topics, and saved with the
//! connection's profile, as the encoding picker does for text encodings.

use crate::app::AppState;
use crate::model::{DecodeChoice, Decoder, DecoderRules, StructLayout};
use crate::tr;

/// Which topics a choice applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecodeScope {
    /// The selected topic only.
    #[default]
    Topic,
    /// The same topic on every device: the level before the last is `+`.
    Devices,
    /// The selected topic and everything below it (`topic/#`).
    Subtree,
    /// Every topic of the connection without a rule of its own.
    All,
}

impl DecodeScope {
    pub const ALL: [DecodeScope; 4] = [Self::Topic, Self::Devices, Self::Subtree, Self::All];

    fn label(self, topic: &str) -> String {
        match self {
            Self::Topic => tr!("enc-scope-topic"),
            Self::Devices => self.filter(topic).unwrap_or_default(),
            Self::Subtree => tr!("enc-scope-subtree"),
            Self::All => tr!("enc-scope-all"),
        }
    }

    /// The topic filter of a rule at this scope; `None` for the connection's default.
    pub fn filter(self, topic: &str) -> Option<String> {
        match self {
            Self::Topic => Some(topic.to_owned()),
            Self::Devices => {
                let mut levels: Vec<&str> = topic.split('/').collect();
                if levels.len() >= 2 {
                    let device = levels.len() - 2;
                    levels[device] = "+";
                }
                Some(levels.join("/"))
            }
            Self::Subtree => Some(format!("{topic}/#")),
            Self::All => None,
        }
    }

    /// Decodes the topics of this scope around `topic` as `choice`.
    pub fn apply(self, rules: &mut DecoderRules, topic: &str, choice: DecodeChoice) {
        match self.filter(topic) {
            Some(filter) => rules.set(&filter, choice),
            None => rules.default = choice,
        }
    }
}

/// The picker's own state: the scope and the layout being typed.
#[derive(Debug, Default)]
pub struct DecoderPicker {
    pub scope: DecodeScope,
    /// The struct layout in the text field; `None` until the user opens it.
    layout_text: Option<String>,
    /// The protobuf schema form; `None` until the user opens it.
    proto: Option<super::proto_picker::ProtoForm>,
}

impl DecoderPicker {
    /// Closes the layout field (another topic was selected: its own layout, if it has
    /// one, is shown instead).
    pub fn close_layout(&mut self) {
        self.layout_text = None;
        self.proto = None;
    }
}

/// A change the user asked for.
enum Change {
    Set(DecodeScope, DecodeChoice),
    Forget(String),
}

fn choice_name(choice: &DecodeChoice) -> String {
    match choice {
        DecodeChoice::Raw => tr!("dec-raw"),
        DecodeChoice::Auto => tr!("dec-auto"),
        DecodeChoice::With(d) => d.name(),
    }
}

/// Draws the picker for `topic`; `detected` is what "Auto" found in the shown message.
pub fn decoder_picker_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    topic: &str,
    picker: &mut DecoderPicker,
    detected: Option<&Decoder>,
) {
    let rules = &state.conn().profile.decoders;
    let current = rules.for_topic(topic).clone();
    let rule = rules.rule_for(topic).map(|r| r.filter.clone());
    let mut change = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr!("dec-label"));
        let shown = match (&current, detected) {
            (DecodeChoice::Auto, Some(d)) => tr!("dec-auto-found", format = d.name()),
            _ => choice_name(&current),
        };
        let mut choices = vec![DecodeChoice::Raw, DecodeChoice::Auto];
        choices.extend(Decoder::SIMPLE.into_iter().map(DecodeChoice::With));
        choices.push(DecodeChoice::With(Decoder::Sparkplug));
        egui::ComboBox::from_id_salt("payload_decoder")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for c in choices {
                    if ui.selectable_label(c == current, choice_name(&c)).clicked() {
                        change = Some(Change::Set(picker.scope, c));
                    }
                }
                let is_struct = matches!(current, DecodeChoice::With(Decoder::Struct(_)));
                if ui.selectable_label(is_struct, tr!("dec-struct")).clicked() {
                    picker.layout_text.get_or_insert_with(String::new);
                }
                let is_proto = matches!(current, DecodeChoice::With(Decoder::Proto { .. }));
                if ui.selectable_label(is_proto, tr!("proto-picker")).clicked() {
                    picker.proto.get_or_insert_with(Default::default);
                }
            })
            .response
            .labelled_by(label.id);
        // Not the encoding picker's "for": two inputs with one name confuse screen
        // readers (and the UI tests that find inputs by name).
        let scope_label = ui.label(tr!("dec-scope-label"));
        egui::ComboBox::from_id_salt("payload_decoder_scope")
            .selected_text(picker.scope.label(topic))
            .show_ui(ui, |ui| {
                for s in DecodeScope::ALL {
                    ui.selectable_value(&mut picker.scope, s, s.label(topic));
                }
            })
            .response
            .labelled_by(scope_label.id);
        if let Some(filter) = &rule {
            ui.weak(tr!("enc-from-rule", filter = filter.as_str()));
            if ui
                .small_button(tr!("dec-forget-rule"))
                .on_hover_text(tr!("dec-forget-rule-hint", filter = filter.as_str()))
                .clicked()
            {
                change = Some(Change::Forget(filter.clone()));
            }
        }
    });
    if let DecodeChoice::With(Decoder::Struct(layout)) = &current
        && picker.layout_text.is_none()
    {
        picker.layout_text = Some(layout.source().to_owned());
    }
    if let Some(text) = &mut picker.layout_text
        && let Some(layout) = layout_ui(ui, text)
    {
        change = Some(Change::Set(picker.scope, DecodeChoice::With(Decoder::Struct(layout))));
    }
    if let DecodeChoice::With(Decoder::Proto { file, message }) = &current
        && picker.proto.is_none()
    {
        picker.proto = Some(super::proto_picker::ProtoForm::of(file, message));
    }
    if let Some(form) = &mut picker.proto
        && let Some(decoder) = super::proto_picker::proto_form_ui(ui, form)
    {
        change = Some(Change::Set(picker.scope, DecodeChoice::With(decoder)));
    }
    if let Some(change) = change {
        if matches!(change, Change::Set(_, DecodeChoice::Raw | DecodeChoice::Auto)) {
            picker.layout_text = None;
        }
        if !matches!(change, Change::Set(_, DecodeChoice::With(Decoder::Proto { .. }))) {
            picker.proto = None;
        }
        apply_change(state, topic, change);
    }
}

/// The layout field; returns the parsed layout when "Use layout" is clicked on a valid one.
fn layout_ui(ui: &mut egui::Ui, text: &mut String) -> Option<StructLayout> {
    let parsed = StructLayout::parse(text);
    let mut chosen = None;
    ui.horizontal(|ui| {
        let label = ui.label(tr!("dec-layout-label"));
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(tr!("dec-layout-hint"))
                .desired_width((ui.available_width() - 120.0).max(80.0))
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(parsed.is_ok(), egui::Button::new(tr!("dec-layout-apply")))
            .clicked()
        {
            chosen = parsed.clone().ok();
        }
    });
    if let Err(e) = &parsed
        && !text.trim().is_empty()
    {
        ui.colored_label(crate::ui::theme::palette(ui).warn, e.to_string());
    }
    chosen
}

/// Applies `change` to the active connection and to its saved profile.
fn apply_change(state: &mut AppState, topic: &str, change: Change) {
    let edit = |rules: &mut DecoderRules| match &change {
        Change::Set(scope, choice) => scope.apply(rules, topic, choice.clone()),
        Change::Forget(filter) => {
            rules.remove(filter);
        }
    };
    let conn = state.conn_mut();
    edit(&mut conn.profile.decoders);
    let name = conn.name.clone();
    if let Some(mut saved) = state.profiles.get(&name).cloned() {
        edit(&mut saved.decoders);
        state.profiles.upsert(saved);
        if let Err(e) = state.profiles.save() {
            state.notice(e.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_make_topic_device_subtree_rules_or_the_default() {
        assert_eq!(
            DecodeScope::Devices.filter("esp32/a1/raw").as_deref(),
            Some("esp32/+/raw")
        );
        assert_eq!(DecodeScope::Devices.filter("raw").as_deref(), Some("raw"));
        let mut rules = DecoderRules::default();
        DecodeScope::Devices.apply(&mut rules, "esp32/a1/raw", DecodeChoice::With(Decoder::Cbor));
        DecodeScope::Topic.apply(&mut rules, "esp32/b2/raw", DecodeChoice::Raw);
        DecodeScope::All.apply(&mut rules, "x", DecodeChoice::With(Decoder::Base64));
        assert_eq!(rules.for_topic("esp32/c3/raw"), &DecodeChoice::With(Decoder::Cbor));
        assert_eq!(rules.for_topic("esp32/b2/raw"), &DecodeChoice::Raw);
        assert_eq!(rules.for_topic("other"), &DecodeChoice::With(Decoder::Base64));
    }
}
