//! The topic tree: a virtualised list of the expanded rows (`ScrollArea::show_rows`), so
//! 100k topics scroll as smoothly as ten. Rows are rebuilt only when the tree's shape,
//! the expansion, the filter or the sort changes; counts and previews are read live for
//! the rows on screen only.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime};

use egui::{Align2, FontId, Sense, Vec2};

use crate::app::AppState;
use crate::model::{DecoderRules, NodeId, Row, SortKey, TopicFilterMatcher, TopicTree};
use crate::ui::SortChoice;
use crate::ui::theme::{self, ACTIVITY_FADE_SECS, INDENT, ROW_HEIGHT};

/// How often rows are rebuilt when only counts or payloads changed (sorting by count or
/// time, or filtering on payloads, depends on them).
const RESORT_INTERVAL: Duration = Duration::from_millis(500);
/// Rates below this (one message in 10 s) are not shown in a row.
const MIN_RATE_SHOWN: f64 = 0.1;
/// How often rows showing a rate are redrawn with no message arriving (a topic that
/// stops slows down on screen).
const RATE_REDRAW: Duration = Duration::from_secs(1);
/// Beyond this many nodes, new topics are no longer opened as they arrive.
const EXPAND_ON_ARRIVAL_MAX_NODES: usize = 2_000;
/// Characters of the one-line payload preview.
const PREVIEW_CHARS: usize = 120;

/// The tree's view state.
#[derive(Debug, Default)]
pub struct TreeView {
    /// Open the first levels of new topics as they arrive (the demo starts this way).
    pub expand_on_arrival: bool,
    /// Select this topic as soon as it exists, unless the user selected one first (the
    /// demo starts on a sensor).
    pub reveal_when_present: Option<String>,
    /// Open these topics as soon as they exist (an opened recording's seek keeps what
    /// was open).
    pub expand_when_present: Vec<String>,
    pub selected: Option<NodeId>,
    pub expanded: HashSet<NodeId>,
    pub sort: SortKey,
    pub filter: String,
    rows: Vec<Row>,
    built: Option<BuildKey>,
    built_at: Option<Instant>,
    expansion_version: u64,
    scroll_offset: f32,
    /// Set when the rows moved under the selection; applied to the scroll offset.
    scroll_correction: f32,
    /// A row's height with the spacing after it, as the rows are laid out (0 until the
    /// first frame).
    row_pitch: f32,
    pub(super) scroll_to_selected: bool,
    /// Rows that fit on screen, for Page Up / Page Down.
    pub(super) page_rows: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BuildKey {
    structure: u64,
    generation: u64,
    expansion: u64,
    sort: SortKey,
    filter: String,
}

impl TreeView {
    pub fn set_sort(&mut self, sort: SortChoice) {
        self.sort = match sort {
            SortChoice::Name => SortKey::Name,
            SortChoice::Messages => SortKey::Messages,
            SortChoice::LastUpdate => SortKey::LastUpdate,
            SortChoice::Rate => SortKey::Rate,
        };
    }

    fn sort_choice(&self) -> SortChoice {
        match self.sort {
            SortKey::Name => SortChoice::Name,
            SortKey::Messages => SortChoice::Messages,
            SortKey::LastUpdate => SortChoice::LastUpdate,
            SortKey::Rate => SortChoice::Rate,
        }
    }

    /// The rows currently shown (after the last rebuild).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Changes each time a topic is opened or closed.
    pub fn expansion_version(&self) -> u64 {
        self.expansion_version
    }

    pub fn toggle(&mut self, id: NodeId) {
        if !self.expanded.remove(&id) {
            self.expanded.insert(id);
        }
        self.expansion_version += 1;
    }

    pub fn set_expanded(&mut self, id: NodeId, open: bool) {
        let changed = if open {
            self.expanded.insert(id)
        } else {
            self.expanded.remove(&id)
        };
        if changed {
            self.expansion_version += 1;
        }
    }

    pub fn expand_all(&mut self, tree: &TopicTree) {
        self.expanded = tree
            .iter_subtree(NodeId::ROOT)
            .filter(|&id| tree.node(id).child_count() > 0)
            .collect();
        self.expansion_version += 1;
    }

