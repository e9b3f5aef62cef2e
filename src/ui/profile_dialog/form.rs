//! The profile form's sections: address and identity, subscriptions, TLS, last will.

use super::*;

impl ProfileDialog {
    pub(super) fn form_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        let parsed_url = BrokerUrl::parse(&self.working.broker_url);
        let w = &mut self.working;
        egui::Grid::new("profile_form_grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(crate::tr!("chrome-form-name"));
                ui.add(TextEdit::singleline(&mut w.name).desired_width(FIELD_WIDTH))
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-broker-url"));
                ui.vertical(|ui| {
                    ui.set_max_width(FIELD_WIDTH);
                    ui.add(
                        TextEdit::singleline(&mut w.broker_url)
                            .hint_text("mqtt://localhost:1883")
                            .desired_width(FIELD_WIDTH),
                    )
                    .labelled_by(label.id);
                    match &parsed_url {
                        Ok(url) => {
                            ui.add(egui::Label::new(RichText::new(describe_url(url)).weak()).wrap());
                        }
                        Err(e) => wrapped_label(
                            ui,
                            palette.error,
                            crate::tr!("chrome-form-bad-url", error = crate::i18n::shown(e)),
                        ),
                    }
                });
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-client-id"));
                ui.horizontal(|ui| {
                    ui.add(
                        TextEdit::singleline(&mut w.client_id)
                            .hint_text(crate::tr!("chrome-form-client-id-hint"))
                            .desired_width(FIELD_WIDTH - 80.0),
                    )
                    .labelled_by(label.id);
                    if ui
                        .button(crate::tr!("chrome-form-generate"))
                        .on_hover_text(crate::tr!("chrome-form-generate-hover"))
                        .clicked()
                    {
                        w.client_id = generate_client_id();
                    }
                });
                ui.end_row();

                let (url_user, url_password) = match &parsed_url {
                    Ok(url) => (url.username.clone(), url.password.is_some()),
                    Err(_) => (None, false),
                };
                let label = ui.label(crate::tr!("chrome-form-username"));
                let hint = url_user.map_or_else(String::new, |user| {
                    crate::tr!("chrome-form-user-from-url", user = user.as_str())
                });
                optional_text_ui(ui, label.id, &mut w.username, false, &hint);
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-password"));
                ui.horizontal(|ui| {
                    let hint = if url_password {
                        crate::tr!("chrome-form-password-from-url")
                    } else {
                        String::new()
                    };
                    let masked = !self.show_password;
                    optional_text_ui(ui, label.id, &mut w.password, masked, &hint);
                    ui.checkbox(&mut self.show_password, crate::tr!("chrome-form-show"));
                });
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-keep-alive"));
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut w.keep_alive_secs).range(0..=u16::MAX))
                        .labelled_by(label.id);
                    if w.keep_alive_secs == 0 {
                        ui.weak(crate::tr!("chrome-form-keep-alive-off"));
                    }
                });
                ui.end_row();

                ui.label("");
                ui.checkbox(&mut w.clean_session, crate::tr!("chrome-form-clean-session"))
                    .on_hover_text(crate::tr!("chrome-form-clean-session-hover"));
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-mqtt-version"));
                egui::ComboBox::from_id_salt("mqtt_version")
                    .selected_text(version_text(w.mqtt_version))
                    .show_ui(ui, |ui| {
                        for version in [MqttVersion::V311, MqttVersion::V5] {
                            ui.selectable_value(&mut w.mqtt_version, version, version_text(version));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                if w.mqtt_version == MqttVersion::V5 {
                    session_expiry_row_ui(ui, w);
                }

                let label = ui.label(crate::tr!("chrome-form-max-packet"));
                let mut mib = w.max_packet_bytes as f64 / BYTES_PER_MIB;
                let response = ui
                    .add(
                        egui::DragValue::new(&mut mib)
                            .range(MIN_MAX_PACKET_BYTES as f64 / BYTES_PER_MIB..=256.0)
                            .speed(0.25)
                            .max_decimals(3),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(crate::tr!("chrome-form-max-packet-hover"));
                if response.changed() {
                    w.max_packet_bytes = mib_to_bytes(mib);
                }
                ui.end_row();

                let label = ui.label(crate::tr!("chrome-form-connect-timeout"));
                ui.add(egui::DragValue::new(&mut w.connect_timeout_secs).range(1..=3600))
                    .labelled_by(label.id);
                ui.end_row();
            });

        ui.add_space(8.0);
        self.subscriptions_ui(ui);
        ui.add_space(4.0);
        self.tls_ui(ui, parsed_url.ok().map(|url| url.transport));
        self.last_will_ui(ui);
    }

    fn subscriptions_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        ui.strong(crate::tr!("chrome-pane-subscriptions"));
        let subscriptions = &mut self.working.subscriptions;
        if subscriptions.is_empty() {
            ui.weak(crate::tr!("chrome-form-no-subscriptions"));
        }
        let mut remove = None;
        for (index, subscription) in subscriptions.iter_mut().enumerate() {
            ui.push_id(index, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(crate::tr!("chrome-form-filter", n = index + 1));
                    ui.add(TextEdit::singleline(&mut subscription.filter).desired_width(220.0))
                        .labelled_by(label.id);
                    qos_ui(ui, "qos", &mut subscription.qos)
                        .accessible_name(crate::tr!("chrome-form-filter-qos", n = index + 1));
                    if ui
                        .button(crate::tr!("chrome-form-remove"))
                        .on_hover_text(crate::tr!("chrome-form-remove-hover", n = index + 1))
                        .clicked()
                    {
                        remove = Some(index);
                    }
                });
                if let Err(e) = validate_filter(&subscription.filter) {
                    wrapped_label(ui, palette.error, e.to_string());
                }
            });
        }
        if let Some(index) = remove {
            subscriptions.remove(index);
        }
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("chrome-form-new-filter"));
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.new_filter)
                        .hint_text("sensors/#")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            let label = ui.label("QoS");
            qos_ui(ui, "new_qos", &mut self.new_qos).labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(crate::tr!("chrome-form-add")).clicked() || entered {
                match add_subscription(subscriptions, &self.new_filter, self.new_qos) {
                    Ok(()) => {
                        self.new_filter.clear();
                        self.new_filter_error = None;
                    }
                    Err(e) => self.new_filter_error = Some(e),
                }
            }
        });
        if let Some(error) = &self.new_filter_error {
            wrapped_label(ui, palette.error, error.clone());
        }
    }

    fn tls_ui(&mut self, ui: &mut Ui, transport: Option<Transport>) {
        let palette = theme::palette(ui);
        let tls = &mut self.working.tls;
        let uses_tls = transport.is_some_and(Transport::uses_tls);
        egui::CollapsingHeader::new("TLS")
            .default_open(uses_tls || *tls != Default::default())
            .show(ui, |ui| {
                if !uses_tls && *tls != Default::default() {
                    wrapped_label(ui, palette.warn, crate::tr!("chrome-form-tls-unused"));
                }
                egui::Grid::new("profile_tls_grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let rows = [
                            (
                                crate::tr!("chrome-form-ca-file"),
                                &mut tls.ca_file,
                                crate::tr!("chrome-form-ca-file-hint"),
                            ),
                            (
                                crate::tr!("chrome-form-client-cert"),
                                &mut tls.client_cert,
                                crate::tr!("chrome-form-client-cert-hint"),
                            ),
                            (
                                crate::tr!("chrome-form-client-key"),
                                &mut tls.client_key,
                                crate::tr!("chrome-form-client-key-hint"),
                            ),
                        ];
                        for (i, (name, path, hint)) in rows.into_iter().enumerate() {
                            let label = ui.label(name);
                            ui.vertical(|ui| {
                                ui.horizontal(|ui| {
                                    optional_path_ui(ui, label.id, path, &hint);
                                    browse_ui(ui, TLS_PURPOSES[i], path);
                                });
                                if let Some(path) = path.as_ref()
                                    && !path.exists()
                                {
                                    wrapped_label(ui, palette.warn, crate::tr!("chrome-form-no-such-file"));
                                }
                            });
                            ui.end_row();
                        }
                    });
                ui.checkbox(&mut tls.allow_invalid_certs, crate::tr!("chrome-form-allow-invalid"));
                if tls.allow_invalid_certs {
                    wrapped_label(ui, palette.warn, crate::tr!("chrome-form-allow-invalid-warning"));
                }
            });
    }

    fn last_will_ui(&mut self, ui: &mut Ui) {
        let palette = theme::palette(ui);
        let w = &mut self.working;
        egui::CollapsingHeader::new(crate::tr!("chrome-form-last-will"))
            .default_open(w.last_will.is_some())
            .show(ui, |ui| {
                let mut enabled = w.last_will.is_some();
                if ui
                    .checkbox(&mut enabled, crate::tr!("chrome-form-send-will"))
                    .on_hover_text(crate::tr!("chrome-form-send-will-hover"))
                    .changed()
                {
                    if enabled {
                        w.last_will = Some(self.will_draft.clone());
                    } else if let Some(will) = w.last_will.take() {
                        self.will_draft = will;
                    }
                }
                let Some(will) = &mut w.last_will else { return };
                egui::Grid::new("profile_will_grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let label = ui.label(crate::tr!("chrome-form-will-topic"));
                        ui.vertical(|ui| {
                            ui.set_max_width(FIELD_WIDTH);
                            ui.add(
                                TextEdit::singleline(&mut will.topic)
                                    .hint_text("devices/topicscope/status")
                                    .desired_width(FIELD_WIDTH),
                            )
                            .labelled_by(label.id);
                            if let Err(e) = validate_publish_topic(&will.topic) {
                                wrapped_label(ui, palette.error, e.to_string());
                            }
                        });
                        ui.end_row();

                        let label = ui.label(crate::tr!("chrome-form-will-payload"));
                        ui.add(
                            TextEdit::multiline(&mut will.payload)
                                .desired_rows(2)
                                .desired_width(FIELD_WIDTH),
                        )
                        .labelled_by(label.id);
                        ui.end_row();

                        let label = ui.label(crate::tr!("chrome-form-will-qos"));
                        qos_ui(ui, "will_qos", &mut will.qos).labelled_by(label.id);
                        ui.end_row();

                        ui.label("");
                        ui.checkbox(&mut will.retain, crate::tr!("chrome-form-will-retain"));
                        ui.end_row();
                    });
            });
    }
}

