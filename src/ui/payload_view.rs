//! Payload views: pretty JSON with colours, text, hex dump, image, and the diff against
//! the previous message. Text-like views are virtualised by display line, so a 10 MiB
//! payload costs only the lines on screen; nothing is cut without saying so.

use std::ops::Range;
use std::sync::Arc;
use std::time::SystemTime;

use egui::{FontId, RichText, TextStyle};

use super::diff::{DiffLine, DiffTag, diff_lines};
use super::encoded_text::{InvalidMarks, invalid_notice_ui};
use super::format;
use super::json_colors::json_line_job;
use super::json_pretty::pretty_with_types;
use super::text_lines::line_ranges;
use super::theme::{self, ROW_HEIGHT};
use crate::model::{
    HEX_BYTES_PER_LINE, JsonPath, NodeId, PayloadKind, StoredMessage, TextEncoding, decode::FieldTypes,
    hex_dump_line_of, pretty_json,
};

/// Text and JSON views show this much until the user asks for all of it.
pub const VIEW_LIMIT_BYTES: usize = 1024 * 1024;

/// The view chosen in the inspector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PayloadView {
    /// JSON when it is JSON, picture for images, hex for binary, text otherwise.
    #[default]
    Auto,
    Text,
    Json,
    Hex,
    Image,
}

impl PayloadView {
    pub const ALL: [PayloadView; 5] = [Self::Auto, Self::Text, Self::Json, Self::Hex, Self::Image];

    /// The name on the view's button (JSON and Hex are the same in every language).
    pub fn label(self) -> String {
        match self {
            Self::Auto => crate::tr!("panes-view-auto"),
            Self::Text => crate::tr!("panes-view-text"),
            Self::Json => "JSON".to_owned(),
            Self::Hex => "Hex".to_owned(),
            Self::Image => crate::tr!("panes-view-image"),
        }
    }

    /// The concrete view for a payload of this kind.
    pub fn resolve(self, kind: PayloadKind) -> PayloadView {
        match (self, kind) {
            (Self::Auto, PayloadKind::Json) => Self::Json,
            (Self::Auto, PayloadKind::Image(_)) => Self::Image,
            (Self::Auto, PayloadKind::Binary) => Self::Hex,
            (Self::Auto, _) => Self::Text,
            (v, _) => v,
        }
    }
}

/// Which message a rendering belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageKey {
    pub node: NodeId,
    pub time: SystemTime,
    pub len: usize,
}

impl MessageKey {
    pub fn of(node: NodeId, msg: &StoredMessage) -> Self {
        Self {
            node,
            time: msg.time(),
            len: msg.payload.len(),
        }
    }
}

/// Text prepared for display, split into lines once.
#[derive(Debug, Default)]
struct Prepared {
    /// The message, view, whole or cut, encoding, and how many field types it was
    /// drawn with (they can come a frame after the message's first drawing).
    key: Option<(MessageKey, PayloadView, bool, TextEncoding, usize)>,
    text: String,
    /// The escapes of bytes not valid in the encoding.
    invalid: InvalidMarks,
    lines: Vec<Range<usize>>,
    /// For pretty JSON: per line, the path of its plottable field.
    paths: Vec<Option<JsonPath>>,
    /// For pretty JSON of a decoded payload: per line, its value's type.
    tags: Vec<Option<String>>,
    json_colours: bool,
    /// Why the JSON view shows plain text instead.
    json_error: Option<String>,
    /// Bytes of the payload covered by `text`.
    shown_bytes: usize,
}

#[derive(Debug, Default)]
struct PreparedDiff {
    /// The two messages, the encoding and the hex dump's bytes a line.
    key: Option<(MessageKey, MessageKey, TextEncoding, usize)>,
    lines: Vec<DiffLine>,
    cut: bool,
}

/// Renderings kept between frames.
#[derive(Debug, Default)]
pub struct RenderCache {
    prepared: Prepared,
    diff: PreparedDiff,
    /// The image on screen: its URI and bytes (copied once, not per frame).
    image: Option<(String, egui::load::Bytes)>,
    /// The shown message's kind in the chosen encoding (a legacy one is not cached by
    /// the message, and classifying reads the whole payload).
    kind: Option<(MessageKey, TextEncoding, PayloadKind)>,
    /// The field types of a decoded payload, shown as tags in the JSON view.
    types: Arc<FieldTypes>,
}

