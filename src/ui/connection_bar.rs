//! The top bar: the connection picker (saved profiles, the demo and the local broker),
//! connect/disconnect, pause, clear, the Panes menu, theme and help; under it one tab per
//! open connection with its state, so several brokers are open at once.

use super::commands::Action;
use super::workspace::Pane;
use super::{UiState, theme};
use crate::app::{AppState, Connection, display_name};
use crate::i18n::Lang;
use crate::mqtt::ConnectionState;
use crate::profiles::Profile;

pub fn connection_bar_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut UiState) {
    let mut actions: Vec<Action> = Vec::new();
    // The app's name is the window's title; the bar keeps its width for controls, so that
    // it fits one line at 1024 px.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(crate::tr!("chrome-open"));
        egui::ComboBox::from_id_salt("profile_picker")
            .selected_text(crate::tr!("chrome-open-picker"))
            .show_ui(ui, |ui| {
                for p in state.profiles.list() {
                    let open = state.connections.iter().any(|c| c.name == p.name);
                    let text = if open {
                        crate::tr!("chrome-profile-open", name = p.name.as_str())
                    } else {
                        p.name.clone()
                    };
                    if ui.selectable_label(false, text).clicked() {
                        actions.push(Action::ConnectProfile(p.name.clone()));
                    }
                }
                if state.profiles.list().is_empty() {
                    ui.weak(crate::tr!("chrome-no-profiles"));
                }
                #[cfg(feature = "broker")]
                {
                    ui.separator();
                    if ui
                        .selectable_label(false, display_name(crate::app::DEMO_NAME))
                        .on_hover_text(crate::tr!("chrome-demo-hover"))
                        .clicked()
                    {
                        actions.push(Action::StartDemo);
                    }
                    if ui
                        .selectable_label(false, display_name(crate::app::LOCAL_BROKER_NAME))
                        .on_hover_text(crate::tr!("chrome-local-broker-hover"))
                        .clicked()
                    {
                        actions.push(Action::StartLocalBroker);
                    }
                }
                // A recording opens like a connection (read-only), so it is offered here
                // rather than as one more button on a bar that must fit 1024 px.
                ui.separator();
                if ui
                    .selectable_label(false, crate::tr!("rec-open-button"))
                    .on_hover_text(crate::tr!("rec-open-hover"))
                    .clicked()
                {
                    actions.push(Action::OpenRecording);
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button(crate::tr!("chrome-cmd-connections")).clicked() {
            actions.push(Action::OpenConnections);
        }
        ui.separator();
        let conn = state.conn();
        if conn.active() {
            if ui.button(crate::tr!("chrome-disconnect")).clicked() {
                actions.push(Action::Disconnect);
            }
        } else if !conn.profile.broker_url.is_empty() && ui.button(crate::tr!("chrome-connect")).clicked() {
            actions.push(Action::Reconnect);
        }
        let pause_text = match &conn.paused {
            Some(buf) => crate::tr!("chrome-resume-button", n = buf.messages.len()),
            None => crate::tr!("chrome-pause-button"),
        };
        if ui
            .button(pause_text)
            .on_hover_text(crate::tr!("chrome-pause-hover"))
            .clicked()
        {
            actions.push(Action::TogglePause);
        }
        if ui
            .button(crate::tr!("chrome-clear"))
            .on_hover_text(crate::tr!("chrome-clear-hover"))
            .clicked()
        {
            actions.push(Action::ClearTree);
        }
        ui.separator();
        ui.menu_button(crate::tr!("chrome-panes-menu"), |ui| {
            for p in Pane::ALL {
                // Ticked while it is in the layout, in front or one tab away.
                let mut open = view.workspace.pane_open(p);
                if ui.checkbox(&mut open, p.title()).changed() {
                    actions.push(if open {
                        Action::ShowPane(p)
                    } else {
                        Action::ClosePane(p)
                    });
                }
            }
            ui.separator();
            let mut smooth = view.settings.smooth_redraw;
            if ui
                .checkbox(&mut smooth, crate::tr!("chrome-smooth-redraw"))
                .on_hover_text(crate::tr!("chrome-smooth-redraw-hover"))
                .changed()
            {
                actions.push(Action::ToggleSmoothRedraw);
            }
            if ui.button(crate::tr!("chrome-reset-layout")).clicked() {
                actions.push(Action::ResetLayout);
                ui.close();
            }
        });
        // The theme is a symbol only, named in its hover: the bar must fit on one line at
        // 1024 px.
        let dark = ui.visuals().dark_mode;
        // The symbol and its hover name the theme a click switches to.
        let (symbol, theme) = if dark {
            ("☀", crate::tr!("chrome-theme-word-light"))
        } else {
            ("🌙", crate::tr!("chrome-theme-word-dark"))
        };
        if ui
            .button(symbol)
            .on_hover_text(crate::tr!("chrome-theme-hover", theme = theme))
            .clicked()
        {
            actions.push(Action::ToggleTheme);
        }
        language_menu_ui(ui, view.settings.language, &mut actions);
        if ui
            .button(crate::tr!("chrome-commands-button"))
            .on_hover_text(crate::tr!("chrome-commands-hover"))
            .clicked()
        {
            actions.push(Action::OpenPalette);
        }
        if ui.button("?").on_hover_text(crate::tr!("chrome-help-hover")).clicked() {
            actions.push(Action::ShowShortcuts);
        }
    });
    connection_tabs_ui(ui, state, &mut actions);
    let ctx = ui.ctx().clone();
    for a in actions {
        view.run(&ctx, state, a);
    }
}

/// The interface language: the system's, or one named in its own script so that a
/// person who cannot read the current one still finds theirs.
fn language_menu_ui(ui: &mut egui::Ui, chosen: Option<Lang>, actions: &mut Vec<Action>) {
    ui.menu_button(crate::tr!("chrome-language-menu"), |ui| {
        let system = crate::tr!(
            "chrome-language-system-detected",
            language = crate::i18n::detect().native_name()
        );
        if ui.radio(chosen.is_none(), system).clicked() {
            actions.push(Action::SetLanguage(None));
            ui.close();
        }
        for lang in Lang::ALL {
            if ui.radio(chosen == Some(lang), lang.native_name()).clicked() {
                actions.push(Action::SetLanguage(Some(lang)));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text(crate::tr!("chrome-language-hover"));
}

/// One tab per open connection: a coloured dot for its state, its name, the state in
/// words on hover, and a close button.
fn connection_tabs_ui(ui: &mut egui::Ui, state: &mut AppState, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        for (i, c) in state.connections.iter().enumerate() {
            let selected = i == state.active;
            ui.horizontal(|ui| {
                let name = display_name(&c.name);
                let hover = if let Some(p) = &c.playback {
                    // A file, not a broker: its own symbol instead of a state dot.
                    ui.label("📼");
                    crate::tr!("rec-open-tab-hover", path = crate::i18n::shown(p.path.display()))
                } else {
                    let dot = state_colour(ui, &c.status);
                    let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().circle_filled(r.center(), 4.0, dot);
                    crate::tr!(
                        "chrome-tab-hover",
                        name = name.as_str(),
                        status = crate::i18n::shown(&c.status)
                    )
                };
                let tab = ui.selectable_label(selected, &name).on_hover_text(hover);
                if tab.clicked() {
                    actions.push(Action::SwitchConnection(i));
                }
                if let Some(rec) = &c.recording {
                    // Seen from any tab: a recording of a connection not shown still runs.
                    ui.colored_label(theme::palette(ui).error, "⏺")
                        .on_hover_text(crate::tr!(
                            "rec-win-tab-hover",
                            path = crate::i18n::shown(rec.path().display())
                        ));
                }
                if selected && c.playback.is_none() {
                    state_label_ui(ui, c);
                }
                let closable = state.connections.len() > 1 || !c.name.is_empty();
                if closable
                    && ui
                        .small_button("✖")
                        .on_hover_text(crate::tr!("chrome-tab-close-hover", name = name.as_str()))
                        .clicked()
                {
                    actions.push(Action::SwitchConnection(i));
                    actions.push(Action::CloseConnection);
                }
            });
            ui.separator();
        }
        if ui
            .small_button(crate::tr!("chrome-add-connection"))
            .on_hover_text(crate::tr!("chrome-add-connection-hover"))
            .clicked()
        {
            actions.push(Action::OpenConnections);
        }
        // Recording is the active connection's, and its indicator (file, size, rate,
        // Stop) is wide: here, at the row's end, it moves nothing when it comes or goes
        // (in the top bar it wrapped the bar at 1024 px and put Language under Stop).
        if state.conn().active() || state.conn().recording.is_some() {
            ui.separator();
            super::recording_indicator::record_control_ui(ui, state, actions);
        }
    });
}

fn state_colour(ui: &egui::Ui, s: &ConnectionState) -> egui::Color32 {
    let p = theme::palette(ui);
    match s {
        ConnectionState::Connected { .. } => p.ok,
        ConnectionState::Connecting { .. } | ConnectionState::Reconnecting { .. } => p.warn,
        ConnectionState::Disconnected { reason: Some(_) } => p.error,
        ConnectionState::Disconnected { reason: None } => ui.visuals().weak_text_color(),
    }
}

/// The active connection's state in words, and the certificate warning while it runs
/// without checking the broker's certificate.
fn state_label_ui(ui: &mut egui::Ui, c: &Connection) {
    let colour = state_colour(ui, &c.status);
    ui.add(egui::Label::new(egui::RichText::new(c.status.to_string()).color(colour)).wrap());
    if c.active() && Profile::certificate_check_skipped(&c.profile) {
        let warn = theme::palette(ui).warn;
        ui.colored_label(warn, crate::tr!("chrome-cert-unchecked"))
            .on_hover_text(crate::tr!("chrome-cert-unchecked-hover"));
    }
}
