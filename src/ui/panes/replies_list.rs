//! The last request/reply round trips of a connection: what was sent, the reply (or the
//! wait that ran out) and how long it took.

use crate::app::Connection;
use crate::app::replies::{ReplyOutcome, ReplyRecord};
use crate::ui::theme;

/// Characters of a reply's payload shown.
const PREVIEW_CHARS: usize = 48;

/// Replies waited for and received; nothing when there were none. `max_height`: the
/// list scrolls beyond it.
pub fn replies_ui(ui: &mut egui::Ui, conn: &Connection, max_height: Option<f32>) {
    let waiting = conn.replies.waiting_count();
    if conn.replies.done.is_empty() && waiting == 0 {
        return;
    }
    let title = crate::tr!("cmd-replies", n = conn.replies.done.len());
    egui::CollapsingHeader::new(title)
        .id_salt("replies")
        .default_open(true)
        .show(ui, |ui| {
            if waiting > 0 {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(crate::tr!("cmd-replies-waiting", n = waiting));
                });
            }
            egui::ScrollArea::vertical()
                .id_salt("replies_scroll")
                .max_height(max_height.unwrap_or(f32::INFINITY))
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (i, r) in conn.replies.done.iter().enumerate() {
                        ui.push_id(i, |ui| row_ui(ui, r));
                    }
                });
        });
}

/// One request: when, what, and the reply with its round trip or the wait that ran out.
/// Each part is its own label, so a narrow pane wraps between them, not inside a number.
fn row_ui(ui: &mut egui::Ui, r: &ReplyRecord) {
    let palette = theme::palette(ui);
    ui.horizontal_wrapped(|ui| {
        ui.monospace(crate::ui::format::clock(r.sent_at));
        ui.strong(r.label.as_str());
        match &r.outcome {
            ReplyOutcome::Reply {
                topic,
                payload,
                round_trip,
            } => {
                ui.colored_label(
                    palette.ok,
                    crate::tr!("cmd-reply-in", ms = round_trip.as_millis() as u64),
                );
                ui.weak(topic.as_str());
                ui.label(crate::model::preview(payload, PREVIEW_CHARS));
            }
            ReplyOutcome::TimedOut { after } => {
                ui.colored_label(
                    palette.error,
                    crate::tr!("cmd-reply-none", secs = after.as_secs(), filter = r.filter.as_str()),
                );
            }
        }
    });
}