impl RenderCache {
    /// The types of the decoded payload about to be shown. A cache is made afresh for
    /// each decoding, so its renderings never carry another message's tags.
    pub fn set_types(&mut self, types: Arc<FieldTypes>) {
        self.types = types;
    }

    /// What `msg` looks like read in `encoding`; computed once per message and encoding.
    pub fn kind(&mut self, key: &MessageKey, msg: &StoredMessage, encoding: TextEncoding) -> PayloadKind {
        match &self.kind {
            Some((k, e, kind)) if k == key && *e == encoding => *kind,
            _ => {
                let kind = encoding.kind_of(msg);
                self.kind = Some((key.clone(), encoding, kind));
                kind
            }
        }
    }
}

/// What the user asked for from a payload view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartialAction {
    /// "Show all" on the "showing N of M bytes" notice.
    ShowAll,
    /// "Save to file…".
    Save,
    /// A click on a numeric field of the JSON view (the root path: the whole payload).
    Plot(JsonPath),
    /// "Plot field" on a binary payload.
    PlotBinary(crate::model::BinaryNumber),
}

/// Draws `msg` in `view`, its text read in `encoding`; returns an action from the
/// "showing N of M bytes" notice.
pub fn payload_ui(
    ui: &mut egui::Ui,
    key: MessageKey,
    msg: &StoredMessage,
    view: PayloadView,
    encoding: TextEncoding,
    show_all: bool,
    cache: &mut RenderCache,
) -> Option<PartialAction> {
    let view = view.resolve(cache.kind(&key, msg, encoding));
    if msg.payload.is_empty() {
        ui.weak(if msg.retain {
            crate::tr!("panes-view-empty-clears")
        } else {
            crate::tr!("panes-view-empty")
        });
        return None;
    }
    match view {
        PayloadView::Image => {
            image_ui(ui, &key, msg, cache);
            None
        }
        PayloadView::Hex => {
            hex_ui(ui, &msg.payload);
            None
        }
        PayloadView::Text | PayloadView::Json | PayloadView::Auto => {
            let limit = if show_all { usize::MAX } else { VIEW_LIMIT_BYTES };
            prepare(&mut cache.prepared, key, msg, view, encoding, limit, &cache.types);
            let p = &cache.prepared;
            let mut action = None;
            invalid_notice_ui(ui, &p.invalid, encoding);
            if let Some(e) = &p.json_error {
                ui.colored_label(theme::palette(ui).warn, e);
            }
            if p.shown_bytes < msg.payload.len() {
                ui.horizontal(|ui| {
                    ui.colored_label(
                        theme::palette(ui).warn,
                        crate::tr!("panes-view-showing", shown = p.shown_bytes, n = msg.payload.len()),
                    );
                    if ui.button(crate::tr!("panes-view-show-all")).clicked() {
                        action = Some(PartialAction::ShowAll);
                    }
                    if ui.button(crate::tr!("panes-save-to-file")).clicked() {
                        action = Some(PartialAction::Save);
                    }
                });
            }
            if let Some(path) = lines_ui(ui, p) {
                action = Some(PartialAction::Plot(path));
            }
            action
        }
    }
}

