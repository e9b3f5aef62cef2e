//! The selected topic's history, newest first, virtualised; any entry can be picked.

use std::time::SystemTime;

use crate::model::{DecoderRules, Model, NodeId, TextEncoding};
use crate::ui::format;
use crate::ui::theme::ROW_HEIGHT;

/// Characters of payload preview per history row.
const PREVIEW_CHARS: usize = 80;

/// Draws the list of `topic`'s messages, previews decoded by `decoders` or else read in
/// `encoding`; returns the time of the entry the user clicked, or `Some(None)` when they
/// asked to follow the newest message again.
pub fn history_list_ui(
    ui: &mut egui::Ui,
    model: &Model,
    node: NodeId,
    picked: Option<SystemTime>,
    encoding: TextEncoding,
    decoders: &DecoderRules,
    topic: &str,
) -> Option<Option<SystemTime>> {
    let history = model.history();
    let n = history.len(node);
    let mut result = None;
    ui.horizontal(|ui| {
        ui.strong(crate::tr!("panes-history-title", n = n));
        if picked.is_some() && ui.button(crate::tr!("panes-history-follow")).clicked() {
            result = Some(None);
        }
    });
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .id_salt("history_rows")
        .show_rows(ui, ROW_HEIGHT, n, |ui, range| {
            // One line per entry: long previews are cut at the panel's edge, not wrapped.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for i in range {
                let Some(msg) = history.get(node, i) else { continue };
                let delta = history.get(node, i + 1).map_or_else(
                    || crate::tr!("panes-history-first"),
                    |older| format!("+{}", format::delta(msg.time(), older.time())),
                );
                let selected = picked.map_or(i == 0, |t| t == msg.time());
                let text = format!(
                    "{}  {:>10}  {:>12}  {}",
                    format::clock(msg.time()),
                    format::bytes(msg.payload.len() as u64),
                    delta,
                    decoders
                        .preview_in(|| topic.to_owned(), msg, PREVIEW_CHARS, Some(model.sparkplug()))
                        .unwrap_or_else(|| encoding.preview(msg, PREVIEW_CHARS))
                );
                let resp = ui.add(egui::Button::selectable(
                    selected,
                    egui::RichText::new(text).monospace(),
                ));
                if resp.clicked() {
                    result = Some(if i == 0 { None } else { Some(msg.time()) });
                }
            }
        });
    result
}
