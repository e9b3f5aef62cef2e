//! The publish panel's MQTT 5 properties: content type, response topic, correlation data,
//! message expiry and user properties. Shown only on an MQTT 5 connection (MQTT 3.1.1
//! has no properties, so the fields would be silently dropped there).

use bytes::Bytes;

use crate::model::MessageProperties;
use crate::profiles::validate_publish_topic;

/// What the user typed; empty fields are not sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct V5Fields {
    pub content_type: String,
    pub response_topic: String,
    /// Sent as the UTF-8 bytes of the text.
    pub correlation_data: String,
    /// Whole seconds; empty for "never expires".
    pub message_expiry_secs: String,
    /// Key/value rows; rows with an empty key are skipped.
    pub user_properties: Vec<(String, String)>,
}

impl V5Fields {
    /// The properties to send, `None` when every field is empty, or why they cannot be sent.
    pub fn properties(&self) -> Result<Option<Box<MessageProperties>>, String> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        let response_topic = text(&self.response_topic);
        if let Some(topic) = &response_topic {
            validate_publish_topic(topic)
                .map_err(|e| crate::tr!("panes-v5-response-topic-invalid", error = e.to_string()))?;
        }
        let expiry = self.message_expiry_secs.trim();
        let message_expiry_secs = if expiry.is_empty() {
            None
        } else {
            Some(
                expiry
                    .parse::<u32>()
                    .map_err(|_| crate::tr!("panes-v5-expiry-invalid", value = expiry, max = u32::MAX))?,
            )
        };
        let properties = MessageProperties {
            content_type: text(&self.content_type),
            response_topic,
            correlation_data: Some(self.correlation_data.as_str())
                .filter(|c| !c.is_empty())
                .map(|c| Bytes::copy_from_slice(c.as_bytes())),
            message_expiry_secs,
            payload_format_utf8: None,
            user_properties: self
                .user_properties
                .iter()
                .filter(|(k, _)| !k.trim().is_empty())
                .cloned()
                .collect(),
        };
        Ok((!properties.is_empty()).then(|| Box::new(properties)))
    }
}

/// The properties section (collapsed until opened).
pub fn v5_properties_ui(ui: &mut egui::Ui, fields: &mut V5Fields) {
    let count = usize::from(!fields.content_type.is_empty())
        + usize::from(!fields.response_topic.is_empty())
        + usize::from(!fields.correlation_data.is_empty())
        + usize::from(!fields.message_expiry_secs.is_empty())
        + fields.user_properties.len();
    let title = if count == 0 {
        crate::tr!("panes-v5-title")
    } else {
        crate::tr!("panes-v5-title-set", n = count)
    };
    egui::CollapsingHeader::new(title)
        .id_salt("publish_v5_properties")
        .show(ui, |ui| {
            egui::Grid::new("publish_v5_grid").num_columns(2).show(ui, |ui| {
                text_row_ui(
                    ui,
                    &crate::tr!("panes-prop-content-type"),
                    &mut fields.content_type,
                    "application/json",
                );
                text_row_ui(
                    ui,
                    &crate::tr!("panes-prop-response-topic"),
                    &mut fields.response_topic,
                    "devices/esp32-01/reply",
                );
                text_row_ui(
                    ui,
                    &crate::tr!("panes-prop-correlation"),
                    &mut fields.correlation_data,
                    "request-42",
                );
                text_row_ui(
                    ui,
                    &crate::tr!("panes-v5-expiry-secs"),
                    &mut fields.message_expiry_secs,
                    &crate::tr!("panes-v5-never"),
                );
            });
            user_properties_ui(ui, &mut fields.user_properties);
        });
}

fn text_row_ui(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(260.0))
        .labelled_by(label.id);
    ui.end_row();
}

/// One row per user property (numbered labels, so each input has a distinct name).
fn user_properties_ui(ui: &mut egui::Ui, rows: &mut Vec<(String, String)>) {
    let mut remove = None;
    for (i, (key, value)) in rows.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("panes-v5-key", n = i + 1));
            ui.add(egui::TextEdit::singleline(key).desired_width(120.0))
                .labelled_by(label.id);
            let label = ui.label(crate::tr!("panes-v5-value", n = i + 1));
            ui.add(egui::TextEdit::singleline(value).desired_width(180.0))
                .labelled_by(label.id);
            if ui
                .small_button("✖")
                .on_hover_text(crate::tr!("panes-v5-remove-user"))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
    if ui.button(crate::tr!("panes-v5-add-user")).clicked() {
        rows.push((String::new(), String::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_send_no_properties() {
        assert_eq!(V5Fields::default().properties(), Ok(None));
        let blank_row = V5Fields {
            user_properties: vec![(" ".into(), "ignored".into())],
            ..V5Fields::default()
        };
        assert_eq!(blank_row.properties(), Ok(None));
    }

    #[test]
    fn filled_fields_become_properties() {
        let fields = V5Fields {
            content_type: " text/plain ".into(),
            response_topic: "reply/to".into(),
            correlation_data: "req-1".into(),
            message_expiry_secs: "30".into(),
            user_properties: vec![("k".into(), "v".into())],
        };
        let p = fields.properties().unwrap().unwrap();
        assert_eq!(p.content_type.as_deref(), Some("text/plain"));
        assert_eq!(p.response_topic.as_deref(), Some("reply/to"));
        assert_eq!(p.correlation_data.as_deref(), Some(&b"req-1"[..]));
        assert_eq!(p.message_expiry_secs, Some(30));
        assert_eq!(p.user_properties, vec![("k".to_owned(), "v".to_owned())]);
    }

    #[test]
    fn bad_expiry_or_response_topic_is_refused_in_words() {
        let expiry = V5Fields {
            message_expiry_secs: "soon".into(),
            ..V5Fields::default()
        };
        assert!(expiry.properties().unwrap_err().starts_with("Message expiry: 'soon'"));
        let topic = V5Fields {
            response_topic: "reply/#".into(),
            ..V5Fields::default()
        };
        assert!(topic.properties().unwrap_err().starts_with("Response topic:"));
    }
}
