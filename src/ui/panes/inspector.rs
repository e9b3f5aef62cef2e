//! The inspector: everything about the selected topic: metadata, the payload in several
//! views, the diff with the previous message, the history, and actions on the topic.

use std::time::SystemTime;

use super::decoded_payload::{DecodeCache, Decoded, decoded_note_ui, decoded_ui};
use super::decoder_picker::{DecoderPicker, decoder_picker_ui};
use super::encoding_picker::{EncodingScope, encoding_picker_ui};
use super::history_list::history_list_ui;
use crate::app::AppState;
use crate::model::series::{Extractor, SeriesSpec};
use crate::model::{
    BinaryKind, BinaryNumber, MessageProperties, NodeId, PayloadKind, StoredMessage, TextEncoding, TextOrHex,
};
use crate::ui::format;
pub use crate::ui::payload_view::PayloadView;
use crate::ui::payload_view::{MessageKey, PartialAction, RenderCache, diff_ui, payload_ui};
use crate::ui::theme;

/// The inspector's view state.
#[derive(Debug, Default)]
pub struct InspectorState {
    pub view: PayloadView,
    pub show_diff: bool,
    /// The history entry shown, by receive time; `None` follows the newest message.
    pub picked: Option<SystemTime>,
    /// Show whole payloads even when large.
    pub show_all: bool,
    /// "Save to file…" was clicked: the suggested name and the payload shown then.
    pub save_request: Option<(String, bytes::Bytes)>,
    /// Chart new series go into; `None` makes a new chart.
    pub plot_target: Option<usize>,
    /// Where to read a number in a binary payload.
    pub binary_field: BinaryNumber,
    /// Which topics the encoding picker's choice applies to.
    pub encoding_scope: EncodingScope,
    /// The "Decode as" picker's scope and layout text.
    pub decoder: DecoderPicker,
    decoded: DecodeCache,
    cache: RenderCache,
    node: Option<NodeId>,
}

impl InspectorState {
    /// The same choices for a model whose topics were numbered afresh (an opened
    /// recording after a seek): nothing that points at a node or a message is kept.
    pub fn renumbered(self) -> Self {
        Self {
            picked: None,
            show_all: false,
            save_request: None,
            decoded: DecodeCache::default(),
            cache: RenderCache::default(),
            node: None,
            ..self
        }
    }
}