/// Adds a filter, or changes the QoS of the same filter already listed.
pub(super) fn add_subscription(subscriptions: &mut Vec<Subscription>, filter: &str, qos: u8) -> Result<(), String> {
    validate_filter(filter).map_err(|e| e.to_string())?;
    match subscriptions.iter_mut().find(|s| s.filter == filter) {
        Some(existing) => existing.qos = qos,
        None => subscriptions.push(Subscription {
            filter: filter.to_owned(),
            qos,
        }),
    }
    Ok(())
}

/// MiB as typed to bytes, within what a profile accepts.
pub(super) fn mib_to_bytes(mib: f64) -> usize {
    let bytes = (mib * BYTES_PER_MIB).round();
    (bytes.max(0.0) as usize).clamp(MIN_MAX_PACKET_BYTES, MAX_MAX_PACKET_BYTES)
}

pub(super) fn version_text(version: MqttVersion) -> &'static str {
    match version {
        MqttVersion::V311 => "3.1.1",
        MqttVersion::V5 => "5",
    }
}

/// One line saying where the address leads, so a typo in the scheme is noticed.
pub(super) fn describe_url(url: &BrokerUrl) -> String {
    let how = match url.transport {
        Transport::Tcp => crate::tr!("chrome-transport-tcp"),
        Transport::Tls => "TLS".to_owned(),
        Transport::Ws => crate::tr!("chrome-transport-ws"),
        Transport::Wss => crate::tr!("chrome-transport-wss"),
    };
    let path = url.path.as_deref().unwrap_or("");
    let address = format!("{}:{}{path}", url.socket_host(), url.port);
    crate::tr!("chrome-form-url-over", address = address, transport = how)
}

