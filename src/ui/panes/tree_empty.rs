//! What the topic tree says when it has nothing to show: no match for the filter, not
//! connected, waiting — and, when a subscription was refused or was granted long ago
//! and brought nothing, which one and why, so the blank pane explains itself.

use std::time::Instant;

use crate::app::{AppState, display_name};
use crate::ui::{format, theme};

/// The tree's empty state for the active connection.
pub fn empty_tree_ui(ui: &mut egui::Ui, state: &AppState) {
    let conn = state.conn();
    let text = if conn.model.tree().topic_count() > 0 {
        crate::tr!("panes-tree-no-match")
    } else if conn.active() {
        crate::tr!("panes-tree-waiting", name = display_name(&conn.name))
    } else {
        crate::tr!("panes-tree-not-connected")
    };
    ui.add(egui::Label::new(egui::RichText::new(text).weak()).wrap());
    if conn.model.tree().topic_count() > 0 || !conn.connected() {
        return;
    }
    let palette = theme::palette(ui);
    for s in conn.subscriptions.iter().filter(|s| s.status.starts_with("refused")) {
        let reason = s.status.strip_prefix("refused: ").unwrap_or(&s.status);
        ui.add(
            egui::Label::new(
                egui::RichText::new(crate::tr!(
                    "sys-tree-refused",
                    filter = s.filter.as_str(),
                    reason = reason
                ))
                .color(palette.error),
            )
            .wrap(),
        );
    }
    let (silent, next) = conn.silent_subscriptions(Instant::now());
    for (filter, waited) in silent {
        ui.add(
            egui::Label::new(crate::tr!(
                "sys-tree-silent",
                filter = filter,
                waited = format::duration(std::time::Duration::from_secs(waited.as_secs()))
            ))
            .wrap(),
        );
    }
    if next.is_some() {
        // Nothing arrives to repaint: the explanation comes with time.
        crate::app::redraw::after(
            ui.ctx(),
            next.unwrap_or_default() + std::time::Duration::from_millis(50),
        );
    }
}
