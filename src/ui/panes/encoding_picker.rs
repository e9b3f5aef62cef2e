//! The inspector's "Encoding" picker: which text encoding the selected topic's payloads
//! are read in, chosen for this topic, its subtree or all topics, and saved with the
//! connection's profile (so it holds after a restart).

use crate::app::AppState;
use crate::model::{EncodingRules, TextEncoding};
use crate::tr;

/// Which topics a choice in the picker applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EncodingScope {
    /// The selected topic only.
    #[default]
    Topic,
    /// The selected topic and everything below it (`topic/#`).
    Subtree,
    /// Every topic of the connection without a rule of its own.
    All,
}

impl EncodingScope {
    pub const ALL: [EncodingScope; 3] = [Self::Topic, Self::Subtree, Self::All];

    fn label(self) -> String {
        match self {
            Self::Topic => tr!("enc-scope-topic"),
            Self::Subtree => tr!("enc-scope-subtree"),
            Self::All => tr!("enc-scope-all"),
        }
    }

    /// The topic filter of a rule at this scope; `None` for the connection's default.
    pub fn filter(self, topic: &str) -> Option<String> {
        match self {
            Self::Topic => Some(topic.to_owned()),
            Self::Subtree => Some(format!("{topic}/#")),
            Self::All => None,
        }
    }

    /// Reads the topics of this scope around `topic` in `encoding`.
    pub fn apply(self, rules: &mut EncodingRules, topic: &str, encoding: TextEncoding) {
        match self.filter(topic) {
            Some(filter) => rules.set(&filter, encoding),
            None => rules.default = encoding,
        }
    }
}

/// A change the user asked for.
enum Change {
    Set(EncodingScope, TextEncoding),
    Forget(String),
}

/// Draws the picker for `topic` of the active connection; a choice is applied at once.
pub fn encoding_picker_ui(ui: &mut egui::Ui, state: &mut AppState, topic: &str, scope: &mut EncodingScope) {
    let rules = &state.conn().profile.encodings;
    let current = rules.for_topic(topic);
    let rule = rules.rule_for(topic).map(|r| r.filter.clone());
    let mut change = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr!("enc-label"));
        egui::ComboBox::from_id_salt("payload_encoding")
            .selected_text(current.name())
            .show_ui(ui, |ui| {
                for e in TextEncoding::ALL {
                    // A click, not a changed value: picking the same encoding for a wider
                    // scope is a choice too.
                    if ui.selectable_label(e == current, e.name()).clicked() {
                        change = Some(Change::Set(*scope, e));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let scope_label = ui.label(tr!("enc-scope-label"));
        egui::ComboBox::from_id_salt("payload_encoding_scope")
            .selected_text(scope.label())
            .show_ui(ui, |ui| {
                for s in EncodingScope::ALL {
                    ui.selectable_value(scope, s, s.label());
                }
            })
            .response
            .labelled_by(scope_label.id);
        if let Some(filter) = &rule {
            ui.weak(tr!("enc-from-rule", filter = filter.as_str()));
            if ui
                .small_button(tr!("enc-forget-rule"))
                .on_hover_text(tr!("enc-forget-rule-hint", filter = filter.as_str()))
                .clicked()
            {
                change = Some(Change::Forget(filter.clone()));
            }
        }
    });
    if let Some(change) = change {
        apply_change(state, topic, change);
    }
}

/// Applies `change` to the active connection and, when its profile is saved, to the
/// saved profile and the profiles file.
fn apply_change(state: &mut AppState, topic: &str, change: Change) {
    let edit = |rules: &mut EncodingRules| match &change {
        Change::Set(scope, encoding) => scope.apply(rules, topic, *encoding),
        Change::Forget(filter) => {
            rules.remove(filter);
        }
    };
    let conn = state.conn_mut();
    edit(&mut conn.profile.encodings);
    let name = conn.name.clone();
    if let Some(mut saved) = state.profiles.get(&name).cloned() {
        edit(&mut saved.encodings);
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
    fn scopes_make_a_topic_rule_a_subtree_rule_or_the_default() {
        let mut rules = EncodingRules::default();
        EncodingScope::Subtree.apply(&mut rules, "legacy", TextEncoding::Gb18030);
        EncodingScope::Topic.apply(&mut rules, "legacy/jp", TextEncoding::ShiftJis);
        EncodingScope::All.apply(&mut rules, "anything", TextEncoding::Latin1);
        assert_eq!(rules.for_topic("legacy/cn/1"), TextEncoding::Gb18030);
        assert_eq!(rules.for_topic("legacy/jp"), TextEncoding::ShiftJis);
        assert_eq!(rules.for_topic("legacy/jp/x"), TextEncoding::Gb18030);
        assert_eq!(rules.for_topic("other"), TextEncoding::Latin1);
        let filters: Vec<_> = rules.rules.iter().map(|r| r.filter.as_str()).collect();
        assert_eq!(filters, ["legacy/#", "legacy/jp"]);
    }
}