/// Draws the inspector for `selected`.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    insp: &mut InspectorState,
    confirm_clear: &mut Option<super::ClearRequest>,
    selected: Option<NodeId>,
    show_charts: &mut bool,
) {
    let Some(id) = selected.filter(|&id| state.conn().model.tree().contains(id)) else {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(crate::tr!("panes-insp-select"));
            ui.weak(crate::tr!("panes-insp-select-hint"));
        });
        return;
    };
    if insp.node != Some(id) {
        // A new topic: follow its newest message and forget per-message choices.
        insp.node = Some(id);
        insp.picked = None;
        insp.show_all = false;
        insp.decoder.close_layout();
    }
    let topic = state.conn().model.tree().full_topic(id);
    ui.horizontal(|ui| {
        ui.add(egui::Label::new(egui::RichText::new(&topic).monospace().strong()).wrap());
        if ui.small_button(crate::tr!("panes-copy-topic")).clicked() {
            ui.ctx().copy_text(topic.clone());
        }
    });

    let tree = state.conn().model.tree();
    let node = tree.node(id);
    ui.horizontal_wrapped(|ui| {
        if node.child_count() > 0 {
            ui.weak(crate::tr!(
                "panes-insp-below",
                topics = node.sub_topic_count(),
                msgs = node.subtree_messages()
            ));
        }
        if node.retained()
            && ui
                .button(crate::tr!("panes-insp-clear-retained"))
                .on_hover_text(crate::tr!("panes-insp-clear-retained-hover"))
                .clicked()
        {
            *confirm_clear = Some(super::ClearRequest {
                known: vec![topic.clone()],
                below: None,
            });
        }
        // Counted on click, not per frame: a subtree can hold 100k topics.
        if node.child_count() > 0 && ui.button(crate::tr!("panes-insp-clear-retained-below")).clicked() {
            *confirm_clear = Some(super::ClearRequest::below(&topic, state.retained_topics_in(id)));
        }
    });

    let history = state.conn().model.history();
    let newest = history.newest(id);
    let Some(newest) = newest else {
        ui.weak(crate::tr!("panes-insp-no-message"));
        return;
    };
    // The picked entry, or the newest if it was evicted meanwhile.
    let index = insp
        .picked
        .and_then(|t| history.messages(id).position(|m| m.time() == t))
        .unwrap_or(0);
    if index == 0 {
        insp.picked = None;
    }
    // Owned copies so actions below can change state (a small payload is copied, a large
    // one shared: see `KeptPayload`).
    let msg: StoredMessage = history.get(id, index).unwrap_or(newest).clone();
    let previous: Option<StoredMessage> = history.get(id, index + 1).cloned();
    let (msg, previous) = (&msg, previous.as_ref());

    metadata_ui(ui, state, id, msg, previous);
    super::rate_sparkline::sparkline_ui(ui, state, id);
    ui.separator();
    let mut actions = Vec::new();
    // An image has no text to read in an encoding: no picker beside it (one row more
    // for the picture on a laptop screen).
    if crate::model::payload::image_format(&msg.payload).is_none() {
        encoding_picker_ui(ui, state, &topic, &mut insp.encoding_scope);
    }
    // Every view below reads the payload's text in this one encoding.
    let encoding = state.conn().profile.encodings.for_topic(&topic);
    let key = MessageKey::of(id, msg);
    let detected = decoded_of(state, insp, &key, msg, &topic).map(|d| d.decoder);
    decoder_picker_ui(ui, state, &topic, &mut insp.decoder, detected.as_ref());
    super::sparkplug_rebirth::rebirth_ui(ui, state, &topic);
    // After the picker: a choice made this frame shows at once.
    let decoded = decoded_of(state, insp, &key, msg, &topic);
    let decoded_ok = decoded
        .as_ref()
        .and_then(|d| d.result.as_ref().ok().map(|m| (d.decoder.clone(), m.clone())));
    if let Some(d) = &decoded {
        decoded_note_ui(ui, d, msg.payload.len());
    }
    let kind = match decoded_ok {
        Some(_) => PayloadKind::Json,
        None => insp.cache.kind(&key, msg, encoding),
    };
    let profile = &state.conn().profile;
    let shell = crate::model::shell::ShellPublish {
        broker_url: &profile.broker_url,
        username: profile.username.as_deref(),
        mqtt5: profile.mqtt_version == crate::profiles::MqttVersion::V5,
        topic: &topic,
        payload: &msg.payload,
        qos: msg.qos,
        retain: msg.retain,
    };
    actions.extend(toolbar_ui(ui, insp, msg, previous.is_some(), encoding, &shell));
    // Only a Number has a whole value (and is short): no decoding of large payloads per frame.
    let whole_value = (kind == PayloadKind::Number && decoded_ok.is_none())
        .then(|| crate::model::extract_number(&encoding.decode(&msg.payload).text))
        .flatten();
    let chart_count = state.charts.charts.len();
    // Only where something can be plotted: a number, a JSON document's numbers, a field
    // of a binary frame; not beside an image, plain text or an empty payload.
    let plottable = whole_value.is_some() || matches!(kind, PayloadKind::Json | PayloadKind::Binary);
    if plottable {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(crate::tr!("panes-insp-plot-into"));
            let target_text = match insp.plot_target {
                Some(c) if c < chart_count => state.charts.charts[c].title.clone(),
                _ => crate::tr!("panes-insp-new-chart"),
            };
            egui::ComboBox::from_id_salt("plot_target")
                .selected_text(target_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut insp.plot_target, None, crate::tr!("panes-insp-new-chart"));
                    for (i, c) in state.charts.charts.iter().enumerate() {
                        ui.selectable_value(&mut insp.plot_target, Some(i), &c.title);
                    }
                })
                .response
                .labelled_by(label.id);
            match (whole_value, kind) {
                (Some(v), _)
                    if ui
                        .button(crate::tr!("panes-insp-plot"))
                        .on_hover_text(crate::tr!("panes-insp-plot-hover", value = v))
                        .clicked() =>
                {
                    actions.push(PartialAction::Plot(crate::model::JsonPath::default()));
                }
                (Some(_), _) => {}
                (None, PayloadKind::Json) => {
                    ui.weak(crate::tr!("panes-insp-plot-json-hint"));
                }
                (None, PayloadKind::Binary) => {
                    // Raw sensor frames: the user says where the number is and how it is stored.
                    let b = &mut insp.binary_field;
                    let kind_label = ui.label(crate::tr!("panes-insp-binary-as"));
                    egui::ComboBox::from_id_salt("binary_kind")
                        .selected_text(b.kind.name())
                        .show_ui(ui, |ui| {
                            for k in BinaryKind::ALL {
                                ui.selectable_value(&mut b.kind, k, k.name());
                            }
                        })
                        .response
                        .labelled_by(kind_label.id);
                    ui.checkbox(&mut b.little_endian, crate::tr!("panes-insp-little-endian"));
                    let offset_label = ui.label(crate::tr!("panes-insp-at-byte"));
                    ui.add(egui::DragValue::new(&mut b.offset).range(0..=msg.payload.len()))
                        .labelled_by(offset_label.id);
                    match b.read(&msg.payload) {
                        Some(v) => {
                            ui.monospace(format!(
                                "= {}",
                                b.readout(&msg.payload).unwrap_or_else(|| v.to_string())
                            ));
                            if ui.button(crate::tr!("panes-insp-plot-field")).clicked() {
                                actions.push(PartialAction::PlotBinary(*b));
                            }
                        }
                        None => {
                            ui.weak(crate::tr!("panes-insp-binary-none"));
                        }
                    }
                }
                _ => {}
            }
        });
    }
    let plot_decoder = decoded_ok.as_ref().map(|(d, _)| d);
    for a in actions.drain(..) {
        apply_action(state, insp, show_charts, &topic, msg, plot_decoder, a);
    }
    if let Some((name, payload)) = insp.save_request.take() {
        crate::ui::file_dialog::save(ui.ctx(), crate::ui::file_dialog::Purpose::SavePayload, &name, payload);
    }

    egui::Panel::bottom("inspector_history")
        .resizable(true)
        .default_size(180.0)
        .show(ui, |ui| {
            let conn = state.conn();
            let decoders = &conn.profile.decoders;
            if let Some(pick) = history_list_ui(ui, &conn.model, id, insp.picked, encoding, decoders, &topic) {
                insp.picked = pick;
            }
        });
    let choice = state.conn().profile.decoders.for_topic(&topic).clone();
    egui::CentralPanel::default().show(ui, |ui| {
        // A decoded payload is shown as JSON (its hex and image views stay the raw bytes').
        let decoded_view = decoded_ok
            .as_ref()
            .filter(|_| !matches!(insp.view, PayloadView::Hex | PayloadView::Image));
        if let Some((_, dmsg)) = decoded_view {
            let previous = previous.filter(|_| insp.show_diff);
            let action = decoded_ui(
                ui,
                &mut insp.decoded,
                id,
                dmsg,
                previous,
                &topic,
                &choice,
                state.conn().model.sparkplug(),
                insp.show_all,
            );
            if let Some(a) = action {
                apply_action(state, insp, show_charts, &topic, msg, plot_decoder, a);
            }
            return;
        }
        let action = match (insp.show_diff, previous) {
            (true, Some(prev)) => {
                diff_ui(
                    ui,
                    (MessageKey::of(id, prev), prev),
                    (key, msg),
                    encoding,
                    &mut insp.cache,
                );
                None
            }
            _ => payload_ui(ui, key, msg, insp.view, encoding, insp.show_all, &mut insp.cache),
        };
        if let Some(a) = action {
            apply_action(state, insp, show_charts, &topic, msg, None, a);
        }
    });
}

