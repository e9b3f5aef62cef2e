//! The panes, one module each with its view state and its `*_ui` function, and the
//! `egui_tiles` behaviour that draws them into the workspace.

pub mod broker;
pub mod charts;
pub mod command_dialogs;
pub mod command_edit;
pub mod commands;
pub mod decoded_payload;
pub mod decoder_picker;
pub mod device_collisions;
pub mod device_settings;
mod device_timeline;
pub mod devices;
pub mod discovery;
pub mod discovery_delete;
pub mod encoding_picker;
pub mod history_list;
pub mod inspector;
pub use crate::model::payload_format;
pub mod proto_picker;
pub mod publish;
pub mod publish_send;
pub mod publish_v5;
mod rate_sparkline;
mod repeat_form;
mod replies_list;
pub mod sparkplug_rebirth;
pub mod subscriptions;
pub mod traffic;
pub mod tree;
mod tree_empty;
mod tree_keys;

use std::collections::HashMap;

use egui_tiles::{Behavior, SimplificationOptions, TileId, Tiles, UiResponse};

use super::workspace::Pane;
use crate::app::{AppState, ConnId};
use crate::model::NodeId;
use inspector::InspectorState;
use publish::PublishForm;
use tree::TreeView;

/// Retained messages waiting for the user's confirmation to be cleared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearRequest {
    /// The retained topics the tree knows of (shown in the confirmation).
    pub known: Vec<String>,
    /// `Some("home/#")`: everything the broker holds under it, found with a probe
    /// subscription (the tree may not know all: MQTT 3.1.1 delivers messages retained
    /// while connected with retain=0). `None`: exactly the `known` topics.
    pub below: Option<String>,
}

impl ClearRequest {
    /// Everything retained below the topic `topic` (and on it).
    pub fn below(topic: &str, known: Vec<String>) -> Self {
        Self {
            known,
            below: Some(format!("{topic}/#")),
        }
    }
}

/// What the panes show of one connection: selection, expansion, filter, inspector choices.
#[derive(Debug, Default)]
pub struct ConnView {
    pub tree: TreeView,
    pub inspector: InspectorState,
    /// The connection's epoch these were made for; a cleared tree starts them afresh.
    epoch: u64,
    /// An opened recording's selected and open topics by name: a seek empties the model
    /// and numbers its topics afresh, and shows these again as they come.
    names: TopicNames,
}

#[derive(Debug, Default)]
struct TopicNames {
    /// The selected topic, and the node it was read from.
    selected: Option<(Option<NodeId>, String)>,
    expanded: Vec<String>,
    /// The tree's expansion version `expanded` was read at.
    expansion_version: Option<u64>,
}

impl TopicNames {
    /// Brings the names up to the view's selection and expansion (both read off `tree`
    /// only when they changed).
    fn follow(&mut self, view: &TreeView, tree: &crate::model::TopicTree) {
        match (view.selected, &view.reveal_when_present) {
            (Some(id), _) => {
                if self.selected.as_ref().is_none_or(|(of, _)| *of != Some(id)) {
                    self.selected = Some((Some(id), tree.full_topic(id)));
                }
            }
            (None, Some(pending)) => self.selected = Some((None, pending.clone())),
            (None, None) => self.selected = None,
        }
        if self.expansion_version != Some(view.expansion_version()) {
            self.expansion_version = Some(view.expansion_version());
            self.expanded = view.expanded.iter().map(|&id| tree.full_topic(id)).collect();
            self.expanded.extend(view.expand_when_present.iter().cloned());
        }
    }
}

/// The view state of every pane.
#[derive(Debug, Default)]
pub struct PaneStates {
    views: HashMap<ConnId, ConnView>,
    pub publish: PublishForm,
    /// The Commands pane and its windows.
    pub commands: commands::CommandsView,
    /// The Devices pane's filter and sort.
    pub devices: devices::DevicesView,
    /// The Discovery pane's filter, threshold, index and pending deletion.
    pub discovery: discovery::DiscoveryView,
    pub new_subscription: (String, u8),
    pub subscription_error: Option<String>,
    /// Topics whose retained messages wait for the user's confirmation to be cleared.
    pub confirm_clear: Option<ClearRequest>,
    /// Set by Ctrl+F: the tree's filter takes the keyboard on its next frame.
    pub focus_filter: bool,
    /// A pane asked to be brought to the front (e.g. "Plot" shows the charts).
    pub show_pane: Option<Pane>,
    /// Each tab bar's active tab as last drawn, and the frames spent bringing it into
    /// the bar's view (a tab that becomes active is scrolled into view).
    tabs_seen: HashMap<TileId, (TileId, u8)>,
}

