//! The bottom line: connection, rate, totals, memory, and anything shed or failed.

use std::time::{Duration, Instant};

use super::{format, theme};
use crate::app::AppState;
use crate::mqtt::ConnectionState;

/// How long a notice stays in the status bar.
const NOTICE_SECS: u64 = 10;

pub fn status_bar_ui(ui: &mut egui::Ui, state: &mut AppState) {
    let now = Instant::now();
    let rate = state.conn_mut().stats.rate.per_sec(now);
    let palette = theme::palette(ui);
    ui.horizontal_wrapped(|ui| {
        let c = state.conn();
        let conn = match &c.status {
            // A recording opened from a file never connects: say what it is instead.
            _ if c.playback.is_some() => crate::tr!("chrome-status-recording-file"),
            ConnectionState::Connected { .. } => crate::tr!("chrome-status-connected"),
            ConnectionState::Connecting { .. } => crate::tr!("chrome-status-connecting"),
            ConnectionState::Reconnecting { .. } => crate::tr!("chrome-status-reconnecting"),
            ConnectionState::Disconnected { .. } => crate::tr!("chrome-status-disconnected"),
        };
        ui.label(crate::tr!(
            "chrome-status-connection",
            name = crate::app::display_name(&c.name),
            state = conn
        ));
        ui.separator();
        // A recording's messages come as fast as it is read (a seek reads thousands at
        // once): that rate says nothing about the broker, so it is not shown.
        if c.playback.is_none() {
            ui.label(crate::tr!("chrome-status-rate", n = rate.round() as u64));
            ui.separator();
        }
        ui.label(crate::tr!("chrome-status-messages", n = c.model.total_messages()));
        ui.separator();
        ui.label(crate::tr!("topic-count", n = c.model.tree().topic_count()));
        ui.separator();
        let h = c.model.history();
        ui.label(crate::tr!(
            "chrome-status-history",
            used = format::bytes(h.used_bytes() as u64),
            budget = format::bytes(h.budget_bytes() as u64)
        ))
        .on_hover_text(crate::tr!(
            "chrome-status-history-hover",
            kept = h.total_len(),
            dropped = h.evicted_count()
        ));
        if let Some(buf) = &c.paused {
            ui.separator();
            ui.colored_label(palette.warn, crate::tr!("chrome-status-paused", n = buf.messages.len()));
        }
        if c.stats.shed_messages > 0 {
            ui.separator();
            ui.colored_label(
                palette.error,
                crate::tr!("chrome-status-shed", n = c.stats.shed_messages),
            );
        }
        if c.stats.publish_failures > 0 {
            ui.separator();
            ui.colored_label(
                palette.error,
                crate::tr!("chrome-status-publish-failures", n = c.stats.publish_failures),
            );
        }
        state
            .notices
            .retain(|n| now.duration_since(n.at) < Duration::from_secs(NOTICE_SECS * 6));
        if let Some(crate::app::Notice { at: t, text, .. }) = state.notices.last()
            && now.duration_since(*t) < Duration::from_secs(NOTICE_SECS)
        {
            ui.separator();
            // One line: a long notice is cut to the room left on the bar's line, whole on
            // hover (and in the toast); only a bar already full wraps it to a new line.
            let label = egui::Label::new(egui::RichText::new(text.as_str()).color(palette.warn)).truncate();
            let room = ui.available_size_before_wrap().x;
            if room >= 160.0 {
                ui.allocate_ui(egui::vec2(room, ui.spacing().interact_size.y), |ui| {
                    ui.add(label).on_hover_text(text.as_str());
                });
            } else {
                ui.add(label).on_hover_text(text.as_str());
            }
            crate::app::redraw::after(ui.ctx(), Duration::from_secs(NOTICE_SECS) - now.duration_since(*t));
        }
    });
    if rate > 0.0 {
        // Let the rate fall back to zero when traffic stops.
        crate::app::redraw::after(ui.ctx(), state.conn().stats.rate.next_change_in(now));
    }
}
