//! The Record button of the connection bar and, while the active connection records,
//! in its place the indicator: a red dot, the file's name, its size on disk, the
//! messages per second recorded, what the disk could not keep up with, and Stop.

use std::time::Instant;

use super::commands::Action;
use super::{format, theme};
use crate::app::AppState;

pub fn record_control_ui(ui: &mut egui::Ui, state: &mut AppState, actions: &mut Vec<Action>) {
    let now = Instant::now();
    let palette = theme::palette(ui);
    let active = state.conn().active();
    let Some(rec) = state.conn_mut().recording.as_mut() else {
        if active
            && ui
                .button(crate::tr!("rec-win-record-button"))
                .on_hover_text(crate::tr!("rec-win-record-hover"))
                .clicked()
        {
            actions.push(Action::Record);
        }
        return;
    };
    let rate = rec.per_sec(now);
    let stats = rec.stats();
    let path = rec.path().to_owned();
    let file = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| short_name(&n.to_string_lossy()));
    let (dot, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().circle_filled(dot.center(), 5.0, palette.error);
    let text = crate::tr!(
        "rec-win-indicator",
        file = file,
        size = format::bytes(stats.file_bytes),
        rate = format::rate(rate)
    );
    let mut hover = crate::tr!(
        "rec-win-indicator-hover",
        path = crate::i18n::shown(path.display()),
        n = stats.messages
    );
    if stats.deleted > 0 {
        hover.push('\n');
        hover.push_str(&crate::tr!("rec-win-indicator-deleted", n = stats.deleted));
    }
    ui.label(text).on_hover_text(hover);
    if stats.dropped > 0 {
        ui.colored_label(palette.error, crate::tr!("rec-win-dropped", n = stats.dropped))
            .on_hover_text(crate::tr!("rec-win-dropped-hover"));
    }
    if stats.too_large > 0 {
        ui.colored_label(palette.error, crate::tr!("rec-win-too-large", n = stats.too_large))
            .on_hover_text(crate::tr!("rec-win-too-large-hover"));
    }
    if ui.button(crate::tr!("rec-win-stop")).clicked() {
        actions.push(Action::StopRecording);
    }
}

/// A file name short enough for the top bar to stay one row at 1024 px (the whole
/// path is in the hover): the start and the end, where the default name's time and
/// the extension are. "command_line-20261202-181500.tsrec" → "comman…-181500.tsrec".
fn short_name(name: &str) -> String {
    const HEAD: usize = 6;
    const TAIL: usize = 13;
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= HEAD + TAIL + 1 {
        return name.to_owned();
    }
    let head: String = chars[..HEAD].iter().collect();
    let tail: String = chars[chars.len() - TAIL..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn a_long_file_name_keeps_its_start_and_its_time_and_extension() {
        assert_eq!(short_name("greenhouse.tsrec"), "greenhouse.tsrec");
        assert_eq!(short_name("command_line-20261202-181500.tsrec"), "comman…-181500.tsrec");
        assert_eq!(
            short_name("演示设备群-20261202-181500.tsrec"),
            "演示设备群-…-181500.tsrec"
        );
        assert_eq!(short_name("exactly-twenty-chars"), "exactly-twenty-chars");
    }
}