/// The decoding of the shown message under its topic's choice (cached per message).
fn decoded_of(
    state: &AppState,
    insp: &mut InspectorState,
    key: &MessageKey,
    msg: &StoredMessage,
    topic: &str,
) -> Option<Decoded> {
    let choice = state.conn().profile.decoders.for_topic(topic);
    insp.decoded
        .shown(key, msg, topic, choice, state.conn().model.sparkplug())
        .cloned()
}

fn apply_action(
    state: &mut AppState,
    insp: &mut InspectorState,
    show_charts: &mut bool,
    topic: &str,
    msg: &StoredMessage,
    decoder: Option<&crate::model::Decoder>,
    action: PartialAction,
) {
    match action {
        PartialAction::ShowAll => insp.show_all = true,
        PartialAction::Save => insp.save_request = Some((default_save_name(topic, msg), msg.payload.to_bytes())),
        PartialAction::Plot(_) | PartialAction::PlotBinary(_) => {
            let extractor = match (action, decoder) {
                (PartialAction::Plot(path), Some(decoder)) => Extractor::Decoded {
                    decoder: decoder.clone(),
                    path,
                },
                (PartialAction::PlotBinary(b), _) => Extractor::Binary(b),
                (PartialAction::Plot(path), None) if !path.is_root() => Extractor::Json(path),
                _ => Extractor::Whole,
            };
            let spec = SeriesSpec {
                topic: topic.to_owned(),
                extractor,
                connection: None,
            };
            let target = insp.plot_target.filter(|&c| c < state.charts.charts.len());
            state.plot(spec, target);
            // Later series from this topic go into the same chart.
            insp.plot_target = Some(target.unwrap_or(state.charts.charts.len().saturating_sub(1)));
            *show_charts = true;
        }
    }
}

