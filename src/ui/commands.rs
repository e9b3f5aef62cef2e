//! Every action of the window as a value: the command palette lists them, the shortcuts
//! and menus trigger them, and [`run`] is the one place that carries them out.

use super::workspace::Pane;
use super::{SortChoice, UiState};
use crate::app::{AppState, DEMO_NAME, LOCAL_BROKER_NAME, display_name};
use crate::i18n::Lang;

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
    /// Redraw live data 60 times a second, or 5 (the default, light on CPU).
    ToggleSmoothRedraw,
    /// Speak this language (`None`: follow the system), applied at once and saved.
    SetLanguage(Option<Lang>),
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
    /// Send the active connection's saved command of this full name ("collection / name").
    SendCommand(String),
    /// Open the Record dialog for the active connection.
    Record,
    /// Stop the active connection's recording.
    StopRecording,
    /// Choose a recording file to open read-only.
    OpenRecording,
    /// Play the active recording on, or pause it.
    TogglePlay,
    /// Show the active recording's next message.
    StepRecording,
}

impl Action {
    /// The action in words, as the palette lists it.
    pub fn label(&self, state: &AppState) -> String {
        let active = || display_name(&state.conn().name);
        match self {
            Action::OpenConnections => crate::tr!("chrome-cmd-connections"),
            Action::ConnectProfile(name) => crate::tr!("chrome-cmd-connect-to", name = name.as_str()),
            #[cfg(feature = "broker")]
            Action::StartDemo => crate::tr!("chrome-cmd-start-demo", name = display_name(DEMO_NAME)),
            #[cfg(feature = "broker")]
            Action::StartLocalBroker => {
                crate::tr!("chrome-cmd-start-local-broker", name = display_name(LOCAL_BROKER_NAME))
            }
            Action::Reconnect => crate::tr!("chrome-cmd-reconnect", name = active()),
            Action::Disconnect => crate::tr!("chrome-cmd-disconnect", name = active()),
            Action::CloseConnection => crate::tr!("chrome-cmd-close-connection", name = active()),
            Action::SwitchConnection(i) => crate::tr!(
                "chrome-cmd-switch-to",
                name = state
                    .connections
                    .get(*i)
                    .map_or_else(|| "?".to_owned(), |c| display_name(&c.name))
            ),
            Action::ClearTree => crate::tr!("chrome-cmd-clear-tree"),
            Action::ClearRetainedBelow => crate::tr!("chrome-cmd-clear-retained-below"),
            Action::TogglePause => {
                if state.conn().paused.is_some() {
                    crate::tr!("chrome-cmd-resume")
                } else {
                    crate::tr!("chrome-cmd-pause")
                }
            }
            Action::NewChart => crate::tr!("chrome-cmd-new-chart"),
            Action::ToggleTheme => crate::tr!("chrome-cmd-toggle-theme"),
            Action::ToggleSmoothRedraw => {
                if crate::app::redraw::smooth() {
                    crate::tr!("chrome-cmd-light-redraw")
                } else {
                    crate::tr!("chrome-cmd-smooth-redraw")
                }
            }
            Action::SetLanguage(lang) => crate::tr!(
                "chrome-cmd-language",
                language = lang.map_or_else(|| crate::tr!("chrome-language-system"), |l| l.native_name().to_owned())
            ),
            Action::ShowPane(p) => crate::tr!("chrome-cmd-show-pane", pane = p.title()),
            Action::ClosePane(p) => crate::tr!("chrome-cmd-close-pane", pane = p.title()),
            Action::ResetLayout => crate::tr!("chrome-reset-layout"),
            Action::FocusFilter => crate::tr!("chrome-cmd-filter"),
            Action::ExpandAll => crate::tr!("chrome-cmd-expand-all"),
            Action::CollapseAll => crate::tr!("chrome-cmd-collapse-all"),
            Action::Sort(s) => crate::tr!("chrome-cmd-sort", order = s.label()),
            Action::ShowShortcuts => crate::tr!("chrome-keyboard-shortcuts"),
            Action::OpenPalette => crate::tr!("chrome-cmd-palette"),
            Action::SendCommand(name) => crate::tr!("cmd-palette-send", name = name.as_str()),
            Action::Record => crate::tr!("rec-win-cmd-record", name = active()),
            Action::StopRecording => crate::tr!("rec-win-cmd-stop", name = active()),
            Action::OpenRecording => crate::tr!("rec-open-cmd"),
            Action::TogglePlay => crate::tr!("rec-open-cmd-play"),
            Action::StepRecording => crate::tr!("rec-open-cmd-step"),
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
    // A connection already open and connected is not offered again: "Switch to" reaches
    // it, or it is the one shown.
    // (One still connecting or reconnecting is: "Connect to" reloads its saved profile.)
    let live = |name: &str| state.connections.iter().any(|c| c.name == name && c.connected());
    for p in state.profiles.list() {
        if !live(&p.name) {
            out.push(Action::ConnectProfile(p.name.clone()));
        }
    }
    #[cfg(feature = "broker")]
    {
        if !live(DEMO_NAME) {
            out.push(Action::StartDemo);
        }
        if !live(LOCAL_BROKER_NAME) {
            out.push(Action::StartLocalBroker);
        }
    }
    let conn = state.conn();
    // Saved commands first after the connections: sending one is why the palette was opened.
    if conn.active() {
        out.extend(conn.profile.commands.iter().map(|c| Action::SendCommand(c.full_name())));
    }
    if conn.recording.is_some() {
        out.push(Action::StopRecording);
    } else if conn.active() {
        out.push(Action::Record);
    }
    out.push(Action::OpenRecording);
    if conn.playback.is_some() {
        out.extend([Action::TogglePlay, Action::StepRecording]);
    }
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
        Action::Sort(SortChoice::Rate),
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
    out.extend([Action::ResetLayout, Action::ToggleTheme, Action::ToggleSmoothRedraw]);
    out.push(Action::SetLanguage(None));
    out.extend(Lang::ALL.map(|l| Action::SetLanguage(Some(l))));
    out.push(Action::ShowShortcuts);
    out
}

/// Carries out `action`.
pub fn run(action: Action, ctx: &egui::Context, state: &mut AppState, view: &mut UiState) {
    match action {
        Action::OpenConnections => view.open_connection_dialog(state),
        Action::ConnectProfile(name) => match state.profiles.get(&name).cloned() {
            Some(p) => state.connect(p),
            None => state.notice(crate::tr!("chrome-no-such-profile", name = name.as_str())),
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
                None => state.notice(crate::tr!("chrome-select-topic-first")),
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
        Action::ToggleSmoothRedraw => {
            view.settings.smooth_redraw = !view.settings.smooth_redraw;
            crate::app::redraw::set_smooth(view.settings.smooth_redraw);
            view.settings_changed = true;
        }
        Action::SetLanguage(lang) => {
            view.settings.language = lang;
            view.settings.apply_language();
            view.settings_changed = true;
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
        Action::SendCommand(name) => super::panes::commands::send_named(state, &mut view.panes.commands, &name),
        Action::Record => {
            if state.conn().recording.is_none() {
                view.record_dialog = Some(super::record_dialog::RecordDialog::open(state));
            }
        }
        Action::StopRecording => state.stop_recording(),
        Action::OpenRecording => {
            let current = state.conn().playback.as_ref().map(|p| p.path.clone());
            super::file_dialog::open(ctx, super::file_dialog::Purpose::OpenRecording, current.as_deref());
        }
        Action::TogglePlay => state.toggle_play(),
        Action::StepRecording => state.step_recording(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::ConnectionState;

    #[cfg(feature = "broker")]
    #[test]
    fn a_connection_already_open_is_not_offered_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = AppState::new(None, dir.path().to_owned(), 1 << 20);
        assert!(available(&state).contains(&Action::StartDemo));
        state.conn_mut().name = DEMO_NAME.into();
        state.conn_mut().status = ConnectionState::Connected {
            broker: "mqtt://127.0.0.1:1".into(),
        };
        let offered = available(&state);
        assert!(!offered.contains(&Action::StartDemo), "the demo is open and connected");
        assert!(offered.contains(&Action::StartLocalBroker));
        assert!(offered.contains(&Action::Disconnect));
    }
}
