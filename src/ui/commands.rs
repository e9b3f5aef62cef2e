//! Every action of the window as a value: the command palette lists them, the shortcuts
//! and menus trigger them, and [`run`] is the one place that carries them out.

use super::workspace::Pane;
use super::{SortChoice, UiState};
use crate::app::{AppState, DEMO_NAME, LOCAL_BROKER_NAME, display_name};

/// A user action.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Open the connection dialog.
    OpenConnections,
    /// Connect with a saved profile (a new connection unless it is open already).
    ConnectProfile(String),
    /// The embedded broker with the simulated fleet.
    #[cfg(feature = "broker")]
    StartDemo,
    /// The embedded broker alone.
    #[cfg(feature = "broker")]
    StartLocalBroker,
    /// Connect the active connection again with its profile.
    Reconnect,
    Disconnect,
    /// Disconnect and close the active connection's tab.
    CloseConnection,
    /// Show connection number `n` (0-based).
    SwitchConnection(usize),
    /// Empty the active connection's tree and history.
    ClearTree,
    /// Clear the retained messages below the selected topic (asks first).
    ClearRetainedBelow,
    TogglePause,
    NewChart,
    ToggleTheme,
    /// Open a pane (or bring its tab to the front).
    ShowPane(Pane),
    /// Close a pane.
    ClosePane(Pane),
    ResetLayout,
    FocusFilter,
    ExpandAll,
    CollapseAll,
    Sort(SortChoice),
    ShowShortcuts,
    OpenPalette,
}

impl Action {
    /// The action in words, as the palette lists it.
    pub fn label(&self, state: &AppState) -> String {
        match self {
            Action::OpenConnections => "Connections…".into(),
            Action::ConnectProfile(name) => format!("Connect to {name}"),
            #[cfg(feature = "broker")]
            Action::StartDemo => format!("Connect to {DEMO_NAME} (simulated ESP32 fleet)"),
            #[cfg(feature = "broker")]
            Action::StartLocalBroker => format!("Connect to {LOCAL_BROKER_NAME} (embedded broker)"),
            Action::Reconnect => format!("Reconnect {}", display_name(&state.conn().name)),
            Action::Disconnect => format!("Disconnect {}", display_name(&state.conn().name)),
            Action::CloseConnection => format!("Close connection {}", display_name(&state.conn().name)),
            Action::SwitchConnection(i) => format!(
                "Switch to {}",
                state.connections.get(*i).map_or("?", |c| display_name(&c.name))
            ),
            Action::ClearTree => "Clear the tree and history".into(),
            Action::ClearRetainedBelow => "Clear retained messages below the selected topic…".into(),
            Action::TogglePause => {
                if state.conn().paused.is_some() {
                    "Resume the tree".into()
                } else {
                    "Pause the tree".into()
                }
            }
            Action::NewChart => "New chart".into(),
            Action::ToggleTheme => "Switch between light and dark theme".into(),
            Action::ShowPane(p) => format!("Show pane: {}", p.title()),
            Action::ClosePane(p) => format!("Close pane: {}", p.title()),
            Action::ResetLayout => "Reset layout".into(),
            Action::FocusFilter => "Filter topics".into(),
            Action::ExpandAll => "Expand all topics".into(),
            Action::CollapseAll => "Collapse all topics".into(),
            Action::Sort(s) => format!("Sort topics by {}", s.label()),
            Action::ShowShortcuts => "Keyboard shortcuts".into(),
            Action::OpenPalette => "Command palette".into(),
        }
    }

    /// The shortcut that triggers it, if any.
    pub fn shortcut(&self) -> Option<&'static str> {
        Some(match self {
            Action::FocusFilter => "Ctrl+F",
            Action::OpenPalette => "Ctrl+K",
            Action::ShowShortcuts => "F1",
            Action::SwitchConnection(0) => "Ctrl+1",
            Action::SwitchConnection(1) => "Ctrl+2",
            Action::SwitchConnection(2) => "Ctrl+3",
            Action::TogglePause => "Ctrl+Shift+Space",
            _ => return None,
        })
    }
}

