//! The inspector's decoded payloads: which decoder applies to the shown message (its
//! topic's rule, or detection), and the decoded value as a JSON message, so the JSON
//! view, the diff and the click-to-plot work on it unchanged. Computed once per message
//! and choice, not per frame (detection reads the whole payload).

use std::sync::Arc;

use crate::model::decode::FieldTypes;
use crate::model::{DecodeChoice, Decoder, NodeId, SparkplugRegistry, StoredMessage, TextEncoding};
use crate::ui::payload_view::{MessageKey, PartialAction, PayloadView, RenderCache, diff_ui, payload_ui};

/// A decoding: the decoder used and the JSON message, or why it failed.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub decoder: Decoder,
    pub result: Result<StoredMessage, String>,
    /// The types the decoder knew of the fields, tagged in the JSON view.
    pub types: Arc<FieldTypes>,
}

/// One message's decoding, remembered with what it was made from.
#[derive(Debug)]
struct Entry {
    key: MessageKey,
    choice: DecodeChoice,
    decoded: Option<Decoded>,
}

/// Decodings of the shown message and its predecessor, and their renderings (kept apart
/// from the raw payload's, so a decoded and a raw text never share a cache line).
#[derive(Debug, Default)]
pub struct DecodeCache {
    shown: Option<Entry>,
    previous: Option<Entry>,
    pub render: RenderCache,
}

impl DecodeCache {
    /// The decoding of the shown message `msg` of `topic` under `choice`.
    pub fn shown(
        &mut self,
        key: &MessageKey,
        msg: &StoredMessage,
        topic: &str,
        choice: &DecodeChoice,
        sparkplug: &SparkplugRegistry,
    ) -> Option<&Decoded> {
        let stale = !matches!(&self.shown, Some(e) if &e.key == key && &e.choice == choice);
        if stale {
            // Another decoder's JSON for the same message may have the same length, and
            // renderings are keyed by message and length: start them afresh.
            self.render = RenderCache::default();
        }
        cached(&mut self.shown, key, msg, topic, choice, sparkplug)
    }

    /// The decoding of the message before it, for the diff.
    pub fn previous(
        &mut self,
        key: &MessageKey,
        msg: &StoredMessage,
        topic: &str,
        choice: &DecodeChoice,
        sparkplug: &SparkplugRegistry,
    ) -> Option<&Decoded> {
        cached(&mut self.previous, key, msg, topic, choice, sparkplug)
    }
}

fn cached<'a>(
    slot: &'a mut Option<Entry>,
    key: &MessageKey,
    msg: &StoredMessage,
    topic: &str,
    choice: &DecodeChoice,
    sparkplug: &SparkplugRegistry,
) -> Option<&'a Decoded> {
    let fresh = matches!(slot, Some(e) if &e.key == key && &e.choice == choice);
    if !fresh {
        *slot = Some(Entry {
            key: key.clone(),
            choice: choice.clone(),
            decoded: decode(msg, topic, choice, sparkplug),
        });
    }
    slot.as_ref().and_then(|e| e.decoded.as_ref())
}

/// "Decoded from 27 bytes of C struct", or why decoding failed (the payload is then
/// shown as received).
pub fn decoded_note_ui(ui: &mut egui::Ui, decoded: &Decoded, payload_bytes: usize) {
    let format = decoded.decoder.name();
    match &decoded.result {
        Ok(_) => {
            ui.weak(crate::tr!("dec-decoded-note", n = payload_bytes, format = format));
        }
        Err(e) => {
            ui.colored_label(
                crate::ui::theme::palette(ui).warn,
                crate::tr!("dec-failed", format = format, error = e.as_str()),
            );
        }
    }
}

/// Draws `shown`, a decoded message of node `node`, as JSON; or, given `previous` (the
/// raw message before it), the diff of both decoded. Returns a click on a field.
#[allow(clippy::too_many_arguments)]
pub fn decoded_ui(
    ui: &mut egui::Ui,
    cache: &mut DecodeCache,
    node: NodeId,
    shown: &StoredMessage,
    previous: Option<&StoredMessage>,
    topic: &str,
    choice: &DecodeChoice,
    sparkplug: &SparkplugRegistry,
    show_all: bool,
) -> Option<PartialAction> {
    let key = MessageKey::of(node, shown);
    // `shown` is the decoded JSON; the entry is keyed by the raw message it came from
    // (another length), decoded this frame by `DecodeCache::shown`: its types are these.
    let types = cache
        .shown
        .as_ref()
        .and_then(|e| e.decoded.as_ref())
        .map(|d| d.types.clone());
    cache.render.set_types(types.unwrap_or_default());
    let decoded_previous = previous
        .and_then(|prev| cache.previous(&MessageKey::of(node, prev), prev, topic, choice, sparkplug))
        .and_then(|d| d.result.clone().ok());
    match decoded_previous {
        Some(prev) => {
            let prev_key = MessageKey::of(node, &prev);
            diff_ui(
                ui,
                (prev_key, &prev),
                (key, shown),
                TextEncoding::Utf8,
                &mut cache.render,
            );
            None
        }
        None => payload_ui(
            ui,
            key,
            shown,
            PayloadView::Json,
            TextEncoding::Utf8,
            show_all,
            &mut cache.render,
        ),
    }
}

/// Decodes `msg` into a message whose payload is the value as compact JSON. Sparkplug B
/// metrics sent by alias are named from the connection's births.
pub fn decode(
    msg: &StoredMessage,
    topic: &str,
    choice: &DecodeChoice,
    sparkplug: &SparkplugRegistry,
) -> Option<Decoded> {
    let decoder = choice.decoder_for(topic, &msg.payload)?;
    let typed = match decoder {
        Decoder::Sparkplug => sparkplug.read_typed(topic, &msg.payload),
        _ => decoder.decode_typed(&msg.payload),
    };
    let mut types = Arc::default();
    let result = typed
        .map(|typed| {
            types = Arc::new(typed.types);
            let value = typed.value;
            let json = serde_json::to_vec(&value).unwrap_or_default();
            StoredMessage::new(json, msg.qos, msg.retain, msg.time(), None)
        })
        .map_err(|e| e.to_string());
    Some(Decoded { decoder, result, types })
}
