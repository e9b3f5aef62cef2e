//! The subscriptions pane: the filters of the current connection with their QoS and
//! the broker's answer, and adding or removing filters while connected (without a
//! reconnect, which is what MQTT Explorer requires).

use crate::app::AppState;
use crate::ui::theme;

/// The subscriptions pane of the active connection.
pub fn subscriptions_ui(ui: &mut egui::Ui, state: &mut AppState, new: &mut (String, u8), error: &mut Option<String>) {
    ui.weak(crate::tr!(
        "panes-subs-of",
        name = crate::app::display_name(&state.conn().name)
    ));
    egui::ScrollArea::vertical()
        .id_salt("subscriptions_pane")
        .auto_shrink(false)
        .show(ui, |ui| {
            subscription_table_ui(ui, state);
            ui.separator();
            add_subscription_ui(ui, state, new, error);
        });
}

/// The current filters, each with a "Remove" button.
fn subscription_table_ui(ui: &mut egui::Ui, state: &mut AppState) {
    if state.conn().subscriptions.is_empty() {
        ui.weak(crate::tr!("panes-subs-none"));
        return;
    }
    let palette = theme::palette(ui);
    let connected = state.connection_active();
    let mut remove = None;
    let (silent, next) = state.conn().silent_subscriptions(std::time::Instant::now());
    let silent: Vec<(String, std::time::Duration)> = silent.into_iter().map(|(f, d)| (f.to_owned(), d)).collect();
    if let Some(next) = next {
        // Nothing arrives to repaint: the silence is told with time.
        crate::app::redraw::after(ui.ctx(), next + std::time::Duration::from_millis(50));
    }
    egui::ScrollArea::horizontal()
        .id_salt("subscriptions_scroll")
        .show(ui, |ui| {
            egui::Grid::new("subscriptions_grid")
                .num_columns(4)
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    ui.strong(crate::tr!("panes-subs-col-filter"));
                    // A protocol word: the same in every language.
                    ui.strong("QoS");
                    ui.strong(crate::tr!("panes-subs-col-status"));
                    ui.end_row();
                    for (i, sub) in state.conn().subscriptions.iter().enumerate() {
                        ui.monospace(&sub.filter);
                        ui.label(sub.qos.to_string());
                        let colour = if sub.status.starts_with("granted") {
                            palette.ok
                        } else if sub.status.starts_with("refused") {
                            palette.error
                        } else {
                            palette.warn
                        };
                        match silent.iter().find(|(f, _)| *f == sub.filter) {
                            Some((_, waited)) => {
                                let waited =
                                    crate::ui::format::duration(std::time::Duration::from_secs(waited.as_secs()));
                                let text =
                                    crate::tr!("sys-subs-silent", status = sub.shown(), waited = waited.as_str());
                                ui.colored_label(palette.warn, text).on_hover_text(crate::tr!(
                                    "sys-tree-silent",
                                    filter = sub.filter.as_str(),
                                    waited = waited.as_str()
                                ));
                            }
                            None => {
                                ui.colored_label(colour, sub.shown());
                            }
                        }
                        // Changes made while disconnected would be lost at the next connect.
                        let button = ui
                            .add_enabled(connected, egui::Button::new(crate::tr!("panes-remove")).small())
                            .on_hover_text(crate::tr!("panes-remove-named", name = sub.filter.as_str()))
                            .on_disabled_hover_text(crate::tr!("panes-connect-first"));
                        if button.clicked() {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(hint) = state.conn().retained_hint(crate::app::now_secs()) {
        retained_hint_ui(ui, &hint);
    }
    if state
        .conn()
        .subscriptions
        .iter()
        .any(|s| s.status.starts_with("refused"))
    {
        ui.add(egui::Label::new(egui::RichText::new(crate::tr!("sys-subs-refused-help")).weak()).wrap());
    }
    if let Some(filter) = remove
        .and_then(|i| state.conn().subscriptions.get(i))
        .map(|s| s.filter.clone())
    {
        state.unsubscribe(&filter);
    }
}

/// The row that adds a filter, and the reason when it was refused.
fn add_subscription_ui(ui: &mut egui::Ui, state: &mut AppState, new: &mut (String, u8), error: &mut Option<String>) {
    let palette = theme::palette(ui);
    let connected = state.connection_active();
    let submit = ui
        .horizontal(|ui| {
            let label = ui.label(crate::tr!("panes-subs-add"));
            let edit = egui::TextEdit::singleline(&mut new.0)
                .hint_text("sensors/+/temperature")
                .desired_width(220.0);
            let response = ui.add(edit).labelled_by(label.id);
            if response.changed() {
                *error = None;
            }
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let qos_label = ui.label(crate::tr!("panes-subs-at-qos"));
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
                .add_enabled(connected, egui::Button::new(crate::tr!("panes-subs-subscribe")))
                .on_disabled_hover_text(crate::tr!("panes-connect-first"))
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
        ui.colored_label(palette.warn, crate::tr!("panes-connect-first"));
    }
    if let Some(e) = error {
        ui.colored_label(palette.error, e.as_str());
    }
}

/// Why the wildcard filters bring no retained message (RabbitMQ keeps them to exact
/// subscriptions); also shown in the Broker pane.
pub fn retained_hint_ui(ui: &mut egui::Ui, hint: &crate::app::sub_watch::RetainedHint) {
    let filters = hint.filters.join(", ");
    let text = if hint.qos_downgraded {
        crate::tr!("sys-retained-rabbitmq", filters = filters.as_str())
    } else {
        crate::tr!("sys-retained-maybe", filters = filters.as_str())
    };
    ui.add(egui::Label::new(egui::RichText::new(text).color(theme::palette(ui).warn)).wrap());
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};

    use super::*;
    use crate::mqtt::ConnectionState;

    type Fixture = (AppState, crate::ui::PaneStates);

    fn harness(dir: &std::path::Path) -> Harness<'static, Fixture> {
        let state = AppState::new(None, dir.to_owned(), 1 << 20);
        let panes = crate::ui::PaneStates::default();
        let mut h = Harness::new_ui_state(
            |ui, (state, p): &mut Fixture| {
                subscriptions_ui(ui, state, &mut p.new_subscription, &mut p.subscription_error)
            },
            (state, panes),
        );
        h.run();
        h
    }

    #[test]
    fn disconnected_asks_to_connect_first() {
        let dir = tempfile::tempdir().unwrap();
        let h = harness(dir.path());
        h.get_by_label("Connect first");
        assert!(h.get_by_label("Subscribe").accesskit_node().is_disabled());
    }

    #[test]
    fn filters_are_added_refused_and_removed_while_connected() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path());
        h.state_mut().0.conn_mut().status = ConnectionState::Connected {
            broker: "mqtt://127.0.0.1:1".into(),
        };
        h.run();
        assert!(h.query_by_label("Connect first").is_none());

        h.get_by_label("Add filter").focus();
        h.run();
        h.get_by_label("Add filter").type_text("sensors#");
        h.run();
        h.get_by_label("Subscribe").click();
        h.run();
        let want = crate::profiles::validate_filter("sensors#").unwrap_err().to_string();
        h.get_by_label(&want);
        assert!(h.state().0.conn().subscriptions.is_empty());

        h.state_mut().1.new_subscription = ("sensors/#".into(), 1);
        h.run();
        h.get_by_label("Subscribe").click();
        h.run();
        let subs = &h.state().0.conn().subscriptions;
        assert_eq!(
            (subs[0].filter.as_str(), subs[0].qos, subs[0].status.as_str()),
            ("sensors/#", 1, "pending")
        );
        assert!(h.state().1.new_subscription.0.is_empty());
        assert!(h.state().1.subscription_error.is_none());
        h.get_by_label("pending");

        h.get_by_label("Remove").click();
        h.run();
        assert!(h.state().0.conn().subscriptions.is_empty());
    }
}