/// A QoS picker (0, 1, 2); the caller names it.
/// MQTT 5 session expiry: 0 (the same as sending none) ends the session with the connection.
pub(super) fn session_expiry_row_ui(ui: &mut Ui, w: &mut Profile) {
    let label = ui.label(crate::tr!("chrome-form-session-expiry"));
    ui.horizontal(|ui| {
        let mut secs = w.session_expiry_secs.unwrap_or(0);
        let response = ui
            .add(egui::DragValue::new(&mut secs).range(0..=u32::MAX))
            .labelled_by(label.id)
            .on_hover_text(crate::tr!("chrome-form-session-expiry-hover"));
        if response.changed() {
            w.session_expiry_secs = (secs > 0).then_some(secs);
        }
        if !w.clean_session && secs == 0 {
            ui.weak(crate::tr!("chrome-form-session-expiry-zero"));
        }
    });
    ui.end_row();
}

pub(super) fn qos_ui(ui: &mut Ui, id_salt: &str, qos: &mut u8) -> egui::Response {
    egui::ComboBox::from_id_salt(id_salt)
        .width(44.0)
        .selected_text(qos.to_string())
        .show_ui(ui, |ui| {
            for level in 0..=2u8 {
                ui.selectable_value(qos, level, level.to_string());
            }
        })
        .response
}

