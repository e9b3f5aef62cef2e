//! The command palette (Ctrl+K or Ctrl+Shift+P): type a few letters of any action,
//! arrows to pick, Enter to run, Escape to close.

use super::commands::{self, Action};
use crate::app::AppState;

/// Most rows shown at once.
const ROWS_SHOWN: usize = 14;

/// The open palette.
#[derive(Debug, Default)]
pub struct PaletteState {
    pub query: String,
    /// Index into the filtered list.
    pub selected: usize,
}

/// True when every word of `query` appears in `label` (case-insensitive).
pub fn matches(label: &str, query: &str) -> bool {
    let label = label.to_lowercase();
    query.split_whitespace().all(|w| label.contains(&w.to_lowercase()))
}

/// Draws the palette; returns the action picked, and whether it should close.
pub fn palette_ui(ctx: &egui::Context, state: &AppState, palette: &mut PaletteState) -> (Option<Action>, bool) {
    if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        return (None, true);
    }
    let mut picked = None;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
        ui.set_width(520.0_f32.min(ctx.content_rect().width() - 40.0));
        let label = ui.label(crate::tr!("chrome-palette-label"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut palette.query)
                    .hint_text(crate::tr!("chrome-palette-hint"))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        // The query is the palette's only input: it keeps the keyboard (a request on the
        // modal's first, invisible, frame would be lost).
        if !edit.has_focus() {
            edit.request_focus();
        }
        if edit.changed() {
            palette.selected = 0;
        }
        // Filtered after the field took this frame's typing, so the list is never a
        // keystroke behind.
        let entries: Vec<(Action, String)> = commands::available(state)
            .into_iter()
            .map(|a| {
                let l = a.label(state);
                (a, l)
            })
            .filter(|(_, l)| matches(l, &palette.query))
            .collect();
        let (up, down, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            )
        });
        if up {
            palette.selected = palette.selected.saturating_sub(1);
        }
        if down {
            palette.selected += 1;
        }
        palette.selected = palette.selected.min(entries.len().saturating_sub(1));
        if enter && let Some((a, _)) = entries.get(palette.selected) {
            picked = Some(a.clone());
            close = true;
        }
        ui.separator();
        if entries.is_empty() {
            ui.weak(crate::tr!("chrome-palette-no-match"));
        }
        let first = palette.selected.saturating_sub(ROWS_SHOWN - 1);
        for (i, (action, label)) in entries.iter().enumerate().skip(first).take(ROWS_SHOWN) {
            ui.horizontal(|ui| {
                let r = ui.selectable_label(i == palette.selected, label);
                if r.clicked() {
                    picked = Some(action.clone());
                    close = true;
                }
                let keys = match action {
                    // A saved command's own shortcut, as the user set it.
                    Action::SendCommand(name) => state
                        .conn()
                        .profile
                        .commands
                        .iter()
                        .find(|c| &c.full_name() == name)
                        .and_then(|c| c.shortcut.clone()),
                    _ => action.shortcut().map(str::to_owned),
                };
                if let Some(s) = keys {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.weak(s));
                }
            });
        }
        if entries.len() > ROWS_SHOWN {
            ui.weak(crate::tr!("chrome-palette-count", n = entries.len()));
        }
    });
    if modal.should_close() {
        close = true;
    }
    (picked, close)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn every_word_must_appear_in_any_order_and_case() {
        assert!(matches("Show pane: Charts", "chart show"));
        assert!(matches("Disconnect Demo fleet", ""));
        assert!(!matches("Show pane: Charts", "publish"));
    }
}