fn metadata_ui(ui: &mut egui::Ui, state: &AppState, id: NodeId, msg: &StoredMessage, previous: Option<&StoredMessage>) {
    let node = state.conn().model.tree().node(id);
    let palette = theme::palette(ui);
    let size = msg.payload.len();
    let mut pairs: Vec<(String, String, Option<egui::Color32>)> = vec![
        (crate::tr!("panes-insp-received"), format::date_time(msg.time()), None),
        (
            crate::tr!("panes-insp-size"),
            crate::tr!("panes-insp-size-value", size = format::bytes(size as u64), n = size),
            None,
        ),
        // A protocol word: the same in every language.
        ("QoS".to_owned(), msg.qos.to_string(), None),
        (
            crate::tr!("panes-insp-retained"),
            if msg.retain {
                crate::tr!("panes-yes")
            } else {
                crate::tr!("panes-no")
            },
            msg.retain.then_some(palette.retained),
        ),
        (
            crate::tr!("panes-insp-since-previous"),
            previous.map_or_else(|| "—".to_owned(), |p| format::delta(msg.time(), p.time())),
            None,
        ),
        (crate::tr!("panes-insp-kind"), msg.kind().label(), None),
        (
            crate::tr!("panes-insp-messages"),
            crate::tr!(
                "panes-insp-messages-value",
                received = node.own_messages(),
                kept = state.conn().model.history().len(id)
            ),
            None,
        ),
        (
            crate::tr!("rate-insp"),
            {
                // Here and below, over the last 10 s and the last minute.
                let now_ms = crate::model::rate::epoch_ms(state.clock());
                let (rate, minute) = (node.rate_at(now_ms), node.minute_rate_at(now_ms));
                crate::tr!(
                    "rate-insp-value",
                    msgs = format::rate(rate.messages),
                    bytes = format::bytes(rate.bytes.round() as u64),
                    minute = format::rate(minute.messages)
                )
            },
            None,
        ),
        (
            crate::tr!("panes-insp-age"),
            state
                .clock()
                .duration_since(msg.time())
                .map_or_else(|_| "—".to_owned(), format::duration),
            None,
        ),
    ];
    if let Some(props) = msg.properties() {
        pairs.extend(property_rows(props).into_iter().map(|(n, v)| (n, v, None)));
    }
    // Name and value pairs flow and wrap with the pane's width: nothing is cut off.
    // Each pair is one label ("QoS 1"), so a pair never splits across lines.
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 16.0;
        let weak = ui.visuals().weak_text_color();
        let normal = ui.visuals().text_color();
        let font = egui::TextStyle::Body.resolve(ui.style());
        for (name, value, colour) in pairs {
            let mut job = egui::text::LayoutJob::default();
            job.append(&name, 0.0, egui::TextFormat::simple(font.clone(), weak));
            job.append(" ", 0.0, egui::TextFormat::simple(font.clone(), weak));
            job.append(
                &value,
                0.0,
                egui::TextFormat::simple(font.clone(), colour.unwrap_or(normal)),
            );
            // Extend, not wrap: a pair that does not fit moves to the next line whole.
            ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
        }
    });
}

