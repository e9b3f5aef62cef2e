//! The time bar over an opened recording: play/pause, step to the next message, the
//! speed, a slider over the recording's first to last message with the moment's date
//! and time, and the reading progress while the state at a moment is rebuilt.

use super::replay_dialog::ReplayDialog;
use super::{format, theme};
use crate::app::AppState;
use crate::app::playback::SPEEDS;
use crate::record::schema::system_time;

pub fn time_bar_ui(ui: &mut egui::Ui, state: &mut AppState, replay: &mut Option<ReplayDialog>) {
    let Some(p) = &state.conn().playback else { return };
    let (first, last) = p.span();
    let (position, playing, speed, loading) = (p.position_us, p.playing, p.speed, p.loading);
    let error = p.error.clone();
    let replaying = p.replay.as_ref().map(|t| (t.target.clone(), t.counts()));
    let mut stop_replay = false;
    let mut seek = None;
    let mut toggle = false;
    let mut step = false;
    let mut new_speed = None;
    ui.horizontal(|ui| {
        let (text, hover) = if playing {
            ("⏸", crate::tr!("rec-open-pause"))
        } else {
            ("▶", crate::tr!("rec-open-play"))
        };
        toggle = ui.button(text).on_hover_text(hover).clicked();
        step = ui.button("⏭").on_hover_text(crate::tr!("rec-open-step")).clicked();
        let label = ui.label(crate::tr!("rec-open-speed"));
        egui::ComboBox::from_id_salt("playback_speed")
            .selected_text(format!("{speed}×"))
            .width(64.0)
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    if ui.selectable_label(s == speed, format!("{s}×")).clicked() {
                        new_speed = Some(s);
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.label(format::date_time(system_time(position)));
        let span_secs = (last - first) as f64 / 1e6;
        let mut secs = (position - first) as f64 / 1e6;
        let label = ui.label(crate::tr!("rec-open-moment"));
        let width = (ui.available_width() - 160.0).max(120.0);
        ui.spacing_mut().slider_width = width;
        let slider = ui
            .add(
                egui::Slider::new(&mut secs, 0.0..=span_secs.max(0.0))
                    .show_value(false)
                    .smart_aim(false),
            )
            .labelled_by(label.id);
        // A drag seeks when let go (the file is read once, not at every pixel); a click
        // or the keys seek at once.
        if (slider.changed() && !slider.dragged()) || slider.drag_stopped() {
            seek = Some(first + (secs * 1e6) as i64);
        }
        ui.label(format::duration(std::time::Duration::from_micros(
            (last - first).max(0) as u64,
        )));
        if let Some((done, total)) = loading {
            let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(100.0)
                    .text(crate::tr!("rec-open-loading")),
            );
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
        }
        if let Some(e) = error {
            ui.colored_label(theme::palette(ui).error, "⚠").on_hover_text(e);
        }
    });
    ui.horizontal(|ui| match &replaying {
        Some((target, (sent, total))) => {
            let fraction = if *total == 0 { 0.0 } else { *sent as f32 / *total as f32 };
            ui.add(egui::ProgressBar::new(fraction).desired_width(240.0).text(crate::tr!(
                "rec-replay-win-progress",
                name = target.as_str(),
                sent = *sent,
                total = *total
            )));
            stop_replay = ui.button(crate::tr!("rec-replay-win-stop")).clicked();
        }
        None => {
            if ui.button(crate::tr!("rec-replay-win-button")).clicked() {
                *replay = Some(ReplayDialog::default());
            }
        }
    });
    if stop_replay {
        state.stop_replay();
    }
    if let Some(s) = new_speed {
        state.set_play_speed(s);
    }
    if let Some(t) = seek {
        state.seek_recording(t);
    }
    if toggle {
        state.toggle_play();
    }
    if step {
        state.step_recording();
    }
}
