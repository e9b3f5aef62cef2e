//! The top bar: profile picker, connect/disconnect, connection state with its reason,
//! subscriptions, pause, publish panel and theme toggles.

use super::UiState;
use super::theme;
use crate::app::AppState;
use crate::mqtt::ConnectionState;
use crate::profiles::Profile;

pub fn connection_bar_ui(ui: &mut egui::Ui, state: &mut AppState, view: &mut UiState) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("Topicscope");
        ui.separator();
        let current = state.active_profile.as_ref().map(|p| p.name.clone());
        let label = ui.label("Profile");
        let mut picked: Option<String> = None;
        egui::ComboBox::from_id_salt("profile_picker")
            .selected_text(current.clone().unwrap_or_else(|| "—".to_owned()))
            .show_ui(ui, |ui| {
                for p in state.profiles.list() {
                    if ui
                        .selectable_label(current.as_deref() == Some(p.name.as_str()), &p.name)
                        .clicked()
                    {
                        picked = Some(p.name.clone());
                    }
                }
                if state.profiles.list().is_empty() {
                    ui.weak("no saved profiles");
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(name) = picked
            && let Some(p) = state.profiles.get(&name).cloned()
        {
            state.connect(p);
        }
        if ui.button("Connections…").clicked() {
            view.open_connection_dialog(state);
        }
        if state.connection_active() {
            if ui.button("Disconnect").clicked() {
                state.disconnect();
            }
        } else if let Some(p) = state.active_profile.clone()
            && ui.button("Connect").clicked()
        {
            state.connect(p);
        }
        state_label_ui(ui, &state.connection);
        if state.connection_active()
            && state
                .active_profile
                .as_ref()
                .is_some_and(Profile::certificate_check_skipped)
        {
            insecure_warning_ui(ui);
        }
        #[cfg(feature = "broker")]
        if !matches!(state.connection, ConnectionState::Connected { .. }) || state.local.is_none() {
            if ui
                .button("Try the demo")
                .on_hover_text("Start a local broker with a simulated ESP32 fleet")
                .clicked()
                && let Err(e) = state.start_local(true)
            {
                state.notice(e);
            }
            if ui
                .button("Start local broker")
                .on_hover_text("Run an MQTT broker on 127.0.0.1 inside Topicscope and connect to it")
                .clicked()
                && let Err(e) = state.start_local(false)
            {
                state.notice(e);
            }
        }
        ui.separator();
        if ui.button("Subscriptions…").clicked() {
            view.subscriptions_open = true;
        }
        match &state.paused {
            Some(buf) => {
                let n = buf.messages.len();
                if ui
                    .button(format!("▶ Resume ({n} new)"))
                    .on_hover_text("Apply the messages that arrived while paused")
                    .clicked()
                {
                    state.resume();
                }
            }
            None => {
                if ui
                    .button("⏸ Pause")
                    .on_hover_text("Freeze the tree; messages are still recorded")
                    .clicked()
                {
                    state.pause();
                }
            }
        }
        ui.toggle_value(&mut view.publish.open, "Publish panel");
        ui.toggle_value(&mut view.settings.charts_open, "Charts");
        let dark = ui.visuals().dark_mode;
        if ui
            .button(if dark { "☀ Light" } else { "🌙 Dark" })
            .on_hover_text("Switch the theme")
            .clicked()
        {
            view.settings.dark = Some(!dark);
            ui.ctx()
                .set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
        }
    });
}

fn state_label_ui(ui: &mut egui::Ui, s: &ConnectionState) {
    let p = theme::palette(ui);
    let color = match s {
        ConnectionState::Connected { .. } => p.ok,
        ConnectionState::Connecting { .. } | ConnectionState::Reconnecting { .. } => p.warn,
        ConnectionState::Disconnected { reason: Some(_) } => p.error,
        ConnectionState::Disconnected { reason: None } => ui.visuals().weak_text_color(),
    };
    ui.colored_label(color, s.to_string());
    if let ConnectionState::Reconnecting { retry_in, .. } = s {
        // The countdown must tick even with no traffic.
        let _ = retry_in;
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(500));
    }
}

/// Shown for as long as a connection runs without checking the broker's certificate, so
/// the opt-in from the profile dialog cannot be forgotten.
fn insecure_warning_ui(ui: &mut egui::Ui) {
    let warn = theme::palette(ui).warn;
    ui.colored_label(warn, "⚠ certificate not checked").on_hover_text(
        "This profile allows invalid certificates: the broker's identity is not verified, \
         so anyone on the network path could read and change this connection.",
    );
}
