//! The Devices pane's "Patterns and thresholds" section: the user's `{device}` patterns
//! (added with their parse error in words, removed with a button), when a device is
//! silent (three usual intervals, or a set time) and flapping (more than N changes in
//! M minutes), and desktop notifications. Saved with the connection's profile.

use crate::app::AppState;
use crate::model::devices::{RuleError, UserRule};
use crate::profiles::DeviceSettings;
use crate::ui::theme;

/// The section's own state: the pattern being typed and why it was refused.
#[derive(Debug, Default)]
pub struct SettingsEdit {
    pub pattern: String,
    pub error: Option<String>,
}

/// The refusal in words.
pub fn rule_error_text(e: &RuleError) -> String {
    match e {
        RuleError::Empty => crate::tr!("dev-rule-empty"),
        RuleError::DeviceLevels(n) => crate::tr!("dev-rule-device-levels", n = *n),
        RuleError::MisplacedHash => crate::tr!("dev-rule-hash"),
        RuleError::MixedLevel(level) => crate::tr!("dev-rule-mixed", level = level.as_str()),
    }
}

pub fn settings_ui(ui: &mut egui::Ui, state: &mut AppState, edit: &mut SettingsEdit) {
    let before = state.conn().profile.devices.clone();
    let mut s = before.clone();
    egui::CollapsingHeader::new(crate::tr!("dev-settings"))
        .id_salt("devices_settings")
        .default_open(false)
        .show(ui, |ui| {
            patterns_ui(ui, &mut s, edit);
            ui.separator();
            thresholds_ui(ui, &mut s);
        });
    if s != before {
        state.set_device_settings(s);
    }
}

fn patterns_ui(ui: &mut egui::Ui, s: &mut DeviceSettings, edit: &mut SettingsEdit) {
    ui.label(crate::tr!("dev-rules-help"));
    let mut remove = None;
    for (i, rule) in s.rules.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.monospace(rule);
            if ui
                .small_button(crate::tr!("dev-rule-remove"))
                .on_hover_text(crate::tr!("dev-rule-remove-hover", pattern = rule.as_str()))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        s.rules.remove(i);
    }
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("dev-rule-new"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut edit.pattern)
                    .hint_text("sensors/{device}/#")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(crate::tr!("dev-rule-add")).clicked() || enter {
            match UserRule::parse(&edit.pattern) {
                Ok(rule) if s.rules.iter().any(|r| r == rule.pattern()) => {
                    edit.error = Some(crate::tr!("dev-rule-duplicate", pattern = rule.pattern()));
                }
                Ok(rule) => {
                    s.rules.push(rule.pattern().to_owned());
                    edit.pattern.clear();
                    edit.error = None;
                }
                Err(e) => edit.error = Some(rule_error_text(&e)),
            }
        }
    });
    if let Some(e) = &edit.error {
        ui.colored_label(theme::palette(ui).error, e);
    }
}

fn thresholds_ui(ui: &mut egui::Ui, s: &mut DeviceSettings) {
    ui.horizontal_wrapped(|ui| {
        let mut fixed = s.silent_after_secs.is_some();
        ui.checkbox(&mut fixed, crate::tr!("dev-silent-set"));
        let mut secs = s.silent_after_secs.unwrap_or(300);
        let label = ui.label(crate::tr!("dev-silent-secs"));
        ui.add_enabled(
            fixed,
            egui::DragValue::new(&mut secs)
                .range(5..=86_400)
                .suffix(format!(" {}", crate::tr!("dev-unit-secs"))),
        )
        .labelled_by(label.id);
        s.silent_after_secs = fixed.then_some(secs);
        if !fixed {
            ui.weak(crate::tr!("dev-silent-default"));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(crate::tr!("dev-flap-changes"));
        ui.add(egui::DragValue::new(&mut s.flap_changes).range(1..=100))
            .labelled_by(label.id);
        let label = ui.label(crate::tr!("dev-flap-window"));
        ui.add(
            egui::DragValue::new(&mut s.flap_window_mins)
                .range(1..=1_440)
                .suffix(format!(" {}", crate::tr!("dev-unit-mins"))),
        )
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut s.desktop_notifications, crate::tr!("dev-notify"))
            .on_hover_text(crate::tr!("dev-notify-hover"));
        let label = ui.label(crate::tr!("dev-notify-command"));
        ui.add_enabled(
            s.desktop_notifications,
            egui::TextEdit::singleline(&mut s.notify_command).desired_width(140.0),
        )
        .labelled_by(label.id);
    });
}
