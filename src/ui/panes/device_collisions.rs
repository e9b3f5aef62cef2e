//! Client-id collisions in the Devices pane: the header's count, one warning line per
//! active collision above the rows (a client id that matches no device is still shown),
//! and the warning on each affected device's row. The verdicts come from
//! [`crate::model::devices::collisions`]; this only words them.

use std::time::{Duration, UNIX_EPOCH};

use crate::model::devices::{Collision, Collisions, Device, Evidence};
use crate::ui::{format, theme};

fn clock(secs: f64) -> String {
    format::clock(UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0)))
}

/// The suspected pair in words: "pump-a, pump-b".
fn pair(c: &Collision) -> String {
    c.devices.join(", ")
}

/// The header's count, when there is any collision.
pub fn count_ui(ui: &mut egui::Ui, collisions: &Collisions, now: f64) {
    let n = collisions.active(now).len();
    if n > 0 {
        let colour = theme::palette(ui).error;
        ui.colored_label(colour, format!("⚠ {}", crate::tr!("dev-count-collisions", n = n)));
    }
}

/// One line per active collision, with what to do about it.
pub fn list_ui(ui: &mut egui::Ui, collisions: &Collisions, now: f64) {
    let active = collisions.active(now);
    if active.is_empty() {
        return;
    }
    let rules = collisions.rules();
    let window = format::duration(Duration::from_secs_f64(rules.window_secs));
    let palette = theme::palette(ui);
    for c in &active {
        let n = c.takeovers_within(now, rules.window_secs);
        let text = match c.evidence {
            Evidence::LastWillsInStep => crate::tr!(
                "dev-collision-line-suspected",
                pair = pair(c),
                n = n,
                window = window.as_str(),
                last = clock(c.last_secs)
            ),
            Evidence::MosquittoLog | Evidence::EmqxEvent | Evidence::EmbeddedBroker => crate::tr!(
                "dev-collision-line",
                id = c.label(),
                n = n,
                window = window.as_str(),
                first = clock(c.first_secs),
                last = clock(c.last_secs),
                source = source_text(c.evidence)
            ),
        };
        let colour = if c.evidence.suspected() {
            palette.warn
        } else {
            palette.error
        };
        ui.colored_label(colour, format!("⚠ {text}"))
            .on_hover_text(crate::tr!("dev-collision-hint"));
    }
    ui.separator();
}

fn source_text(e: Evidence) -> String {
    match e {
        Evidence::MosquittoLog => crate::tr!("dev-collision-source-mosquitto"),
        Evidence::EmqxEvent => crate::tr!("dev-collision-source-emqx"),
        Evidence::EmbeddedBroker => crate::tr!("dev-collision-source-embedded"),
        Evidence::LastWillsInStep => String::new(),
    }
}

/// The warning on a device's row, when a collision concerns it.
pub fn row_ui(ui: &mut egui::Ui, collisions: &Collisions, d: &Device, now: f64) {
    let Some(c) = collisions.for_device(&d.name, &d.id, now) else {
        return;
    };
    let palette = theme::palette(ui);
    let (text, colour) = match c.evidence {
        Evidence::LastWillsInStep => (crate::tr!("dev-collision-row-suspected", pair = pair(c)), palette.warn),
        _ => (crate::tr!("dev-collision-row", id = c.label()), palette.error),
    };
    ui.colored_label(colour, format!("⚠ {text}"))
        .on_hover_text(crate::tr!("dev-collision-hint"));
}
