//! A device's availability timeline in its Devices row: one thin bar over the last hour
//! (up to six as the connection ages), green where it was online or reporting, red
//! offline, amber silent, grey before anything was heard; the hover says which.

use std::time::Duration;

use crate::model::devices::timeline::{self, SpanState};
use crate::model::devices::{Device, HealthRules};
use crate::ui::{format, theme};

const BAR_HEIGHT: f32 = 6.0;
const BAR_MAX_WIDTH: f32 = 360.0;

fn state_text(s: SpanState) -> String {
    match s {
        SpanState::Online => crate::tr!("dev-online"),
        SpanState::Offline => crate::tr!("dev-offline"),
        SpanState::Silent => crate::tr!("dev-silent"),
        SpanState::Unknown => crate::tr!("dev-timeline-unknown"),
    }
}

pub fn timeline_ui(ui: &mut egui::Ui, d: &Device, now: f64, rules: &HealthRules) {
    let Some(first) = d.timeline.first() else { return };
    // At least an hour, at most what is kept, in whole hours.
    let hours = ((now - first) / 3600.0)
        .ceil()
        .clamp(1.0, (timeline::MINUTES / 60) as f64);
    let minutes = hours as u64 * 60;
    let palette = theme::palette(ui);
    let unknown = ui.visuals().widgets.inactive.bg_fill;
    let colour = |s: SpanState| match s {
        SpanState::Online => palette.ok,
        SpanState::Offline => palette.error,
        SpanState::Silent => palette.warn,
        SpanState::Unknown => unknown,
    };
    ui.horizontal(|ui| {
        ui.weak(crate::tr!("dev-timeline-ago", hours = hours as u64));
        let width = (ui.available_width() - 60.0).clamp(60.0, BAR_MAX_WIDTH);
        let (rect, response) = ui.allocate_exact_size(egui::vec2(width, BAR_HEIGHT), egui::Sense::hover());
        // A row scrolled out of sight keeps its place but reads no minutes.
        if !ui.is_rect_visible(rect) {
            return;
        }
        let spans = d.timeline.spans(now, minutes, rules.silent_after(d));
        let start = now - (minutes * 60) as f64;
        let x = |t: f64| rect.left() + ((t - start) / (now - start)) as f32 * rect.width();
        for s in &spans {
            let r = egui::Rect::from_x_y_ranges(x(s.from)..=x(s.to).max(x(s.from) + 1.0), rect.y_range());
            ui.painter().rect_filled(r, 0.0, colour(s.state));
        }
        ui.weak(crate::tr!("dev-timeline-now"));
        response.on_hover_ui(|ui| {
            for s in spans.iter().rev().take(12) {
                ui.label(crate::tr!(
                    "dev-timeline-span",
                    from = format::clock(at(s.from)),
                    to = format::clock(at(s.to)),
                    state = state_text(s.state)
                ));
            }
        });
    });
}

fn at(secs: f64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0))
}
