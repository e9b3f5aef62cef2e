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
            ConnectionState::Connected { .. } => "connected",
            ConnectionState::Connecting { .. } => "connecting",
            ConnectionState::Reconnecting { .. } => "reconnecting",
            ConnectionState::Disconnected { .. } => "disconnected",
        };
        ui.label(format!("{}: {conn}", crate::app::display_name(&c.name)));
        ui.separator();
        ui.label(format!("{} msg/s", format::thousands(rate.round() as u64)));
        ui.separator();
        ui.label(format!("{} messages", format::thousands(c.model.total_messages())));
        ui.separator();
        ui.label(format!(
            "{} topics",
            format::thousands(c.model.tree().topic_count() as u64)
        ));
        ui.separator();
        let h = c.model.history();
        ui.label(format!(
            "history {} / {}",
            format::bytes(h.used_bytes() as u64),
            format::bytes(h.budget_bytes() as u64)
        ))
        .on_hover_text(format!(
            "{} messages kept; {} older ones dropped to stay within the budget (every topic keeps its newest)",
            format::thousands(h.total_len() as u64),
            format::thousands(h.evicted_count())
        ));
        if let Some(buf) = &c.paused {
            ui.separator();
            ui.colored_label(
                palette.warn,
                format!("paused: {} new", format::thousands(buf.messages.len() as u64)),
            );
        }
        if c.stats.shed_messages > 0 {
            ui.separator();
            ui.colored_label(
                palette.error,
                format!("{} shed while paused", format::thousands(c.stats.shed_messages)),
            );
        }
        if c.stats.publish_failures > 0 {
            ui.separator();
            ui.colored_label(palette.error, format!("{} publishes failed", c.stats.publish_failures));
        }
        state
            .notices
            .retain(|n| now.duration_since(n.at) < Duration::from_secs(NOTICE_SECS * 6));
        if let Some(crate::app::Notice { at: t, text, .. }) = state.notices.last()
            && now.duration_since(*t) < Duration::from_secs(NOTICE_SECS)
        {
            ui.separator();
            ui.colored_label(palette.warn, text);
            ui.ctx()
                .request_repaint_after(Duration::from_secs(NOTICE_SECS) - now.duration_since(*t));
        }
    });
    if rate > 0.0 {
        // Let the rate fall back to zero when traffic stops.
        ui.ctx()
            .request_repaint_after(state.conn().stats.rate.next_change_in(now));
    }
}
