//! The file dialog every save and open goes through (egui_file's, drawn inside the
//! window, so it looks and behaves the same on Linux, Windows and macOS and can be
//! driven by the UI tests). Nothing is ever written to a folder the user did not pick.
//!
//! One dialog at a time, for a [`Purpose`]. Each purpose remembers the folder it was
//! last used in (kept with the window's state between runs). A save carries its bytes:
//! the file is written when the user confirms, after asking before replacing a file,
//! and the outcome becomes a notice (an error in words when it fails). An open leaves
//! the chosen path for the pane that asked, to [`take_chosen`] on its next frame.
//!
//! The dialog lives in egui's memory rather than in a pane's state so that a pane
//! needs no new plumbing to use it: [`save`] or [`open`] from anywhere, and
//! [`file_dialog_ui`] draws it once per frame.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::tr;

/// What a dialog is for: decides its title and which folder it starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    /// A chart's data as CSV.
    ChartCsv,
    /// A message's payload, as received.
    SavePayload,
    /// A file whose bytes become the payload to publish.
    LoadPayload,
    /// The CA certificate a TLS connection trusts.
    TlsCa,
    /// The client certificate for mutual TLS.
    TlsClientCert,
    /// The client certificate's private key.
    TlsClientKey,
    /// A `.proto` schema for the protobuf decoder.
    ProtoSchema,
    /// A recording to open read-only.
    OpenRecording,
    /// Where a new recording goes (the Record dialog's "Browse…"): a name, nothing written.
    RecordTo,
    /// Where an export goes (the Export dialog's "Browse…"): a name, nothing written.
    ExportTo,
}

impl Purpose {
    fn title(self) -> String {
        match self {
            Purpose::ChartCsv => tr!("desk-title-chart-csv"),
            Purpose::SavePayload => tr!("desk-title-save-payload"),
            Purpose::LoadPayload => tr!("desk-title-load-payload"),
            Purpose::TlsCa => tr!("desk-title-tls-ca"),
            Purpose::TlsClientCert => tr!("desk-title-tls-cert"),
            Purpose::TlsClientKey => tr!("desk-title-tls-key"),
            Purpose::ProtoSchema => tr!("proto-file-title"),
            Purpose::OpenRecording => tr!("rec-open-title"),
            Purpose::RecordTo => tr!("desk-title-record-to"),
            Purpose::ExportTo => tr!("desk-title-export-to"),
        }
    }

    /// A save dialog (a file name to type, a file that need not exist yet).
    fn saves(self) -> bool {
        matches!(
            self,
            Purpose::ChartCsv | Purpose::SavePayload | Purpose::RecordTo | Purpose::ExportTo
        )
    }

    /// Picking a file that exists asks first: true for everything that would replace
    /// it. A recording never replaces a file (the Record dialog refuses one that exists).
    fn asks_before_replacing(self) -> bool {
        self.saves() && self != Purpose::RecordTo
    }
}

/// The accessible names of egui_file's two text fields, which it draws without a
/// label: the folder field (top) and the file name field (bottom).
pub fn folder_label() -> String {
    tr!("desk-folder")
}
pub fn file_name_label() -> String {
    tr!("desk-file-name")
}

/// The dialog's window (its layer is where its widgets are found).
const WINDOW_ID: &str = "topicscope_file_dialog";
const HOST_ID: &str = "topicscope_file_dialog_host";
const LAST_DIRS_ID: &str = "topicscope_file_dialog_dirs";

/// The folder each purpose was last used in.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct LastDirs(HashMap<Purpose, PathBuf>);

/// The open dialog, if any, and what the panes have not collected yet.
#[derive(Default)]
struct Host {
    current: Option<Current>,
    chosen: HashMap<Purpose, PathBuf>,
}

struct Current {
    purpose: Purpose,
    /// The bytes to write (saves only).
    data: Option<Bytes>,
    default_name: String,
    dialog: egui_file::FileDialog,
    /// The path picked for a save that would replace a file: asked before writing.
    confirm_replace: Option<PathBuf>,
}

type Shared = Arc<Mutex<Host>>;