    pub fn collapse_all(&mut self) {
        self.expanded.clear();
        self.expansion_version += 1;
    }

    /// Selects `id`, opening its ancestors so it is visible, and scrolls to it.
    pub fn reveal(&mut self, tree: &TopicTree, id: NodeId) {
        for a in tree.ancestors(id).collect::<Vec<_>>() {
            self.set_expanded(a, true);
        }
        self.selected = Some(id);
        self.scroll_to_selected = true;
    }

    /// Rebuilds the flattened rows when something they depend on changed; the filter
    /// searches binary payloads as `decoders` decode them.
    pub fn refresh_rows(&mut self, tree: &TopicTree, decoders: &DecoderRules) {
        if self.selected.is_some() {
            // The user picked a topic before this one came: theirs stays selected.
            self.reveal_when_present = None;
        } else if let Some(id) = self.reveal_when_present.as_deref().and_then(|t| tree.find(t)) {
            self.reveal_when_present = None;
            self.reveal(tree, id);
        }
        if !self.expand_when_present.is_empty()
            && self
                .built
                .as_ref()
                .is_none_or(|b| b.structure != tree.structure_generation())
        {
            let before = self.expanded.len();
            let expanded = &mut self.expanded;
            self.expand_when_present.retain(|t| match tree.find(t) {
                Some(id) => {
                    expanded.insert(id);
                    false
                }
                None => true,
            });
            if self.expanded.len() != before {
                self.expansion_version += 1;
            }
        }
        // Opening new topics walks the tree: fine for a demo fleet, not for a busy broker.
        if tree.len() > EXPAND_ON_ARRIVAL_MAX_NODES {
            self.expand_on_arrival = false;
        }
        if self.expand_on_arrival
            && self
                .built
                .as_ref()
                .is_none_or(|b| b.structure != tree.structure_generation())
        {
            let before = self.expanded.len();
            self.expanded.extend(
                tree.iter_subtree(NodeId::ROOT)
                    .filter(|&id| tree.node(id).child_count() > 0 && tree.depth(id) < 2),
            );
            if self.expanded.len() != before {
                self.expansion_version += 1;
            }
        }
        let live_dependent = self.sort != SortKey::Name || !self.filter.is_empty();
        let key = BuildKey {
            structure: tree.structure_generation(),
            generation: if live_dependent { tree.generation() } else { 0 },
            expansion: self.expansion_version,
            sort: self.sort,
            filter: self.filter.clone(),
        };
        let Some(old) = &self.built else {
            self.rebuild(tree, key, decoders);
            return;
        };
        // Rates change without messages (a topic that stops slows down): that order is
        // refreshed on the clock too.
        let rates_due = self.sort == SortKey::Rate && self.built_at.is_none_or(|t| t.elapsed() >= RESORT_INTERVAL);
        if *old == key && !rates_due {
            return;
        }
        let only_counts_changed = BuildKey {
            generation: old.generation,
            ..key.clone()
        } == *old;
        if only_counts_changed && self.built_at.is_some_and(|t| t.elapsed() < RESORT_INTERVAL) {
            return;
        }
        self.rebuild(tree, key, decoders);
    }

    fn rebuild(&mut self, tree: &TopicTree, key: BuildKey, decoders: &DecoderRules) {
        let old_index = self.selected_index();
        let matcher = TopicFilterMatcher::new(&self.filter);
        let expanded = &self.expanded;
        self.rows = tree.flatten_visible_decoded(|id| expanded.contains(&id), self.sort, Some(&matcher), decoders);
        self.built = Some(key);
        self.built_at = Some(Instant::now());
        // Keep the selected row where it was on screen: MQTT Explorer's rows jump (#612).
        if let (Some(old), Some(new)) = (old_index, self.selected_index())
            && old != new
        {
            // By the rows' pitch, not their height: the spacing between rows moves
            // the selection too (by ROW_HEIGHT alone the demo's selected sensor drifted
            // below the pane while its fleet arrived).
            let pitch = if self.row_pitch > 0.0 {
                self.row_pitch
            } else {
                ROW_HEIGHT
            };
            self.scroll_correction += (new as f32 - old as f32) * pitch;
        }
    }

    fn selected_index(&self) -> Option<usize> {
        let sel = self.selected?;
        self.rows.iter().position(|r| r.id == sel)
    }

