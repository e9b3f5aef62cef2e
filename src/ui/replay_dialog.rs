//! The Replay dialog of an opened recording: which saved connection to replay into,
//! the speed (1×, 10×, 60×, as fast as possible), an optional topic prefix, and, when
//! the chosen broker is the one the file was recorded from, the confirmation the user
//! must tick. Start checks everything and shows what is wrong instead of closing.

use super::theme;
use crate::app::AppState;
use crate::app::replay_task::{ReplayRequest, needs_confirmation};
use crate::record::replay::Speed;

/// The speeds offered; `None` is as fast as possible.
const SPEEDS: [Option<u32>; 4] = [Some(1), Some(10), Some(60), None];

/// The dialog's fields.
#[derive(Clone, Debug, Default)]
pub struct ReplayDialog {
    pub profile: Option<String>,
    /// An index into the speeds offered.
    pub speed: usize,
    pub prefix: String,
    pub confirmed: bool,
    pub error: Option<String>,
}

impl ReplayDialog {
    fn speed(&self) -> Speed {
        match SPEEDS.get(self.speed).copied().flatten() {
            Some(f) => Speed::Factor(f64::from(f)),
            None => Speed::Max,
        }
    }
}

fn speed_text(s: Option<u32>) -> String {
    s.map_or_else(|| crate::tr!("rec-replay-win-max"), |f| format!("{f}×"))
}

/// Draws the dialog while it is open; starts the replay when asked and closes.
pub fn replay_dialog_ui(ctx: &egui::Context, state: &mut AppState, dialog: &mut Option<ReplayDialog>) {
    let Some(d) = dialog.as_mut() else { return };
    let Some(p) = &state.conn().playback else {
        *dialog = None;
        return;
    };
    let recorded_from = p.opened.meta.broker_url.clone();
    let names: Vec<String> = state.profiles.list().iter().map(|p| p.name.clone()).collect();
    if let ([only], None) = (names.as_slice(), &d.profile) {
        // One saved connection: nothing to choose.
        d.profile = Some(only.clone());
    }
    let mut start = false;
    let mut close = false;
    // One order below egui's popups: the Broker and Speed lists open over the dialog.
    // (At the popups' own order, the dialog, raised as the top modal, covered them.)
    let area = egui::Modal::default_area(egui::Id::unique("replay_dialog")).order(egui::Order::Middle);
    let modal = egui::Modal::new(egui::Id::unique("replay_dialog"))
        .area(area)
        .show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(crate::tr!("rec-replay-win-title", name = state.conn().name.as_str()));
            egui::Grid::new("replay_dialog_grid").num_columns(2).show(ui, |ui| {
                let label = ui.label(crate::tr!("rec-replay-win-profile"));
                let shown = d.profile.clone().unwrap_or_else(|| crate::tr!("rec-replay-win-choose"));
                egui::ComboBox::from_id_salt("replay_profile")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for n in &names {
                            if ui.selectable_label(d.profile.as_ref() == Some(n), n).clicked() {
                                d.profile = Some(n.clone());
                                d.confirmed = false;
                                // "Choose the broker" is answered.
                                d.error = None;
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(crate::tr!("rec-replay-win-speed"));
                egui::ComboBox::from_id_salt("replay_speed")
                    .selected_text(speed_text(SPEEDS[d.speed.min(SPEEDS.len() - 1)]))
                    .show_ui(ui, |ui| {
                        for (i, s) in SPEEDS.iter().enumerate() {
                            ui.selectable_value(&mut d.speed, i, speed_text(*s));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(crate::tr!("rec-replay-win-prefix"));
                ui.add(
                    egui::TextEdit::singleline(&mut d.prefix)
                        .hint_text(crate::tr!("rec-replay-win-prefix-hint"))
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
            if names.is_empty() {
                ui.weak(crate::tr!("rec-replay-win-no-profiles"));
            }
            let chosen = d.profile.as_ref().and_then(|n| state.profiles.get(n));
            if chosen.is_some_and(|p| needs_confirmation(&recorded_from, p)) {
                let palette = theme::palette(ui);
                ui.colored_label(
                    palette.warn,
                    crate::tr!("rec-replay-win-same-broker", broker = recorded_from.as_str()),
                );
                ui.checkbox(
                    &mut d.confirmed,
                    crate::tr!("rec-replay-win-confirm", broker = recorded_from.as_str()),
                );
            }
            if let Some(e) = &d.error {
                ui.add(egui::Label::new(egui::RichText::new(e.as_str()).color(theme::palette(ui).error)).wrap());
            }
            ui.horizontal(|ui| {
                start = ui.button(crate::tr!("rec-replay-win-start")).clicked();
                close = ui.button(crate::tr!("chrome-cancel")).clicked();
            });
        });
    close |= modal.should_close();
    if start {
        let result = match &d.profile {
            None => Err(crate::tr!("rec-replay-win-pick")),
            Some(name) => state.start_replay(&ReplayRequest {
                profile: name.clone(),
                speed: d.speed(),
                topic_prefix: Some(d.prefix.trim().to_owned()),
                same_broker_confirmed: d.confirmed,
            }),
        };
        match result {
            Ok(()) => close = true,
            Err(e) => {
                d.error = Some(e);
                close = false;
            }
        }
    }
    if close {
        *dialog = None;
    }
}