fn host(ctx: &egui::Context) -> Shared {
    ctx.data_mut(|d| d.get_temp_mut_or_default::<Shared>(egui::Id::unique(HOST_ID)).clone())
}

fn with_host<R>(ctx: &egui::Context, f: impl FnOnce(&mut Host) -> R) -> R {
    let shared = host(ctx);
    // A panic while drawing the dialog must not make every later save impossible.
    let mut guard = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    f(&mut guard)
}

fn last_dir(ctx: &egui::Context, purpose: Purpose) -> Option<PathBuf> {
    ctx.data_mut(|d| {
        d.get_persisted_mut_or_default::<LastDirs>(egui::Id::unique(LAST_DIRS_ID))
            .0
            .get(&purpose)
            .cloned()
    })
    .filter(|p| p.is_dir())
}

fn remember_dir(ctx: &egui::Context, purpose: Purpose, file: &Path) {
    if let Some(dir) = file.parent() {
        ctx.data_mut(|d| {
            d.get_persisted_mut_or_default::<LastDirs>(egui::Id::unique(LAST_DIRS_ID))
                .0
                .insert(purpose, dir.to_path_buf());
        });
    }
}

/// Where a purpose's dialog starts the first time: the Downloads folder for saves,
/// the Documents folder for opens, else the home folder.
fn first_dir(purpose: Purpose) -> PathBuf {
    let dirs = directories::UserDirs::new();
    let preferred = dirs.as_ref().and_then(|u| {
        if purpose.saves() {
            u.download_dir().map(Path::to_path_buf)
        } else {
            u.document_dir().map(Path::to_path_buf)
        }
    });
    preferred
        .filter(|p| p.is_dir())
        .or_else(|| dirs.map(|u| u.home_dir().to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn new_dialog(purpose: Purpose, dir: PathBuf, name: &str) -> egui_file::FileDialog {
    let dialog = if purpose.saves() {
        egui_file::FileDialog::save_file().default_filename(name)
    } else {
        egui_file::FileDialog::open_file()
    };
    let mut dialog = dialog
        .initial_path(dir)
        .id(egui::Id::unique(WINDOW_ID))
        .title(&purpose.title())
        .default_size([560.0, 420.0])
        // Over the window that asked (the connection dialog is a window too).
        .keep_on_top(true)
        .open_button_text(tr!("desk-open").into())
        .save_button_text(tr!("desk-save").into())
        .cancel_button_text(tr!("desk-cancel").into())
        .new_folder_button_text(tr!("desk-new-folder").into())
        .new_folder_name_text(tr!("desk-new-folder-name").into())
        // Renaming other files has no place in a save or open dialog.
        .show_rename(false)
        .refresh_button_hover_text(tr!("desk-refresh").into())
        .parent_folder_button_hover_text(tr!("desk-parent-folder").into())
        .file_label_text(tr!("desk-file-label").into())
        .show_hidden_checkbox_text(tr!("desk-show-hidden").into());
    dialog.open();
    dialog
}

fn start(ctx: &egui::Context, purpose: Purpose, name: &str, data: Option<Bytes>, dir: Option<PathBuf>) {
    let dir = dir
        .or_else(|| last_dir(ctx, purpose))
        .unwrap_or_else(|| first_dir(purpose));
    let dialog = new_dialog(purpose, dir, name);
    with_host(ctx, |h| {
        h.current = Some(Current {
            purpose,
            data,
            default_name: name.to_owned(),
            dialog,
            confirm_replace: None,
        });
    });
}

/// Asks where to save `data`, suggesting `default_name`; writes it once the user
/// confirms. Replaces a dialog already open.
pub fn save(ctx: &egui::Context, purpose: Purpose, default_name: &str, data: Bytes) {
    start(ctx, purpose, default_name, Some(data), None);
}

/// Asks which file to open for `purpose`; the pane collects it with [`take_chosen`].
/// `current` (a path already filled in) decides where the dialog starts.
pub fn open(ctx: &egui::Context, purpose: Purpose, current: Option<&Path>) {
    let dir = current
        .and_then(Path::parent)
        .filter(|p| p.is_dir())
        .map(Path::to_path_buf);
    start(ctx, purpose, "", None, dir);
}

/// Asks where a file for `purpose` should go, starting in `current`'s folder with its
/// name; nothing is written: the pane collects the path with [`take_chosen`].
pub fn choose_save(ctx: &egui::Context, purpose: Purpose, current: &Path) {
    let dir = current.parent().filter(|p| p.is_dir()).map(Path::to_path_buf);
    let name = current
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    start(ctx, purpose, &name, None, dir);
}

/// "Browse…" beside a path field of a dialog that saves: the file dialog picks the
/// path, which replaces the field's text when the user confirms (then true).
pub fn browse_to_save_ui(ui: &mut egui::Ui, purpose: Purpose, path: &mut String) -> bool {
    if ui.button(tr!("desk-browse")).clicked() {
        choose_save(ui.ctx(), purpose, Path::new(path.trim()));
    }
    let chosen = take_chosen(ui.ctx(), purpose);
    if let Some(chosen) = &chosen {
        *path = chosen.display().to_string();
    }
    chosen.is_some()
}

/// The file the user chose for `purpose`, once.
pub fn take_chosen(ctx: &egui::Context, purpose: Purpose) -> Option<PathBuf> {
    with_host(ctx, |h| h.chosen.remove(&purpose))
}

/// True while a dialog (or its "replace?" question) is open.
pub fn is_open(ctx: &egui::Context) -> bool {
    with_host(ctx, |h| h.current.is_some())
}

/// Draws the open dialog, and carries out what the user chose in it.
pub fn file_dialog_ui(ctx: &egui::Context, state: &mut AppState) {
    let shared = host(ctx);
    let mut guard = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let host = &mut *guard;
    let Some(cur) = host.current.as_mut() else { return };
    if cur.confirm_replace.is_some() {
        match confirm_replace_ui(ctx, cur) {
            Some(true) => {
                if let Some(path) = cur.confirm_replace.take() {
                    finish(ctx, state, &mut host.chosen, cur, path);
                }
                host.current = None;
            }
            Some(false) => {
                // Back to the dialog, in the same folder, to pick another name.
                if let Some(path) = cur.confirm_replace.take() {
                    let dir = path.parent().map_or_else(|| first_dir(cur.purpose), Path::to_path_buf);
                    cur.dialog = new_dialog(cur.purpose, dir, &cur.default_name);
                }
            }
            None => {}
        }
        return;
    }
    let outcome = cur.dialog.show(ctx).state();
    name_text_fields(ctx);
    match outcome {
        egui_file::State::Open => {}
        egui_file::State::Selected => {
            let Some(path) = cur.dialog.path().map(Path::to_path_buf) else {
                host.current = None;
                return;
            };
            if cur.purpose.saves() {
                if path.is_dir() {
                    state.error(tr!("desk-is-folder", path = path.display().to_string()));
                    host.current = None;
                } else if path.exists() && cur.purpose.asks_before_replacing() {
                    cur.confirm_replace = Some(path);
                } else {
                    finish(ctx, state, &mut host.chosen, cur, path);
                    host.current = None;
                }
            } else {
                remember_dir(ctx, cur.purpose, &path);
                host.chosen.insert(cur.purpose, path);
                host.current = None;
            }
        }
        egui_file::State::Cancelled | egui_file::State::Closed => host.current = None,
    }
}

/// A save confirmed: its bytes are written, or (a dialog that only names a file) the
/// path is left for the pane that asked.
fn finish(
    ctx: &egui::Context,
    state: &mut AppState,
    chosen: &mut HashMap<Purpose, PathBuf>,
    cur: &Current,
    path: PathBuf,
) {
    if cur.data.is_some() {
        write(ctx, state, cur, &path);
    } else {
        remember_dir(ctx, cur.purpose, &path);
        chosen.insert(cur.purpose, path);
    }
}

/// Writes the save's bytes to `path`; the outcome becomes a notice.
fn write(ctx: &egui::Context, state: &mut AppState, cur: &Current, path: &Path) {
    let data = cur.data.clone().unwrap_or_default();
    let shown = path.display().to_string();
    match std::fs::write(path, &data) {
        Ok(()) => {
            remember_dir(ctx, cur.purpose, path);
            state.notice(tr!("desk-saved", n = data.len() as u64, path = shown));
        }
        Err(e) => state.error(tr!("desk-save-failed", path = shown, reason = io_reason(&e))),
    }
}

/// "Replace this file?" before a save overwrites one; `Some(true)` to replace.
fn confirm_replace_ui(ctx: &egui::Context, cur: &Current) -> Option<bool> {
    let path = cur.confirm_replace.as_ref()?;
    let mut decision = None;
    egui::Modal::new(egui::Id::unique("topicscope_file_replace")).show(ctx, |ui| {
        ui.heading(tr!("desk-replace-title"));
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let folder = path.parent().map(|p| p.display().to_string()).unwrap_or_default();
        ui.add(egui::Label::new(tr!("desk-replace-question", name = name, folder = folder)).wrap());
        ui.horizontal(|ui| {
            if ui.button(tr!("desk-replace")).clicked() {
                decision = Some(true);
            }
            if ui.button(tr!("desk-cancel")).clicked() {
                decision = Some(false);
            }
        });
    });
    decision
}

/// egui_file draws its folder and file name fields without a label; name them in the
/// accessibility tree (for screen readers, and for the tests, which find fields by
/// name). They are the window's only text fields, the folder one first.
fn name_text_fields(ctx: &egui::Context) {
    let layer = egui::LayerId::new(egui::Order::Middle, egui::Id::unique(WINDOW_ID));
    let ids: Vec<egui::Id> = ctx.viewport(|v| v.this_pass.widgets.get_layer(layer).map(|w| w.id).collect());
    let mut names = [folder_label(), file_name_label()].into_iter();
    for id in ids {
        let is_text = ctx
            .accesskit_node_builder(id, |n| n.role() == egui::Role::TextInput)
            .unwrap_or(false);
        if is_text {
            let Some(name) = names.next() else { break };
            ctx.accesskit_node_builder(id, |n| n.set_label(name));
        }
    }
}

/// An I/O error in words (the system's own text for the rarer kinds).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied => tr!("desk-io-permission"),
        ErrorKind::NotFound => tr!("desk-io-not-found"),
        ErrorKind::StorageFull => tr!("desk-io-full"),
        ErrorKind::ReadOnlyFilesystem => tr!("desk-io-read-only"),
        ErrorKind::IsADirectory => tr!("desk-io-is-folder"),
        _ => e.to_string(),
    }
}

/// Reads a whole file of at most `max_bytes`; a larger one is refused before it is
/// read, in words.
pub fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| tr!("desk-read-failed", path = shown.clone(), reason = io_reason(&e));
    let file = std::fs::File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    if !meta.is_file() {
        return Err(tr!("desk-not-a-file", path = shown.clone()));
    }
    let too_big = |size: u64| {
        tr!(
            "desk-too-large",
            path = shown.clone(),
            size = crate::i18n::shown(super::format::bytes(size)),
            max = crate::i18n::shown(super::format::bytes(max_bytes as u64))
        )
    };
    if meta.len() > max_bytes as u64 {
        return Err(too_big(meta.len()));
    }
    // The file may grow between the check and the read: never read past the limit.
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes as u64 + 1).read_to_end(&mut buf).map_err(fail)?;
    if buf.len() > max_bytes {
        return Err(too_big(buf.len() as u64));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_above_the_limit_is_refused_in_words_and_one_below_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.bin");
        std::fs::write(&path, vec![7u8; 2048]).unwrap();
        assert_eq!(read_limited(&path, 2048).unwrap().len(), 2048);
        let e = read_limited(&path, 1024).unwrap_err();
        assert!(e.contains("p.bin") && e.contains("larger"), "{e}");
        let e = read_limited(dir.path(), 1024).unwrap_err();
        assert!(e.contains("not a file"), "{e}");
        let e = read_limited(&dir.path().join("missing"), 1024).unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
    }
}