    /// Selects the first (`to_end` false) or the last row.
    pub(super) fn select_edge(&mut self, to_end: bool) {
        let row = if to_end { self.rows.last() } else { self.rows.first() };
        if let Some(r) = row {
            self.selected = Some(r.id);
            self.scroll_to_selected = true;
        }
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let next = match self.selected_index() {
            Some(i) => (i as isize + delta).clamp(0, self.rows.len() as isize - 1) as usize,
            None => 0,
        };
        self.selected = Some(self.rows[next].id);
        self.scroll_to_selected = true;
    }
}

/// The topics pane: filter, sort, expand/collapse, and the rows. `focus_filter` puts
/// the keyboard in the filter (Ctrl+F).
pub use super::tree_keys::keyboard;

/// (See [`keyboard`] for the tree's keys.)
pub fn tree_panel_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    view: &mut TreeView,
    confirm_clear: &mut Option<super::ClearRequest>,
    focus_filter: bool,
) {
    toolbar_ui(ui, state, view, focus_filter);
    ui.separator();
    let tree = state.conn().model.tree();
    view.row_pitch = ROW_HEIGHT + ui.spacing().item_spacing.y;
    view.refresh_rows(tree, &state.conn().profile.decoders);
    view.page_rows = ((ui.available_height() / view.row_pitch) as usize).max(1);
    if view.rows.is_empty() {
        super::tree_empty::empty_tree_ui(ui, state);
        return;
    }

    // An offset the tree sets itself: a correction (rows moved under the selection) or a
    // scroll to the selection (which wins).
    let mut target = None;
    if view.scroll_correction != 0.0 {
        target = Some((view.scroll_offset + view.scroll_correction).max(0.0));
        view.scroll_correction = 0.0;
    }
    if view.scroll_to_selected {
        view.scroll_to_selected = false;
        if let Some(i) = view.selected_index() {
            let y = i as f32 * view.row_pitch;
            let visible = ui.available_height();
            if y < view.scroll_offset || y + ROW_HEIGHT > view.scroll_offset + visible {
                target = Some((y - visible / 2.0).max(0.0));
            }
        }
    }
    let mut scroll = egui::ScrollArea::vertical().auto_shrink(false).id_salt("tree_rows");
    if let Some(offset) = target {
        scroll = scroll.vertical_scroll_offset(offset);
    }
    let now = SystemTime::now();
    let now_ms = crate::model::rate::epoch_ms(now);
    let mut any_rate = false;
    let mut fading = false;
    let mut clicked: Option<(NodeId, bool)> = None;
    let mut toggled: Option<NodeId> = None;
    let mut action: Option<RowAction> = None;
    let palette = theme::palette(ui);
    let encodings = &state.conn().profile.encodings;
    let sparkplug = state.conn().model.sparkplug();
    let decoders = &state.conn().profile.decoders;
    let rows = &view.rows;
    let selected = view.selected;
    // The scroll area bounds its offset by last frame's content: an offset past that (the
    // tree grew this frame) would be taken for an overscroll and sprung back, drifting the
    // selection down over the next frames. Rubber-banding is off for that one frame; the
    // area's end clamps to this frame's content anyway.
    let rubber_band = ui.spacing().scroll.kinetic.rubber_band;
    if target.is_some() {
        ui.spacing_mut().scroll.kinetic.rubber_band = false;
    }
    let output = scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for row in &rows[range] {
            let node = tree.node(row.id);
            let (rect, resp) = ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_HEIGHT), Sense::click());
            let is_selected = selected == Some(row.id);
            let has_children = node.child_count() > 0;
            let empty_name;
            let name = if tree.name_of(node).is_empty() {
                empty_name = crate::tr!("panes-empty");
                empty_name.as_str()
            } else {
                tree.name_of(node)
            };
            resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, name));
            let painter = ui.painter_at(rect);
            let age = node
                .last_update()
                .and_then(|t| now.duration_since(t).ok())
                .map_or(f32::MAX, |d| d.as_secs_f32());
            if is_selected {
                painter.rect_filled(rect, 2.0, ui.visuals().selection.bg_fill);
            } else if let Some(fill) = theme::activity_fill(&palette, age) {
                painter.rect_filled(rect, 2.0, fill);
            } else if resp.hovered() {
                painter.rect_filled(rect, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
            }
            fading |= age < ACTIVITY_FADE_SECS;

            let text_color = if is_selected {
                ui.visuals().selection.stroke.color
            } else {
                ui.visuals().text_color()
            };
            let font = FontId::proportional(13.0);
            let small = FontId::proportional(11.5);
            let mut x = rect.left() + 4.0 + row.depth as f32 * INDENT;
            let cy = rect.center().y;
            if has_children {
                let arrow = if row.expanded { "⏷" } else { "⏵" };
                painter.text(
                    egui::pos2(x, cy),
                    Align2::LEFT_CENTER,
                    arrow,
                    font.clone(),
                    ui.visuals().weak_text_color(),
                );
            }
            let arrow_hit = resp.clicked() && resp.interact_pointer_pos().is_some_and(|p| p.x < x + INDENT);
            x += INDENT;
            let r = painter.text(egui::pos2(x, cy), Align2::LEFT_CENTER, name, font.clone(), text_color);
            x = r.right() + 8.0;
            if node.retained() {
                let r = painter.text(
                    egui::pos2(x, cy),
                    Align2::LEFT_CENTER,
                    "R",
                    small.clone(),
                    palette.retained,
                );
                x = r.right() + 6.0;
            }
            let mut counts = String::new();
            if node.own_messages() > 0 {
                counts.push_str(&crate::tr!("panes-msg-count", n = node.own_messages()));
            }
            if has_children && !row.expanded {
                if !counts.is_empty() {
                    counts.push_str(" · ");
                }
                counts.push_str(&crate::tr!(
                    "panes-tree-below",
                    topics = node.sub_topic_count(),
                    msgs = node.subtree_messages()
                ));
            }
            let rate = node.rate_at(now_ms);
            if rate.messages >= MIN_RATE_SHOWN {
                if !counts.is_empty() {
                    counts.push_str(" · ");
                }
                counts.push_str(&crate::ui::format::rate(rate.messages));
                any_rate = true;
            }
            if !counts.is_empty() {
                let r = painter.text(
                    egui::pos2(x, cy),
                    Align2::LEFT_CENTER,
                    counts,
                    small.clone(),
                    palette.count,
                );
                x = r.right() + 10.0;
            }
            if let Some(last) = tree.last_message(row.id) {
                painter.text(
                    egui::pos2(x, cy),
                    Align2::LEFT_CENTER,
                    decoders
                        .preview(tree, row.id, last, PREVIEW_CHARS, Some(sparkplug))
                        .unwrap_or_else(|| encodings.preview(tree, row.id, last, PREVIEW_CHARS)),
                    FontId::monospace(11.5),
                    palette.preview,
                );
            }
            if resp.double_clicked() && has_children {
                toggled = Some(row.id);
            } else if resp.clicked() {
                if arrow_hit && has_children {
                    toggled = Some(row.id);
                } else {
                    clicked = Some((row.id, has_children));
                }
            }
            resp.context_menu(|ui| {
                if ui.button(crate::tr!("panes-copy-topic")).clicked() {
                    action = Some(RowAction::CopyTopic(row.id));
                    ui.close();
                }
                if has_children && ui.button(crate::tr!("panes-tree-expand-below")).clicked() {
                    action = Some(RowAction::ExpandBelow(row.id));
                    ui.close();
                }
                if ui.button(crate::tr!("panes-tree-clear-retained-below")).clicked() {
                    action = Some(RowAction::ClearRetained(row.id));
                    ui.close();
                }
                if ui.button(crate::tr!("rec-export-menu")).clicked() {
                    action = Some(RowAction::Export(row.id));
                    ui.close();
                }
            });
        }
    });
    ui.spacing_mut().scroll.kinetic.rubber_band = rubber_band;
    view.scroll_offset = output.state.clamped_offset().y;
    if any_rate {
        crate::app::redraw::after(ui.ctx(), RATE_REDRAW);
    }
    if let Some((id, _)) = clicked {
        view.selected = Some(id);
    }
    if let Some(id) = toggled {
        view.selected = Some(id);
        view.toggle(id);
    }
    match action {
        Some(RowAction::CopyTopic(id)) => ui.ctx().copy_text(state.conn().model.tree().full_topic(id)),
        Some(RowAction::ExpandBelow(id)) => {
            let tree = state.conn().model.tree();
            let ids: Vec<NodeId> = tree
                .iter_subtree(id)
                .filter(|&n| tree.node(n).child_count() > 0)
                .collect();
            for n in ids {
                view.set_expanded(n, true);
            }
        }
        Some(RowAction::ClearRetained(id)) => {
            let topic = state.conn().model.tree().full_topic(id);
            *confirm_clear = Some(super::ClearRequest::below(&topic, state.retained_topics_in(id)));
        }
        Some(RowAction::Export(id)) => {
            let topic = state.conn().model.tree().full_topic(id);
            crate::ui::export_dialog::open(ui.ctx(), state, &topic);
        }
        None => {}
    }
    if fading {
        // Only while a row is still glowing: idle stays idle. The glow steps with the
        // data's redraws (4 a second unless smooth), not an animation of its own.
        crate::app::redraw::after(ui.ctx(), crate::app::redraw::interval().max(Duration::from_millis(60)));
    }
}

