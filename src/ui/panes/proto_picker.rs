//! The "Protobuf…" part of the inspector's "Decode as" picker: the user's `.proto` file
//! (typed, or chosen in the file dialog) and the message type. "Use schema" compiles it
//! first, so a missing file, a syntax error or an unknown message name is said here,
//! in words, before any rule is saved.

use std::path::{Path, PathBuf};

use crate::model::Decoder;
use crate::model::decode::proto;
use crate::tr;
use crate::ui::file_dialog::{self, Purpose};

/// The schema being chosen.
#[derive(Debug, Default, Clone)]
pub struct ProtoForm {
    pub file: String,
    pub message: String,
    /// Why the last "Use schema" was refused.
    error: Option<String>,
}

impl ProtoForm {
    /// The form filled from a decoder already chosen.
    pub fn of(file: &Path, message: &str) -> Self {
        Self {
            file: file.display().to_string(),
            message: message.to_owned(),
            error: None,
        }
    }
}

/// Draws the form; returns the decoder when "Use schema" is clicked and it compiles.
pub fn proto_form_ui(ui: &mut egui::Ui, form: &mut ProtoForm) -> Option<Decoder> {
    if let Some(path) = file_dialog::take_chosen(ui.ctx(), Purpose::ProtoSchema) {
        form.file = path.display().to_string();
    }
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr!("proto-file-label"));
        ui.add(egui::TextEdit::singleline(&mut form.file).desired_width(260.0))
            .labelled_by(label.id);
        if ui.button(tr!("proto-file-choose")).clicked() {
            let current = PathBuf::from(&form.file);
            file_dialog::open(ui.ctx(), Purpose::ProtoSchema, Some(current.as_path()));
        }
        let label = ui.label(tr!("proto-message-label"));
        ui.add(
            egui::TextEdit::singleline(&mut form.message)
                .hint_text(tr!("proto-message-hint"))
                .desired_width(160.0),
        )
        .labelled_by(label.id);
        let ready = !form.file.trim().is_empty() && !form.message.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new(tr!("proto-apply"))).clicked() {
            let file = PathBuf::from(form.file.trim());
            let checked = proto::schema(&file).and_then(|pool| proto::message(&pool, &form.message));
            match checked {
                Ok(desc) => {
                    form.error = None;
                    chosen = Some(Decoder::Proto {
                        file,
                        message: desc.full_name().to_owned(),
                    });
                }
                Err(e) => form.error = Some(e.to_string()),
            }
        }
    });
    if let Some(e) = &form.error {
        ui.colored_label(crate::ui::theme::palette(ui).warn, e);
    }
    chosen
}
