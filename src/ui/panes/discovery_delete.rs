//! Deleting discovery configs: a confirmation that lists every config topic that will be
//! cleared, then an empty retained message on each (Home Assistant's way of removing an
//! entity), sent through the app's normal publish path so each shows in the publish
//! history with its outcome. Refused, in words, while the connection is down.

use bytes::Bytes;

use crate::app::AppState;

/// The greatest height of the topic list in the dialog; longer lists scroll.
const LIST_HEIGHT: f32 = 260.0;

/// Config topics waiting for the user's confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRequest {
    /// What is deleted, for the dialog's title: an entity, a device, or all orphans.
    pub what: String,
    pub topics: Vec<String>,
}

impl DeleteRequest {
    pub fn new(what: String, topics: Vec<String>) -> Self {
        Self { what, topics }
    }
}

/// Shows the confirmation while `pending` holds a request; returns true when the configs
/// were sent (the caller then reads the tree afresh).
pub fn confirm_ui(ctx: &egui::Context, state: &mut AppState, pending: &mut Option<DeleteRequest>) -> bool {
    let Some(request) = pending.as_ref() else {
        return false;
    };
    let connected = state.connection_active();
    let mut decision = None;
    let modal = egui::Modal::new(egui::Id::unique("discovery_delete")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(crate::tr!("ha-delete-title", what = request.what.as_str()));
        ui.label(crate::tr!("ha-delete-explain", n = request.topics.len()));
        egui::ScrollArea::vertical()
            .max_height(LIST_HEIGHT)
            .id_salt("discovery_delete_list")
            .show(ui, |ui| {
                for t in &request.topics {
                    ui.monospace(t.as_str());
                }
            });
        if !connected {
            ui.colored_label(crate::ui::theme::palette(ui).error, crate::tr!("ha-delete-offline"));
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    connected,
                    egui::Button::new(crate::tr!("ha-delete-do", n = request.topics.len())),
                )
                .clicked()
            {
                decision = Some(true);
            }
            if ui.button(crate::tr!("chrome-cancel")).clicked() {
                decision = Some(false);
            }
        });
    });
    if modal.should_close() {
        decision = decision.or(Some(false));
    }
    let Some(go) = decision else {
        return false;
    };
    let Some(request) = pending.take() else {
        return false;
    };
    if !go {
        return false;
    }
    let mut sent = 0usize;
    for topic in &request.topics {
        // QoS 1: a removal lost on the way would leave the orphan in place unseen.
        match state.publish(topic, Bytes::new(), 1, true, "text", None) {
            Ok(_) => sent += 1,
            Err(e) => state.error(crate::tr!(
                "ha-delete-failed",
                topic = topic.as_str(),
                reason = e.as_str()
            )),
        }
    }
    if sent > 0 {
        state.notice(crate::tr!("ha-deleted", n = sent));
    }
    sent > 0
}