/// Every action that makes sense now, in the order the palette shows them.
pub fn available(state: &AppState) -> Vec<Action> {
    let mut out = vec![Action::OpenConnections];
    for p in state.profiles.list() {
        out.push(Action::ConnectProfile(p.name.clone()));
    }
    #[cfg(feature = "broker")]
    {
        out.push(Action::StartDemo);
        out.push(Action::StartLocalBroker);
    }
    let conn = state.conn();
    if conn.active() {
        out.push(Action::Disconnect);
    } else if !conn.profile.broker_url.is_empty() {
        out.push(Action::Reconnect);
    }
    if state.connections.len() > 1 || !conn.name.is_empty() {
        out.push(Action::CloseConnection);
    }
    for i in 0..state.connections.len() {
        if i != state.active {
            out.push(Action::SwitchConnection(i));
        }
    }
    out.extend([
        Action::FocusFilter,
        Action::ExpandAll,
        Action::CollapseAll,
        Action::Sort(SortChoice::Name),
        Action::Sort(SortChoice::Messages),
        Action::Sort(SortChoice::LastUpdate),
        Action::TogglePause,
        Action::ClearTree,
        Action::ClearRetainedBelow,
        Action::NewChart,
    ]);
    for p in Pane::ALL {
        out.push(Action::ShowPane(p));
    }
    for p in Pane::ALL {
        out.push(Action::ClosePane(p));
    }
    out.extend([Action::ResetLayout, Action::ToggleTheme, Action::ShowShortcuts]);
    out
}

/// Carries out `action`.
pub fn run(action: Action, ctx: &egui::Context, state: &mut AppState, view: &mut UiState) {
    match action {
        Action::OpenConnections => view.open_connection_dialog(state),
        Action::ConnectProfile(name) => match state.profiles.get(&name).cloned() {
            Some(p) => state.connect(p),
            None => state.notice(format!("no saved profile named '{name}'")),
        },
        #[cfg(feature = "broker")]
        Action::StartDemo => {
            if let Err(e) = state.start_local(true) {
                state.notice(e);
            }
        }
        #[cfg(feature = "broker")]
        Action::StartLocalBroker => {
            if let Err(e) = state.start_local(false) {
                state.notice(e);
            }
        }
        Action::Reconnect => {
            let p = state.conn().profile.clone();
            if p.broker_url.is_empty() {
                view.open_connection_dialog(state);
            } else {
                state.connect(p);
            }
        }
        Action::Disconnect => state.disconnect(),
        Action::CloseConnection => {
            let i = state.active;
            state.close_connection(i);
            view.panes.retain_views(state);
        }
        Action::SwitchConnection(i) => state.set_active(i),
        Action::ClearTree => state.clear_tree(),
        Action::ClearRetainedBelow => {
            let selected = view.panes.active_view(state).tree.selected;
            match selected.filter(|&id| state.conn().model.tree().contains(id)) {
                Some(id) => {
                    let topic = state.conn().model.tree().full_topic(id);
                    let known = state.retained_topics_in(id);
                    view.panes.confirm_clear = Some(super::panes::ClearRequest::below(&topic, known));
                }
                None => state.notice("select a topic in the tree first"),
            }
        }
        Action::TogglePause => {
            if state.conn().paused.is_some() {
                state.resume();
            } else {
                state.pause();
            }
        }
        Action::NewChart => {
            let home = state.conn().name.clone();
            state.charts.add_chart(&home);
            state.save_chart_layout();
            view.workspace.show_pane(Pane::Charts);
        }
        Action::ToggleTheme => {
            let dark = ctx.theme() == egui::Theme::Dark;
            view.settings.dark = Some(!dark);
            ctx.set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
        }
        Action::ShowPane(p) => view.workspace.show_pane(p),
        Action::ClosePane(p) => view.workspace.close_pane(p),
        Action::ResetLayout => view.workspace.reset(),
        Action::FocusFilter => {
            view.workspace.show_pane(Pane::Tree);
            view.panes.focus_filter = true;
        }
        Action::ExpandAll => {
            let v = view.panes.active_view(state);
            v.tree.expand_all(state.conn().model.tree());
        }
        Action::CollapseAll => view.panes.active_view(state).tree.collapse_all(),
        Action::Sort(s) => {
            view.settings.sort = s;
            view.panes.active_view(state).tree.set_sort(s);
        }
        Action::ShowShortcuts => view.help_open = true,
        Action::OpenPalette => view.palette = Some(super::palette::PaletteState::default()),
    }
}
