//! The subscriptions window: the filters of the current connection with their QoS and
//! the broker's answer, and adding or removing filters while connected (without a
//! reconnect, which is what MQTT Explorer requires).

use super::{UiState, theme};
use crate::app::AppState;

/// The "Subscriptions" window; its open flag is `view.subscriptions_open`.
pub fn subscriptions_window_ui(ctx: &egui::Context, state: &mut AppState, view: &mut UiState) {
    let UiState {
        subscriptions_open,
        new_subscription,
        subscription_error,
        ..
    } = view;
    egui::Window::new("Subscriptions")
        .open(subscriptions_open)
        .resizable(true)
        .default_width(460.0)
        .show(ctx, |ui| {
            subscription_table_ui(ui, state);
            ui.separator();
            add_subscription_ui(ui, state, new_subscription, subscription_error);
        });
}

/// The current filters, each with a "Remove" button.
fn subscription_table_ui(ui: &mut egui::Ui, state: &mut AppState) {
    if state.subscriptions.is_empty() {
        ui.weak("No subscriptions: add a filter below, such as '#' for everything.");
        return;
    }
    let palette = theme::palette(ui);
    let connected = state.connection_active();
    let mut remove = None;
    egui::ScrollArea::vertical()
        .id_salt("subscriptions_scroll")
        .max_height(240.0)
        .show(ui, |ui| {
            egui::Grid::new("subscriptions_grid")
                .num_columns(4)
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    ui.strong("Filter");
                    ui.strong("QoS");
                    ui.strong("Status");
                    ui.end_row();
                    for (i, sub) in state.subscriptions.iter().enumerate() {
                        ui.monospace(&sub.filter);
                        ui.label(sub.qos.to_string());
                        let colour = if sub.status.starts_with("granted") {
                            palette.ok
                        } else if sub.status.starts_with("refused") {
                            palette.error
                        } else {
                            palette.warn
                        };
                        ui.colored_label(colour, sub.status.as_str());
                        // Changes made while disconnected would be lost at the next connect.
                        let button = ui
                            .add_enabled(connected, egui::Button::new("Remove").small())
                            .on_hover_text(format!("Remove {}", sub.filter))
                            .on_disabled_hover_text("Connect first");
                        if button.clicked() {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(filter) = remove
        .and_then(|i| state.subscriptions.get(i))
        .map(|s| s.filter.clone())
    {
        state.unsubscribe(&filter);
    }
}

/// The row that adds a filter, and the reason when it was refused.
fn add_subscription_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    new: &mut (String, u8),
    error: &mut Option<String>,
) {
    let palette = theme::palette(ui);
    let connected = state.connection_active();
    let submit = ui
        .horizontal(|ui| {
            let label = ui.label("Add filter");
            let edit = egui::TextEdit::singleline(&mut new.0)
                .hint_text("sensors/+/temperature")
                .desired_width(220.0);
            let response = ui.add(edit).labelled_by(label.id);
            if response.changed() {
                *error = None;
            }
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let qos_label = ui.label("at QoS");
            let combo = egui::ComboBox::from_id_salt("new_subscription_qos")
                .selected_text(new.1.to_string())
                .width(40.0)
                .show_ui(ui, |ui| {
                    for qos in 0..=2u8 {
                        ui.selectable_value(&mut new.1, qos, qos.to_string());
                    }
                });
            combo.response.labelled_by(qos_label.id);
            let clicked = ui
                .add_enabled(connected, egui::Button::new("Subscribe"))
                .on_disabled_hover_text("Connect first")
                .clicked();
            clicked || (connected && entered)
        })
        .inner;
    if submit {
        // Sent as typed: spaces are legal in a filter, and trimming would change it unseen.
        let filter = new.0.clone();
        match state.subscribe(&filter, new.1) {
            Ok(()) => {
                new.0.clear();
                *error = None;
            }
            Err(e) => *error = Some(e),
        }
    }
    if !connected {
        ui.colored_label(palette.warn, "Connect first");
    }
    if let Some(e) = error {
        ui.colored_label(palette.error, e.as_str());
    }
}