impl PaneStates {
    /// The view of connection `id` (made on first use).
    pub fn view(&mut self, id: ConnId) -> &mut ConnView {
        self.views.entry(id).or_default()
    }

    /// The view of connection `id`, if it was shown.
    pub fn view_of(&self, id: ConnId) -> Option<&ConnView> {
        self.views.get(&id)
    }

    /// The view of the active connection, reset if its tree was cleared since.
    pub fn active_view(&mut self, state: &AppState) -> &mut ConnView {
        let conn = state.conn();
        let view = self.views.entry(conn.id).or_default();
        if view.epoch != conn.epoch {
            let old = std::mem::take(view);
            *view = ConnView {
                epoch: conn.epoch,
                ..ConnView::default()
            };
            view.tree.sort = old.tree.sort;
            if conn.playback.is_some() {
                // A recording's seek: the same topics, filter and inspector choices at
                // the new moment (a "Clear" of a live connection starts afresh).
                view.tree.filter = old.tree.filter;
                view.tree.reveal_when_present = old.names.selected.map(|(_, name)| name);
                view.tree.expand_when_present = old.names.expanded;
                view.inspector = old.inspector.renumbered();
            }
        } else if conn.playback.is_some() {
            view.names.follow(&view.tree, conn.model.tree());
        }
        view
    }

    /// Hands what the publish form asked for to the Commands pane's windows.
    pub fn take_form_request(&mut self) {
        match self.publish.request.take() {
            Some(publish_send::FormRequest::Values(command, then)) => {
                self.commands.prompt = Some(commands::VarPrompt::new(command, then));
            }
            Some(publish_send::FormRequest::Save(draft)) => {
                self.commands.editor = Some(command_edit::CommandEditor::new(draft, None));
            }
            None => {}
        }
    }

    /// Forgets the views of connections that were closed.
    pub fn retain_views(&mut self, state: &AppState) {
        self.views.retain(|id, _| state.conn_by_id(*id).is_some());
    }
}

/// Draws the panes into the tiles.
pub struct PaneBehavior<'a> {
    pub state: &'a mut AppState,
    pub panes: &'a mut PaneStates,
}