/// The MQTT 5 properties a message carried, as (name, value) rows; absent ones are left out.
fn property_rows(props: &MessageProperties) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Some(ct) = &props.content_type {
        rows.push((crate::tr!("panes-prop-content-type"), ct.clone()));
    }
    if let Some(utf8) = props.payload_format_utf8 {
        let value = if utf8 {
            crate::tr!("panes-prop-format-utf8")
        } else {
            crate::tr!("panes-prop-format-bytes")
        };
        rows.push((crate::tr!("panes-prop-payload-format"), value));
    }
    if let Some(rt) = &props.response_topic {
        rows.push((crate::tr!("panes-prop-response-topic"), rt.clone()));
    }
    match props.correlation_text() {
        Some(TextOrHex::Text(text)) => rows.push((crate::tr!("panes-prop-correlation"), text)),
        Some(TextOrHex::Hex(hex)) => rows.push((crate::tr!("panes-prop-correlation-hex"), hex)),
        None => {}
    }
    if let Some(e) = props.message_expiry_secs {
        rows.push((
            crate::tr!("panes-prop-expiry"),
            crate::tr!("panes-duration-s", s = crate::i18n::shown(e)),
        ));
    }
    for (k, v) in &props.user_properties {
        rows.push((crate::tr!("panes-prop-user"), format!("{k} = {v}")));
    }
    rows
}

fn toolbar_ui(
    ui: &mut egui::Ui,
    insp: &mut InspectorState,
    msg: &StoredMessage,
    has_previous: bool,
    encoding: TextEncoding,
    shell: &crate::model::shell::ShellPublish<'_>,
) -> Option<PartialAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        for v in PayloadView::ALL {
            let enabled = v != PayloadView::Image || matches!(msg.kind(), PayloadKind::Image(_));
            ui.add_enabled_ui(enabled, |ui| {
                if ui
                    .selectable_label(insp.view == v && !insp.show_diff, v.label())
                    .clicked()
                {
                    insp.view = v;
                    insp.show_diff = false;
                }
            });
        }
        ui.separator();
        ui.add_enabled_ui(has_previous, |ui| {
            ui.toggle_value(&mut insp.show_diff, crate::tr!("panes-insp-diff"))
                .on_disabled_hover_text(crate::tr!("panes-insp-diff-disabled"));
        });
        ui.separator();
        if ui.button(crate::tr!("panes-insp-copy-payload")).clicked() {
            ui.ctx().copy_text(encoding.decode(&msg.payload).text.into_owned());
        }
        ui.menu_button(crate::tr!("panes-insp-copy-as"), |ui| {
            // The program names are commands, the same in every language.
            if ui.button("mosquitto_pub").clicked() {
                ui.ctx().copy_text(crate::model::shell::mosquitto_pub(shell));
                ui.close();
            }
            if ui.button("topicscope pub").clicked() {
                ui.ctx().copy_text(crate::model::shell::topicscope_pub(shell));
                ui.close();
            }
        })
        .response
        .on_hover_text(crate::tr!("panes-insp-copy-as-hover"));
        if ui.button(crate::tr!("panes-save-to-file")).clicked() {
            action = Some(PartialAction::Save);
        }
    });
    action
}

/// The file name offered for a payload: its topic, time and a fitting extension.
fn default_save_name(topic: &str, msg: &StoredMessage) -> String {
    let safe = crate::app::recording::file_safe(topic);
    let ext = match msg.kind() {
        PayloadKind::Json => "json",
        PayloadKind::Image(f) => match f {
            crate::model::ImageFormat::Png => "png",
            crate::model::ImageFormat::Jpeg => "jpg",
        },
        PayloadKind::Text | PayloadKind::Number | PayloadKind::Empty => "txt",
        PayloadKind::Binary => "bin",
    };
    let stamp: chrono::DateTime<chrono::Local> = msg.time().into();
    format!("{safe}-{}.{ext}", stamp.format("%Y%m%d-%H%M%S"))
}
