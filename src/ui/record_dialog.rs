//! The Record dialog: where the active connection's recording goes (a file in
//! `~/topicscope-recordings/` named after the profile and the time, editable), which
//! topics (all unless filters are given) and an optional size limit. Start checks
//! everything and shows what is wrong under the fields instead of closing.

use std::path::PathBuf;

use super::theme;
use crate::app::AppState;
use crate::app::recording::{RecordRequest, default_path};

/// The dialog's fields as typed.
#[derive(Clone, Debug)]
pub struct RecordDialog {
    pub path: String,
    /// Filters separated by spaces (or commas); empty records every topic.
    pub filters: String,
    /// e.g. "500MB"; empty means no limit.
    pub max_size: String,
    pub error: Option<String>,
}

impl RecordDialog {
    /// A dialog for the active connection with its default file.
    pub fn open(state: &AppState) -> Self {
        let path = default_path(&state.conn().name, std::time::SystemTime::now());
        Self {
            path: path.display().to_string(),
            filters: String::new(),
            max_size: String::new(),
            error: None,
        }
    }

    /// The request the fields make, or what is wrong with them.
    pub fn request(&self) -> Result<RecordRequest, String> {
        let filters = self
            .filters
            .split([' ', ',', '\n'])
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect();
        let max_size = match self.max_size.trim() {
            "" => None,
            text => Some(crate::record::size::parse_limit(text)?),
        };
        Ok(RecordRequest {
            path: PathBuf::from(self.path.trim()),
            filters,
            max_size,
        })
    }
}

/// How wide the dialog's fields are.
const FIELD_WIDTH: f32 = 420.0;
/// What the file field leaves for its "Browse…" button, so it ends with the others.
pub(super) const BROWSE_WIDTH: f32 = 80.0;

/// "night.tsrec in /home/me/topicscope-recordings", from the path typed.
fn file_parts(path: &str) -> String {
    let path = std::path::Path::new(path);
    match (path.file_name(), path.parent().filter(|p| !p.as_os_str().is_empty())) {
        (Some(file), Some(folder)) => crate::tr!(
            "rec-win-file-parts",
            file = file.to_string_lossy().into_owned(),
            folder = folder.display().to_string()
        ),
        (Some(file), None) => file.to_string_lossy().into_owned(),
        _ => String::new(),
    }
}

/// Draws the dialog while it is open; starts the recording when asked and closes.
pub fn record_dialog_ui(ctx: &egui::Context, state: &mut AppState, dialog: &mut Option<RecordDialog>) {
    let Some(d) = dialog.as_mut() else { return };
    // While "Browse…" has the file dialog open, this one steps aside (a modal would
    // cover it), and comes back with the path picked.
    if super::file_dialog::is_open(ctx) {
        return;
    }
    let mut start = false;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("record_dialog")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(crate::tr!(
            "rec-win-dialog-title",
            name = crate::app::display_name(&state.conn().name)
        ));
        // Each field's help is a line under it, whole: as a placeholder it was cut at the
        // field's end on a laptop screen, and gone once the user typed.
        let help = |ui: &mut egui::Ui, text: String| {
            ui.label("");
            ui.add(egui::Label::new(egui::RichText::new(text).weak()).wrap());
            ui.end_row();
        };
        egui::Grid::new("record_dialog_grid").num_columns(2).show(ui, |ui| {
            let label = ui.label(crate::tr!("rec-win-file"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut d.path).desired_width(FIELD_WIDTH - BROWSE_WIDTH))
                    .labelled_by(label.id);
                if super::file_dialog::browse_to_save_ui(ui, super::file_dialog::Purpose::RecordTo, &mut d.path) {
                    // A name typed without one gets the recordings' extension (the
                    // Open dialog and `--open` look for it).
                    if std::path::Path::new(&d.path).extension().is_none() {
                        d.path = format!("{}.{}", d.path, crate::app::recording::RECORDING_EXTENSION);
                    }
                    d.error = None;
                }
            });
            ui.end_row();
            // A long folder pushes the file's own name past the field's end: say it.
            help(ui, file_parts(d.path.trim()));
            let label = ui.label(crate::tr!("rec-win-topics"));
            ui.add(
                egui::TextEdit::singleline(&mut d.filters)
                    .hint_text(crate::tr!("rec-win-topics-all"))
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label.id);
            ui.end_row();
            help(ui, crate::tr!("rec-win-topics-hint"));
            let label = ui.label(crate::tr!("rec-win-max-size"));
            ui.add(
                egui::TextEdit::singleline(&mut d.max_size)
                    .hint_text(crate::tr!("rec-win-max-size-none"))
                    .desired_width(FIELD_WIDTH),
            )
            .labelled_by(label.id);
            ui.end_row();
            help(ui, crate::tr!("rec-win-max-size-hint"));
        });
        if let Some(e) = &d.error {
            ui.add(egui::Label::new(egui::RichText::new(e.as_str()).color(theme::palette(ui).error)).wrap());
        }
        ui.horizontal(|ui| {
            start = ui.button(crate::tr!("rec-win-start")).clicked();
            close = ui.button(crate::tr!("chrome-cancel")).clicked();
        });
    });
    close |= modal.should_close();
    if start {
        match d.request().and_then(|r| state.start_recording(&r)) {
            Ok(()) => close = true,
            Err(e) => {
                d.error = Some(e);
                close = false;
            }
        }
    }
    if close {
        *dialog = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_make_a_request_or_say_what_is_wrong() {
        let d = RecordDialog {
            path: " /tmp/x.tsrec ".into(),
            filters: "greenhouse/#, esp32/+/temp".into(),
            max_size: "500MB".into(),
            error: None,
        };
        let r = d.request().unwrap();
        assert_eq!(r.path, PathBuf::from("/tmp/x.tsrec"));
        assert_eq!(r.filters, ["greenhouse/#", "esp32/+/temp"]);
        assert_eq!(r.max_size, Some(500_000_000));
        let bad = RecordDialog {
            max_size: "lots".into(),
            ..d
        };
        assert!(bad.request().unwrap_err().contains("lots"));
    }
}