fn prepare(
    p: &mut Prepared,
    key: MessageKey,
    msg: &StoredMessage,
    view: PayloadView,
    encoding: TextEncoding,
    limit: usize,
    types: &FieldTypes,
) {
    let full = limit >= msg.payload.len();
    let cache_key = (key, view, full, encoding, types.len());
    if p.key.as_ref() == Some(&cache_key) {
        return;
    }
    let bytes = &msg.payload[..msg.payload.len().min(limit)];
    // Bytes become text here, once, in the chosen encoding; JSON is parsed from that text.
    // A `\xNN` escape of a bad byte is never valid JSON, so the parser reports where it is.
    let decoded = encoding.decode(bytes);
    p.invalid = InvalidMarks::of(&decoded);
    let escaped = decoded.text;
    p.json_error = None;
    p.json_colours = false;
    p.paths = Vec::new();
    p.tags = Vec::new();
    p.text = match view {
        PayloadView::Json if full => match serde_json::from_str::<serde_json::Value>(&escaped) {
            Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                p.json_colours = true;
                let pretty = pretty_with_types(&v, types);
                let mut text = pretty.text;
                text.pop(); // the last '\n', which would add an empty display line
                p.paths = pretty.paths;
                if !types.is_empty() {
                    p.tags = pretty.tags;
                }
                text
            }
            _ => {
                p.json_error = Some(json_error(escaped.as_bytes()));
                escaped.into_owned()
            }
        },
        _ => escaped.into_owned(),
    };
    p.shown_bytes = bytes.len();
    p.lines = line_ranges(&p.text);
    if p.lines.len() != p.paths.len() {
        // Wrapped long lines shift the numbering: keep it simple and make none clickable.
        p.paths.clear();
        p.tags.clear();
    }
    p.key = Some(cache_key);
}

fn json_error(bytes: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(_) => crate::tr!("panes-view-json-scalar"),
        Err(e) => crate::tr!("panes-view-json-invalid", at = format::json_error(&e)),
    }
}

/// A virtualised list of monospace lines; lines with a path are clickable (to plot).
fn lines_ui(ui: &mut egui::Ui, p: &Prepared) -> Option<JsonPath> {
    let (text, lines, json, paths) = (&p.text, &p.lines, p.json_colours, &p.paths);
    let palette = theme::palette(ui);
    let font = TextStyle::Monospace.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut clicked = None;
    egui::ScrollArea::both()
        .auto_shrink(false)
        .id_salt("payload_lines")
        .show_rows(ui, ROW_HEIGHT, lines.len(), |ui, range| {
            for i in range {
                let line = &text[lines[i].clone()];
                if !json {
                    match p
                        .invalid
                        .line_job(text, lines[i].clone(), font.clone(), color, palette.error)
                    {
                        Some(job) => ui.add(egui::Label::new(job).extend()),
                        None => ui.add(egui::Label::new(RichText::new(line).monospace()).extend()),
                    };
                    continue;
                }
                let label = egui::Label::new(json_line_job(line, font.clone(), &palette, color)).extend();
                if let Some(tag) = p.tags.get(i).and_then(Option::as_deref) {
                    // The decoder's type beside the value: small and weak, never clickable.
                    ui.horizontal(|ui| {
                        if let Some(path) = line_ui(ui, label, paths.get(i).and_then(Option::as_ref)) {
                            clicked = Some(path);
                        }
                        ui.label(RichText::new(tag).small().weak());
                    });
                    continue;
                }
                if let Some(path) = line_ui(ui, label, paths.get(i).and_then(Option::as_ref)) {
                    clicked = Some(path);
                }
            }
        });
    clicked
}

/// One JSON line; with a path, clickable to plot it.
fn line_ui(ui: &mut egui::Ui, label: egui::Label, path: Option<&JsonPath>) -> Option<JsonPath> {
    let Some(path) = path else {
        ui.add(label);
        return None;
    };
    let resp = ui
        .add(label.selectable(false).sense(egui::Sense::click()))
        .on_hover_text(crate::tr!("panes-view-click-to-plot", path = path.to_string()));
    if resp.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    resp.clicked().then(|| path.clone())
}

/// The classic dump (16 bytes a line, 8 in a narrow pane), every line reachable.
fn hex_ui(ui: &mut egui::Ui, bytes: &[u8]) {
    let per_line = hex_bytes_per_line(ui);
    let count = bytes.len().div_ceil(per_line);
    egui::ScrollArea::both()
        .auto_shrink(false)
        .id_salt("payload_hex")
        .show_rows(ui, ROW_HEIGHT, count, |ui, range| {
            for line in range {
                ui.add(
                    egui::Label::new(RichText::new(hex_dump_line_of(bytes, line * per_line, per_line)).monospace())
                        .extend(),
                );
            }
        });
}

