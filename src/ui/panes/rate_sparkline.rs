//! The inspector's last minute of a topic: one bar a second and the mean rate, from the
//! receive times of its kept messages (computed for the selected topic only).

use crate::app::AppState;
use crate::model::NodeId;
use crate::model::rate::PerSecond;
use crate::ui::theme;

/// Seconds shown.
const SECONDS: usize = 60;
/// Size of the bars' area.
const SIZE: egui::Vec2 = egui::vec2(180.0, 22.0);

/// "Last minute ▁▂▅▇ 12/s" for topic `id`; nothing for a topic with no message in it.
pub fn sparkline_ui(ui: &mut egui::Ui, state: &AppState, id: NodeId) {
    let model = &state.conn().model;
    let node = model.tree().node(id);
    let kept = model.history().len(id);
    let all_kept = kept as u64 >= node.own_messages();
    // An opened recording's bars are those of the minute before its moment.
    let now = state.clock();
    let per = PerSecond::of(model.history().messages(id).map(|m| m.time()), now, SECONDS, all_kept);
    if per.counts.iter().all(|c| *c == 0) {
        return;
    }
    // The bars move with the clock.
    crate::app::redraw::after(ui.ctx(), std::time::Duration::from_secs(1));
    ui.horizontal(|ui| {
        ui.weak(crate::tr!("rate-last-minute"));
        let (rect, response) = ui.allocate_exact_size(SIZE, egui::Sense::hover());
        let painter = ui.painter_at(rect);
        let palette = theme::palette(ui);
        painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
        let max = per.counts.iter().copied().max().unwrap_or(1).max(1) as f32;
        let w = rect.width() / SECONDS as f32;
        for (i, c) in per.counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let h = (rect.height() - 2.0) * (*c as f32 / max);
            let x = rect.left() + i as f32 * w;
            let bar = egui::Rect::from_min_max(
                egui::pos2(x, rect.bottom() - 1.0 - h),
                egui::pos2(x + w.max(1.0), rect.bottom() - 1.0),
            );
            painter.rect_filled(bar, 0.0, palette.count);
        }
        response.on_hover_text(crate::tr!(
            "rate-last-minute-hover",
            max = per.counts.iter().copied().max().unwrap_or(0)
        ));
        let mean = crate::model::render::rate_text(per.mean());
        if per.complete {
            ui.label(crate::tr!("rate-mean", rate = mean));
        } else {
            // Older messages were dropped by the history budget: the mean is a floor.
            ui.label(crate::tr!("rate-mean-at-least", rate = mean));
        }
    });
}
