//! The tree's "Export messages…": the messages the history keeps for a topic and the
//! topics below it, to JSON Lines or CSV, in a file (by default in
//! `~/topicscope-recordings/`, named after the topic and the time).
//!
//! The dialog lives in egui's memory, as the file dialog does, so the tree's context
//! menu opens it with [`open`] and the window draws it with [`export_dialog_ui`]
//! without new plumbing between the panes.

use std::path::PathBuf;

use super::theme;
use crate::app::AppState;
use crate::app::export::{default_export_path, default_range, moment_text, parse_moment};
use crate::record::export::ExportFormat;

const DIALOG_ID: &str = "topicscope_export_dialog";

/// The dialog's fields.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    /// The topic whose subtree is exported.
    pub topic: String,
    /// Messages kept for it when the dialog opened.
    pub kept: usize,
    pub format: ExportFormat,
    pub path: String,
    /// From and to (both included), as typed; empty is no bound.
    pub from: String,
    pub to: String,
    pub error: Option<String>,
    /// The file the user agreed to write over ("Replace it", or the file dialog's own
    /// question when it was picked with Browse…).
    pub replace: Option<PathBuf>,
    /// The file the user was told exists (then "Replace it" shows).
    pub exists: Option<PathBuf>,
}

fn id() -> egui::Id {
    egui::Id::unique(DIALOG_ID)
}

/// Opens the dialog for `topic` of the active connection.
pub fn open(ctx: &egui::Context, state: &AppState, topic: &str) {
    let model = &state.conn().model;
    let tree = model.tree();
    let kept = tree
        .find(topic)
        .map_or(0, |n| tree.iter_subtree(n).map(|d| model.history().len(d)).sum());
    let format = ExportFormat::Jsonl;
    let path = default_export_path(topic, format, std::time::SystemTime::now());
    let (from, to) = default_range(state, topic);
    let dialog = ExportDialog {
        topic: topic.to_owned(),
        kept,
        format,
        path: path.display().to_string(),
        from: from.map(moment_text).unwrap_or_default(),
        to: to.map(moment_text).unwrap_or_default(),
        error: None,
        replace: None,
        exists: None,
    };
    ctx.data_mut(|d| d.insert_temp(id(), Some(dialog)));
}

/// The open dialog, if any (the tests read it).
pub fn current(ctx: &egui::Context) -> Option<ExportDialog> {
    ctx.data(|d| d.get_temp::<Option<ExportDialog>>(id())).flatten()
}

/// True while the dialog is open.
pub fn is_open(ctx: &egui::Context) -> bool {
    current(ctx).is_some()
}

/// The file name with the format's extension, when it still has the other one.
fn switch_extension(path: &str, format: ExportFormat) -> String {
    let p = PathBuf::from(path);
    let other = match format {
        ExportFormat::Jsonl => ExportFormat::Csv,
        ExportFormat::Csv => ExportFormat::Jsonl,
    };
    if p.extension().is_some_and(|e| e == other.extension()) {
        p.with_extension(format.extension()).display().to_string()
    } else {
        path.to_owned()
    }
}

/// Draws the dialog while open; exports when asked and closes once done.
pub fn export_dialog_ui(ctx: &egui::Context, state: &mut AppState) {
    let Some(mut d) = current(ctx) else { return };
    // "Browse…" has the file dialog open: step aside until it closes (see the Record
    // dialog).
    if super::file_dialog::is_open(ctx) {
        return;
    }
    let (mut export, mut replace, mut close) = (false, false, false);
    let modal = egui::Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(crate::tr!("rec-export-title", topic = d.topic.as_str()));
        ui.label(crate::tr!("rec-export-count", n = d.kept));
        ui.horizontal(|ui| {
            ui.label(crate::tr!("rec-export-format"));
            let before = d.format;
            // Format names, the same in every language.
            ui.radio_value(&mut d.format, ExportFormat::Jsonl, "JSON Lines")
                .on_hover_text(crate::tr!("rec-export-jsonl-hover"));
            ui.radio_value(&mut d.format, ExportFormat::Csv, "CSV")
                .on_hover_text(crate::tr!("rec-export-csv-hover"));
            if d.format != before {
                d.path = switch_extension(&d.path, d.format);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("rec-export-file"));
            ui.add(egui::TextEdit::singleline(&mut d.path).desired_width(420.0 - super::record_dialog::BROWSE_WIDTH))
                .labelled_by(label.id);
            if super::file_dialog::browse_to_save_ui(ui, super::file_dialog::Purpose::ExportTo, &mut d.path) {
                // A name typed without an extension gets the format's.
                if PathBuf::from(d.path.trim()).extension().is_none() {
                    d.path = format!("{}.{}", d.path.trim(), d.format.extension());
                }
                // The file dialog asked before picking a file that exists: not again.
                let picked = PathBuf::from(d.path.trim());
                d.replace = picked.is_file().then_some(picked);
                d.error = None;
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("rec-export-from"));
            ui.add(
                egui::TextEdit::singleline(&mut d.from)
                    .hint_text(crate::tr!("rec-export-open-bound"))
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
            let label = ui.label(crate::tr!("rec-export-to"));
            ui.add(
                egui::TextEdit::singleline(&mut d.to)
                    .hint_text(crate::tr!("rec-export-open-bound"))
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        });
        if let Some(e) = &d.error {
            ui.add(egui::Label::new(egui::RichText::new(e.as_str()).color(theme::palette(ui).error)).wrap());
        }
        // "Replace it" beside the warning, not where Export was: a double click on
        // Export never writes over a file.
        let path_now = PathBuf::from(d.path.trim());
        if d.exists.as_ref() == Some(&path_now) && path_now.is_file() {
            replace = ui.button(crate::tr!("rec-export-replace-button")).clicked();
        }
        ui.horizontal(|ui| {
            export = ui.button(crate::tr!("rec-export-button")).clicked();
            close = ui.button(crate::tr!("chrome-cancel")).clicked();
        });
    });
    close |= modal.should_close();
    if replace {
        d.replace = Some(PathBuf::from(d.path.trim()));
        export = true;
    }
    if export {
        let path = PathBuf::from(d.path.trim());
        // A file that exists is replaced only once the user was told and asked again.
        if path.is_file() && d.replace.as_ref() != Some(&path) {
            d.error = Some(crate::tr!(
                "rec-export-exists",
                path = crate::i18n::shown(path.display())
            ));
            d.exists = Some(path);
            ctx.data_mut(|data| data.insert_temp(id(), Some(d)));
            return;
        }
        let range = parse_moment(&d.from).and_then(|from| parse_moment(&d.to).map(|to| (from, to)));
        match range.and_then(|range| state.export_history(&d.topic, d.format, &path, range)) {
            Ok(_) => close = true,
            Err(e) => {
                d.error = Some(e);
                close = false;
            }
        }
    }
    ctx.data_mut(|data| data.insert_temp(id(), if close { None } else { Some(d) }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_follows_the_format_unless_the_user_chose_another() {
        assert_eq!(switch_extension("/x/a.jsonl", ExportFormat::Csv), "/x/a.csv");
        assert_eq!(switch_extension("/x/a.csv", ExportFormat::Jsonl), "/x/a.jsonl");
        assert_eq!(switch_extension("/x/a.txt", ExportFormat::Csv), "/x/a.txt");
    }
}