/// Sixteen bytes a hex line where the pane is wide enough for them, else eight: on a
/// laptop screen the inspector is narrower than a 16-byte line, whose text column then
/// lay past the pane's edge.
fn hex_bytes_per_line(ui: &egui::Ui) -> usize {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let wide = char_width * crate::model::hex_dump_line_chars(HEX_BYTES_PER_LINE) as f32;
    if wide <= ui.available_width() - ui.spacing().scroll.bar_width {
        HEX_BYTES_PER_LINE
    } else {
        8
    }
}

fn image_ui(ui: &mut egui::Ui, key: &MessageKey, msg: &StoredMessage, cache: &mut RenderCache) {
    let ext = match msg.kind() {
        PayloadKind::Image(f) => f.name().to_ascii_lowercase(),
        _ => {
            ui.weak(crate::tr!("panes-view-not-image"));
            return;
        }
    };
    let nanos = key
        .time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let uri = format!("bytes://topicscope/{}/{nanos}.{ext}", key.node.index());
    // egui keeps every loaded image: forget the previous frame of a camera stream.
    if cache.image.as_ref().is_none_or(|(u, _)| *u != uri) {
        let bytes: egui::load::Bytes = msg.payload.to_vec().into();
        if let Some((old, _)) = cache.image.replace((uri.clone(), bytes)) {
            ui.ctx().forget_image(&old);
        }
    }
    let Some((_, bytes)) = &cache.image else { return };
    let bytes = bytes.clone();
    egui::ScrollArea::both()
        .auto_shrink(false)
        .id_salt("payload_image")
        .show(ui, |ui| {
            ui.add(
                egui::Image::from_bytes(uri, bytes)
                    .max_size(ui.available_size())
                    .fit_to_original_size(1.0),
            );
        });
}

/// The line diff of `old` → `new`, their text read in `encoding`.
pub fn diff_ui(
    ui: &mut egui::Ui,
    old: (MessageKey, &StoredMessage),
    new: (MessageKey, &StoredMessage),
    encoding: TextEncoding,
    cache: &mut RenderCache,
) {
    let per_line = hex_bytes_per_line(ui);
    let key = (old.0.clone(), new.0.clone(), encoding, per_line);
    if cache.diff.key.as_ref() != Some(&key) {
        let as_text = |m: &StoredMessage| {
            let bytes = &m.payload[..m.payload.len().min(VIEW_LIMIT_BYTES * 4)];
            let text = || encoding.decode(bytes).text.into_owned();
            match encoding.kind_of(m) {
                PayloadKind::Json => pretty_json(text().as_bytes()).unwrap_or_else(text),
                PayloadKind::Binary | PayloadKind::Image(_) => (0..bytes.len().div_ceil(per_line))
                    .map(|l| hex_dump_line_of(bytes, l * per_line, per_line) + "\n")
                    .collect(),
                _ => text(),
            }
        };
        let (lines, cut) = diff_lines(&as_text(old.1), &as_text(new.1));
        cache.diff = PreparedDiff {
            key: Some(key),
            lines,
            cut,
        };
    }
    let d = &cache.diff;
    let palette = theme::palette(ui);
    let changed = d.lines.iter().filter(|l| l.tag != DiffTag::Same).count();
    ui.horizontal(|ui| {
        ui.weak(crate::tr!(
            "panes-diff-heading",
            from = format::clock(old.0.time),
            to = format::clock(new.0.time),
            n = changed
        ));
        if d.cut {
            ui.colored_label(palette.warn, crate::tr!("panes-diff-cut"));
        }
    });
    let font = FontId::monospace(12.0);
    egui::ScrollArea::both()
        .auto_shrink(false)
        .id_salt("payload_diff")
        .show_rows(ui, ROW_HEIGHT, d.lines.len(), |ui, range| {
            for line in &d.lines[range] {
                let (sign, bg) = match line.tag {
                    DiffTag::Same => (" ", None),
                    DiffTag::Added => ("+", Some(palette.diff_added)),
                    DiffTag::Removed => ("-", Some(palette.diff_removed)),
                };
                let mut text = RichText::new(format!("{sign} {}", line.text)).font(font.clone());
                if let Some(bg) = bg {
                    text = text.background_color(bg);
                }
                ui.add(egui::Label::new(text).extend());
            }
        });
}
