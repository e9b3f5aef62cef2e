//! The last request/reply round trips of a connection: what was sent, the reply (or the
//! wait that ran out) and how long it took.

use crate::app::Connection;
use crate::app::replies::ReplyOutcome;
use crate::ui::theme;

/// Characters of a reply's payload shown.
const PREVIEW_CHARS: usize = 48;

/// Replies waited for and received; nothing when there were none.
pub fn replies_ui(ui: &mut egui::Ui, conn: &Connection) {
    let waiting = conn.replies.waiting_count();
    if conn.replies.done.is_empty() && waiting == 0 {
        return;
    }
    let palette = theme::palette(ui);
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
            for (i, r) in conn.replies.done.iter().enumerate() {
                ui.push_id(i, |ui| {
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
                });
            }
        });
}