impl Behavior<Pane> for PaneBehavior<'_> {
    fn pane_ui(&mut self, ui: &mut egui::Ui, _tile_id: TileId, pane: &mut Pane) -> UiResponse {
        // Room around the pane's content, and clipping to its tile.
        egui::Frame::new().inner_margin(6.0).show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            pane_ui(ui, *pane, self.state, self.panes);
        });
        UiResponse::None
    }

    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        pane.tab_title().into()
    }

    /// Brings a newly active tab into its bar's view. egui_tiles keeps the bar's scroll
    /// where it was, so a pane opened from the Panes menu on a crowded laptop bar was
    /// active but out of sight behind the ▸ arrow, with no title saying what was open.
    /// The tabs' widths are measured as egui_tiles lays them out (title, margins, ✖).
    fn top_bar_right_ui(
        &mut self,
        tiles: &Tiles<Pane>,
        ui: &mut egui::Ui,
        tile_id: TileId,
        tabs: &egui_tiles::Tabs,
        scroll_offset: &mut f32,
    ) {
        // A few frames: egui_tiles bounds the offset by the bar's width in the frame
        // before, which a tab added this frame is not part of yet. Then the bar is the
        // user's to scroll.
        const TRIES: u8 = 4;
        let Some(active) = tabs.active else { return };
        let tries = match self.panes.tabs_seen.get(&tile_id) {
            Some(&(seen, n)) if seen == active => n,
            _ => 0,
        };
        if tries >= TRIES {
            return;
        }
        self.panes.tabs_seen.insert(tile_id, (active, tries + 1));
        let font = egui::TextStyle::Button.resolve(ui.style());
        let margin = self.tab_title_spacing(ui.visuals());
        let close = 4.0 + self.close_button_outer_size();
        let (mut x, mut span) = (0.0, None);
        for &child in tabs.children.iter().filter(|&&c| tiles.is_visible_in_layout(c)) {
            let title = self.tab_title_for_tile(tiles, child).text().to_owned();
            let text = ui.fonts_mut(|f| f.layout_no_wrap(title, font.clone(), egui::Color32::WHITE).size().x);
            let width = text + 2.0 * margin + if self.is_tab_closable(tiles, child) { close } else { 0.0 };
            if child == active {
                span = Some((x, x + width));
            }
            x += width;
        }
        let Some((from, to)) = span else { return };
        // What the tabs get of the bar: less the two scroll arrows (each the bar's height).
        let arrows = 2.0 * (self.tab_bar_height(ui.style()) + ui.spacing().item_spacing.x);
        let visible = (ui.available_width() - arrows).max(40.0);
        if from < *scroll_offset {
            *scroll_offset = from;
            ui.ctx().request_repaint();
        } else if to > *scroll_offset + visible {
            *scroll_offset = to - visible;
            // The next try must come even with no input (the bar's bound lags a frame).
            ui.ctx().request_repaint();
        } else {
            self.panes.tabs_seen.insert(tile_id, (active, TRIES));
        }
    }

    fn is_tab_closable(&self, tiles: &Tiles<Pane>, tile_id: TileId) -> bool {
        // Panes close (and reopen from the Panes menu or the palette); containers don't.
        tiles.get_pane(&tile_id).is_some()
    }

    fn simplification_options(&self) -> SimplificationOptions {
        SimplificationOptions {
            all_panes_must_have_tabs: true,
            ..SimplificationOptions::default()
        }
    }

    fn gap_width(&self, _style: &egui::Style) -> f32 {
        super::workspace_metrics().gap
    }

    fn tab_bar_height(&self, _style: &egui::Style) -> f32 {
        super::workspace_metrics().tab_bar
    }

    fn min_size(&self) -> f32 {
        // The per-pane minimums are kept by `workspace::fit_to`; this only stops a
        // divider from collapsing a tile entirely within a frame.
        120.0
    }
}

/// Draws one pane for the active connection.
pub fn pane_ui(ui: &mut egui::Ui, pane: Pane, state: &mut AppState, panes: &mut PaneStates) {
    match pane {
        Pane::Tree => {
            let focus = std::mem::take(&mut panes.focus_filter);
            let mut confirm = panes.confirm_clear.take();
            let view = panes.active_view(state);
            tree::tree_panel_ui(ui, state, &mut view.tree, &mut confirm, focus);
            panes.confirm_clear = confirm;
        }
        Pane::Inspector => {
            let mut confirm = panes.confirm_clear.take();
            let mut show_charts = false;
            let view = panes.active_view(state);
            let selected = view.tree.selected;
            inspector::inspector_ui(ui, state, &mut view.inspector, &mut confirm, selected, &mut show_charts);
            panes.confirm_clear = confirm;
            if show_charts {
                panes.show_pane = Some(Pane::Charts);
            }
        }
        Pane::Charts => {
            if charts::charts_panel_ui(ui, state) {
                state.save_chart_layout();
            }
        }
        Pane::Publish => {
            let selected = {
                let view = panes.active_view(state);
                let tree = state.conn().model.tree();
                view.tree
                    .selected
                    .filter(|&id| tree.contains(id))
                    .map(|id| tree.full_topic(id))
            };
            publish::publish_panel_ui(ui, state, &mut panes.publish, selected);
            panes.take_form_request();
        }
        Pane::Commands => {
            commands::commands_ui(ui, state, &mut panes.commands, &mut panes.publish);
        }
        Pane::Traffic => {
            let view = panes.active_view(state);
            traffic::traffic_ui(ui, state, &mut view.tree);
        }
        Pane::Broker => broker::broker_ui(ui, state),
        Pane::Devices => {
            let mut dv = std::mem::take(&mut panes.devices);
            let view = panes.active_view(state);
            devices::devices_ui(ui, state, &mut dv, &mut view.tree);
            panes.devices = dv;
        }
        Pane::Discovery => {
            let mut dv = std::mem::take(&mut panes.discovery);
            let view = panes.active_view(state);
            discovery::discovery_ui(ui, state, &mut dv, &mut view.tree);
            panes.discovery = dv;
        }
        Pane::Subscriptions => {
            subscriptions::subscriptions_ui(ui, state, &mut panes.new_subscription, &mut panes.subscription_error);
        }
    }
}
