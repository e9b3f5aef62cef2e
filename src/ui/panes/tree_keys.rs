//! The tree's keyboard: arrows, Home/End, Page Up/Down, Enter, Left/Right and Ctrl+C,
//! read before the panes draw so they work wherever the keyboard focus is, unless a text
//! field has it.

use egui::Key;

use super::tree::TreeView;
use crate::app::AppState;

/// The tree's keys, whenever no text field has the keyboard (the caller checks): arrows,
/// Home/End, Page Up/Down, Enter, and Ctrl+C to copy the selected topic. Returns true
/// when a key moved or changed something.
pub fn keyboard(ctx: &egui::Context, state: &AppState, view: &mut TreeView) -> bool {
    use egui::Modifiers;
    let (up, down, left, right, enter, home, end, page_up, page_down, copy) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowLeft),
            i.consume_key(Modifiers::NONE, Key::ArrowRight),
            i.consume_key(Modifiers::NONE, Key::Enter),
            i.consume_key(Modifiers::NONE, Key::Home),
            i.consume_key(Modifiers::NONE, Key::End),
            i.consume_key(Modifiers::NONE, Key::PageUp),
            i.consume_key(Modifiers::NONE, Key::PageDown),
            i.events.iter().any(|e| matches!(e, egui::Event::Copy)),
        )
    });
    let page = view.page_rows.max(1) as isize;
    let any = up || down || left || right || enter || home || end || page_up || page_down || copy;
    if up {
        view.move_selection(-1);
    }
    if down {
        view.move_selection(1);
    }
    if page_up {
        view.move_selection(-page);
    }
    if page_down {
        view.move_selection(page);
    }
    if home {
        view.select_edge(false);
    }
    if end {
        view.select_edge(true);
    }
    let tree = state.conn().model.tree();
    let Some(sel) = view.selected.filter(|&id| tree.contains(id)) else {
        return any;
    };
    if copy {
        ctx.copy_text(tree.full_topic(sel));
    }
    let has_children = tree.node(sel).child_count() > 0;
    if right && has_children {
        view.set_expanded(sel, true);
    }
    if left {
        if has_children && view.expanded.contains(&sel) {
            view.set_expanded(sel, false);
        } else if let Some(parent) = tree.ancestors(sel).next() {
            view.selected = Some(parent);
            view.scroll_to_selected = true;
        }
    }
    if enter && has_children {
        view.toggle(sel);
    }
    any
}