enum RowAction {
    CopyTopic(NodeId),
    ExpandBelow(NodeId),
    ClearRetained(NodeId),
    /// The messages kept for this topic and below, to a file.
    Export(NodeId),
}

fn toolbar_ui(ui: &mut egui::Ui, state: &AppState, view: &mut TreeView, focus_filter: bool) {
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("panes-tree-filter"));
        // The width comes from the pane, never from the text: typing must not widen it.
        let edit = egui::TextEdit::singleline(&mut view.filter)
            .hint_text(crate::tr!("panes-tree-filter-hint"))
            .desired_width((ui.available_width() - 30.0).max(60.0));
        let r = ui.add(edit).labelled_by(label.id);
        if focus_filter {
            r.request_focus();
        }
        if !view.filter.is_empty()
            && ui
                .small_button("✖")
                .on_hover_text(crate::tr!("panes-tree-filter-clear"))
                .clicked()
        {
            view.filter.clear();
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("panes-tree-sort"));
        let mut choice = view.sort_choice();
        egui::ComboBox::from_id_salt("tree_sort")
            .selected_text(choice.label())
            .show_ui(ui, |ui| {
                for c in [
                    SortChoice::Name,
                    SortChoice::Messages,
                    SortChoice::LastUpdate,
                    SortChoice::Rate,
                ] {
                    ui.selectable_value(&mut choice, c, c.label());
                }
            })
            .response
            .labelled_by(label.id);
        if choice != view.sort_choice() {
            view.set_sort(choice);
        }
        if ui.button(crate::tr!("panes-tree-expand-all")).clicked() {
            view.expand_all(state.conn().model.tree());
        }
        if ui.button(crate::tr!("panes-tree-collapse-all")).clicked() {
            view.collapse_all();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Message;
    use crate::model::stored::StoredMessage;

    fn add(tree: &mut TopicTree, topic: &str) -> NodeId {
        tree.record(topic, StoredMessage::from(Message::new(topic, "1", 0, false)))
    }

    #[test]
    fn a_topic_awaited_for_selection_does_not_take_over_the_users_choice() {
        let rules = DecoderRules::default();
        let mut tree = TopicTree::new();
        let mine = add(&mut tree, "esp32/a/status");
        let mut view = TreeView {
            reveal_when_present: Some("tele/plug/SENSOR".into()),
            ..TreeView::default()
        };
        view.refresh_rows(&tree, &rules);
        assert_eq!(view.selected, None, "not there yet");
        view.reveal(&tree, mine);
        add(&mut tree, "tele/plug/SENSOR");
        view.refresh_rows(&tree, &rules);
        assert_eq!(view.selected, Some(mine));
        assert_eq!(view.reveal_when_present, None);
        // With nothing selected, the awaited topic is selected when it comes.
        let mut view = TreeView {
            reveal_when_present: Some("tele/plug/SENSOR".into()),
            ..TreeView::default()
        };
        view.refresh_rows(&tree, &rules);
        assert_eq!(view.selected, tree.find("tele/plug/SENSOR"));
    }
}
