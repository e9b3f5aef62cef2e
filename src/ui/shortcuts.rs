//! The window's keyboard shortcuts and the help overlay that lists them (F1 or `?`).

use super::commands::Action;

/// Every shortcut, as the help overlay shows it: the keys (named as printed on a
/// keyboard, the same in every language) and what they do.
pub fn shortcuts() -> [(String, String); 14] {
    [
        (crate::tr!("chrome-keys-palette"), crate::tr!("chrome-key-palette")),
        ("Ctrl+F".into(), crate::tr!("chrome-key-filter")),
        ("Escape".into(), crate::tr!("chrome-key-escape")),
        ("↑ ↓".into(), crate::tr!("chrome-key-up-down")),
        ("← →".into(), crate::tr!("chrome-key-left-right")),
        ("Home  End".into(), crate::tr!("chrome-key-home-end")),
        ("Page Up  Page Down".into(), crate::tr!("chrome-key-page")),
        ("Enter".into(), crate::tr!("chrome-key-enter")),
        ("Ctrl+C".into(), crate::tr!("chrome-key-copy")),
        ("Ctrl+Enter".into(), crate::tr!("chrome-key-publish")),
        ("Ctrl+Shift+Space".into(), crate::tr!("chrome-key-pause")),
        ("Ctrl+1 … Ctrl+9".into(), crate::tr!("chrome-key-switch")),
        ("Ctrl+Tab".into(), crate::tr!("chrome-key-next-tab")),
        (crate::tr!("chrome-keys-help"), crate::tr!("chrome-key-help")),
    ]
}

/// The global shortcuts pressed this frame, as actions (keys are consumed so that no
/// widget also acts on them). `text_focused`: a text field has the keyboard, so plain
/// keys such as `?` belong to it.
pub fn global_actions(ctx: &egui::Context, text_focused: bool) -> Vec<Action> {
    use egui::{Key, Modifiers};
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        if i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::P) || i.consume_key(Modifiers::COMMAND, Key::K) {
            out.push(Action::OpenPalette);
        }
        if i.consume_key(Modifiers::COMMAND, Key::F) {
            out.push(Action::FocusFilter);
        }
        if i.consume_key(Modifiers::NONE, Key::F1)
            || (!text_focused && i.consume_key(Modifiers::SHIFT, Key::Questionmark))
        {
            out.push(Action::ShowShortcuts);
        }
        if !text_focused && i.consume_key(Modifiers::NONE, Key::Questionmark) {
            out.push(Action::ShowShortcuts);
        }
        if i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::Space) {
            out.push(Action::TogglePause);
        }
        let digits = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        for (n, k) in digits.into_iter().enumerate() {
            if i.consume_key(Modifiers::COMMAND, k) {
                out.push(Action::SwitchConnection(n));
            }
        }
    });
    out
}

/// The help overlay listing the shortcuts.
pub fn help_ui(ctx: &egui::Context, open: &mut bool) {
    if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        *open = false;
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("shortcuts_help")).show(ctx, |ui| {
        ui.heading(crate::tr!("chrome-keyboard-shortcuts"));
        ui.add_space(4.0);
        egui::Grid::new("shortcuts_grid")
            .num_columns(2)
            .spacing([24.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for (keys, what) in shortcuts() {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.weak(crate::tr!("chrome-help-footer"));
        if ui.button(crate::tr!("chrome-close")).clicked() {
            *open = false;
        }
    });
    if modal.should_close() {
        *open = false;
    }
}
