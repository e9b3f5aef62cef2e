//! Saved commands the demo connection starts with, so the Commands pane has something
//! to show and to send: the fleet's own command topics, with the replies its devices
//! really give (Tasmota answers on `stat/…/POWER`, ESPHome on `…/state`). Their names
//! are the demo's words, in the interface language it starts in.

use crate::model::saved_command::{ReplyWait, SavedCommand};

fn command(collection: &str, name: &str, topic: &str, payload: &str, reply: &str) -> SavedCommand {
    SavedCommand {
        name: name.to_owned(),
        collection: collection.to_owned(),
        topic: topic.to_owned(),
        payload: payload.to_owned(),
        format: if payload.starts_with('{') { "json" } else { "text" }.to_owned(),
        qos: 1,
        reply: Some(ReplyWait {
            topic: reply.to_owned(),
            timeout_secs: 5,
        }),
        ..SavedCommand::default()
    }
}

/// The demo's saved commands.
pub fn example_commands() -> Vec<SavedCommand> {
    let plug_cmd = format!("cmnd/{}/POWER", super::tasmota::NAME);
    let plug_stat = format!("stat/{}/POWER", super::tasmota::NAME);
    let pump_cmd = format!("{}/switch/pump/command", super::greenhouse::NAME);
    let pump_state = format!("{}/switch/pump/state", super::greenhouse::NAME);
    let led_set = format!("esp32/{}/led/set", super::board::IDS[0]);
    let led_state = format!("esp32/{}/led/state", super::board::IDS[0]);
    let greenhouse = crate::tr!("cmd-demo-greenhouse");
    let mut list = vec![
        command(
            &greenhouse,
            &crate::tr!("cmd-demo-pump-on"),
            &pump_cmd,
            "ON",
            &pump_state,
        ),
        command(
            &greenhouse,
            &crate::tr!("cmd-demo-pump-off"),
            &pump_cmd,
            "OFF",
            &pump_state,
        ),
        command(
            &crate::tr!("cmd-demo-plug"),
            &crate::tr!("cmd-demo-toggle"),
            &plug_cmd,
            "TOGGLE",
            &plug_stat,
        ),
        command(
            "ESP32",
            &crate::tr!("cmd-demo-led-colour"),
            &led_set,
            r#"{"state":"ON","color":{"r":{{red}},"g":{{green}},"b":{{blue}}}}"#,
            &led_state,
        ),
    ];
    list[0].shortcut = Some("Alt+1".into());
    list[1].shortcut = Some("Alt+2".into());
    list[2].shortcut = Some("Alt+T".into());
    list[3].values = [("red", "255"), ("green", "80"), ("blue", "0")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    list
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn the_examples_are_valid_and_prepare() {
        let list = example_commands();
        crate::model::saved_command::validate_commands(&list).unwrap();
        for c in &list {
            let p = c
                .prepare(1, &BTreeMap::new(), false)
                .unwrap_or_else(|e| panic!("{}: {e}", c.name));
            assert!(p.reply.is_some(), "{}", c.name);
        }
    }
}