/// A text field for an optional value: empty means `None`.
pub(super) fn optional_text_ui(ui: &mut Ui, label_id: egui::Id, value: &mut Option<String>, masked: bool, hint: &str) {
    let mut text = value.clone().unwrap_or_default();
    let response = ui
        .add(
            TextEdit::singleline(&mut text)
                .password(masked)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH - 70.0),
        )
        .labelled_by(label_id);
    if response.changed() {
        *value = (!text.is_empty()).then_some(text);
    }
}

/// A text field for an optional file path: empty means `None`. As wide as the client
/// id's field, so that the path and its "Browse…" end where the client id and its
/// "Generate" do (at the full width, opening TLS widened the dialog and put "Browse…"
/// under its scroll bar).
pub(super) fn optional_path_ui(ui: &mut Ui, label_id: egui::Id, value: &mut Option<PathBuf>, hint: &str) {
    let mut text = value
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    let response = ui
        .add(
            TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH - 80.0),
        )
        .labelled_by(label_id);
    if response.changed() {
        *value = (!text.is_empty()).then(|| PathBuf::from(text));
    }
}

/// What each TLS path row's "Browse…" picks, in row order.
const TLS_PURPOSES: [crate::ui::file_dialog::Purpose; 3] = [
    crate::ui::file_dialog::Purpose::TlsCa,
    crate::ui::file_dialog::Purpose::TlsClientCert,
    crate::ui::file_dialog::Purpose::TlsClientKey,
];

/// "Browse…" beside a path field: picks the file in the file dialog, starting where
/// the current path is.
fn browse_ui(ui: &mut Ui, purpose: crate::ui::file_dialog::Purpose, value: &mut Option<PathBuf>) {
    use crate::ui::file_dialog;
    if ui.button(crate::tr!("desk-browse")).clicked() {
        file_dialog::open(ui.ctx(), purpose, value.as_deref());
    }
    if let Some(path) = file_dialog::take_chosen(ui.ctx(), purpose) {
        *value = Some(path);
    }
}
