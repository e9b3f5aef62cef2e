//! The inspector's "Rebirth" button on a Sparkplug B topic: asks the edge node to send
//! its NBIRTH (and its devices' DBIRTHs) again, so metrics sent by alias get their
//! names, by publishing Node Control/Rebirth = true on `spBv1.0/<group>/NCMD/<node>`
//! through the normal publish path.

use crate::app::AppState;
use crate::model::decode::sparkplug::SparkplugTopic;
use crate::model::sparkplug_registry::rebirth_command;
use crate::tr;

/// Draws the button when `topic` is a Sparkplug B node or device topic.
pub fn rebirth_ui(ui: &mut egui::Ui, state: &mut AppState, topic: &str) {
    let Some(node) = SparkplugTopic::parse(topic).map(|t| t.edge_node.to_owned()) else {
        return;
    };
    let now_ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    let Some((cmd_topic, payload)) = rebirth_command(topic, now_ms) else {
        return;
    };
    let clicked = ui
        .button(tr!("proto-rebirth"))
        .on_hover_text(tr!(
            "proto-rebirth-tip",
            node = node.as_str(),
            topic = cmd_topic.as_str()
        ))
        .clicked();
    if !clicked {
        return;
    }
    let sent = payload
        .map_err(|e| e.to_string())
        .and_then(|bytes| state.publish(&cmd_topic, bytes.into(), 0, false, "hex", None));
    match sent {
        Ok(_) => state.notice(tr!("proto-rebirth-sent", node = node.as_str())),
        Err(e) => state.error(e),
    }
}
